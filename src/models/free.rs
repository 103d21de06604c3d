//! The free marketing tools (`free*`): no API key, limited per client IP per day.
//!
//! On the wire these operations wrap both request and response in `{"data": …}`;
//! the client adds and removes that envelope, so the types here are the inner
//! objects.

use bon::Builder;
use serde::{Deserialize, Serialize};

use super::validate;
use crate::error::ValidationError;
use crate::transport::ApiRequest;
use crate::types::Platform;

pub use super::analyze::Trend;
pub use super::scripts::{Script, ScriptScene};

/// `freeTrendAnalyzer`: current trends and hashtags of an industry.
/// No key needed; 5 calls per day per IP.
///
/// ```
/// use ugc_video::ApiRequest;
/// use ugc_video::models::free::TrendAnalyzerRequest;
///
/// let req = TrendAnalyzerRequest::builder().industry("home fitness").build();
/// assert!(req.validate().is_ok());
/// assert_eq!(TrendAnalyzerRequest::builder().industry("").build().validate().unwrap_err().field, "industry");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct TrendAnalyzerRequest {
    /// Industry or niche (2–100 characters).
    pub industry: String,
}

impl ApiRequest for TrendAnalyzerRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        validate::len("industry", &self.industry, 2, 100)
    }
}

/// Answer of `freeTrendAnalyzer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TrendAnalyzerResponse {
    /// The industry analyzed, as the service understood it.
    pub industry: String,
    /// Current trends.
    #[serde(default)]
    pub trends: Vec<Trend>,
    /// Hashtags that perform well.
    #[serde(default)]
    pub hashtags: Vec<String>,
}

/// `freeGenerateHooks`: opening hooks for a product on a platform.
/// No key needed; 5 calls per day per IP.
///
/// ```
/// use ugc_video::ApiRequest;
/// use ugc_video::models::free::GenerateHooksRequest;
/// use ugc_video::types::Platform;
///
/// let req = GenerateHooksRequest::builder()
///     .product_description("A collapsible silicone water bottle")
///     .platform(Platform::Tiktok)
///     .build();
/// assert!(req.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct GenerateHooksRequest {
    /// What is being advertised (3–2000 characters).
    pub product_description: String,
    /// Platform the hooks are for.
    pub platform: Platform,
}

impl ApiRequest for GenerateHooksRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        validate::len("productDescription", &self.product_description, 3, 2000)
    }
}

/// Answer of `freeGenerateHooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GenerateHooksResponse {
    /// Opening lines to try.
    #[serde(default)]
    pub hooks: Vec<String>,
}

/// `freeGenerateCreatorPersona`: a creator persona for a niche and audience.
/// No key needed; 3 calls per day per IP.
///
/// ```
/// use ugc_video::ApiRequest;
/// use ugc_video::models::free::CreatorPersonaRequest;
/// use ugc_video::types::Platform;
///
/// let req = CreatorPersonaRequest::builder()
///     .niche("budget travel")
///     .platform(Platform::Instagram)
///     .target_audience("students planning their first trip abroad")
///     .build();
/// assert!(req.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct CreatorPersonaRequest {
    /// The creator's niche (2–200 characters).
    pub niche: String,
    /// Platform the creator posts on.
    pub platform: Platform,
    /// Who the creator speaks to (2–500 characters).
    pub target_audience: String,
}

impl ApiRequest for CreatorPersonaRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        validate::len("niche", &self.niche, 2, 200)?;
        validate::len("targetAudience", &self.target_audience, 2, 500)
    }
}

/// Answer of `freeGenerateCreatorPersona`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreatorPersonaResponse {
    /// The persona.
    pub persona: CreatorPersona,
}

/// A creator persona.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreatorPersona {
    /// The persona's name.
    pub name: String,
    /// Age in years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// Short biography.
    pub bio: String,
    /// Content style.
    pub style: String,
    /// Topics the persona talks about.
    #[serde(default)]
    pub talking_points: Vec<String>,
}

