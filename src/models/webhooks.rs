//! Webhook endpoints and their deliveries. (Verifying the signatures of incoming
//! events is [`crate::webhooks`].)

use bon::Builder;
use serde::{Deserialize, Serialize};

use super::{https_url, validate};
use crate::error::ValidationError;
use crate::transport::ApiRequest;
use crate::types::{DeliveryStatus, WebhookEventType};

/// Most endpoints an account may register.
pub const MAX_ENDPOINTS: usize = 5;

/// Longest endpoint, event or delivery id.
const MAX_ID: usize = 100;

const REDACTED: &str = "[redacted]";

/// `proxyCreateWebhookEndpoint`: registers a URL to receive events. The answer is
/// the only time the signing secret is shown. A sixth endpoint is refused
/// (`403 quota-exceeded`).
///
/// The URL must be `https://`; sandbox keys may also use `http://localhost` or
/// `http://127.0.0.1` (the service refuses those for live keys).
///
/// ```
/// use ugc_video::ApiRequest;
/// use ugc_video::models::webhooks::CreateWebhookEndpointRequest;
/// use ugc_video::types::WebhookEventType;
///
/// let req = CreateWebhookEndpointRequest::builder()
///     .url("https://hooks.example.com/ugc")
///     .events([WebhookEventType::VideoCompleted, WebhookEventType::VideoFailed])
///     .description("production renders")
///     .build();
/// assert!(req.validate().is_ok());
///
/// let plain = CreateWebhookEndpointRequest::builder().url("http://hooks.example.com/ugc").build();
/// assert_eq!(plain.validate().unwrap_err().field, "url");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct CreateWebhookEndpointRequest {
    /// Where events are POSTed.
    pub url: String,
    /// Event types to receive (at least one; all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[builder(with = |events: impl IntoIterator<Item = WebhookEventType>| events.into_iter().collect())]
    pub events: Option<Vec<WebhookEventType>>,
    /// A note for yourself (up to 500 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl ApiRequest for CreateWebhookEndpointRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        https_url("url", &self.url)?;
        if let Some(events) = &self.events {
            if events.is_empty() {
                return Err(ValidationError::new(
                    "events",
                    "must list at least one event type (omit it to receive all)",
                ));
            }
            if let Some(i) = (1..events.len()).find(|&i| events[..i].contains(&events[i])) {
                return Err(ValidationError::new(format!("events[{i}]"), format!("lists `{}` twice", events[i])));
            }
        }
        validate::opt_len("description", &self.description, 0, 500)
    }
}

/// Answer of `proxyCreateWebhookEndpoint`. Store [`secret`](Self::secret) now: it is
/// never shown again (rotate it to get a new one). `Debug` output redacts it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateWebhookEndpointResponse {
    /// Endpoint id.
    pub id: String,
    /// Where events are POSTed.
    pub url: String,
    /// Event types it receives.
    #[serde(default)]
    pub events: Vec<WebhookEventType>,
    /// Your note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Signing secret, `whsec_<base64>`.
    pub secret: String,
    /// RFC 3339 creation time.
    pub created_at: String,
}

impl CreateWebhookEndpointResponse {
    /// The endpoint without its secret, as `proxyListWebhookEndpoints` shows it.
    pub fn endpoint(&self) -> WebhookEndpoint {
        WebhookEndpoint {
            id: self.id.clone(),
            url: self.url.clone(),
            events: self.events.clone(),
            description: self.description.clone(),
            created_at: self.created_at.clone(),
        }
    }
}

impl std::fmt::Debug for CreateWebhookEndpointResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateWebhookEndpointResponse")
            .field("id", &self.id)
            .field("url", &self.url)
            .field("events", &self.events)
            .field("description", &self.description)
            .field("secret", &REDACTED)
            .field("created_at", &self.created_at)
            .finish()
    }
}

/// A registered webhook endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebhookEndpoint {
    /// Endpoint id.
    pub id: String,
    /// Where events are POSTed.
    pub url: String,
    /// Event types it receives.
    #[serde(default)]
    pub events: Vec<WebhookEventType>,
    /// Your note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// RFC 3339 creation time.
    pub created_at: String,
}

