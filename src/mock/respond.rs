//! Turning an outcome into the HTTP answer: envelopes, headers, the idempotency
//! store and the request log.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use futures_util::StreamExt;
use serde_json::{Value, json};

use super::failure::Failure;
use super::http::Ctx;
use super::limits::RateInfo;
use super::state::{Shared, State};

/// How a call ended.
pub(super) enum Outcome {
    Done(Result<Value, Failure>),
    Replay(u16, Value),
}

pub(super) fn hv(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
}

/// Turns an outcome into the response: envelope, headers, idempotency store, log.
pub(super) fn conclude(shared: &Shared, st: &mut State, ctx: &Ctx, outcome: Outcome, dropped: bool) -> Response {
    let op = ctx.op;
    let now = shared.now();
    let (status, body, failure, replayed) = match outcome {
        Outcome::Replay(status, body) => (status, body, None, true),
        Outcome::Done(Ok(v)) => (200, if op.free { json!({ "data": v }) } else { v }, None, false),
        Outcome::Done(Err(f)) => (f.status, f.body(op.free, &ctx.request_id), Some(f), false),
    };
    debug_assert!(op.statuses.contains(&status), "{} answered {status}, which the spec does not declare", op.name);

    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", hv(&ctx.request_id));
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(account) = ctx.account {
        let rate = match failure.as_ref().filter(|f| f.code == "rate-limited") {
            Some(f) => st
                .limits
                .peek(account, op.bucket, now)
                .map(|r| RateInfo { reset_secs: f.retry_after.unwrap_or(1), ..r }),
            None => ctx.rate.or_else(|| st.limits.peek(account, op.bucket, now)),
        };
        if let Some(r) = rate {
            headers.insert("x-ratelimit-limit", HeaderValue::from(r.limit));
            headers.insert("x-ratelimit-remaining", HeaderValue::from(r.remaining));
            headers.insert("x-ratelimit-reset", HeaderValue::from(r.reset_secs));
        }
    }
    // Declared on the success of mutating operations; a replayed refusal says so too.
    if op.mutating && (replayed || status == 200) {
        headers.insert("idempotent-replayed", HeaderValue::from_static(if replayed { "true" } else { "false" }));
    }
    if let Some(f) = &failure {
        if let Some(secs) = f.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if f.status == 401 {
            let challenge = if f.invalid_token {
                r#"Bearer realm="ugc-copilot", error="invalid_token""#
            } else {
                r#"Bearer realm="ugc-copilot""#
            };
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
    }
    if let (Some(account), Some(key)) = (ctx.account, &ctx.key) {
        st.idempotency.finish(account, key, status, &body);
    }
    if let Some(rec) = st.requests.get_mut(ctx.rec) {
        rec.status = status;
        rec.response_headers = headers.clone();
        rec.response_body = body.clone();
        rec.replayed = replayed;
        rec.dropped = dropped;
    }
    build(status, headers, &body, dropped)
}

/// The HTTP response; with `dropped`, the body breaks off halfway so the client sees
/// a cut connection after the server committed.
pub(super) fn build(status: u16, headers: HeaderMap, body: &Value, dropped: bool) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let body = if dropped {
        let half = Bytes::copy_from_slice(&bytes[..bytes.len() / 2]);
        let cut = async {
            // Pending once, so hyper flushes the headers and the first half before the cut.
            tokio::task::yield_now().await;
            Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "connection dropped by fault injection"))
        };
        Body::from_stream(futures_util::stream::once(async { Ok(half) }).chain(futures_util::stream::once(cut)))
    } else {
        Body::from(bytes)
    };
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().extend(headers);
    response
}
