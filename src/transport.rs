//! The wire: request encoding, idempotency keys, retries and error decoding. Every
//! call of every API area goes through [`Call`], so these rules live only here.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::{Duration, SystemTime};

use backon::{BackoffBuilder, ExponentialBuilder};
use bytes::Bytes;
use reqwest::header::{ACCEPT, CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::{ApiError, Error, Result, ValidationError};
use crate::response::{Response, ResponseMeta};
use crate::spec::{self, Operation};
use crate::types::{ErrorCode, ErrorType};

/// Largest response body the client reads; anything bigger is not this API.
const MAX_BODY: usize = 16 * 1024 * 1024;
/// Operations whose 2xx body holds a secret (webhook secrets, signed URLs).
const SECRET_BEARING: &[&Operation] =
    &[spec::PROXY_CREATE_WEBHOOK_ENDPOINT, spec::PROXY_ROTATE_WEBHOOK_SECRET, spec::PROXY_FETCH_VIDEO];
/// How much of an unexpected body is kept in errors.
const BODY_SNIPPET: usize = 512;

/// A request body the spec constrains. [`validate`](ApiRequest::validate) runs
/// before anything is sent, so bad input never costs a round trip or a credit.
pub trait ApiRequest: Serialize + Send + Sync + 'static {
    /// Checks the spec's constraints (lengths, ranges, required alternatives).
    fn validate(&self) -> std::result::Result<(), ValidationError>;
}

/// A pending call. Await it (or call [`send`](Call::send)); set a key first with
/// [`idempotency_key`](Call::idempotency_key) to make a retry across processes safe.
///
/// ```no_run
/// # use ugc_video::{Client, models::videos::CancelVideoRequest};
/// # async fn demo(client: Client) -> ugc_video::Result<()> {
/// let job_id = "0b8e5d0e-8a53-4c1a-9d3b-0f6f8e1c2d3a"; // stored with your job
/// let cancelled = client
///     .videos()
///     .cancel(CancelVideoRequest::builder().operation_name("op_123").build())
///     .idempotency_key(job_id)
///     .await?;
/// assert!(cancelled.meta().idempotency_key.as_deref() == Some(job_id));
/// # Ok(()) }
/// ```
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<Req, Resp> {
    client: Client,
    op: &'static Operation,
    request: Req,
    key: Option<String>,
    _resp: PhantomData<fn() -> Resp>,
}

impl<Req, Resp> std::fmt::Debug for Call<Req, Resp> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.op.name)
            .field("idempotency_key", &self.key)
            .finish_non_exhaustive()
    }
}

impl<Req: ApiRequest, Resp: DeserializeOwned + Send + 'static> Call<Req, Resp> {
    pub(crate) fn new(client: Client, op: &'static Operation, request: Req) -> Self {
        Self { client, op, request, key: None, _resp: PhantomData }
    }

    /// Uses this `Idempotency-Key` instead of a fresh UUID v4 (1–255 visible ASCII
    /// characters). Only mutating operations take one; on a read-only operation the
    /// call fails validation.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Validates, sends (retrying per the client's policy) and decodes.
    pub async fn send(self) -> Result<Response<Resp>> {
        let Call { client, op, request, key, .. } = self;
        request.validate()?;
        let key = idempotency_key_for(op, key)?;
        let body = encode(op, &request)?;
        let (meta, bytes) = client.execute(op, body, key).await?;
        decode(op, meta, &bytes)
    }
}

impl<Req: ApiRequest, Resp: DeserializeOwned + Send + 'static> IntoFuture for Call<Req, Resp> {
    type Output = Result<Response<Resp>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

fn idempotency_key_for(op: &Operation, key: Option<String>) -> Result<Option<String>> {
    match (op.mutating, key) {
        // One key per logical call, generated here so every retry reuses it.
        (true, None) => Ok(Some(uuid::Uuid::new_v4().to_string())),
        (true, Some(k)) if (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => Ok(Some(k)),
        (true, Some(_)) => {
            Err(ValidationError::new("Idempotency-Key", "must be 1–255 visible ASCII characters").into())
        }
        (false, Some(_)) => Err(ValidationError::new(
            "Idempotency-Key",
            format!("{} is read-only and takes no idempotency key", op.name),
        )
        .into()),
        (false, None) => Ok(None),
    }
}

#[derive(Serialize)]
struct EnvelopeOut<'a, T> {
    data: &'a T,
}

