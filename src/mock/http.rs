//! The router and the request pipeline every `POST /{operation}` goes through:
//! record → fault → auth / free quota → body → schema → idempotency → latency →
//! rate limit → handler (cap, credits, work) → idempotency store → respond.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Request, State as AxumState};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use super::failure::Failure;
use super::handlers::{handle, semantic};
use super::idempotency::{Begin, fingerprint};
use super::limits::RateInfo;
use super::records::RecordedRequest;
use super::respond::{Outcome, build, conclude, hv};
use super::state::{Shared, State};
use super::{media, renders, schema};
use crate::spec::{self, Operation};

/// Largest request body read (a scene image is up to ~14 MB of base64).
const MAX_BODY: usize = 32 * 1024 * 1024;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/media/{file}", get(media::serve))
        .route("/openapi.yaml", get(|| async { ([(header::CONTENT_TYPE, "application/yaml")], spec::SPEC_YAML) }))
        .route(
            "/.well-known/openapi.json",
            get(|| async { ([(header::CONTENT_TYPE, "application/json")], spec::SPEC_JSON) }),
        )
        .fallback(dispatch)
        .with_state(shared)
}

async fn dispatch(
    AxumState(shared): AxumState<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_owned();
    let op = path.strip_prefix('/').and_then(spec::operation);
    let raw = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => Bytes::new(),
    };
    let Some(op) = op else {
        let failure = Failure::not_found(format!("No operation at {path}"));
        return answer_outside(&shared, &parts.method, &path, &parts.headers, &raw, peer.ip(), failure);
    };
    if parts.method != Method::POST {
        // Not a call of the operation (which is the POST), so it is logged without one.
        let failure = Failure::new(405, "invalid-argument", format!("{} takes POST", op.name));
        return answer_outside(&shared, &parts.method, &path, &parts.headers, &raw, peer.ip(), failure);
    }
    // The work runs to completion even if the client hangs up, as on a real server.
    let task = tokio::spawn(pipeline(shared, op, parts.headers, raw, peer.ip()));
    task.await.unwrap_or_else(|_| (StatusCode::INTERNAL_SERVER_ERROR, "handler panicked").into_response())
}

fn parse_for_log(raw: &[u8]) -> Value {
    if raw.is_empty() {
        return Value::Null;
    }
    serde_json::from_slice(raw).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(raw).into_owned()))
}

/// Requests that are not an operation call: unknown paths and wrong methods.
fn answer_outside(
    shared: &Shared,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    raw: &[u8],
    ip: IpAddr,
    failure: Failure,
) -> Response {
    let mut st = shared.lock();
    let now = shared.now();
    let request_id = st.new_id("req_", 12);
    let body = failure.body(false, &request_id);
    let mut out = HeaderMap::new();
    out.insert("x-request-id", hv(&request_id));
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if failure.status == 405 {
        out.insert(header::ALLOW, HeaderValue::from_static("POST"));
    }
    st.requests.push(RecordedRequest {
        at: now,
        method: method.to_string(),
        path: path.to_owned(),
        operation: None,
        headers: sensitive_marked(headers),
        body: parse_for_log(raw),
        client_ip: ip,
        account: None,
        status: failure.status,
        response_headers: out.clone(),
        response_body: body.clone(),
        replayed: false,
        dropped: false,
    });
    drop(st);
    shared.recorded.notify_waiters();
    build(failure.status, out, &body, false)
}

/// One call in progress.
pub(super) struct Ctx {
    pub op: &'static Operation,
    pub request_id: String,
    /// Index of its entry in the request log.
    pub rec: usize,
    pub account: Option<usize>,
    /// The reserved `Idempotency-Key`, stored or released when the call concludes.
    pub key: Option<String>,
    pub rate: Option<RateInfo>,
    /// The request body, out of its envelope if it came in one.
    pub body: Value,
}

async fn pipeline(shared: Arc<Shared>, op: &'static Operation, headers: HeaderMap, raw: Bytes, ip: IpAddr) -> Response {
    let admitted = {
        let mut st = shared.lock();
        let mut ctx = record(&shared, &mut st, op, &headers, &raw, ip);
        match admit(&shared, &mut st, &mut ctx, &headers, &raw, ip) {
            Ok(latency) => Ok((ctx, latency)),
            Err(outcome) => Err(conclude(&shared, &mut st, &ctx, *outcome, false)),
        }
    };
    shared.recorded.notify_waiters();
    let (mut ctx, latency) = match admitted {
        Ok(ready) => ready,
        Err(response) => return response,
    };
    if !latency.is_zero() {
        let until = shared.now() + latency;
        let stopped = tokio::select! {
            () = shared.clock.sleep_until(until) => false,
            () = shared.stopped() => true,
        };
        if stopped {
            let mut st = shared.lock();
            let failure = Failure::new(503, "unavailable", "The mock is shutting down").retry_after(1);
            return conclude(&shared, &mut st, &ctx, Outcome::Done(Err(failure)), false);
        }
    }
    let response = {
        let mut st = shared.lock();
        let now = shared.now();
        renders::settle(&mut st, now);
        let result = limit(&mut st, &mut ctx, now).and_then(|()| handle(&shared, &mut st, &ctx, now));
        let dropped = st.faults.take_drop(op.name);
        conclude(&shared, &mut st, &ctx, Outcome::Done(result), dropped)
    };
    shared.wake.notify_one();
    response
}

