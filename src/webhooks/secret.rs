//! The `whsec_` signing secret shared between the service and a receiver.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use super::error::{SecretError, WebhookError};

/// A webhook signing secret: the raw HMAC key behind a `whsec_<base64>` string.
///
/// * Parsing is strict: the `whsec_` prefix is required, the rest must be
///   canonical padded standard base64 (no whitespace is trimmed), and the
///   decoded key must be [`MIN_KEY_LEN`](Self::MIN_KEY_LEN) to
///   [`MAX_KEY_LEN`](Self::MAX_KEY_LEN) bytes, the range the Standard Webhooks
///   specification prescribes. A shorter key would make brute-forcing the
///   secret from one captured delivery more plausible than it needs to be.
/// * The key bytes are zeroized when the value is dropped.
/// * `Debug` prints `WebhookSecret(whsec_…redacted)` and there is no
///   `Display`, so a secret cannot end up in logs by accident. The only way to
///   get the string back is the explicitly named
///   [`expose_whsec`](Self::expose_whsec).
///
/// ```
/// use ugc_video::webhooks::WebhookSecret;
///
/// let secret: WebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".parse()?;
/// assert_eq!(format!("{secret:?}"), "WebhookSecret(whsec_…redacted)");
/// # Ok::<(), ugc_video::webhooks::WebhookError>(())
/// ```
#[derive(Clone)]
pub struct WebhookSecret {
    key: Zeroizing<Vec<u8>>,
}

impl WebhookSecret {
    /// The prefix every secret string carries.
    pub const PREFIX: &'static str = "whsec_";
    /// The smallest accepted key, in bytes (192 bits).
    pub const MIN_KEY_LEN: usize = 24;
    /// The largest accepted key, in bytes (512 bits, one SHA-256 block: longer
    /// HMAC keys are hashed down first and gain nothing).
    pub const MAX_KEY_LEN: usize = 64;
    /// The key length [`generate`](Self::generate) and
    /// [`generate_with`](Self::generate_with) produce, in bytes.
    pub const GENERATED_KEY_LEN: usize = 32;

    /// Parses a `whsec_<base64>` string. Same as [`str::parse`].
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidSecret`] with the reason; the reason never
    /// includes any part of the input.
    pub fn parse(secret: &str) -> Result<Self, WebhookError> {
        if secret.is_empty() {
            return Err(SecretError::Empty.into());
        }
        let encoded = secret.strip_prefix(Self::PREFIX).ok_or(SecretError::MissingPrefix)?;
        if encoded.is_empty() {
            return Err(SecretError::Empty.into());
        }
        // Bounding the input first keeps the scratch buffer small and fixed,
        // whatever a misconfigured environment variable contains.
        if encoded.len() > base64::encoded_len(Self::MAX_KEY_LEN, true).unwrap_or(usize::MAX) {
            return Err(SecretError::TooLong.into());
        }
        // Decoding into our own zeroizing buffer (rather than `decode`, which
        // returns a plain Vec) keeps partially decoded key bytes from being
        // left behind on the heap when decoding fails.
        let mut buf = Zeroizing::new(vec![0u8; base64::decoded_len_estimate(encoded.len())]);
        let len = STANDARD.decode_slice(encoded, &mut buf[..]).map_err(|_| SecretError::InvalidBase64)?;
        buf.truncate(len);
        Self::from_key(buf)
    }

    /// Wraps raw key bytes.
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidSecret`] if `key` is shorter than
    /// [`MIN_KEY_LEN`](Self::MIN_KEY_LEN) or longer than
    /// [`MAX_KEY_LEN`](Self::MAX_KEY_LEN).
    pub fn from_bytes(key: &[u8]) -> Result<Self, WebhookError> {
        Self::from_key(Zeroizing::new(key.to_vec()))
    }

    /// Creates a fresh [`GENERATED_KEY_LEN`](Self::GENERATED_KEY_LEN)-byte
    /// secret from the operating system's random number generator.
    ///
    /// The bytes come from two version-4 UUIDs, which the `uuid` crate draws
    /// from the OS CSPRNG; the fixed version and variant bits leave 244
    /// random bits, above the 192-bit floor this type enforces.
    #[must_use]
    pub fn generate() -> Self {
        Self::generate_with(|buf| {
            for chunk in buf.chunks_mut(16) {
                let uuid = uuid::Uuid::new_v4();
                chunk.copy_from_slice(&uuid.as_bytes()[..chunk.len()]);
            }
        })
    }

    /// Creates a [`GENERATED_KEY_LEN`](Self::GENERATED_KEY_LEN)-byte secret
    /// whose bytes `fill` writes into a zeroed buffer.
    ///
    /// For deterministic secrets in tests, or a caller-chosen random source.
    /// The security of the secret is exactly that of `fill`.
    ///
    /// ```
    /// use ugc_video::webhooks::WebhookSecret;
    ///
    /// let secret = WebhookSecret::generate_with(|buf| buf.fill(7));
    /// assert!(secret.expose_whsec().starts_with("whsec_"));
    /// ```
    #[must_use]
    pub fn generate_with(fill: impl FnOnce(&mut [u8])) -> Self {
        let mut key = Zeroizing::new(vec![0u8; Self::GENERATED_KEY_LEN]);
        fill(&mut key[..]);
        Self { key }
    }

    /// Returns the secret as a `whsec_<base64>` string.
    ///
    /// This is the one place key material leaves this type: for the side that
    /// issues secrets (the mock server's endpoint-creation and rotation
    /// responses) and for writing a secret to configuration. The returned
    /// string is zeroized on drop, but any copy made from it is not.
    #[must_use]
    pub fn expose_whsec(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(
            Self::PREFIX.len() + base64::encoded_len(self.key.len(), true).unwrap_or(0),
        ));
        out.push_str(Self::PREFIX);
        STANDARD.encode_string(&self.key[..], &mut out);
        out
    }

    /// The raw key, for keying HMACs inside this module.
    pub(crate) fn key(&self) -> &[u8] {
        &self.key
    }

    fn from_key(key: Zeroizing<Vec<u8>>) -> Result<Self, WebhookError> {
        if key.len() < Self::MIN_KEY_LEN {
            return Err(SecretError::TooShort.into());
        }
        if key.len() > Self::MAX_KEY_LEN {
            return Err(SecretError::TooLong.into());
        }
        Ok(Self { key })
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(whsec_…redacted)")
    }
}

impl FromStr for WebhookSecret {
    type Err = WebhookError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<&str> for WebhookSecret {
    type Error = WebhookError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::parse(s)
    }
}
