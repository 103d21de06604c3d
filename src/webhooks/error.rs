//! Errors from parsing secrets, verifying deliveries and decoding events.

use std::fmt;

/// Why a webhook delivery, secret or event was rejected.
///
/// No message ever contains key material or a signature, so the error can be
/// logged as is. The variants split into three groups that a receiver usually
/// answers differently:
///
/// * the request is malformed ([`MissingHeader`](Self::MissingHeader),
///   [`MalformedHeader`](Self::MalformedHeader),
///   [`MalformedTimestamp`](Self::MalformedTimestamp),
///   [`InvalidPayload`](Self::InvalidPayload), [`IdMismatch`](Self::IdMismatch)):
///   `400 Bad Request`;
/// * the request is not authentic or not fresh
///   ([`NoMatchingSignature`](Self::NoMatchingSignature),
///   [`TimestampTooOld`](Self::TimestampTooOld),
///   [`TimestampTooNew`](Self::TimestampTooNew)): `401 Unauthorized`;
/// * the receiver is misconfigured ([`InvalidSecret`](Self::InvalidSecret)).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A required header (`webhook-id`, `webhook-timestamp` or
    /// `webhook-signature`) is absent.
    #[error("missing webhook header `{0}`")]
    MissingHeader(&'static str),

    /// A header is present but unusable: not visible ASCII, empty, too long,
    /// or (for `webhook-id`) containing characters the scheme cannot sign
    /// unambiguously.
    #[error("malformed webhook header `{0}`")]
    MalformedHeader(&'static str),

    /// `webhook-timestamp` is not 1 to 19 ASCII digits.
    #[error("malformed `webhook-timestamp` header: expected unix seconds as ASCII digits")]
    MalformedTimestamp,

    /// The delivery's timestamp lies further in the past than the tolerance.
    /// Either a replay or a very late retry of a message already rejected.
    #[error("webhook timestamp is older than the allowed tolerance")]
    TimestampTooOld,

    /// The delivery's timestamp lies further in the future than the tolerance,
    /// usually a badly skewed clock on one side.
    #[error("webhook timestamp is newer than the allowed tolerance")]
    TimestampTooNew,

    /// None of the examined `v1` signatures matches any configured secret.
    #[error("no webhook signature matches")]
    NoMatchingSignature,

    /// A webhook secret could not be used.
    #[error("invalid webhook secret: {0}")]
    InvalidSecret(SecretError),

    /// The body passed verification but is not a valid event document.
    #[error("invalid webhook payload: {0}")]
    InvalidPayload(#[source] serde_json::Error),

    /// The body's `id` differs from the `webhook-id` header.
    ///
    /// Receivers deduplicate on the event id; if the signed header and the
    /// body disagreed, a handler that records one and processes the other
    /// could act on the same event twice, so the delivery is refused.
    #[error("webhook payload id does not match the `webhook-id` header")]
    IdMismatch,
}

/// Why a webhook secret was rejected. Carries no part of the secret itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecretError {
    /// The secret string is empty.
    Empty,
    /// The secret does not start with `whsec_`.
    MissingPrefix,
    /// The part after `whsec_` is not canonical, padded standard base64.
    InvalidBase64,
    /// The decoded key has fewer bytes than
    /// [`WebhookSecret::MIN_KEY_LEN`](super::WebhookSecret::MIN_KEY_LEN).
    TooShort,
    /// The decoded key has more bytes than
    /// [`WebhookSecret::MAX_KEY_LEN`](super::WebhookSecret::MAX_KEY_LEN).
    TooLong,
    /// A verifier was built from an empty list of secrets.
    NoSecrets,
    /// A verifier was built from more secrets than it compares.
    TooManySecrets,
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use super::WebhookSecret;
        match self {
            Self::Empty => f.write_str("the secret is empty"),
            Self::MissingPrefix => f.write_str("the secret must start with `whsec_`"),
            Self::InvalidBase64 => f.write_str("the part after `whsec_` is not valid padded standard base64"),
            Self::TooShort => write!(f, "the decoded key is shorter than {} bytes", WebhookSecret::MIN_KEY_LEN),
            Self::TooLong => write!(f, "the decoded key is longer than {} bytes", WebhookSecret::MAX_KEY_LEN),
            Self::NoSecrets => f.write_str("at least one secret is required"),
            Self::TooManySecrets => {
                write!(f, "at most {} secrets are accepted at once", super::verify::MAX_SECRETS)
            }
        }
    }
}

impl std::error::Error for SecretError {}

impl From<SecretError> for WebhookError {
    fn from(e: SecretError) -> Self {
        Self::InvalidSecret(e)
    }
}
