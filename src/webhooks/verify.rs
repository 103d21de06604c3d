//! Checking that a delivery was signed with a known secret and is fresh.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use reqwest::header::HeaderMap;
use serde::Deserialize;
use subtle::{Choice, ConstantTimeEq};

use super::error::{SecretError, WebhookError};
use super::event::WebhookEvent;
use super::secret::WebhookSecret;
use super::sign::{HmacSha256, keyed_mac, mac_content};

/// Header carrying the message id, which is also the event id receivers
/// deduplicate on.
pub const HEADER_WEBHOOK_ID: &str = "webhook-id";
/// Header carrying the send time in unix seconds.
pub const HEADER_WEBHOOK_TIMESTAMP: &str = "webhook-timestamp";
/// Header carrying the space-separated `v1,<base64>` signatures.
pub const HEADER_WEBHOOK_SIGNATURE: &str = "webhook-signature";

/// Default allowed distance between a delivery's timestamp and the
/// receiver's clock, in either direction: five minutes.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// How many entries of `webhook-signature` are examined; later ones are
/// ignored. A sender signs with one secret (two at most during a rotation), so
/// this is generous, and it caps the work an unauthenticated request can cause.
pub const MAX_SIGNATURE_ENTRIES: usize = 16;

/// Longest accepted `webhook-id`, in bytes.
pub const MAX_ID_LEN: usize = 256;

/// Longest accepted `webhook-timestamp`, in digits. Every 19-digit number fits
/// in a `u64`, so parsing cannot overflow.
pub const MAX_TIMESTAMP_DIGITS: usize = 19;

/// Length of a base64-encoded HMAC-SHA256 tag.
const ENCODED_TAG_LEN: usize = 44;
/// Most secrets one verifier holds; receivers rotate between two or three.
pub const MAX_SECRETS: usize = 8;

pub(crate) type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// The current time in unix seconds; a clock set before 1970 reads as 0
/// rather than failing, which makes every delivery look "too new" instead of
/// crashing the receiver.
pub(crate) fn system_unix_seconds() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Verifies Standard Webhooks deliveries against one or more secrets.
///
/// Build it once at start-up and share it (it is `Send + Sync` and cheap to
/// clone): each secret's HMAC key schedule is computed at construction, so a
/// verification costs about one HMAC over the body per secret.
///
/// A delivery is accepted when
/// 1. `webhook-id` is 1 to [`MAX_ID_LEN`] bytes of visible ASCII without `.`
///    (the signed content is `{id}.{timestamp}.{body}`; forbidding `.` in the
///    id makes that split unambiguous);
/// 2. `webhook-timestamp` is 1 to [`MAX_TIMESTAMP_DIGITS`] ASCII digits and
///    within the [tolerance](Self::tolerance) of the clock, both ways;
/// 3. one of the first [`MAX_SIGNATURE_ENTRIES`] entries of
///    `webhook-signature` is a `v1` signature made with one of the secrets.
///    Entries with another version, bad base64 or the wrong length are
///    skipped, so a sender may add newer schemes alongside `v1`.
///
/// Tags are compared in constant time.
///
/// ```
/// use std::time::Duration;
/// use ugc_video::webhooks::{Signer, Verifier, WebhookSecret};
///
/// let old = WebhookSecret::generate();
/// let new = WebhookSecret::generate();
/// // Accept both while the endpoint's secret is being rotated.
/// let verifier = Verifier::with_secrets([&old, &new])?
///     .tolerance(Duration::from_secs(120))
///     .clock(|| 1_700_000_000);
///
/// let body = br#"{"id":"evt_1"}"#;
/// let signature = Signer::new(&new).sign("evt_1", 1_700_000_000, body);
/// let message = verifier.verify_parts("evt_1", "1700000000", &signature, body)?;
/// assert_eq!(message.id(), "evt_1");
/// # Ok::<(), ugc_video::webhooks::WebhookError>(())
/// ```
#[derive(Clone)]
pub struct Verifier {
    keys: Vec<HmacSha256>,
    tolerance_secs: u64,
    clock: Clock,
}

