//! Video renders: start, status, fetch, cancel, list.

use bon::Builder;
use serde::{Deserialize, Serialize};

use super::validate;
use crate::error::ValidationError;
use crate::transport::ApiRequest;
use crate::types::{AspectRatio, Engine, ImageMimeType, ProjectMode, Quality, VideoStatus};

/// Longest base64 scene image accepted (about 10 MB decoded).
pub const MAX_SCENE_IMAGE_BASE64: usize = 14_000_000;

/// `proxyStartVideoGeneration`: starts a render and charges its credits.
///
/// The prompt goes either in [`scene`](Self::scene) (the seed's form) or flat in
/// [`visual_prompt`](Self::visual_prompt); one of the two is required.
///
/// ```
/// use ugc_video::ApiRequest;
/// use ugc_video::models::videos::{Scene, StartVideoRequest};
/// use ugc_video::types::*;
///
/// let req = StartVideoRequest::builder()
///     .engine(Engine::Sora)
///     .quality(Quality::Standard)
///     .duration(8)
///     .aspect_ratio(AspectRatio::Portrait)
///     .scene(Scene::new("A creator unboxing a water bottle").script_text("This is unreal."))
///     .build();
/// assert!(req.validate().is_ok());
///
/// let too_long = StartVideoRequest::builder()
///     .engine(Engine::Veo).quality(Quality::Hq).duration(21)
///     .aspect_ratio(AspectRatio::Landscape).visual_prompt("x").build();
/// assert_eq!(too_long.validate().unwrap_err().field, "duration");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct StartVideoRequest {
    /// Engine to render with.
    pub engine: Engine,
    /// Quality tier.
    pub quality: Quality,
    /// Requested seconds, 4–20; the service snaps it to what the engine renders.
    pub duration: u32,
    /// Output aspect ratio.
    pub aspect_ratio: AspectRatio,
    /// The scene to render (prompt and script line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene: Option<Scene>,
    /// Flat alternative to `scene.visualPrompt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visual_prompt: Option<String>,
    /// A specific model of the engine (e.g. `sora-2-pro`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_name: Option<String>,
    /// A first frame for image-to-video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene_image: Option<SceneImage>,
    /// A previous video to edit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_video_id: Option<String>,
    /// No on-screen person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_faceless: Option<bool>,
    /// Project mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_mode: Option<ProjectMode>,
    /// What is being advertised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_description: Option<String>,
    /// Who appears.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub influencer_description: Option<String>,
    /// Identity of a digital twin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twin_context: Option<TwinContext>,
    /// Operation this render re-runs after a failed quality check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qc_retry_of_operation: Option<String>,
}

impl ApiRequest for StartVideoRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        validate::range("duration", self.duration, 4, 20)?;
        match (&self.scene, &self.visual_prompt) {
            (None, None) => {
                return Err(ValidationError::new(
                    "scene.visualPrompt",
                    "a prompt is required (scene.visualPrompt or visualPrompt)",
                ));
            }
            (Some(s), _) => s.validate()?,
            _ => {}
        }
        validate::opt_len("visualPrompt", &self.visual_prompt, 1, 4000)?;
        if let Some(img) = &self.scene_image {
            validate::len("sceneImage.data", &img.data, 1, MAX_SCENE_IMAGE_BASE64)?;
            if img.data.starts_with("data:") {
                return Err(ValidationError::new("sceneImage.data", "must be raw base64, without a data: URL prefix"));
            }
        }
        if let Some(t) = &self.twin_context {
            validate::len("twinContext.masterIdentityPrompt", &t.master_identity_prompt, 1, 4000)?;
        }
        Ok(())
    }
}

/// A scene: what to show and what is said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Scene {
    /// What the camera shows (1–4000 characters).
    pub visual_prompt: String,
    /// The spoken line (up to 2000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script_text: Option<String>,
}

impl Scene {
    /// A scene with a visual prompt.
    pub fn new(visual_prompt: impl Into<String>) -> Self {
        Self { visual_prompt: visual_prompt.into(), script_text: None }
    }
    /// Adds the spoken line.
    pub fn script_text(mut self, text: impl Into<String>) -> Self {
        self.script_text = Some(text.into());
        self
    }
    fn validate(&self) -> Result<(), ValidationError> {
        validate::len("scene.visualPrompt", &self.visual_prompt, 1, 4000)?;
        validate::opt_len("scene.scriptText", &self.script_text, 0, 2000)
    }
}

/// An image given inline as raw base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SceneImage {
    /// Raw base64 (no `data:` prefix).
    pub data: String,
    /// Image type.
    pub mime_type: ImageMimeType,
}

impl SceneImage {
    /// A scene image from base64 and its type.
    pub fn new(data: impl Into<String>, mime_type: ImageMimeType) -> Self {
        Self { data: data.into(), mime_type }
    }
}

/// Identity of a digital twin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TwinContext {
    /// Prompt describing the twin.
    pub master_identity_prompt: String,
}

impl TwinContext {
    /// A twin context.
    pub fn new(master_identity_prompt: impl Into<String>) -> Self {
        Self { master_identity_prompt: master_identity_prompt.into() }
    }
}

/// A reference to a long-running render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OperationRef {
    /// Operation name: the handle for status, cancel and webhooks.
    pub name: String,
}

/// Answer of `proxyStartVideoGeneration`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StartVideoResponse {
    /// The started render.
    pub operation: OperationRef,
    /// The prompt the service assembled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assembled_prompt: Option<String>,
    /// Duration asked for.
    pub requested_duration: u32,
    /// Duration the engine renders.
    pub effective_duration: u32,
    /// Credits deducted.
    pub credit_cost: u32,
    /// Quality charged.
    pub quality: Quality,
    /// Engine rendering it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<Engine>,
    /// Notes such as `duration-snapped`.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "super::lenient::list")]
    pub warnings: Vec<String>,
}

