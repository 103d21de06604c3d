//! Scripts: generate a viral script for a product, or parse your own into scenes.

use bon::Builder;
use serde::{Deserialize, Serialize};

use super::validate;
use super::videos::Scene;
use crate::error::ValidationError;
use crate::transport::ApiRequest;
use crate::types::{AudioMode, Engine, Platform, ProjectMode, Tone};

/// `proxyGenerateViralScript`: writes a script (hooks, scenes, calls to action) for a
/// product. Read-only; charges no credits.
///
/// ```
/// use ugc_video::ApiRequest;
/// use ugc_video::models::scripts::GenerateViralScriptRequest;
/// use ugc_video::types::{Platform, Tone};
///
/// let req = GenerateViralScriptRequest::builder()
///     .product_description("An insulated matte-black water bottle that keeps ice for 24 h")
///     .tone(Tone::Energetic)
///     .platform(Platform::Tiktok)
///     .target_duration_sec(30)
///     .build();
/// assert!(req.validate().is_ok());
///
/// let too_long = GenerateViralScriptRequest::builder()
///     .product_description("A water bottle")
///     .target_duration_sec(600)
///     .build();
/// assert_eq!(too_long.validate().unwrap_err().field, "targetDurationSec");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct GenerateViralScriptRequest {
    /// What is being advertised (3–5000 characters).
    pub product_description: String,
    /// Description of the on-camera digital twin or creator (up to 4000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twin_description: Option<String>,
    /// Id of a saved digital twin (1–200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twin_id: Option<String>,
    /// Tone of voice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tone: Option<Tone>,
    /// Platform the video is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// Project mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_mode: Option<ProjectMode>,
    /// No on-screen person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_faceless: Option<bool>,
    /// Length of the finished video in seconds (5–180).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_duration_sec: Option<u32>,
}

impl ApiRequest for GenerateViralScriptRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        validate::len("productDescription", &self.product_description, 3, 5000)?;
        validate::opt_len("twinDescription", &self.twin_description, 0, 4000)?;
        validate::opt_len("twinId", &self.twin_id, 1, 200)?;
        validate::opt_range("targetDurationSec", self.target_duration_sec, 5, 180)
    }
}

/// `proxyParseOwnScript`: splits a script you wrote into hooks, scenes (with visual
/// prompts) and calls to action. Read-only; charges no credits.
///
/// ```
/// use ugc_video::ApiRequest;
/// use ugc_video::models::scripts::ParseOwnScriptRequest;
/// use ugc_video::types::{AudioMode, Engine};
///
/// let req = ParseOwnScriptRequest::builder()
///     .raw_script("Stop scrolling. This bottle kept my ice frozen for a whole day at the beach.")
///     .audio_mode(AudioMode::Voiceover)
///     .engine(Engine::Veo)
///     .build();
/// assert!(req.validate().is_ok());
///
/// let short = ParseOwnScriptRequest::builder().raw_script("Too short").build();
/// assert_eq!(short.validate().unwrap_err().field, "rawScript");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct ParseOwnScriptRequest {
    /// The script as written (10–10,000 characters).
    pub raw_script: String,
    /// Description of the on-camera digital twin or creator (up to 4000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twin_description: Option<String>,
    /// What is being advertised (up to 5000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_description: Option<String>,
    /// No on-screen person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_faceless: Option<bool>,
    /// Project mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_mode: Option<ProjectMode>,
    /// How the audio is made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_mode: Option<AudioMode>,
    /// Engine the scenes will be rendered with (shapes scene lengths).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<Engine>,
}

impl ApiRequest for ParseOwnScriptRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        validate::len("rawScript", &self.raw_script, 10, 10_000)?;
        validate::opt_len("twinDescription", &self.twin_description, 0, 4000)?;
        validate::opt_len("productDescription", &self.product_description, 0, 5000)
    }
}

/// A script: returned by `proxyGenerateViralScript`, `proxyParseOwnScript` and
/// (inside its envelope) `freeGenerateScript`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Script {
    /// Alternative opening lines.
    #[serde(default)]
    pub hooks: Vec<String>,
    /// The scenes, in order.
    #[serde(default)]
    pub scenes: Vec<ScriptScene>,
    /// Alternative closing calls to action.
    #[serde(default)]
    pub calls_to_action: Vec<String>,
}

impl Script {
    /// Sum of the scenes' suggested durations, counting only scenes that have one.
    pub fn total_duration_sec(&self) -> u32 {
        self.scenes.iter().filter_map(|s| s.duration_sec).sum()
    }
}

/// One scene of a [`Script`]. Convert it into a render's
/// [`Scene`] with `Scene::from(&scene)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ScriptScene {
    /// What the camera shows.
    pub visual_prompt: String,
    /// The spoken line.
    pub script_text: String,
    /// Suggested length in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_sec: Option<u32>,
}