/// Answer of `proxyListWebhookEndpoints`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListWebhookEndpointsResponse {
    /// Every endpoint of the account (at most five).
    #[serde(default)]
    pub items: Vec<WebhookEndpoint>,
}

macro_rules! id_request {
    ($(#[$doc:meta])* $name:ident, $field:ident, $wire:literal, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase")]
        #[non_exhaustive]
        pub struct $name {
            #[doc = concat!("Id of the ", $what, ".")]
            pub $field: String,
        }

        impl $name {
            #[doc = concat!("A request for the ", $what, " `", stringify!($field), "`.")]
            pub fn new($field: impl Into<String>) -> Self {
                Self { $field: $field.into() }
            }
        }

        impl ApiRequest for $name {
            fn validate(&self) -> Result<(), ValidationError> {
                validate::len($wire, &self.$field, 1, MAX_ID)
            }
        }
    };
}

id_request!(
    /// `proxyDeleteWebhookEndpoint`: removes an endpoint; no more events are sent to it.
    ///
    /// ```
    /// use ugc_video::ApiRequest;
    /// use ugc_video::models::webhooks::DeleteWebhookEndpointRequest;
    ///
    /// assert!(DeleteWebhookEndpointRequest::new("we_123").validate().is_ok());
    /// assert_eq!(DeleteWebhookEndpointRequest::new("").validate().unwrap_err().field, "endpointId");
    /// ```
    DeleteWebhookEndpointRequest, endpoint_id, "endpointId", "endpoint"
);

id_request!(
    /// `proxyRotateWebhookSecret`: replaces an endpoint's signing secret. The old
    /// secret stops working at once (there is no overlap window).
    ///
    /// ```
    /// use ugc_video::ApiRequest;
    /// use ugc_video::models::webhooks::RotateWebhookSecretRequest;
    ///
    /// assert!(RotateWebhookSecretRequest::new("we_123").validate().is_ok());
    /// ```
    RotateWebhookSecretRequest, endpoint_id, "endpointId", "endpoint"
);

id_request!(
    /// `proxySendTestWebhook`: sends a `webhook.test` event to an endpoint.
    ///
    /// ```
    /// use ugc_video::ApiRequest;
    /// use ugc_video::models::webhooks::SendTestWebhookRequest;
    ///
    /// assert!(SendTestWebhookRequest::new("we_123").validate().is_ok());
    /// ```
    SendTestWebhookRequest, endpoint_id, "endpointId", "endpoint"
);

id_request!(
    /// `proxyRedeliverWebhook`: sends a delivery's event again, as a new delivery.
    ///
    /// ```
    /// use ugc_video::ApiRequest;
    /// use ugc_video::models::webhooks::RedeliverWebhookRequest;
    ///
    /// assert!(RedeliverWebhookRequest::new("dlv_123").validate().is_ok());
    /// ```
    RedeliverWebhookRequest, delivery_id, "deliveryId", "delivery"
);

/// Answer of `proxyDeleteWebhookEndpoint`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeleteWebhookEndpointResponse {
    /// The deleted endpoint.
    pub id: String,
    /// Always `true`.
    pub deleted: bool,
}

/// Answer of `proxyRotateWebhookSecret`. `Debug` output redacts the secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RotateWebhookSecretResponse {
    /// The endpoint.
    pub id: String,
    /// The new signing secret, `whsec_<base64>`; shown only here.
    pub secret: String,
}

impl std::fmt::Debug for RotateWebhookSecretResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RotateWebhookSecretResponse").field("id", &self.id).field("secret", &REDACTED).finish()
    }
}

/// Answer of `proxySendTestWebhook` and `proxyRedeliverWebhook`: the delivery queued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QueuedDelivery {
    /// The new delivery (see `proxyListWebhookDeliveries`).
    pub delivery_id: String,
    /// The event it carries (the `webhook-id` header receivers see).
    pub event_id: String,
}

