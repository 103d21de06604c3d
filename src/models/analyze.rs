//! Market analysis: top-selling products and a full market report for an industry.

use bon::Builder;
use serde::{Deserialize, Serialize};

use super::validate;
use crate::error::ValidationError;
use crate::transport::ApiRequest;

/// `proxyFetchTopSellingProducts`: products selling best in an industry.
/// Read-only; charges no credits.
///
/// ```
/// use ugc_video::ApiRequest;
/// use ugc_video::models::analyze::TopSellingProductsRequest;
///
/// let req = TopSellingProductsRequest::builder().industry("fitness").build();
/// assert!(req.validate().is_ok());
///
/// let short = TopSellingProductsRequest::builder().industry("x").build();
/// assert_eq!(short.validate().unwrap_err().field, "industry");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct TopSellingProductsRequest {
    /// Industry or niche to analyze (2–100 characters).
    pub industry: String,
}

impl ApiRequest for TopSellingProductsRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        validate::len("industry", &self.industry, 2, 100)
    }
}

/// Answer of `proxyFetchTopSellingProducts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TopSellingProductsResponse {
    /// The products, best sellers first.
    #[serde(default)]
    pub top_selling_products: Vec<TopSellingProduct>,
}

/// One product selling well in the industry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TopSellingProduct {
    /// Product name.
    pub name: String,
    /// Product category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Typical price range, free text (e.g. `$20–$40`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_range: Option<String>,
    /// Why the product sells.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why_it_sells: Option<String>,
    /// Estimated units sold per month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_monthly_sales: Option<u64>,
}

/// `proxyFetchFullMarketAnalysis`: trends, audience personas, keywords, hooks and
/// strategy for an industry. Read-only; charges no credits.
///
/// ```
/// use ugc_video::ApiRequest;
/// use ugc_video::models::analyze::MarketAnalysisRequest;
///
/// let req = MarketAnalysisRequest::builder().industry("skincare").build();
/// assert!(req.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct MarketAnalysisRequest {
    /// Industry or niche to analyze (2–100 characters).
    pub industry: String,
}

impl ApiRequest for MarketAnalysisRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        validate::len("industry", &self.industry, 2, 100)
    }
}

/// Answer of `proxyFetchFullMarketAnalysis`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MarketAnalysisResponse {
    /// Current trends in the industry.
    #[serde(default)]
    pub trends: Vec<Trend>,
    /// Audience personas worth targeting.
    #[serde(default)]
    pub personas: Vec<MarketPersona>,
    /// Keywords that perform well.
    #[serde(default)]
    pub top_keywords: Vec<String>,
    /// Opening hooks that go viral in the industry.
    #[serde(default)]
    pub viral_hooks: Vec<String>,
    /// Recommended content strategies.
    #[serde(default)]
    pub strategy_recommendations: Vec<String>,
}

/// A trend (also returned by `freeTrendAnalyzer`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Trend {
    /// Short name of the trend.
    pub title: String,
    /// What it is and why it matters.
    pub description: String,
}

/// An audience persona of a market analysis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MarketPersona {
    /// Persona name (e.g. `Busy Parent`).
    pub name: String,
    /// Who they are and what they want.
    pub description: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn industry_length_is_checked() {
        assert!(TopSellingProductsRequest::builder().industry("pets").build().validate().is_ok());
        assert!(TopSellingProductsRequest::builder().industry("ab").build().validate().is_ok());
        assert_eq!(
            TopSellingProductsRequest::builder().industry("a").build().validate().unwrap_err().field,
            "industry"
        );
        assert!(MarketAnalysisRequest::builder().industry("x".repeat(100)).build().validate().is_ok());
        assert_eq!(
            MarketAnalysisRequest::builder().industry("x".repeat(101)).build().validate().unwrap_err().field,
            "industry"
        );
        // Characters, not bytes.
        assert!(MarketAnalysisRequest::builder().industry("é".repeat(100)).build().validate().is_ok());
    }

    #[test]
    fn responses_decode_leniently() {
        let r: TopSellingProductsResponse = serde_json::from_str(
            r#"{"topSellingProducts":[{"name":"Bottle","estimatedMonthlySales":1200,"extra":1}]}"#,
        )
        .unwrap();
        assert_eq!(r.top_selling_products[0].estimated_monthly_sales, Some(1200));
        assert_eq!(r.top_selling_products[0].category, None);
        let r: MarketAnalysisResponse =
            serde_json::from_str(r#"{"trends":[{"title":"t","description":"d"}]}"#).unwrap();
        assert_eq!(r.trends.len(), 1);
        assert!(r.personas.is_empty() && r.top_keywords.is_empty());
        assert!(serde_json::from_str::<MarketAnalysisResponse>("{}").is_ok());
    }
}