impl From<&ScriptScene> for Scene {
    fn from(s: &ScriptScene) -> Self {
        let scene = Scene::new(s.visual_prompt.clone());
        if s.script_text.is_empty() { scene } else { scene.script_text(s.script_text.clone()) }
    }
}

impl From<ScriptScene> for Scene {
    fn from(s: ScriptScene) -> Self {
        Scene::from(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viral(desc: &str) -> GenerateViralScriptRequest {
        GenerateViralScriptRequest::builder().product_description(desc).build()
    }

    fn field(r: Result<(), ValidationError>) -> String {
        r.unwrap_err().field
    }

    #[test]
    fn viral_script_rules() {
        assert!(viral("abc").validate().is_ok());
        assert_eq!(field(viral("ab").validate()), "productDescription");
        assert_eq!(field(viral(&"x".repeat(5001)).validate()), "productDescription");
        assert!(viral(&"x".repeat(5000)).validate().is_ok());
        for (secs, ok) in [(5, true), (180, true), (4, false), (181, false)] {
            let req = GenerateViralScriptRequest { target_duration_sec: Some(secs), ..viral("abc") };
            assert_eq!(req.validate().is_ok(), ok, "{secs}");
            if !ok {
                assert_eq!(field(req.validate()), "targetDurationSec");
            }
        }
        let req = GenerateViralScriptRequest { twin_description: Some("x".repeat(4001)), ..viral("abc") };
        assert_eq!(field(req.validate()), "twinDescription");
        let req = GenerateViralScriptRequest { twin_description: Some("x".repeat(4000)), ..viral("abc") };
        assert!(req.validate().is_ok());
        let req = GenerateViralScriptRequest { twin_id: Some(String::new()), ..viral("abc") };
        assert_eq!(field(req.validate()), "twinId");
        let req = GenerateViralScriptRequest { twin_id: Some("t".repeat(201)), ..viral("abc") };
        assert_eq!(field(req.validate()), "twinId");
    }

    #[test]
    fn viral_script_wire_form() {
        let req = GenerateViralScriptRequest::builder()
            .product_description("abc")
            .tone(Tone::Casual)
            .platform(Platform::Youtube)
            .is_faceless(true)
            .build();
        let json = serde_json::to_value(&req).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"productDescription": "abc", "tone": "casual", "platform": "youtube", "isFaceless": true})
        );
    }

    #[test]
    fn unknown_enum_values_are_not_rejected() {
        let req = GenerateViralScriptRequest { tone: Some(Tone::from_wire("sarcastic")), ..viral("abc") };
        assert!(req.validate().is_ok());
        let req = ParseOwnScriptRequest::builder().raw_script("0123456789").engine(Engine::from_wire("wan-3")).build();
        assert!(req.validate().is_ok());
        assert_eq!(serde_json::to_value(&req).unwrap()["engine"], "wan-3");
    }

    #[test]
    fn parse_script_rules() {
        assert!(ParseOwnScriptRequest::builder().raw_script("0123456789").build().validate().is_ok());
        assert_eq!(
            ParseOwnScriptRequest::builder().raw_script("012345678").build().validate().unwrap_err().field,
            "rawScript"
        );
        assert!(ParseOwnScriptRequest::builder().raw_script("x".repeat(10_000)).build().validate().is_ok());
        assert_eq!(
            ParseOwnScriptRequest::builder().raw_script("x".repeat(10_001)).build().validate().unwrap_err().field,
            "rawScript"
        );
        let req =
            ParseOwnScriptRequest::builder().raw_script("0123456789").product_description("x".repeat(5001)).build();
        assert_eq!(req.validate().unwrap_err().field, "productDescription");
        let req = ParseOwnScriptRequest::builder().raw_script("0123456789").twin_description("x".repeat(4001)).build();
        assert_eq!(req.validate().unwrap_err().field, "twinDescription");
    }

    #[test]
    fn script_decodes_leniently_and_converts_to_scenes() {
        let s: Script = serde_json::from_str(r#"{"scenes":[{"visualPrompt":"v","scriptText":"t","durationSec":4},{"visualPrompt":"w","scriptText":""}]}"#).unwrap();
        assert!(s.hooks.is_empty() && s.calls_to_action.is_empty());
        assert_eq!(s.total_duration_sec(), 4);
        let scene = Scene::from(&s.scenes[0]);
        assert_eq!(scene, Scene::new("v").script_text("t"));
        assert_eq!(Scene::from(s.scenes[1].clone()), Scene::new("w"));
        assert!(serde_json::from_str::<ScriptScene>(r#"{"visualPrompt":"v"}"#).is_err());
    }
}
