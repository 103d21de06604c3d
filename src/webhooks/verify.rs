//! Checking that a delivery was signed with a known secret and is fresh.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;
use serde::Deserialize;
use subtle::{Choice, ConstantTimeEq};

use super::error::{SecretError, WebhookError};
use super::event::WebhookEvent;
use super::secret::WebhookSecret;
use super::sign::{HmacSha256, keyed_mac, mac_content};
use super::tag::{ENCODED_TAG_LEN, encode_tag};

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

/// Most secrets one verifier holds; receivers rotate between two or three.
pub const MAX_SECRETS: usize = 8;

/// Where the verifier and the dedupe store read the time, in unix seconds.
///
/// The system clock is a variant rather than a boxed closure so the default
/// path is a direct, inlinable call.
#[derive(Clone)]
pub(crate) enum Clock {
    System,
    Custom(Arc<dyn Fn() -> u64 + Send + Sync>),
}

impl Clock {
    pub(crate) fn custom(now: impl Fn() -> u64 + Send + Sync + 'static) -> Self {
        Self::Custom(Arc::new(now))
    }

    #[inline]
    pub(crate) fn now(&self) -> u64 {
        match self {
            Self::System => system_unix_seconds(),
            Self::Custom(now) => now(),
        }
    }
}

/// The current time in unix seconds; a clock set before 1970 reads as 0
/// rather than failing, which makes every delivery look "too new" instead of
/// crashing the receiver.
///
/// On Linux this is `CLOCK_REALTIME_COARSE`: the wall time at the last kernel
/// tick (a few milliseconds old at most), read in a few nanoseconds instead of
/// the ~40 ns of a precise read. Timestamps and TTLs here have one-second
/// resolution, so the precision would be wasted, and at 1 KiB the precise read
/// alone was 5 % of a verification.
pub(crate) fn system_unix_seconds() -> u64 {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let now = rustix::time::clock_gettime(rustix::time::ClockId::RealtimeCoarse);
        u64::try_from(now.tv_sec).unwrap_or(0)
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        use std::time::{SystemTime, UNIX_EPOCH};
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
    }
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
        Self { keys: vec![keyed_mac(secret)], tolerance_secs: DEFAULT_TOLERANCE.as_secs(), clock: Clock::System }
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
        Ok(Self { keys, tolerance_secs: DEFAULT_TOLERANCE.as_secs(), clock: Clock::System })
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
        self.clock = Clock::custom(now);
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
            // Most names are rejected on the shared prefix without a full comparison.
            let Some(suffix) = name.as_str().strip_prefix("webhook-") else { continue };
            let slot = match suffix {
                "id" => &mut id,
                "timestamp" => &mut timestamp,
                "signature" => &mut signatures,
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
        // The first MAC is computed before the checks, which do not depend on it:
        // the CPU runs them while the last hash blocks are still in flight, which
        // measured cheaper than checking first. A delivery that fails a check
        // still gets the same error, just after one HMAC of a body it sent.
        let Some((first, others)) = self.keys.split_first() else {
            return Err(WebhookError::NoMatchingSignature);
        };
        let tag = mac_content(first, id, timestamp, body);
        validate_id(id)?;
        let sent_at = parse_timestamp(timestamp)?;
        self.check_freshness(sent_at)?;

        // Each MAC is encoded once, then compared as text with each `v1` entry:
        // encoding the one tag is cheaper than decoding every entry (a table
        // decode of the entry ahead of the HMAC measured no faster).
        let mut matched = any_entry_matches(signature_header, &encode_tag(tag.as_ref()));
        for key in others {
            matched |= any_entry_matches(signature_header, &encode_tag(mac_content(key, id, timestamp, body).as_ref()));
        }
        let matched = bool::from(matched);
        if matched {
            return Ok(VerifiedMessage { id, timestamp: sent_at, body });
        }
        // Only failures pay for this scan: a header that is not ASCII cannot
        // match, and gets the more precise error.
        if !signature_header.is_ascii() {
            return Err(WebhookError::MalformedHeader(HEADER_WEBHOOK_SIGNATURE));
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
        let now = self.clock.now();
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
    if id.is_empty() || id.len() > MAX_ID_LEN || has_invalid_id_byte(id) {
        return Err(WebhookError::MalformedHeader(HEADER_WEBHOOK_ID));
    }
    Ok(())
}

/// Whether any byte is outside visible ASCII or is `.`.
///
/// Checked in 16-byte windows that compile to a few vector instructions, the
/// last window overlapping the one before it, so no byte-at-a-time tail is
/// left; ids are public, so there is no early exit to avoid or to want.
fn has_invalid_id_byte(id: &[u8]) -> bool {
    fn window(bytes: &[u8; 16]) -> u8 {
        bytes.iter().fold(0, |bad, &b| bad | u8::from(!b.is_ascii_graphic()) | u8::from(b == b'.'))
    }
    let bad = match id.len() {
        0..16 => {
            // Short ids are padded with a valid byte to one window.
            let mut padded = [b'_'; 16];
            padded[..id.len()].copy_from_slice(id);
            window(&padded)
        }
        len => {
            let (windows, _) = id.as_chunks::<16>();
            let last = id[len - 16..].first_chunk::<16>().map_or(0, window);
            windows.iter().fold(last, |bad, w| bad | window(w))
        }
    };
    bad != 0
}

/// Parses unix seconds from plain ASCII digits. `str::parse` would also
/// accept a leading `+`, which the scheme does not allow.
fn parse_timestamp(raw: &[u8]) -> Result<u64, WebhookError> {
    if raw.is_empty() || raw.len() > MAX_TIMESTAMP_DIGITS {
        return Err(WebhookError::MalformedTimestamp);
    }
    // One pass checks and accumulates. Every 19-digit number is below
    // u64::MAX, so the value is exact whenever all bytes are digits; wrapping
    // arithmetic only keeps a rejected input from panicking in debug builds.
    const _: () = assert!(MAX_TIMESTAMP_DIGITS <= 19);
    let (value, bad) = raw.iter().fold((0u64, false), |(acc, bad), &b| {
        let digit = b.wrapping_sub(b'0');
        (acc.wrapping_mul(10).wrapping_add(u64::from(digit)), bad | (digit > 9))
    });
    if bad {
        return Err(WebhookError::MalformedTimestamp);
    }
    Ok(value)
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The plain definition the windowed check must agree with.
    fn reference(id: &[u8]) -> bool {
        id.iter().any(|&b| !b.is_ascii_graphic() || b == b'.')
    }

    #[test]
    fn system_clock_reads_unix_seconds() {
        let precise = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        // The coarse clock lags by at most a kernel tick.
        assert!(system_unix_seconds().abs_diff(precise) <= 1);
    }

    proptest! {
        #[test]
        fn id_check_agrees_with_the_plain_definition(id in proptest::collection::vec(any::<u8>(), 0..=MAX_ID_LEN)) {
            prop_assert_eq!(has_invalid_id_byte(&id), reference(&id));
        }

        /// Random bytes rarely form a valid id, so also plant one bad byte at
        /// every position of otherwise valid ids of every window layout.
        #[test]
        fn one_bad_byte_anywhere_is_found(len in 1..=MAX_ID_LEN, at in any::<prop::sample::Index>(), bad in prop::sample::select(vec![b'.', b' ', 0, 0x7f, 0x80, 0xff])) {
            let mut id = vec![b'a'; len];
            prop_assert!(!has_invalid_id_byte(&id));
            id[at.index(len)] = bad;
            prop_assert!(has_invalid_id_byte(&id));
        }
    }
}
