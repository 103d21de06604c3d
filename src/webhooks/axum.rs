//! An [`axum`] extractor that verifies webhook deliveries.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt as _;

use super::error::WebhookError;
use super::event::WebhookEvent;
use super::verify::Verifier;

/// Largest body [`VerifiedWebhook`] reads, in bytes. Event payloads are well
/// under a kilobyte; the cap bounds what an unauthenticated sender can make
/// the receiver buffer before the signature is checked.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// A verified, decoded webhook event, extracted from an axum request.
///
/// The router's state must provide an `Arc<Verifier>` through [`FromRef`]
/// (the state may simply be `Arc<Verifier>`). The extractor reads the raw body
/// (at most [`MAX_BODY_BYTES`]), verifies it with
/// [`Verifier::verify_event`], and otherwise rejects the request with a
/// [`WebhookRejection`]. It consumes the body, so it must be the handler's
/// last argument.
///
/// ```no_run
/// use std::sync::Arc;
/// use axum::{Router, routing::post};
/// use ugc_video::webhooks::{EventData, Verifier, axum::VerifiedWebhook};
///
/// async fn on_webhook(VerifiedWebhook(event): VerifiedWebhook) {
///     if let EventData::VideoCompleted(done) = &event.data {
///         println!("{} is ready at {}", done.operation_name, done.video_uri);
///     }
/// }
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let verifier = Arc::new(Verifier::from_whsec(&std::env::var("WEBHOOK_SECRET")?)?);
/// let app: Router = Router::new()
///     .route("/webhooks/ugc", post(on_webhook))
///     .with_state(verifier);
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
/// axum::serve(listener, app).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct VerifiedWebhook(pub WebhookEvent);

/// Why [`VerifiedWebhook`] refused a request.
///
/// As a response it is a status with a fixed short text that never echoes
/// the request: `400` for malformed requests or payloads, `401` for failed
/// signature or timestamp checks, `413` for oversized bodies, `500` if the
/// verifier itself is unusable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// Verification or decoding failed.
    #[error(transparent)]
    Verification(#[from] WebhookError),
    /// The body exceeds [`MAX_BODY_BYTES`].
    #[error("webhook body exceeds {MAX_BODY_BYTES} bytes")]
    PayloadTooLarge,
    /// The body could not be read from the connection.
    #[error("webhook body could not be read")]
    BodyUnreadable,
}

impl WebhookRejection {
    /// The HTTP status this rejection answers with.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Verification(e) => match e {
                WebhookError::MissingHeader(_)
                | WebhookError::MalformedHeader(_)
                | WebhookError::MalformedTimestamp
                | WebhookError::InvalidPayload(_)
                | WebhookError::IdMismatch => StatusCode::BAD_REQUEST,
                WebhookError::TimestampTooOld | WebhookError::TimestampTooNew | WebhookError::NoMatchingSignature => {
                    StatusCode::UNAUTHORIZED
                }
                WebhookError::InvalidSecret(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BodyUnreadable => StatusCode::BAD_REQUEST,
        }
    }
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        let status = self.status();
        tracing::debug!(error = %self, %status, "rejected webhook delivery");
        let text = match status {
            StatusCode::UNAUTHORIZED => "webhook verification failed",
            StatusCode::PAYLOAD_TOO_LARGE => "webhook payload too large",
            StatusCode::INTERNAL_SERVER_ERROR => "webhook receiver misconfigured",
            _ => "invalid webhook request",
        };
        (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
    }
}

impl<S> FromRequest<S> for VerifiedWebhook
where
    S: Send + Sync,
    Arc<Verifier>: FromRef<S>,
{
    type Rejection = WebhookRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = Arc::<Verifier>::from_ref(state);
        let (parts, body) = req.into_parts();
        let declared =
            parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|len| len > MAX_BODY_BYTES as u64) {
            return Err(WebhookRejection::PayloadTooLarge);
        }
        let body = read_limited(body, declared).await?;
        let event = verifier.verify_event(&parts.headers, &body)?;
        Ok(Self(event))
    }
}

/// Buffers the body, giving up as soon as it passes [`MAX_BODY_BYTES`] (a
/// chunked body has no length to check up front).
async fn read_limited(body: Body, declared: Option<u64>) -> Result<Vec<u8>, WebhookRejection> {
    let capacity = declared.map_or(0, |len| usize::try_from(len).unwrap_or(0).min(MAX_BODY_BYTES));
    let mut out = Vec::with_capacity(capacity);
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| WebhookRejection::BodyUnreadable)?;
        if chunk.len() > MAX_BODY_BYTES.saturating_sub(out.len()) {
            return Err(WebhookRejection::PayloadTooLarge);
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}