/// `freeGenerateScript`: a short script for a product.
/// No key needed; 3 calls per day per IP.
///
/// ```
/// use ugc_video::ApiRequest;
/// use ugc_video::models::free::FreeScriptRequest;
///
/// let req = FreeScriptRequest::builder()
///     .product_description("Noise-cancelling earbuds with a 30 h battery")
///     .industry("consumer electronics")
///     .build();
/// assert!(req.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct FreeScriptRequest {
    /// What is being advertised (3–2000 characters).
    pub product_description: String,
    /// Industry or niche (2–100 characters).
    pub industry: String,
}

impl ApiRequest for FreeScriptRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        validate::len("productDescription", &self.product_description, 3, 2000)?;
        validate::len("industry", &self.industry, 2, 100)
    }
}

/// Answer of `freeGenerateScript`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FreeScriptResponse {
    /// The script.
    pub script: Script,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<(), ValidationError>) -> String {
        r.unwrap_err().field
    }

    #[test]
    fn trend_analyzer_rules() {
        assert!(TrendAnalyzerRequest::builder().industry("ab").build().validate().is_ok());
        assert_eq!(field(TrendAnalyzerRequest::builder().industry("a").build().validate()), "industry");
        assert_eq!(field(TrendAnalyzerRequest::builder().industry("a".repeat(101)).build().validate()), "industry");
    }

    #[test]
    fn hooks_rules() {
        let ok = GenerateHooksRequest::builder().product_description("abc").platform(Platform::Facebook).build();
        assert!(ok.validate().is_ok());
        let short = GenerateHooksRequest { product_description: "ab".into(), ..ok.clone() };
        assert_eq!(field(short.validate()), "productDescription");
        let long = GenerateHooksRequest { product_description: "a".repeat(2001), ..ok.clone() };
        assert_eq!(field(long.validate()), "productDescription");
        // A platform this version does not know still goes out.
        let future = GenerateHooksRequest { platform: Platform::from_wire("threads"), ..ok };
        assert!(future.validate().is_ok());
    }

    #[test]
    fn persona_rules() {
        let ok = CreatorPersonaRequest::builder().niche("ab").platform(Platform::Tiktok).target_audience("ab").build();
        assert!(ok.validate().is_ok());
        assert_eq!(field(CreatorPersonaRequest { niche: "a".repeat(201), ..ok.clone() }.validate()), "niche");
        assert_eq!(field(CreatorPersonaRequest { niche: "a".into(), ..ok.clone() }.validate()), "niche");
        assert_eq!(
            field(CreatorPersonaRequest { target_audience: "a".repeat(501), ..ok.clone() }.validate()),
            "targetAudience"
        );
        assert_eq!(field(CreatorPersonaRequest { target_audience: "a".into(), ..ok }.validate()), "targetAudience");
    }

    #[test]
    fn free_script_rules() {
        let ok = FreeScriptRequest::builder().product_description("abc").industry("ab").build();
        assert!(ok.validate().is_ok());
        assert_eq!(
            field(FreeScriptRequest { product_description: "a".repeat(2001), ..ok.clone() }.validate()),
            "productDescription"
        );
        assert_eq!(field(FreeScriptRequest { industry: "a".into(), ..ok }.validate()), "industry");
    }

    #[test]
    fn wire_form_is_the_inner_object() {
        let req = CreatorPersonaRequest::builder()
            .niche("fitness")
            .platform(Platform::Youtube)
            .target_audience("new runners")
            .build();
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            serde_json::json!({"niche": "fitness", "platform": "youtube", "targetAudience": "new runners"})
        );
    }

    #[test]
    fn responses_decode_leniently() {
        let r: CreatorPersonaResponse =
            serde_json::from_str(r#"{"persona":{"name":"Mia","bio":"b","style":"s"}}"#).unwrap();
        assert_eq!(r.persona.age, None);
        assert!(r.persona.talking_points.is_empty());
        let r: TrendAnalyzerResponse = serde_json::from_str(r#"{"industry":"pets"}"#).unwrap();
        assert!(r.trends.is_empty() && r.hashtags.is_empty());
        let r: FreeScriptResponse = serde_json::from_str(r#"{"script":{"hooks":["h"]}}"#).unwrap();
        assert_eq!(r.script.hooks, ["h"]);
        assert!(serde_json::from_str::<GenerateHooksResponse>("{}").unwrap().hooks.is_empty());
    }
}