impl Verifier {
    /// A verifier for a single secret, with the default tolerance and the
    /// system clock.
    #[must_use]
    pub fn new(secret: &WebhookSecret) -> Self {
        Self {
            keys: vec![keyed_mac(secret)],
            tolerance_secs: DEFAULT_TOLERANCE.as_secs(),
            clock: Arc::new(system_unix_seconds),
        }
    }

    /// Parses a `whsec_…` string and builds a verifier for it.
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidSecret`] if the secret does not parse.
    pub fn from_whsec(secret: &str) -> Result<Self, WebhookError> {
        Ok(Self::new(&WebhookSecret::parse(secret)?))
    }

    /// A verifier accepting a signature made with any of `secrets`.
    ///
    /// The service rotates an endpoint's secret with no overlap, so a receiver
    /// that wants a zero-downtime rotation lists both the old and the new
    /// secret here until the rotation has taken effect, then rebuilds the
    /// verifier with the new one only.
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidSecret`] if `secrets` is empty or holds more than
    /// [`MAX_SECRETS`].
    pub fn with_secrets<'a, I>(secrets: I) -> Result<Self, WebhookError>
    where
        I: IntoIterator<Item = &'a WebhookSecret>,
    {
        let keys: Vec<_> = secrets.into_iter().map(keyed_mac).collect();
        if keys.is_empty() {
            return Err(SecretError::NoSecrets.into());
        }
        if keys.len() > MAX_SECRETS {
            return Err(SecretError::TooManySecrets.into());
        }
        Ok(Self { keys, tolerance_secs: DEFAULT_TOLERANCE.as_secs(), clock: Arc::new(system_unix_seconds) })
    }

    /// Sets how far a delivery's timestamp may be from the clock, in either
    /// direction (default [`DEFAULT_TOLERANCE`]). Timestamps have one-second
    /// resolution, so sub-second parts are ignored. A difference of exactly
    /// the tolerance is accepted.
    #[must_use]
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance_secs = tolerance.as_secs();
        self
    }

    /// Replaces the system clock with `now`, which returns the current time in
    /// unix seconds. For tests and for hosts with their own time source.
    #[must_use]
    pub fn clock(mut self, now: impl Fn() -> u64 + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(now);
        self
    }

    /// Verifies a delivery given its headers and raw body.
    ///
    /// Pass the body exactly as received: any re-serialization changes the
    /// bytes and breaks the signature. Only the first value of each header is
    /// used.
    ///
    /// # Errors
    ///
    /// [`WebhookError::MissingHeader`] or [`WebhookError::MalformedHeader`]
    /// for absent or unusable headers, [`WebhookError::MalformedTimestamp`],
    /// [`WebhookError::TimestampTooOld`], [`WebhookError::TimestampTooNew`],
    /// or [`WebhookError::NoMatchingSignature`].
    pub fn verify<'a>(&self, headers: &'a HeaderMap, body: &'a [u8]) -> Result<VerifiedMessage<'a>, WebhookError> {
        // One pass over the map finds all three (the first value of each); three
        // hashed lookups of custom names cost more than the few comparisons a
        // request's headers take. Raw bytes: every byte is checked by the parsers
        // below, so a separate `to_str` pass per header would only add cost.
        let (mut id, mut timestamp, mut signatures) = (None, None, None);
        for (name, value) in headers {
            let slot = match name.as_str() {
                HEADER_WEBHOOK_ID => &mut id,
                HEADER_WEBHOOK_TIMESTAMP => &mut timestamp,
                HEADER_WEBHOOK_SIGNATURE => &mut signatures,
                _ => continue,
            };
            slot.get_or_insert(value.as_bytes());
        }
        let id = id.ok_or(WebhookError::MissingHeader(HEADER_WEBHOOK_ID))?;
        let timestamp = timestamp.ok_or(WebhookError::MissingHeader(HEADER_WEBHOOK_TIMESTAMP))?;
        let signatures = signatures.ok_or(WebhookError::MissingHeader(HEADER_WEBHOOK_SIGNATURE))?;
        self.verify_bytes(id, timestamp, signatures, body)
    }

    /// Verifies a delivery from the three header values and the raw body, for
    /// frameworks whose header types are not [`HeaderMap`].
    ///
    /// # Errors
    ///
    /// As [`verify`](Self::verify), except that absent headers are the
    /// caller's to report.
    pub fn verify_parts<'a>(
        &self,
        id: &'a str,
        timestamp: &str,
        signature_header: &str,
        body: &'a [u8],
    ) -> Result<VerifiedMessage<'a>, WebhookError> {
        self.verify_bytes(id.as_bytes(), timestamp.as_bytes(), signature_header.as_bytes(), body)
    }

    fn verify_bytes<'a>(
        &self,
        id: &'a [u8],
        timestamp: &[u8],
        signature_header: &[u8],
        body: &'a [u8],
    ) -> Result<VerifiedMessage<'a>, WebhookError> {
        validate_id(id)?;
        let sent_at = parse_timestamp(timestamp)?;
        self.check_freshness(sent_at)?;
        if !signature_header.is_ascii() {
            return Err(WebhookError::MalformedHeader(HEADER_WEBHOOK_SIGNATURE));
        }

        // One HMAC per secret, encoded once, then compared as text with each `v1`
        // entry: encoding the one tag is cheaper than decoding every entry, and
        // keeps verification within a few percent of the bare HMAC.
        let mut expected = [0u8; ENCODED_TAG_LEN];
        let mut matched = Choice::from(0);
        for key in &self.keys {
            let tag = mac_content(key, id, timestamp, body);
            let written = STANDARD.encode_slice(tag.as_bytes().as_slice(), &mut expected);
            debug_assert_eq!(written, Ok(ENCODED_TAG_LEN));
            matched |= any_entry_matches(signature_header, &expected);
        }
        if bool::from(matched) {
            return Ok(VerifiedMessage { id, timestamp: sent_at, body });
        }
        Err(WebhookError::NoMatchingSignature)
    }

    /// Verifies a delivery and decodes its body as a [`WebhookEvent`].
    ///
    /// The body is parsed only once the signature has passed, so
    /// unauthenticated input never reaches the JSON parser.
    ///
    /// # Errors
    ///
    /// As [`verify`](Self::verify), then [`WebhookError::InvalidPayload`] if
    /// the body is not an event and [`WebhookError::IdMismatch`] if its `id`
    /// differs from `webhook-id`.
    pub fn verify_event(&self, headers: &HeaderMap, body: &[u8]) -> Result<WebhookEvent, WebhookError> {
        self.verify(headers, body)?.event()
    }

    fn check_freshness(&self, sent_at: u64) -> Result<(), WebhookError> {
        let now = (self.clock)();
        if sent_at < now && now - sent_at > self.tolerance_secs {
            return Err(WebhookError::TimestampTooOld);
        }
        if sent_at > now && sent_at - now > self.tolerance_secs {
            return Err(WebhookError::TimestampTooNew);
        }
        Ok(())
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("secrets", &self.keys.len())
            .field("tolerance_secs", &self.tolerance_secs)
            .finish_non_exhaustive()
    }
}

