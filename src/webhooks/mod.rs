//! Verifying and signing webhook deliveries.
//!
//! The service signs deliveries with the [Standard Webhooks] scheme, so any
//! verifier for that scheme works; this module is one that knows the
//! service's event types.
//!
//! * Each delivery carries three headers: `webhook-id` (the event id),
//!   `webhook-timestamp` (unix seconds) and `webhook-signature` (a
//!   space-separated list of `v1,<base64>` entries).
//! * The signature is HMAC-SHA256, keyed with the endpoint's secret
//!   (`whsec_<base64>`, shown once when the endpoint is created or its
//!   secret rotated), over `{id}.{timestamp}.{raw body}`.
//! * A delivery more than five minutes away from the receiver's clock is
//!   refused, which limits replays.
//! * Delivery is at least once; deduplicate on the event id with a
//!   [`DedupeStore`].
//!
//! The types:
//!
//! * [`WebhookSecret`] parses and holds a secret (zeroized on drop, redacted
//!   in `Debug`).
//! * [`Verifier`] checks deliveries against one or more secrets and returns a
//!   [`VerifiedMessage`] or a typed [`WebhookEvent`].
//! * [`Signer`] produces signatures: the service side, and test harnesses.
//! * [`InMemoryDedupe`] remembers handled event ids.
//! * With the `axum` feature, [`axum::VerifiedWebhook`] does all of this as
//!   an extractor.
//!
//! ```
//! use ugc_video::webhooks::{EventData, Signer, Verifier, WebhookSecret};
//!
//! // In production: Verifier::from_whsec(&secret_from_config)?
//! let secret = WebhookSecret::generate();
//! let verifier = Verifier::new(&secret);
//!
//! // What the service would send.
//! let body = br#"{"id":"evt_1","type":"webhook.test","createdAt":"2025-01-01T00:00:00Z",
//!                 "data":{"endpointId":"we_1","message":"ping"}}"#;
//! let now = std::time::SystemTime::now()
//!     .duration_since(std::time::UNIX_EPOCH)?
//!     .as_secs();
//! let headers = Signer::new(&secret).headers("evt_1", now, body)?;
//!
//! // In the receiver: verify first, with the body exactly as received.
//! let event = verifier.verify_event(&headers, body)?;
//! assert!(matches!(event.data, EventData::Test(_)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [Standard Webhooks]: https://www.standardwebhooks.com/

#[cfg(feature = "axum")]
pub mod axum;
mod dedupe;
mod error;
mod event;
mod secret;
mod sign;
mod tag;
mod verify;

pub use dedupe::{DedupeError, DedupeFuture, DedupeStore, InMemoryDedupe};
pub use error::{SecretError, WebhookError};
pub use event::{EventData, TestEventData, VideoCompletedData, VideoFailedData, VideoFailure, WebhookEvent};
pub use secret::WebhookSecret;
pub use sign::Signer;
pub use verify::{
    DEFAULT_TOLERANCE, HEADER_WEBHOOK_ID, HEADER_WEBHOOK_SIGNATURE, HEADER_WEBHOOK_TIMESTAMP, MAX_ID_LEN, MAX_SECRETS,
    MAX_SIGNATURE_ENTRIES, MAX_TIMESTAMP_DIGITS, VerifiedMessage, Verifier,
};
