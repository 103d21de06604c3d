//! Post-production: burn text overlays into a video, stitch clips together.

use bon::Builder;
use serde::{Deserialize, Serialize};

use super::{https_url, validate};
use crate::error::ValidationError;
use crate::transport::ApiRequest;
use crate::types::{Engine, TextPosition};

/// Most overlays in one `proxyApplyTextOverlay` call.
pub const MAX_OVERLAYS: usize = 20;
/// Most clips in one `proxyStitchVideos` call.
pub const MAX_STITCH_VIDEOS: usize = 10;

/// `proxyApplyTextOverlay`: burns timed captions into a video. Charges 1 credit.
///
/// ```
/// use ugc_video::ApiRequest;
/// use ugc_video::models::post_production::{TextOverlay, TextOverlayRequest};
/// use ugc_video::types::TextPosition;
///
/// let req = TextOverlayRequest::builder()
///     .video_uri("https://storage.example.com/renders/op_123.mp4")
///     .overlays([
///         TextOverlay::new("Wait for it…", 0.0, 2.5, TextPosition::Top),
///         TextOverlay::new("Link in bio", 6.0, 8.0, TextPosition::Bottom),
///     ])
///     .build();
/// assert!(req.validate().is_ok());
///
/// let backwards = TextOverlayRequest::builder()
///     .video_uri("https://storage.example.com/renders/op_123.mp4")
///     .overlays([TextOverlay::new("Hi", 0.0, 1.0, TextPosition::Top), TextOverlay::new("Oops", 3.0, 2.0, TextPosition::Center)])
///     .build();
/// assert_eq!(backwards.validate().unwrap_err().field, "overlays[1].endTime");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct TextOverlayRequest {
    /// HTTPS URL of the video to caption (e.g. `videoUrl` from `proxyFetchVideo`).
    pub video_uri: String,
    /// The captions (1–20).
    #[builder(with = |overlays: impl IntoIterator<Item = TextOverlay>| overlays.into_iter().collect())]
    pub overlays: Vec<TextOverlay>,
}

impl ApiRequest for TextOverlayRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        https_url("videoUri", &self.video_uri)?;
        validate::count("overlays", &self.overlays, 1, MAX_OVERLAYS)?;
        self.overlays.iter().enumerate().try_for_each(|(i, o)| o.validate(i))
    }
}

/// A caption shown from `startTime` to `endTime` (seconds into the video).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TextOverlay {
    /// The text (1–200 characters).
    pub text: String,
    /// When it appears, in seconds (≥ 0).
    pub start_time: f64,
    /// When it disappears, in seconds (after `start_time`).
    pub end_time: f64,
    /// Where it is placed.
    pub position: TextPosition,
}

impl TextOverlay {
    /// A caption from `start_time` to `end_time` seconds.
    pub fn new(text: impl Into<String>, start_time: f64, end_time: f64, position: TextPosition) -> Self {
        Self { text: text.into(), start_time, end_time, position }
    }

    fn validate(&self, i: usize) -> Result<(), ValidationError> {
        validate::len(&format!("overlays[{i}].text"), &self.text, 1, 200)?;
        if !(self.start_time.is_finite() && self.start_time >= 0.0) {
            return Err(ValidationError::new(
                format!("overlays[{i}].startTime"),
                format!("must be a number ≥ 0 (got {})", self.start_time),
            ));
        }
        if !(self.end_time.is_finite() && self.end_time > self.start_time) {
            return Err(ValidationError::new(
                format!("overlays[{i}].endTime"),
                format!("must be after startTime {} (got {})", self.start_time, self.end_time),
            ));
        }
        Ok(())
    }
}

/// Answer of `proxyApplyTextOverlay`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TextOverlayResponse {
    /// URL of the captioned video.
    pub overlay_video_url: String,
}

/// `proxyStitchVideos`: joins clips, in order, into one video. Charges no credits.
///
/// ```
/// use ugc_video::ApiRequest;
/// use ugc_video::models::post_production::StitchVideosRequest;
///
/// let req = StitchVideosRequest::builder()
///     .video_urls(["https://cdn.example.com/a.mp4", "https://cdn.example.com/b.mp4"])
///     .use_crossfade(true)
///     .crossfade_duration(0.5)
///     .build();
/// assert!(req.validate().is_ok());
///
/// let slow = StitchVideosRequest::builder()
///     .video_urls(["https://cdn.example.com/a.mp4"])
///     .crossfade_duration(3.0)
///     .build();
/// assert_eq!(slow.validate().unwrap_err().field, "crossfadeDuration");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct StitchVideosRequest {
    /// HTTPS URLs of the clips, in order (1–10).
    #[builder(with = |urls: impl IntoIterator<Item = impl Into<String>>| urls.into_iter().map(Into::into).collect())]
    pub video_urls: Vec<String>,
    /// The engine of each clip, in the same order as `video_urls` (up to 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[builder(with = |engines: impl IntoIterator<Item = Engine>| engines.into_iter().collect())]
    pub engines: Option<Vec<Engine>>,
    /// Crossfade between clips instead of hard cuts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_crossfade: Option<bool>,
    /// Crossfade length in seconds (0.3–2.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crossfade_duration: Option<f64>,
    /// Burn in captions of the spoken lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captions: Option<bool>,
}

impl ApiRequest for StitchVideosRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        validate::count("videoUrls", &self.video_urls, 1, MAX_STITCH_VIDEOS)?;
        for (i, url) in self.video_urls.iter().enumerate() {
            https_url(&format!("videoUrls[{i}]"), url)?;
        }
        if let Some(engines) = &self.engines {
            validate::count("engines", engines, 0, MAX_STITCH_VIDEOS)?;
        }
        // NaN and infinities fail the range check too.
        validate::opt_range("crossfadeDuration", self.crossfade_duration, 0.3, 2.0)?;
        Ok(())
    }
}