#[derive(Deserialize)]
struct EnvelopeIn<T> {
    data: T,
}

fn encode<T: Serialize>(op: &'static Operation, request: &T) -> Result<Bytes> {
    // Free operations speak the callable-function envelope; the rest take the object.
    let body = if op.free { serde_json::to_vec(&EnvelopeOut { data: request }) } else { serde_json::to_vec(request) };
    body.map(Bytes::from).map_err(|e| ValidationError::new("body", format!("cannot be encoded as JSON: {e}")).into())
}

fn decode<T: DeserializeOwned>(op: &'static Operation, meta: ResponseMeta, bytes: &[u8]) -> Result<Response<T>> {
    let parsed = if op.free {
        serde_json::from_slice::<EnvelopeIn<T>>(bytes).map(|e| e.data)
    } else {
        serde_json::from_slice::<T>(bytes)
    };
    match parsed {
        Ok(v) => Ok(Response::new(v, meta)),
        Err(source) => {
            // These answers carry a webhook secret or a signed URL: never keep them in an error.
            let body = if SECRET_BEARING.iter().any(|o| o.name == op.name) {
                "<redacted: this response carries a secret>".to_owned()
            } else {
                snippet(bytes)
            };
            let idempotency_key = meta.idempotency_key;
            Err(Error::Decode { operation: op.name, idempotency_key, status: meta.status, body, source })
        }
    }
}

impl Client {
    /// Sends `body` to `op`, retrying transient failures with the same key.
    async fn execute(&self, op: &'static Operation, body: Bytes, key: Option<String>) -> Result<(ResponseMeta, Bytes)> {
        if !op.free && self.inner.api_key.is_none() {
            return Err(Error::Config(format!("{} needs an API key (set {})", op.name, crate::config::API_KEY_ENV)));
        }
        let mut url = self.inner.base.clone();
        url.path_segments_mut()
            .map_err(|()| Error::Config("base URL cannot take a path".into()))?
            .pop_if_empty()
            .push(op.name);

        let policy = &self.inner.retry;
        let mut builder = ExponentialBuilder::new()
            .with_min_delay(policy.initial_delay)
            .with_max_delay(policy.max_delay)
            .with_max_times(policy.max_retries);
        if policy.jitter {
            builder = builder.with_jitter();
        }
        let mut backoff = builder.build();
        let mut attempts = 0u32;
        loop {
            attempts += 1;
            let err = match self.attempt(op, &url, &body, key.as_deref()).await {
                Ok((mut meta, bytes)) => {
                    meta.attempts = attempts;
                    meta.idempotency_key = key;
                    return Ok((meta, bytes));
                }
                Err(e) => e,
            };
            // A Retry-After beyond the cap (a daily quota) goes back to the caller at once.
            // Free calls spend a per-IP daily quota, so only a connection that never
            // reached the service is worth another try.
            let retryable = if op.free {
                matches!(&err, Error::Transport { source, .. } if source.is_connect())
            } else {
                err.is_retryable()
            };
            if !retryable || err.retry_after().is_some_and(|ra| ra > policy.max_retry_after) {
                return Err(err.with_idempotency_key(key));
            }
            let Some(delay) = backoff.next() else { return Err(err.with_idempotency_key(key)) };
            // The server knows when capacity returns better than our backoff does; a
            // zero (or past) Retry-After still gets the backoff, so 503s are not hammered.
            let delay = err.retry_after().filter(|ra| !ra.is_zero()).unwrap_or(delay);
            tracing::debug!(operation = op.name, attempt = attempts, delay_ms = delay.as_millis() as u64, error = %err, "retrying");
            self.inner.clock.sleep(delay).await;
        }
    }

