//! Producing `webhook-signature` values, for the sending side and for tests.

use std::fmt;

use hmac::KeyInit;
use hmac::block_api::HmacCore;
use hmac::digest::Output;
use hmac::digest::block_api::{Buffer, FixedOutputCore, UpdateCore};
use reqwest::header::{HeaderMap, HeaderValue};
use sha2::Sha256;

use super::error::WebhookError;
use super::secret::WebhookSecret;
use super::tag::{ENCODED_TAG_LEN, encode_tag};
use super::verify::{HEADER_WEBHOOK_ID, HEADER_WEBHOOK_SIGNATURE, HEADER_WEBHOOK_TIMESTAMP, validate_id};

/// HMAC-SHA256 at the block level: the keyed state without the byte buffer
/// that `Hmac` carries, which [`mac_content`] supplies itself.
pub(crate) type HmacSha256 = HmacCore<Sha256>;

/// An HMAC-SHA256 tag.
pub(crate) type Tag = Output<HmacSha256>;

/// Keys an HMAC once so that each later message only pays for hashing its own
/// bytes (cloning the keyed state copies 80 bytes).
pub(crate) fn keyed_mac(secret: &WebhookSecret) -> HmacSha256 {
    // HMAC is defined for keys of every length; the error exists only for
    // MACs with fixed-size keys.
    HmacSha256::new_from_slice(secret.key()).expect("HMAC-SHA256 accepts keys of any length")
}

/// The MAC over `{id}.{timestamp}.{body}`, without concatenating them.
///
/// This is what `Hmac::update` does for each part, minus the wrapper's
/// per-call bookkeeping: the parts go through one block buffer, and once the
/// prefix and the start of the body fill it, the rest of the body's whole
/// blocks are hashed straight from the caller's slice. No copy of the body,
/// and no requirement that it be UTF-8. At 1 KiB the wrapper's bookkeeping
/// was a measurable share of the verifier's overhead (`benches/webhook_verify.rs`).
#[inline]
pub(crate) fn mac_content(keyed: &HmacSha256, id: &[u8], timestamp: &[u8], body: &[u8]) -> Tag {
    let mut core = keyed.clone();
    let mut buffer = Buffer::<HmacSha256>::default();
    for part in [id, b".", timestamp, b".", body] {
        buffer.digest_blocks(part, |blocks| core.update_blocks(blocks));
    }
    let mut tag = Tag::default();
    core.finalize_fixed_core(&mut buffer, &mut tag);
    tag
}

/// Signs webhook deliveries with one secret, in the Standard Webhooks `v1`
/// scheme.
///
/// The service (and this crate's mock server) uses it to sign what it sends;
/// receivers use it in tests to produce deliveries their handlers accept.
///
/// ```
/// use ugc_video::webhooks::{Signer, Verifier, WebhookSecret};
///
/// let secret = WebhookSecret::generate();
/// let signer = Signer::new(&secret);
/// let body = br#"{"id":"evt_1"}"#;
/// let signature = signer.sign("evt_1", 1_700_000_000, body);
/// assert!(signature.starts_with("v1,"));
///
/// let verifier = Verifier::new(&secret).clock(|| 1_700_000_000);
/// verifier.verify_parts("evt_1", "1700000000", &signature, body)?;
/// # Ok::<(), ugc_video::webhooks::WebhookError>(())
/// ```
#[derive(Clone)]
pub struct Signer {
    mac: HmacSha256,
}

impl Signer {
    /// Creates a signer for `secret`. The key is absorbed into the HMAC state
    /// here, once.
    #[must_use]
    pub fn new(secret: &WebhookSecret) -> Self {
        Self { mac: keyed_mac(secret) }
    }

    /// Returns the `webhook-signature` header value, `v1,<base64>`, for the
    /// message `id` sent at `timestamp` (unix seconds) with `body`.
    ///
    /// The id is signed as given. [`Verifier`](super::Verifier) only accepts
    /// ids of 1 to [`MAX_ID_LEN`](super::MAX_ID_LEN) visible ASCII characters
    /// without `.`; use [`headers`](Self::headers) to have that checked.
    #[must_use]
    pub fn sign(&self, id: &str, timestamp: u64, body: &[u8]) -> String {
        let tag = mac_content(&self.mac, id.as_bytes(), timestamp.to_string().as_bytes(), body);
        let encoded = encode_tag(&tag.into());
        let mut out = String::with_capacity(3 + ENCODED_TAG_LEN);
        out.push_str("v1,");
        // The alphabet is ASCII, so every byte is a char.
        out.extend(encoded.iter().map(|&b| char::from(b)));
        out
    }

    /// Returns the three headers of a signed delivery: `webhook-id`,
    /// `webhook-timestamp` and `webhook-signature`.
    ///
    /// # Errors
    ///
    /// [`WebhookError::MalformedHeader`] if `id` is not one the verifier
    /// accepts.
    pub fn headers(&self, id: &str, timestamp: u64, body: &[u8]) -> Result<HeaderMap, WebhookError> {
        validate_id(id.as_bytes())?;
        let malformed = |_| WebhookError::MalformedHeader(HEADER_WEBHOOK_ID);
        let mut headers = HeaderMap::with_capacity(3);
        headers.insert(HEADER_WEBHOOK_ID, HeaderValue::from_str(id).map_err(malformed)?);
        headers.insert(HEADER_WEBHOOK_TIMESTAMP, HeaderValue::from(timestamp));
        headers.insert(
            HEADER_WEBHOOK_SIGNATURE,
            HeaderValue::from_str(&self.sign(id, timestamp, body)).map_err(malformed)?,
        );
        Ok(headers)
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signer(whsec_…redacted)")
    }
}