/// A delivery whose signature and timestamp have been checked.
///
/// Only a [`Verifier`] creates one, so holding it is proof of verification.
/// It borrows the id and body from the request.
#[derive(Debug, Clone, Copy)]
pub struct VerifiedMessage<'a> {
    /// Checked to be visible ASCII, so always valid UTF-8.
    id: &'a [u8],
    timestamp: u64,
    body: &'a [u8],
}

impl<'a> VerifiedMessage<'a> {
    /// The `webhook-id`: the event id to deduplicate on.
    #[must_use]
    pub fn id(&self) -> &'a str {
        // Verified ids are visible ASCII; the fallback is unreachable.
        std::str::from_utf8(self.id).unwrap_or_default()
    }

    /// The `webhook-timestamp`, in unix seconds.
    #[must_use]
    pub fn timestamp(&self) -> u64 {
        self.timestamp
    }

    /// The raw body that was verified.
    #[must_use]
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// Decodes the body as JSON into any type, for payloads other than
    /// [`WebhookEvent`] or for receivers that keep their own model.
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidPayload`] if the body does not decode as `T`.
    pub fn json<T: Deserialize<'a>>(&self) -> Result<T, WebhookError> {
        serde_json::from_slice(self.body).map_err(WebhookError::InvalidPayload)
    }

    /// Decodes the body as a [`WebhookEvent`] and checks that its `id`
    /// matches `webhook-id`.
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidPayload`] or [`WebhookError::IdMismatch`].
    pub fn event(&self) -> Result<WebhookEvent, WebhookError> {
        let event: WebhookEvent = self.json()?;
        // Both values are public identifiers, so an ordinary comparison is fine.
        if event.id.as_bytes() != self.id {
            return Err(WebhookError::IdMismatch);
        }
        Ok(event)
    }
}