/// The headers as received, with credentials marked sensitive so `Debug` of the
/// request log never prints a key.
fn sensitive_marked(headers: &HeaderMap) -> HeaderMap {
    let mut h = headers.clone();
    if let Some(v) = h.get_mut(axum::http::header::AUTHORIZATION) {
        v.set_sensitive(true);
    }
    h
}

/// Logs the request and gives it an id.
fn record(shared: &Shared, st: &mut State, op: &'static Operation, headers: &HeaderMap, raw: &[u8], ip: IpAddr) -> Ctx {
    let request_id = st.new_id("req_", 12);
    let rec = st.requests.push(RecordedRequest {
        at: shared.now(),
        method: "POST".into(),
        path: format!("/{}", op.name),
        operation: Some(op.name),
        headers: sensitive_marked(headers),
        body: parse_for_log(raw),
        client_ip: ip,
        account: None,
        status: 0,
        response_headers: HeaderMap::new(),
        response_body: Value::Null,
        replayed: false,
        dropped: false,
    });
    Ctx { op, request_id, rec, account: None, key: None, rate: None, body: Value::Null }
}

/// Everything before the work: faults, auth, free quota, body, schema and the
/// idempotency reservation. Returns the injected latency, or the answer to give now.
fn admit(
    shared: &Shared,
    st: &mut State,
    ctx: &mut Ctx,
    headers: &HeaderMap,
    raw: &[u8],
    ip: IpAddr,
) -> Result<Duration, Box<Outcome>> {
    let fail = |f: Failure| Box::new(Outcome::Done(Err(f)));
    let (op, now) = (ctx.op, shared.now());
    if let Some(fault) = st.faults.take_fail(op.name) {
        let mut f = Failure::for_status(fault.status);
        if op.free && fault.status == 429 {
            f.code = "resource-exhausted";
        }
        if let Some(ra) = fault.retry_after {
            f = f.retry_after(ra.as_secs() + u64::from(ra.subsec_nanos() > 0));
        }
        return Err(fail(f));
    }

    if op.free {
        if st.config.rate_limits {
            st.limits.admit_free(ip, op, now).map_err(fail)?;
        }
    } else {
        let a = authenticate(st, headers).map_err(fail)?;
        ctx.account = Some(a);
        let name = st.accounts[a].name.clone();
        if let Some(r) = st.requests.get_mut(ctx.rec) {
            r.account = Some(name);
        }
    }

    let parsed: Value = serde_json::from_slice(raw)
        .map_err(|e| fail(Failure::invalid("body", format!("the body must be JSON: {e}"))))?;
    // The callable-function envelope `{"data": {…}}` is accepted for every operation.
    ctx.body = match parsed {
        Value::Object(mut m) if m.len() == 1 && m.get("data").is_some_and(Value::is_object) => {
            m.remove("data").unwrap_or_default()
        }
        other => other,
    };
    let checked = if op.free {
        schema::check(op.request_schema, &json!({ "data": ctx.body }), true)
    } else {
        schema::check(op.request_schema, &ctx.body, false)
    };
    checked.and_then(|()| semantic(op, &ctx.body)).map_err(fail)?;

    if op.mutating
        && let Some(account) = ctx.account
        && let Some(key) = headers.get("idempotency-key")
    {
        let key = match key.to_str() {
            Ok(k) if (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => k.to_owned(),
            _ => return Err(fail(Failure::invalid("Idempotency-Key", "must be 1–255 visible ASCII characters"))),
        };
        match st.idempotency.begin(account, &key, op.name, fingerprint(op.name, &ctx.body), now).map_err(fail)? {
            Begin::Fresh => ctx.key = Some(key),
            Begin::Replay(status, body) => return Err(Box::new(Outcome::Replay(status, body))),
        }
    }
    Ok(st.faults.latency(op.name))
}

fn authenticate(st: &State, headers: &HeaderMap) -> Result<usize, Failure> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(Failure::new(401, "unauthenticated", "Send Authorization: Bearer <key>"));
    };
    let rejected = |msg: &str| Failure { invalid_token: true, ..Failure::new(401, "unauthenticated", msg) };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    match token {
        None | Some("") => Err(rejected("The Authorization header must be `Bearer <key>`")),
        Some(t) if t.starts_with("ugc_live_") => Err(rejected("The sandbox accepts only ugc_test_ keys")),
        Some(t) => st.account_by_key(t).ok_or_else(|| rejected("Unknown or revoked API key")),
    }
}

/// The per-key sliding window of the operation's bucket.
fn limit(st: &mut State, ctx: &mut Ctx, now: Duration) -> Result<(), Failure> {
    let Some(account) = ctx.account else { return Ok(()) };
    if st.config.rate_limits {
        ctx.rate = st.limits.admit(account, ctx.op.bucket, now)?;
    }
    Ok(())
}
