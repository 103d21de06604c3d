//! Typed webhook event payloads.

use serde::ser::SerializeStruct as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::types::{Engine, Quality, WebhookEventType};

/// One webhook event, as sent in a delivery's body:
/// `{"id", "type", "createdAt", "data"}`.
///
/// Delivery is at least once: the same event can arrive more than once, with
/// the same [`id`](Self::id). See [`DedupeStore`](super::DedupeStore).
///
/// ```
/// use ugc_video::webhooks::{EventData, WebhookEvent};
///
/// let body = r#"{"id":"evt_1","type":"webhook.test","createdAt":"2025-01-01T00:00:00Z",
///                "data":{"endpointId":"we_1","message":"hello"}}"#;
/// let event: WebhookEvent = serde_json::from_str(body)?;
/// match &event.data {
///     EventData::Test(test) => assert_eq!(test.message, "hello"),
///     other => panic!("unexpected {other:?}"),
/// }
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// The event id (`evt_…`), equal to the `webhook-id` header.
    pub id: String,
    /// The event type, wire field `type`. A type this version of the SDK
    /// does not know is kept as [`WebhookEventType::Unknown`].
    pub event_type: WebhookEventType,
    /// When the event happened, as the RFC 3339 string the service sent.
    pub created_at: String,
    /// The type-specific payload.
    pub data: EventData,
}

/// The payload of a [`WebhookEvent`], chosen by its type.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EventData {
    /// `video.completed`: a render finished and its video can be fetched.
    VideoCompleted(VideoCompletedData),
    /// `video.failed`: a render failed; its credits have been refunded.
    VideoFailed(VideoFailedData),
    /// `webhook.test`: sent on request to check an endpoint.
    Test(TestEventData),
    /// An event type this version of the SDK does not know, with its `data`
    /// as sent. New event types must not break existing receivers.
    Unknown(serde_json::Value),
}

/// Payload of `video.completed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VideoCompletedData {
    /// The render's operation name, as returned when it was started.
    pub operation_name: String,
    /// The engine that rendered the video.
    pub engine: Engine,
    /// The quality tier rendered.
    pub quality: Quality,
    /// The video's URI, to pass to `proxyFetchVideo`.
    pub video_uri: String,
    /// The rendered duration in seconds, after snapping to the engine's
    /// allowed durations.
    pub effective_duration: u32,
    /// Credits charged for the render.
    pub credit_cost: u32,
}

/// Payload of `video.failed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VideoFailedData {
    /// The render's operation name, as returned when it was started.
    pub operation_name: String,
    /// The engine that was rendering.
    pub engine: Engine,
    /// Why the render failed.
    pub error: VideoFailure,
    /// Credits returned to the account for the failed render.
    pub refunded_credits: u32,
}

/// The error inside a `video.failed` payload (`OperationError` in the spec).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VideoFailure {
    /// Machine-readable code. The spec documents it as engine- or
    /// service-specific free text (for example `content-policy`), so it is kept
    /// as sent; `ErrorCode::from_wire` maps it onto the service's codes.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

/// Payload of `webhook.test`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TestEventData {
    /// The endpoint the test was sent to.
    pub endpoint_id: String,
    /// The message given when the test was requested.
    pub message: String,
}

impl EventData {
    /// The wire type this payload belongs to, or `None` for
    /// [`Unknown`](Self::Unknown).
    #[must_use]
    pub fn event_type(&self) -> Option<WebhookEventType> {
        match self {
            Self::VideoCompleted(_) => Some(WebhookEventType::VideoCompleted),
            Self::VideoFailed(_) => Some(WebhookEventType::VideoFailed),
            Self::Test(_) => Some(WebhookEventType::WebhookTest),
            Self::Unknown(_) => None,
        }
    }
}

/// The envelope as it appears on the wire, before `data` is interpreted.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEvent {
    id: String,
    #[serde(rename = "type")]
    event_type: WebhookEventType,
    created_at: String,
    #[serde(default)]
    data: serde_json::Value,
}

impl<'de> Deserialize<'de> for WebhookEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawEvent::deserialize(deserializer)?;
        // `type` sits beside `data` rather than inside it, so the payload is
        // decoded in a second step once the type is known.
        let data = match raw.event_type {
            WebhookEventType::VideoCompleted => EventData::VideoCompleted(from_data(raw.data)?),
            WebhookEventType::VideoFailed => EventData::VideoFailed(from_data(raw.data)?),
            WebhookEventType::WebhookTest => EventData::Test(from_data(raw.data)?),
            WebhookEventType::Unknown(_) => EventData::Unknown(raw.data),
        };
        Ok(Self { id: raw.id, event_type: raw.event_type, created_at: raw.created_at, data })
    }
}

fn from_data<T: serde::de::DeserializeOwned, E: serde::de::Error>(data: serde_json::Value) -> Result<T, E> {
    serde_json::from_value(data).map_err(|e| E::custom(format_args!("invalid `data`: {e}")))
}

impl Serialize for WebhookEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("WebhookEvent", 4)?;
        s.serialize_field("id", &self.id)?;
        s.serialize_field("type", &self.event_type)?;
        s.serialize_field("createdAt", &self.created_at)?;
        s.serialize_field("data", &self.data)?;
        s.end()
    }
}

impl Serialize for EventData {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::VideoCompleted(d) => d.serialize(serializer),
            Self::VideoFailed(d) => d.serialize(serializer),
            Self::Test(d) => d.serialize(serializer),
            Self::Unknown(v) => v.serialize(serializer),
        }
    }
}