/// Accepts 1 to [`MAX_ID_LEN`] bytes of visible ASCII other than `.`.
pub(crate) fn validate_id(id: &[u8]) -> Result<(), WebhookError> {
    // A fold without early exit vectorizes; ids are short and public anyway.
    let bad = id.iter().fold(false, |bad, b| bad | !b.is_ascii_graphic() | (*b == b'.'));
    if id.is_empty() || id.len() > MAX_ID_LEN || bad {
        return Err(WebhookError::MalformedHeader(HEADER_WEBHOOK_ID));
    }
    Ok(())
}

/// Parses unix seconds from plain ASCII digits. `str::parse` would also
/// accept a leading `+`, which the scheme does not allow.
fn parse_timestamp(raw: &[u8]) -> Result<u64, WebhookError> {
    if raw.is_empty() || raw.len() > MAX_TIMESTAMP_DIGITS {
        return Err(WebhookError::MalformedTimestamp);
    }
    if !raw.iter().all(u8::is_ascii_digit) {
        return Err(WebhookError::MalformedTimestamp);
    }
    // At most 19 digits: below u64::MAX, so plain arithmetic cannot overflow.
    const _: () = assert!(MAX_TIMESTAMP_DIGITS <= 19);
    Ok(raw.iter().fold(0u64, |acc, &b| acc * 10 + u64::from(b - b'0')))
}

/// Whether any of the first [`MAX_SIGNATURE_ENTRIES`] `v1` entries of the
/// header equals `expected`. Entries are space-separated, as the scheme writes
/// them; splitting on one byte is several times faster than a general
/// whitespace scan. Unknown versions and malformed entries are skipped.
fn any_entry_matches(header: &[u8], expected: &[u8; ENCODED_TAG_LEN]) -> Choice {
    // The usual header is one `v1` entry: compare it without scanning for spaces
    // (a 47-byte header holding two entries cannot hold a whole tag either).
    if let Some(Ok(tag)) = header.strip_prefix(b"v1,").map(<&[u8; ENCODED_TAG_LEN]>::try_from) {
        return ct_eq_tag(expected, tag);
    }
    let mut matched = Choice::from(0);
    for entry in header.split(|b| *b == b' ').filter(|e| !e.is_empty()).take(MAX_SIGNATURE_ENTRIES) {
        // Version and length are public; only the tag's bytes need constant time.
        let Some(tag) = entry.strip_prefix(b"v1,") else { continue };
        let Ok(tag) = <&[u8; ENCODED_TAG_LEN]>::try_from(tag) else { continue };
        matched |= ct_eq_tag(expected, tag);
    }
    matched
}

/// Constant-time equality of two encoded tags: no early exit on the first
/// differing byte.
fn ct_eq_tag(a: &[u8; ENCODED_TAG_LEN], b: &[u8; ENCODED_TAG_LEN]) -> Choice {
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    diff.ct_eq(&0)
}
