//! Scene images: a still frame for a scene, to use as a render's first frame.

use bon::Builder;
use serde::{Deserialize, Serialize};

use super::{opt_https_url, validate};
use crate::error::ValidationError;
use crate::transport::ApiRequest;
use crate::types::{ImageAspectRatio, ProjectMode, Quality};

/// `proxyGenerateSceneImage`: generates a scene image and answers its HTTPS URL (a
/// bare JSON string). Charges 1 credit at standard quality, 2 at HQ.
///
/// `productDescription` is required on the wire but may be empty; the builder
/// defaults it to `""` and it is always sent.
///
/// ```
/// use ugc_video::ApiRequest;
/// use ugc_video::models::images::GenerateSceneImageRequest;
/// use ugc_video::types::{ImageAspectRatio, Quality};
///
/// let req = GenerateSceneImageRequest::builder()
///     .visual_prompt("A creator holding a matte-black water bottle by a sunny window")
///     .quality(Quality::Hq)
///     .aspect_ratio(ImageAspectRatio::Vertical4x5)
///     .product_image_url("https://cdn.example.com/bottle.png")
///     .build();
/// assert!(req.validate().is_ok());
/// assert_eq!(serde_json::to_value(&req).unwrap()["productDescription"], "");
///
/// let insecure = GenerateSceneImageRequest::builder()
///     .visual_prompt("A bottle")
///     .reference_image_url("http://example.com/ref.png")
///     .build();
/// assert_eq!(insecure.validate().unwrap_err().field, "referenceImageUrl");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct GenerateSceneImageRequest {
    /// What the image shows (1–4000 characters).
    pub visual_prompt: String,
    /// What is being advertised (up to 5000 characters; `""` when there is none).
    #[builder(default)]
    #[serde(default)]
    pub product_description: String,
    /// Quality tier (the service defaults to standard).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<Quality>,
    /// Aspect ratio (the service defaults to `9:16`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<ImageAspectRatio>,
    /// HTTPS URL of a photo of the person who appears (to keep their likeness).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub influencer_image_url: Option<String>,
    /// HTTPS URL of a photo of the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_image_url: Option<String>,
    /// HTTPS URL of an image whose composition or style to follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_image_url: Option<String>,
    /// Project mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_mode: Option<ProjectMode>,
    /// Identity prompt of a digital twin (up to 4000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_identity_prompt: Option<String>,
    /// No on-screen person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_faceless: Option<bool>,
    /// A specific image engine (free-form; the service picks one when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_engine: Option<String>,
}

impl ApiRequest for GenerateSceneImageRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        validate::len("visualPrompt", &self.visual_prompt, 1, 4000)?;
        validate::len("productDescription", &self.product_description, 0, 5000)?;
        opt_https_url("influencerImageUrl", &self.influencer_image_url)?;
        opt_https_url("productImageUrl", &self.product_image_url)?;
        opt_https_url("referenceImageUrl", &self.reference_image_url)?;
        validate::opt_len("masterIdentityPrompt", &self.master_identity_prompt, 0, 4000)?;
        validate::opt_len("imageEngine", &self.image_engine, 1, 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> GenerateSceneImageRequest {
        GenerateSceneImageRequest::builder().visual_prompt("a bottle").build()
    }

    fn field(r: Result<(), ValidationError>) -> String {
        r.unwrap_err().field
    }

    #[test]
    fn product_description_defaults_to_empty_and_is_always_sent() {
        let req = base();
        assert_eq!(req.product_description, "");
        assert!(req.validate().is_ok());
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            serde_json::json!({"visualPrompt": "a bottle", "productDescription": ""})
        );
        let back: GenerateSceneImageRequest = serde_json::from_str(r#"{"visualPrompt":"v"}"#).unwrap();
        assert_eq!(back.product_description, "");
        let set = GenerateSceneImageRequest::builder().visual_prompt("v").product_description("a bottle").build();
        assert_eq!(set.product_description, "a bottle");
    }

    #[test]
    fn prompt_lengths() {
        assert_eq!(
            field(GenerateSceneImageRequest { visual_prompt: String::new(), ..base() }.validate()),
            "visualPrompt"
        );
        assert_eq!(
            field(GenerateSceneImageRequest { visual_prompt: "x".repeat(4001), ..base() }.validate()),
            "visualPrompt"
        );
        assert!(GenerateSceneImageRequest { visual_prompt: "x".repeat(4000), ..base() }.validate().is_ok());
        assert_eq!(
            field(GenerateSceneImageRequest { product_description: "x".repeat(5001), ..base() }.validate()),
            "productDescription"
        );
        assert!(GenerateSceneImageRequest { product_description: "x".repeat(5000), ..base() }.validate().is_ok());
        assert_eq!(
            field(GenerateSceneImageRequest { master_identity_prompt: Some("x".repeat(4001)), ..base() }.validate()),
            "masterIdentityPrompt"
        );
        assert!(
            GenerateSceneImageRequest { master_identity_prompt: Some("x".repeat(4000)), ..base() }.validate().is_ok()
        );
        assert_eq!(
            field(GenerateSceneImageRequest { image_engine: Some(String::new()), ..base() }.validate()),
            "imageEngine"
        );
    }

    #[test]
    fn image_urls_must_be_https() {
        let https = Some("https://cdn.example.com/a.png".to_owned());
        let http = Some("http://cdn.example.com/a.png".to_owned());
        assert!(
            GenerateSceneImageRequest {
                influencer_image_url: https.clone(),
                product_image_url: https.clone(),
                reference_image_url: https,
                ..base()
            }
            .validate()
            .is_ok()
        );
        assert_eq!(
            field(GenerateSceneImageRequest { influencer_image_url: http.clone(), ..base() }.validate()),
            "influencerImageUrl"
        );
        assert_eq!(
            field(GenerateSceneImageRequest { product_image_url: http.clone(), ..base() }.validate()),
            "productImageUrl"
        );
        assert_eq!(
            field(GenerateSceneImageRequest { reference_image_url: Some("not a url".into()), ..base() }.validate()),
            "referenceImageUrl"
        );
    }

    #[test]
    fn unknown_enum_values_go_out() {
        let req = GenerateSceneImageRequest {
            aspect_ratio: Some(ImageAspectRatio::from_wire("3:2")),
            quality: Some(Quality::from_wire("ultra")),
            ..base()
        };
        assert!(req.validate().is_ok());
        let json = serde_json::to_value(&req).unwrap();
        assert_eq!((json["aspectRatio"].as_str(), json["quality"].as_str()), (Some("3:2"), Some("ultra")));
    }
}