    async fn attempt(
        &self,
        op: &'static Operation,
        url: &reqwest::Url,
        body: &Bytes,
        key: Option<&str>,
    ) -> Result<(ResponseMeta, Bytes)> {
        let mut req = self
            .inner
            .http
            .post(url.clone())
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, &self.inner.user_agent)
            .body(body.clone());
        if let (false, Some(api_key)) = (op.free, &self.inner.api_key) {
            // bearer_auth marks the header sensitive, keeping it out of debug output.
            req = req.bearer_auth(api_key.expose());
        }
        if let Some(k) = key {
            req = req.header("Idempotency-Key", k);
        }
        let mut resp = req.send().await.map_err(|e| transport_error(op, e))?;
        let status = resp.status().as_u16();
        let meta = ResponseMeta::from_headers(status, resp.headers());
        let retry_after = resp
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, self.inner.clock.wall()));
        let mut buf = Vec::with_capacity(resp.content_length().map_or(1024, |n| n.min(MAX_BODY as u64) as usize));
        while let Some(chunk) = resp.chunk().await.map_err(|e| transport_error(op, e))? {
            if buf.len() + chunk.len() > MAX_BODY {
                // Not this API: refuse to buffer it rather than exhaust memory.
                return Err(ApiError {
                    message: format!("HTTP {status} with a body over {MAX_BODY} bytes"),
                    raw_body: Some(snippet(&buf)),
                    ..api_error(op, status, meta.request_id.clone(), retry_after, b"")
                }
                .into());
            }
            buf.extend_from_slice(&chunk);
        }
        if (200..300).contains(&status) {
            Ok((meta, Bytes::from(buf)))
        } else {
            Err(api_error(op, status, meta.request_id, retry_after, &buf).into())
        }
    }
}

fn transport_error(op: &'static Operation, source: reqwest::Error) -> Error {
    if source.is_timeout() {
        Error::Timeout { operation: op.name, idempotency_key: None, source }
    } else {
        Error::Transport { operation: op.name, idempotency_key: None, source }
    }
}

/// `Retry-After` as delay-seconds or an HTTP-date.
pub(crate) fn parse_retry_after(v: &str, now: SystemTime) -> Option<Duration> {
    let v = v.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        // Saturate absurd values rather than fail: the cap turns them into an error anyway.
        return Some(Duration::from_secs(v.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ErrorBody,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "type")]
    error_type: Option<ErrorType>,
    code: Option<ErrorCode>,
    message: Option<String>,
    request_id: Option<String>,
    #[serde(rename = "retryAfter")]
    retry_after: Option<serde_json::Value>,
    field: Option<String>,
    details: Option<serde_json::Value>,
}

fn api_error(
    op: &'static Operation,
    status: u16,
    header_id: Option<String>,
    retry_after: Option<Duration>,
    body: &[u8],
) -> ApiError {
    match serde_json::from_slice::<ErrorEnvelope>(body) {
        Ok(ErrorEnvelope { error: e }) => {
            let body_retry = e
                .retry_after
                .as_ref()
                .and_then(serde_json::Value::as_f64)
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(|s| Duration::from_secs_f64(s.min(1e9)));
            ApiError {
                operation: op.name,
                status,
                code: e.code,
                error_type: e.error_type,
                message: e.message.unwrap_or_default(),
                request_id: e.request_id.or(header_id),
                retry_after: retry_after.or(body_retry),
                field: e.field,
                details: e.details,
                raw_body: None,
                idempotency_key: None,
            }
        }
        // A proxy's HTML page or an empty body: keep what we can for diagnosis.
        Err(_) => ApiError {
            operation: op.name,
            status,
            code: None,
            error_type: None,
            message: format!("HTTP {status} with a body that is not the service's JSON error"),
            request_id: header_id,
            retry_after,
            field: None,
            details: None,
            raw_body: Some(snippet(body)),
            idempotency_key: None,
        },
    }
}

fn snippet(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(&bytes[..bytes.len().min(BODY_SNIPPET)]);
    s.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(90));
        assert_eq!(parse_retry_after(&later, now), Some(Duration::from_secs(90)));
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(90));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("99999999999999999999999", now), Some(Duration::from_secs(u64::MAX)));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}