/// Answer of `proxyStitchVideos`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct StitchVideosResponse {
    /// URL of the stitched video.
    pub video_url: String,
    /// Its media type (`video/mp4`).
    pub mime_type: String,
    /// A note about the result (e.g. a clip that was re-encoded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<(), ValidationError>) -> String {
        r.unwrap_err().field
    }

    fn overlay_req(overlays: Vec<TextOverlay>) -> TextOverlayRequest {
        TextOverlayRequest::builder().video_uri("https://cdn.example.com/op_1.mp4").overlays(overlays).build()
    }

    fn top(text: &str, start: f64, end: f64) -> TextOverlay {
        TextOverlay::new(text, start, end, TextPosition::Top)
    }

    #[test]
    fn overlay_rules() {
        assert!(overlay_req(vec![top("hi", 0.0, 0.5)]).validate().is_ok());
        assert_eq!(field(overlay_req(vec![]).validate()), "overlays");
        assert!(overlay_req(vec![top("hi", 0.0, 1.0); 20]).validate().is_ok());
        assert_eq!(field(overlay_req(vec![top("hi", 0.0, 1.0); 21]).validate()), "overlays");
        assert_eq!(field(overlay_req(vec![top("ok", 0.0, 1.0), top("", 0.0, 1.0)]).validate()), "overlays[1].text");
        assert_eq!(field(overlay_req(vec![top(&"x".repeat(201), 0.0, 1.0)]).validate()), "overlays[0].text");
        assert!(overlay_req(vec![top(&"x".repeat(200), 0.0, 1.0)]).validate().is_ok());
        assert_eq!(field(overlay_req(vec![top("a", -0.1, 1.0)]).validate()), "overlays[0].startTime");
        assert_eq!(field(overlay_req(vec![top("a", f64::NAN, 1.0)]).validate()), "overlays[0].startTime");
        let req = overlay_req(vec![top("a", 0.0, 1.0), top("b", 1.0, 2.0), top("c", 2.0, 2.0)]);
        assert_eq!(field(req.validate()), "overlays[2].endTime");
        assert_eq!(field(overlay_req(vec![top("a", 1.0, f64::INFINITY)]).validate()), "overlays[0].endTime");
        for bad in ["", "gs://bucket/op_1.mp4", "http://cdn.example.com/a.mp4"] {
            let req = TextOverlayRequest { video_uri: bad.into(), ..overlay_req(vec![top("a", 0.0, 1.0)]) };
            assert_eq!(field(req.validate()), "videoUri", "{bad}");
        }
    }

    #[test]
    fn overlay_wire_form() {
        let req = overlay_req(vec![TextOverlay::new("Hi", 0.0, 1.5, TextPosition::Center)]);
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            serde_json::json!({"videoUri": "https://cdn.example.com/op_1.mp4", "overlays": [{"text": "Hi", "startTime": 0.0, "endTime": 1.5, "position": "center"}]})
        );
    }

    fn stitch(urls: &[&str]) -> StitchVideosRequest {
        StitchVideosRequest::builder().video_urls(urls.iter().copied()).build()
    }

    #[test]
    fn stitch_url_rules() {
        assert!(stitch(&["https://a.example/1.mp4"]).validate().is_ok());
        assert_eq!(field(stitch(&[]).validate()), "videoUrls");
        assert!(stitch(&["https://a.example/1.mp4"; 10]).validate().is_ok());
        assert_eq!(field(stitch(&["https://a.example/1.mp4"; 11]).validate()), "videoUrls");
        assert_eq!(field(stitch(&["https://a.example/1.mp4", "http://a.example/2.mp4"]).validate()), "videoUrls[1]");
        assert_eq!(field(stitch(&["a.example/1.mp4"]).validate()), "videoUrls[0]");
        // The sandbox serves clips over loopback HTTP.
        assert!(stitch(&["http://127.0.0.1:8080/v/1.mp4"]).validate().is_ok());
    }

    #[test]
    fn stitch_crossfade_and_engines() {
        let base = stitch(&["https://a.example/1.mp4", "https://a.example/2.mp4"]);
        for (d, ok) in [
            (0.3, true),
            (2.0, true),
            (1.0, true),
            (0.29, false),
            (2.01, false),
            (f64::NAN, false),
            (f64::INFINITY, false),
        ] {
            let req = StitchVideosRequest { crossfade_duration: Some(d), ..base.clone() };
            assert_eq!(req.validate().is_ok(), ok, "{d}");
            if !ok {
                assert_eq!(field(req.validate()), "crossfadeDuration");
            }
        }
        let req =
            StitchVideosRequest::builder().video_urls(["https://a.example/1.mp4"]).engines([Engine::Sora]).build();
        assert!(req.validate().is_ok());
        assert_eq!(serde_json::to_value(&req).unwrap()["engines"], serde_json::json!(["sora"]));
        let req = StitchVideosRequest { engines: Some(vec![Engine::Veo, Engine::from_wire("wan-3")]), ..base };
        assert!(req.validate().is_ok());
        let req = StitchVideosRequest { engines: Some(vec![Engine::Sora; 11]), ..req };
        assert_eq!(field(req.validate()), "engines");
    }

    #[test]
    fn stitch_response_decodes() {
        let r: StitchVideosResponse =
            serde_json::from_str(r#"{"videoUrl":"https://x/y.mp4","mimeType":"video/mp4"}"#).unwrap();
        assert_eq!(r.warning, None);
    }
}
