//! Typed request and response bodies, one module per API area.
//!
//! Requests are built with a builder (or `new` when they carry a single id) and
//! checked by [`ApiRequest::validate`] before anything
//! is sent; each error names the wire field (e.g. `overlays[2].endTime`).
//! Responses decode leniently: an omitted optional field or list never fails a
//! call, and enum values this version does not know land in `Unknown`.
//!
//! | module | handler | operations |
//! |---|---|---|
//! | [`free`] | [`Client::free`](crate::Client::free) | `free*` marketing tools, no key |
//! | [`analyze`] | [`Client::analyze`](crate::Client::analyze) | market analysis |
//! | [`scripts`] | [`Client::scripts`](crate::Client::scripts) | script generation and parsing |
//! | [`images`] | [`Client::images`](crate::Client::images) | scene images |
//! | [`videos`] | [`Client::videos`](crate::Client::videos) | video renders |
//! | [`post_production`] | [`Client::post_production`](crate::Client::post_production) | text overlays, stitching |
//! | [`account`] | [`Client::account`](crate::Client::account) | credits, transactions, engines |
//! | [`webhooks`] | [`Client::webhooks`](crate::Client::webhooks) | webhook endpoints and deliveries |

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::transport::ApiRequest;

mod lenient;
mod validate;

pub mod account;
pub mod analyze;
pub mod free;
pub mod images;
pub mod post_production;
pub mod scripts;
pub mod videos;
pub mod webhooks;

/// The body of an operation that takes no input; it serializes to `{}`.
///
/// Methods of such operations (e.g. [`Account::credits`](crate::api::Account::credits))
/// build it themselves, so callers never need to.
///
/// ```
/// use ugc_video::ApiRequest;
/// use ugc_video::models::EmptyRequest;
///
/// assert_eq!(serde_json::to_string(&EmptyRequest::new()).unwrap(), "{}");
/// assert!(EmptyRequest::new().validate().is_ok());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmptyRequest {}

impl EmptyRequest {
    /// The empty body.
    pub fn new() -> Self {
        Self {}
    }
}

impl ApiRequest for EmptyRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        Ok(())
    }
}

/// Longest URL the spec accepts.
const MAX_URL: usize = 2048;

/// The spec's `HttpsUrl`: an absolute `https://` URL of at most 2048 characters, or a
/// plain-HTTP loopback URL (`http://localhost`, `http://127.0.0.1`) that sandbox keys
/// and the mock accept (the mock serves its media that way) and production refuses.
fn https_url(field: &str, v: &str) -> Result<(), ValidationError> {
    validate::len(field, v, 1, MAX_URL)?;
    if is_loopback_http(v) {
        return Ok(());
    }
    validate::https_url(field, v).map_err(|_| not_https(field))
}

/// Like [`https_url`] for an optional field.
fn opt_https_url(field: &str, v: &Option<String>) -> Result<(), ValidationError> {
    if let Some(u) = v {
        validate::len(field, u, 1, MAX_URL)?;
        if is_loopback_http(u) {
            return Ok(());
        }
    }
    validate::opt_https_url(field, v).map_err(|_| not_https(field))
}

/// `http://localhost` or `http://127.0.0.1`, optionally with a port: exactly the
/// plain-HTTP form the spec's pattern admits.
fn is_loopback_http(v: &str) -> bool {
    let Some(rest) = v.strip_prefix("http://") else { return false };
    let Some(rest) = rest.strip_prefix("127.0.0.1").or_else(|| rest.strip_prefix("localhost")) else { return false };
    let rest = match rest.strip_prefix(':') {
        Some(port) => {
            let digits = port.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return false;
            }
            &port[digits..]
        }
        None => rest,
    };
    (rest.is_empty() || rest.starts_with('/')) && reqwest::Url::parse(v).is_ok()
}

fn not_https(field: &str) -> ValidationError {
    ValidationError::new(
        field,
        "must be an absolute https:// URL (plain http:// only to localhost or 127.0.0.1, in the sandbox)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_url_follows_the_spec() {
        for ok in ["https://cdn.example.com/a.mp4", "http://localhost:3000/x", "http://127.0.0.1/x", "http://localhost"]
        {
            assert!(https_url("u", ok).is_ok(), "{ok}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL));
        for bad in [
            "",
            "http://example.com/a",
            "ftp://localhost/a",
            "localhost:3000",
            "http://localhost.evil.com/",
            "gs://b/o",
            "http://127.1/x",
            "http://localhost:/x",
            "http://localhost?x",
            "http://user@localhost/x",
            long.as_str(),
        ] {
            assert_eq!(https_url("u", bad).unwrap_err().field, "u", "{bad}");
        }
        assert!(opt_https_url("u", &None).is_ok());
        assert!(opt_https_url("u", &Some("http://localhost:1/a".into())).is_ok());
        assert!(opt_https_url("u", &Some("https://a.example".into())).is_ok());
        assert_eq!(opt_https_url("u", &Some("http://a.example".into())).unwrap_err().field, "u");
        assert_eq!(opt_https_url("u", &Some(long.clone())).unwrap_err().field, "u");
    }
}