/// `proxyListWebhookDeliveries`: delivery attempts, newest first, filtered by
/// endpoint, event or status. Read-only.
///
/// ```
/// use ugc_video::ApiRequest;
/// use ugc_video::models::webhooks::ListWebhookDeliveriesRequest;
/// use ugc_video::types::DeliveryStatus;
///
/// let req = ListWebhookDeliveriesRequest::builder().endpoint_id("we_123").status(DeliveryStatus::Failed).limit(100).build();
/// assert!(req.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct ListWebhookDeliveriesRequest {
    /// Only deliveries to this endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_id: Option<String>,
    /// Only deliveries of this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// Only deliveries in this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<DeliveryStatus>,
    /// Page size, 1–100 (default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `nextCursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl ApiRequest for ListWebhookDeliveriesRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        validate::opt_len("endpointId", &self.endpoint_id, 1, MAX_ID)?;
        validate::opt_len("eventId", &self.event_id, 1, MAX_ID)?;
        validate::opt_range("limit", self.limit, 1, 100)?;
        validate::opt_len("cursor", &self.cursor, 1, 500)
    }
}

/// A page of webhook deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListWebhookDeliveriesResponse {
    /// Deliveries on this page, newest first.
    #[serde(default)]
    pub items: Vec<WebhookDelivery>,
    /// Cursor of the next page.
    #[serde(default)]
    pub next_cursor: Option<String>,
    /// Whether more pages follow.
    pub has_more: bool,
}

/// One event's delivery to one endpoint, with its attempts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebhookDelivery {
    /// Delivery id.
    pub id: String,
    /// The endpoint.
    pub endpoint_id: String,
    /// The event (its `webhook-id`).
    pub event_id: String,
    /// The event's type.
    pub event_type: WebhookEventType,
    /// Where the delivery stands.
    pub status: DeliveryStatus,
    /// Attempts made so far (at most 6).
    pub attempts: u32,
    /// HTTP status of the latest attempt, when the receiver answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_status_code: Option<u16>,
    /// RFC 3339 time of the next retry, while pending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<String>,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// Every attempt, oldest first.
    #[serde(default)]
    pub attempt_log: Vec<DeliveryAttempt>,
}

