//! What every response carries besides its body: request id, rate limits, replay flag.

use std::ops::Deref;
use std::time::Duration;

use reqwest::header::HeaderMap;

/// The `X-RateLimit-*` headers of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed in the window.
    pub limit: u32,
    /// Requests left in the window.
    pub remaining: u32,
    /// Time until a slot frees.
    pub reset: Duration,
}

/// Metadata of a successful response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseMeta {
    /// HTTP status.
    pub status: u16,
    /// `X-Request-Id`.
    pub request_id: Option<String>,
    /// `X-RateLimit-*`, when all three were sent.
    pub rate_limit: Option<RateLimit>,
    /// `Idempotent-Replayed: true`: the service replayed a stored response and
    /// charged nothing more.
    pub idempotent_replayed: bool,
    /// The `Idempotency-Key` sent (mutating calls only); keep it to retry the same
    /// logical call later.
    pub idempotency_key: Option<String>,
    /// Attempts made, 1 when the first succeeded.
    pub attempts: u32,
}

impl ResponseMeta {
    pub(crate) fn from_headers(status: u16, h: &HeaderMap) -> Self {
        let num = |name: &str| h.get(name)?.to_str().ok()?.trim().parse::<u64>().ok();
        let rate_limit = match (num("x-ratelimit-limit"), num("x-ratelimit-remaining"), num("x-ratelimit-reset")) {
            (Some(l), Some(r), Some(s)) => Some(RateLimit {
                limit: u32::try_from(l).unwrap_or(u32::MAX),
                remaining: u32::try_from(r).unwrap_or(u32::MAX),
                reset: Duration::from_secs(s),
            }),
            _ => None,
        };
        Self {
            status,
            request_id: header_str(h, "x-request-id"),
            rate_limit,
            idempotent_replayed: h
                .get("idempotent-replayed")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.eq_ignore_ascii_case("true")),
            idempotency_key: None,
            attempts: 1,
        }
    }
}

fn header_str(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name).and_then(|v| v.to_str().ok()).map(|s| s.chars().take(200).collect())
}

/// A decoded response body with its [`ResponseMeta`]. Derefs to the body.
///
/// ```no_run
/// # async fn demo(client: ugc_video::Client) -> ugc_video::Result<()> {
/// let credits = client.account().credits().await?;
/// println!("balance {}", credits.balance); // through Deref
/// if let Some(rl) = credits.meta().rate_limit {
///     println!("{} calls left", rl.remaining);
/// }
/// let body = credits.into_inner();
/// # let _ = body; Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Response<T> {
    value: T,
    meta: ResponseMeta,
}

impl<T> Response<T> {
    pub(crate) fn new(value: T, meta: ResponseMeta) -> Self {
        Self { value, meta }
    }
    /// Response metadata.
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }
    /// The body.
    pub fn into_inner(self) -> T {
        self.value
    }
    /// Body and metadata.
    pub fn into_parts(self) -> (T, ResponseMeta) {
        (self.value, self.meta)
    }
}

impl<T> Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}
