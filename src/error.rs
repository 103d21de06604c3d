//! The one error type of the crate.

use std::time::Duration;

use crate::types::{ErrorCode, ErrorType};

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a call.
///
/// ```
/// use ugc_video::Error;
///
/// fn should_alert(err: &Error) -> bool {
///     // Retryable errors were already retried by the client; a plan limit will not clear.
///     !err.is_retryable() && err.status().is_some_and(|s| s >= 500)
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The request broke a rule of the spec; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The client is misconfigured (bad base URL, no API key for a bearer call, …);
    /// nothing was sent.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The connection failed or broke before a response arrived.
    #[error("transport error calling {operation}")]
    Transport {
        /// Wire name of the operation.
        operation: &'static str,
        /// The `Idempotency-Key` sent, for mutating calls: retry with it.
        idempotency_key: Option<String>,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// No response arrived within the configured timeout.
    #[error("timed out calling {operation}")]
    Timeout {
        /// Wire name of the operation.
        operation: &'static str,
        /// The `Idempotency-Key` sent, for mutating calls: retry with it.
        idempotency_key: Option<String>,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The service reports the render failed; its credits were refunded.
    #[error("render {} on {} failed: {} {}", .0.operation_name, .0.engine, .0.error.code, .0.error.message)]
    RenderFailed(Box<RenderFailure>),
    /// The deadline passed before the render finished. Nothing is lost: resume with
    /// [`Client::wait_for`](crate::Client::wait_for) using the operation name and engine.
    #[error("deadline passed while {} on {} was at {}%", .0.operation_name, .0.engine, .0.last_progress.unwrap_or(0))]
    DeadlineExceeded(Box<PendingRender>),
    /// Waiting for a started render hit a final error (for example the key was
    /// revoked); the render itself may still finish.
    #[error("waiting for {} on {} failed", .pending.operation_name, .pending.engine)]
    Waiting {
        /// The render being waited for.
        pending: Box<PendingRender>,
        /// What went wrong.
        #[source]
        source: Box<Error>,
    },
    /// A download failed; no complete-looking file was left behind.
    #[error(transparent)]
    Download(#[from] crate::download::DownloadError),
    /// A 2xx response whose body does not match the spec.
    #[error("could not decode the {status} response of {operation}")]
    Decode {
        /// Wire name of the operation.
        operation: &'static str,
        /// The `Idempotency-Key` sent, for mutating calls: retry with it.
        idempotency_key: Option<String>,
        /// HTTP status.
        status: u16,
        /// The start of the body, for diagnosis.
        body: String,
        /// The underlying error.
        #[source]
        source: serde_json::Error,
    },
}

/// A failed render, as the service reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RenderFailure {
    /// Operation name.
    pub operation_name: String,
    /// Engine.
    pub engine: crate::types::Engine,
    /// The service's error.
    pub error: crate::models::videos::RenderError,
    /// Credits refunded automatically, when reported.
    pub refunded_credits: Option<u32>,
    /// The refund's transaction id, when reported (status polls report it; webhook
    /// events carry only the amount).
    pub refund_transaction_id: Option<String>,
}

/// A render that was started and is not known to be finished.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PendingRender {
    /// Operation name: keep it to resume.
    pub operation_name: String,
    /// Engine.
    pub engine: crate::types::Engine,
    /// Last progress seen, 0–100.
    pub last_progress: Option<u32>,
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

impl Error {
    /// Whether retrying the same call (with the same idempotency key) may succeed:
    /// connection failures, timeouts, 408, 409 for a request still in flight, 429,
    /// 500, 502, 503 and 504. Plan limits, missing credits, payload conflicts and
    /// every other 4xx are final.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::Timeout { .. } => true,
            Error::Api(e) => e.is_retryable(),
            _ => false,
        }
    }

    /// How long the service asked the caller to wait, from `Retry-After` or the
    /// body's `retryAfter`.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(e) => e.retry_after,
            _ => None,
        }
    }

    /// The service's request id, for support tickets.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The service's error code, when it sent one.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Error::Api(e) => e.code.as_ref(),
            _ => None,
        }
    }

    /// The HTTP status, for API and decode errors.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The `Idempotency-Key` a failed mutating call was sent with. The service may
    /// have done the work even though no answer arrived (a timeout, a dropped
    /// connection): calling again with this key (`.idempotency_key(..)`) replays
    /// the outcome instead of charging twice.
    pub fn idempotency_key(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.idempotency_key.as_deref(),
            Error::Transport { idempotency_key, .. }
            | Error::Timeout { idempotency_key, .. }
            | Error::Decode { idempotency_key, .. } => idempotency_key.as_deref(),
            Error::Waiting { source, .. } => source.idempotency_key(),
            _ => None,
        }
    }

    /// Records the key of the call that failed.
    pub(crate) fn with_idempotency_key(mut self, key: Option<String>) -> Self {
        match &mut self {
            Error::Api(e) => e.idempotency_key = key,
            Error::Transport { idempotency_key, .. }
            | Error::Timeout { idempotency_key, .. }
            | Error::Decode { idempotency_key, .. } => *idempotency_key = key,
            _ => {}
        }
        self
    }

    /// The started render this error leaves behind, if any: the operation to resume
    /// with [`Client::wait_for`](crate::Client::wait_for).
    pub fn pending_render(&self) -> Option<&PendingRender> {
        match self {
            Error::DeadlineExceeded(p) => Some(p),
            Error::Waiting { pending, .. } => Some(pending),
            _ => None,
        }
    }

    /// The API error, if this is one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }
}

/// An error answered by the service.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{operation} answered {status}{}: {message}{}", code.as_ref().map(|c| format!(" {c}")).unwrap_or_default(), request_id.as_ref().map(|r| format!(" (request {r})")).unwrap_or_default())]
#[non_exhaustive]
pub struct ApiError {
    /// Wire name of the operation.
    pub operation: &'static str,
    /// HTTP status.
    pub status: u16,
    /// Machine-readable code; `None` when the body was not the service's JSON
    /// (for example an HTML 502 from a proxy).
    pub code: Option<ErrorCode>,
    /// Error category (`type`).
    pub error_type: Option<ErrorType>,
    /// Human-readable message (or the start of a non-JSON body).
    pub message: String,
    /// The service's request id.
    pub request_id: Option<String>,
    /// How long to wait before retrying.
    pub retry_after: Option<Duration>,
    /// The input field at fault, for `invalid-argument`.
    pub field: Option<String>,
    /// Extra structured details.
    pub details: Option<serde_json::Value>,
    /// The raw body, truncated, when it was not the service's JSON envelope.
    pub raw_body: Option<String>,
    /// The `Idempotency-Key` sent, for mutating calls: retry with it.
    pub idempotency_key: Option<String>,
}

impl ApiError {
    /// See [`Error::is_retryable`].
    pub fn is_retryable(&self) -> bool {
        match self.status {
            408 | 429 | 500 | 502 | 503 | 504 => true,
            409 => self.code == Some(ErrorCode::IdempotencyInFlight),
            _ => false,
        }
    }
}

/// A request that breaks a rule of the spec, caught before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid `{field}`: {rule}")]
#[non_exhaustive]
pub struct ValidationError {
    /// Wire path of the field, e.g. `scene.visualPrompt`.
    pub field: String,
    /// The rule it breaks.
    pub rule: String,
}

impl ValidationError {
    /// A new validation error.
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Self { field: field.into(), rule: rule.into() }
    }
}