/// `proxyCheckVideoStatus`: a render's progress. Never charges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct VideoStatusRequest {
    /// Operation name from the start call.
    pub operation_name: String,
    /// Engine it renders on.
    pub engine: Engine,
}

impl ApiRequest for VideoStatusRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        validate::len("operationName", &self.operation_name, 1, 500)
    }
}

/// Answer of `proxyCheckVideoStatus`. A failure is `done` with `error`, and its
/// credits are already refunded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VideoStatusResponse {
    /// Whether the render reached a final state.
    pub done: bool,
    /// Lifecycle state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<VideoStatus>,
    /// 0–100.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::lenient::progress")]
    pub progress: Option<u32>,
    /// Human-readable state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The result, once completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<GeneratedVideos>,
    /// The failure, once failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<RenderError>,
    /// The refund of a failed render.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund: Option<Refund>,
    /// Quality-check details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qc: Option<serde_json::Value>,
    /// Set when the service fell back to another model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_warning: Option<String>,
}

impl VideoStatusResponse {
    /// URI of the first generated video, once completed.
    pub fn video_uri(&self) -> Option<&str> {
        self.response.as_ref()?.generated_videos.first().map(|g| g.video.uri.as_str())
    }
}

/// The videos a completed render produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GeneratedVideos {
    /// Usually one.
    pub generated_videos: Vec<GeneratedVideo>,
}

/// One generated video.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GeneratedVideo {
    /// The video.
    pub video: VideoRef,
}

/// Where a generated video lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VideoRef {
    /// Pass to `proxyFetchVideo` for a downloadable URL.
    pub uri: String,
    /// Media type, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
}

/// Why a render failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RenderError {
    /// Machine-readable code (a numeric code arrives as its decimal string).
    #[serde(deserialize_with = "super::lenient::error_code")]
    pub code: crate::types::ErrorCode,
    /// Human-readable message.
    pub message: String,
}

impl RenderError {
    /// A render error.
    pub fn new(code: crate::types::ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

/// Credits given back for a failed or cancelled render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Refund {
    /// Credits refunded.
    pub credits: u32,
    /// The refund's transaction id.
    pub transaction_id: String,
}

/// `proxyFetchVideo`: a signed, downloadable MP4 URL (valid about 7 days).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct FetchVideoRequest {
    /// The video URI from the status response.
    pub uri: String,
    /// Engine that rendered it.
    pub engine: Engine,
    /// Duration, for extensions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    /// Whether the URI is an extension of another video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_extension: Option<bool>,
}

impl ApiRequest for FetchVideoRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        validate::len("uri", &self.uri, 1, 2048)?;
        validate::opt_range("duration", self.duration, 1, 20)
    }
}

/// Answer of `proxyFetchVideo`. Its `Debug` leaves out the signed URL's query.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FetchVideoResponse {
    /// Signed MP4 URL.
    pub video_url: String,
    /// Media type, `video/mp4`.
    pub mime_type: String,
    /// Whether a watermark was applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_watermarked: Option<bool>,
    /// A warning about the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
    /// Code of the warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning_code: Option<String>,
    /// When the URL stops working (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

impl std::fmt::Debug for FetchVideoResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FetchVideoResponse")
            .field("video_url", &crate::download::redact_url(&self.video_url))
            .field("mime_type", &self.mime_type)
            .field("is_watermarked", &self.is_watermarked)
            .field("warning", &self.warning)
            .field("warning_code", &self.warning_code)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// `proxyCancelVideoGeneration`: cancels a render that has not started rendering,
/// refunding it. A render already rendering is refused (`failed-precondition`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct CancelVideoRequest {
    /// Operation to cancel.
    pub operation_name: String,
    /// Its engine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<Engine>,
}

impl ApiRequest for CancelVideoRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        validate::len("operationName", &self.operation_name, 1, 500)
    }
}

/// Answer of `proxyCancelVideoGeneration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CancelVideoResponse {
    /// The cancelled operation.
    pub operation_name: String,
    /// Its state now (`cancelled`).
    pub status: VideoStatus,
    /// Credits given back.
    pub refunded_credits: u32,
}

/// `proxyListVideoGenerations`: renders, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct ListVideosRequest {
    /// Only renders in this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<VideoStatus>,
    /// Page size, 1–100 (default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `nextCursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl ApiRequest for ListVideosRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        validate::opt_range("limit", self.limit, 1, 100)?;
        validate::opt_len("cursor", &self.cursor, 1, 500)
    }
}

/// A page of renders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListVideosResponse {
    /// Renders on this page.
    pub items: Vec<VideoSummary>,
    /// Cursor of the next page.
    #[serde(default)]
    pub next_cursor: Option<String>,
    /// Whether more pages follow.
    pub has_more: bool,
}

/// One render in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VideoSummary {
    /// Operation name.
    pub operation_name: String,
    /// Engine.
    pub engine: Engine,
    /// Quality.
    pub quality: Quality,
    /// State.
    pub status: VideoStatus,
    /// 0–100.
    pub progress: u32,
    /// Duration asked for.
    pub requested_duration: u32,
    /// Duration rendered.
    pub effective_duration: u32,
    /// Credits charged.
    pub credit_cost: u32,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// RFC 3339 completion time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
    /// Video URI once completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_uri: Option<String>,
    /// Failure once failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<RenderError>,
}