/// One attempt of a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeliveryAttempt {
    /// RFC 3339 time of the attempt.
    pub attempted_at: String,
    /// HTTP status the receiver answered, if it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    /// Why the attempt failed (timeout, connection refused, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<(), ValidationError>) -> String {
        r.unwrap_err().field
    }

    fn create(url: &str) -> CreateWebhookEndpointRequest {
        CreateWebhookEndpointRequest::builder().url(url).build()
    }

    #[test]
    fn endpoint_url_rules() {
        for ok in [
            "https://hooks.example.com/x",
            "http://localhost:3000/hooks",
            "http://127.0.0.1/h",
            "https://127.0.0.1:8443/",
        ] {
            assert!(create(ok).validate().is_ok(), "{ok}");
        }
        for bad in
            ["http://hooks.example.com/x", "ftp://localhost/x", "localhost:3000", "", "http://localhost.evil.com/"]
        {
            assert_eq!(field(create(bad).validate()), "url", "{bad}");
        }
        let long = format!("https://example.com/{}", "a".repeat(2048));
        assert_eq!(field(create(&long).validate()), "url");
    }

    #[test]
    fn endpoint_events_and_description() {
        let req = CreateWebhookEndpointRequest { events: Some(vec![]), ..create("https://h.example") };
        assert_eq!(field(req.validate()), "events");
        let req = CreateWebhookEndpointRequest::builder()
            .url("https://h.example")
            .events([WebhookEventType::from_wire("video.started")])
            .build();
        assert!(req.validate().is_ok());
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            serde_json::json!({"url": "https://h.example", "events": ["video.started"]})
        );
        let dup = vec![WebhookEventType::VideoFailed, WebhookEventType::WebhookTest, WebhookEventType::VideoFailed];
        let req = CreateWebhookEndpointRequest { events: Some(dup), ..create("https://h.example") };
        assert_eq!(field(req.validate()), "events[2]");
        let req = CreateWebhookEndpointRequest { description: Some("d".repeat(500)), ..create("https://h.example") };
        assert!(req.validate().is_ok());
        let req = CreateWebhookEndpointRequest { description: Some("d".repeat(501)), ..create("https://h.example") };
        assert_eq!(field(req.validate()), "description");
        assert_eq!(
            serde_json::to_value(create("https://h.example")).unwrap(),
            serde_json::json!({"url": "https://h.example"})
        );
    }

    #[test]
    fn id_requests() {
        assert_eq!(
            serde_json::to_value(DeleteWebhookEndpointRequest::new("we_1")).unwrap(),
            serde_json::json!({"endpointId": "we_1"})
        );
        assert_eq!(
            serde_json::to_value(RedeliverWebhookRequest::new("dlv_1")).unwrap(),
            serde_json::json!({"deliveryId": "dlv_1"})
        );
        assert_eq!(field(RotateWebhookSecretRequest::new("").validate()), "endpointId");
        assert_eq!(field(SendTestWebhookRequest::new("x".repeat(101)).validate()), "endpointId");
        assert!(SendTestWebhookRequest::new("x".repeat(100)).validate().is_ok());
        assert_eq!(field(RedeliverWebhookRequest::new("").validate()), "deliveryId");
        assert!(SendTestWebhookRequest::new("we_1").validate().is_ok());
    }

    #[test]
    fn delivery_filters() {
        assert!(ListWebhookDeliveriesRequest::default().validate().is_ok());
        assert_eq!(field(ListWebhookDeliveriesRequest::builder().limit(0).build().validate()), "limit");
        assert_eq!(field(ListWebhookDeliveriesRequest::builder().limit(101).build().validate()), "limit");
        assert_eq!(field(ListWebhookDeliveriesRequest::builder().endpoint_id("").build().validate()), "endpointId");
        assert_eq!(field(ListWebhookDeliveriesRequest::builder().event_id("").build().validate()), "eventId");
        assert_eq!(field(ListWebhookDeliveriesRequest::builder().cursor("").build().validate()), "cursor");
    }

    #[test]
    fn secrets_never_reach_debug_output() {
        let created: CreateWebhookEndpointResponse = serde_json::from_str(
            r#"{"id":"we_1","url":"https://h.example","events":["video.completed"],"secret":"whsec_c2VjcmV0c2VjcmV0","createdAt":"2025-01-01T00:00:00Z"}"#,
        )
        .unwrap();
        let dbg = format!("{created:?} {created:#?}");
        assert!(!dbg.contains("whsec_") && dbg.contains("[redacted]") && dbg.contains("we_1"), "{dbg}");
        assert_eq!(created.secret, "whsec_c2VjcmV0c2VjcmV0");
        assert!(!format!("{:?}", created.endpoint()).contains("whsec_"));
        let rotated: RotateWebhookSecretResponse =
            serde_json::from_str(r#"{"id":"we_1","secret":"whsec_bmV3bmV3"}"#).unwrap();
        let dbg = format!("{rotated:?}");
        assert!(!dbg.contains("whsec_") && dbg.contains("[redacted]"), "{dbg}");
    }

    #[test]
    fn deliveries_decode_leniently() {
        let page: ListWebhookDeliveriesResponse = serde_json::from_str(
            r#"{"items":[{"id":"dlv_1","endpointId":"we_1","eventId":"evt_1","eventType":"video.failed","status":"pending",
               "attempts":1,"createdAt":"2025-01-01T00:00:00Z","attemptLog":[{"attemptedAt":"2025-01-01T00:00:01Z","error":"timeout"}]},
              {"id":"dlv_2","endpointId":"we_1","eventId":"evt_2","eventType":"video.exported","status":"paused","attempts":0,"createdAt":"2025-01-01T00:00:00Z"}],
              "hasMore":true,"nextCursor":"c2"}"#,
        )
        .unwrap();
        assert_eq!(page.items[0].attempt_log[0].status_code, None);
        assert_eq!(page.items[0].event_type, WebhookEventType::VideoFailed);
        assert!(!page.items[1].status.is_known() && page.items[1].attempt_log.is_empty());
        assert_eq!(page.next_cursor.as_deref(), Some("c2"));
    }
}
