//! Video renders: start, lifecycle, status, fetch, cancel, list.
//!
//! A render is `queued` for the queue time, then `rendering` with progress rising
//! linearly to 99, then `completed` or `failed` (decided at start). Transitions are
//! computed from virtual time and settled (refund, webhook event) by whoever looks
//! first: any request, or the background scheduler.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use super::account;
use super::clock::{EPOCH_UNIX_SECS, rfc3339};
use super::failure::Failure;
use super::paging;
use super::state::{Final, Render, State};
use super::webhooks;
use crate::spec;
use crate::types::{Engine, Quality, Tier, TransactionKind, VideoStatus};

const VIDEO_URI_PREFIX: &str = "mock://videos/";
/// Signed media URLs stay valid this long.
const URL_TTL: Duration = Duration::from_secs(7 * 86_400);

fn str_field<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body.get(name).and_then(Value::as_str)
}

/// `proxyStartVideoGeneration`: checks, cap, price, charge, then a new render.
pub(crate) fn start(state: &mut State, account: usize, body: &Value, now: Duration) -> Result<Value, Failure> {
    let engine = Engine::from_wire(str_field(body, "engine").unwrap_or_default());
    let quality = Quality::from_wire(str_field(body, "quality").unwrap_or_default());
    let requested = body.get("duration").and_then(Value::as_u64).unwrap_or(0) as u32;
    let catalog = spec::engine(&engine).ok_or_else(|| Failure::invalid("engine", "unknown engine"))?;
    precheck(state, account, body, catalog)?;

    let cap = state.accounts[account].concurrency_cap();
    let in_flight = state.in_flight(account, now);
    if in_flight >= cap {
        let earliest = state
            .renders
            .iter()
            .filter(|r| r.account == account && r.fin.is_none() && r.ends_at > now)
            .map(|r| r.ends_at)
            .min()
            .unwrap_or(now);
        let wait = (earliest - now).as_secs_f64().ceil().max(1.0) as u64;
        return Err(Failure::new(
            429,
            "concurrency-exceeded",
            format!("{in_flight} renders are in flight and this key's cap is {cap}"),
        )
        .retry_after(wait)
        .details(json!({"concurrencyCap": cap, "inFlight": in_flight})));
    }

    let est = spec::estimate_cost(&engine, &quality, requested)
        .ok_or_else(|| Failure::invalid("engine", "unknown engine"))?;
    let operation_name = format!("operations/{}/{}", engine.as_str(), super::state::hex(&mut state.rng, 8));
    account::charge(state, account, est.credits, "proxyStartVideoGeneration", Some(operation_name.clone()), now)?;

    let will_fail = state.faults.take_failing_render() || state.rng.f64() < state.config.failure_rate;
    let rendering_at = now + state.config.queue_time;
    let seq = state.next_seq();
    let id = operation_name.rsplit('/').next().unwrap_or_default().to_owned();
    state.renders.push(Render {
        seq,
        id,
        operation_name: operation_name.clone(),
        account,
        engine: engine.clone(),
        quality: quality.clone(),
        requested,
        effective: est.effective_duration,
        cost: est.credits,
        created: now,
        rendering_at,
        ends_at: rendering_at + state.config.render_time(&engine),
        will_fail,
        fin: None,
    });
    let in_flight = state.in_flight(account, now);
    let acct = &mut state.accounts[account];
    acct.max_in_flight = acct.max_in_flight.max(in_flight);

    let mut out = json!({
        "operation": {"name": operation_name},
        "assembledPrompt": assembled_prompt(body),
        "requestedDuration": requested,
        "effectiveDuration": est.effective_duration,
        "creditCost": est.credits,
        "quality": quality.as_str(),
        "engine": engine.as_str(),
    });
    if est.effective_duration != requested {
        out["warnings"] = json!(["duration-snapped"]);
    }
    Ok(out)
}

/// Rules the schema cannot express; all run before anything is charged.
fn precheck(state: &State, account: usize, body: &Value, catalog: &spec::EngineSpec) -> Result<(), Failure> {
    if let Some(model) = str_field(body, "modelName")
        && !catalog.models.contains(&model)
    {
        return Err(Failure::invalid(
            "modelName",
            format!("{} renders with {}", catalog.id, catalog.models.join(", ")),
        ));
    }
    if body.pointer("/sceneImage/data").and_then(Value::as_str).is_some_and(|d| d.starts_with("data:")) {
        return Err(Failure::invalid("sceneImage.data", "must be raw base64, without a data: URL prefix"));
    }
    if str_field(body, "projectMode") == Some("mature") {
        if state.accounts[account].tier == Tier::Starter {
            return Err(Failure::new(
                403,
                "mature_mode_paid_required",
                "The mature project mode needs a Pro or Scale plan",
            ));
        }
        // The mock's rule: these engines refuse mature content.
        if matches!(catalog.id, "veo" | "sora") {
            return Err(Failure {
                field: Some("projectMode".into()),
                ..Failure::new(
                    400,
                    "mode_engine_not_allowed",
                    format!("{} does not render the mature mode", catalog.id),
                )
            });
        }
    }
    for field in ["editVideoId", "qcRetryOfOperation"] {
        if let Some(reference) = str_field(body, field)
            && find_owned(state, account, reference).is_none()
        {
            return Err(Failure { field: Some(field.into()), ..Failure::not_found(format!("No render {reference}")) });
        }
    }
    Ok(())
}

/// A render of `account` named by operation name, video URI or id.
fn find_owned(state: &State, account: usize, reference: &str) -> Option<usize> {
    let id = reference.strip_prefix(VIDEO_URI_PREFIX).unwrap_or(reference);
    state.renders.iter().position(|r| r.account == account && (r.operation_name == reference || r.id == id))
}

fn assembled_prompt(body: &Value) -> String {
    let visual =
        body.pointer("/scene/visualPrompt").or_else(|| body.get("visualPrompt")).and_then(Value::as_str).unwrap_or("");
    let framing = match str_field(body, "aspectRatio") {
        Some("16:9") => "Horizontal 16:9",
        Some("1:1") => "Square 1:1",
        _ => "Vertical 9:16",
    };
    let mut prompt = format!("{}. {framing} handheld UGC framing.", visual.trim_end_matches('.'));
    if let Some(line) = body.pointer("/scene/scriptText").and_then(Value::as_str) {
        prompt.push_str(&format!(" Dialogue: \"{line}\""));
    }
    prompt
}

/// Finishes every render whose end has passed, in end order: refunds failures and
/// emits `video.completed` / `video.failed`. Returns whether anything changed.
pub(crate) fn settle(state: &mut State, now: Duration) -> bool {
    let mut due: Vec<usize> = (0..state.renders.len())
        .filter(|&i| state.renders[i].fin.is_none() && state.renders[i].ends_at <= now)
        .collect();
    due.sort_by_key(|&i| (state.renders[i].ends_at, state.renders[i].seq));
    for &i in &due {
        let r = state.renders[i].clone();
        if r.will_fail {
            let txn = state.post(
                r.account,
                TransactionKind::Refund,
                i64::from(r.cost),
                Some(r.operation_name.clone()),
                "Automatic refund: the render failed",
                r.ends_at,
            );
            state.renders[i].fin = Some(Final::Failed { refund_txn: txn });
            let data = json!({
                "operationName": r.operation_name,
                "engine": r.engine.as_str(),
                "error": failure_error(),
                "refundedCredits": r.cost,
            });
            webhooks::emit(state, r.account, "video.failed", data, r.ends_at);
        } else {
            state.renders[i].fin = Some(Final::Completed);
            let data = json!({
                "operationName": r.operation_name,
                "engine": r.engine.as_str(),
                "quality": r.quality.as_str(),
                "videoUri": format!("{VIDEO_URI_PREFIX}{}", r.id),
                "effectiveDuration": r.effective,
                "creditCost": r.cost,
            });
            webhooks::emit(state, r.account, "video.completed", data, r.ends_at);
        }
    }
    !due.is_empty()
}

fn failure_error() -> Value {
    json!({"code": "internal", "message": "The engine failed to render this video"})
}

/// The earliest future render transition, for the scheduler.
pub(crate) fn next_end(state: &State) -> Option<Duration> {
    state.renders.iter().filter(|r| r.fin.is_none()).map(|r| r.ends_at).min()
}

pub(crate) fn status_of(r: &Render, now: Duration) -> VideoStatus {
    match &r.fin {
        Some(Final::Completed) => VideoStatus::Completed,
        Some(Final::Failed { .. }) => VideoStatus::Failed,
        Some(Final::Cancelled { .. }) => VideoStatus::Cancelled,
        None if now < r.rendering_at => VideoStatus::Queued,
        None => VideoStatus::Rendering,
    }
}

pub(crate) fn progress_of(r: &Render, now: Duration) -> u32 {
    match &r.fin {
        Some(Final::Completed) => 100,
        Some(Final::Failed { .. }) => 99,
        Some(Final::Cancelled { .. }) => 0,
        None if now < r.rendering_at => 0,
        None => {
            let total = (r.ends_at - r.rendering_at).as_secs_f64().max(f64::EPSILON);
            (((now - r.rendering_at).as_secs_f64() / total) * 99.0).floor().clamp(0.0, 99.0) as u32
        }
    }
}

fn refund_of(r: &Render) -> Option<(u32, String)> {
    match &r.fin {
        Some(Final::Failed { refund_txn } | Final::Cancelled { refund_txn, .. }) => Some((r.cost, refund_txn.clone())),
        _ => None,
    }
}

/// The render an operation name refers to, for its owner; others get 404.
fn owned(state: &State, account: usize, body: &Value) -> Result<usize, Failure> {
    let name = str_field(body, "operationName").unwrap_or_default();
    let idx = state
        .renders
        .iter()
        .position(|r| r.operation_name == name && r.account == account)
        .ok_or_else(|| Failure::not_found(format!("No operation {name}")))?;
    if let Some(engine) = str_field(body, "engine")
        && engine != state.renders[idx].engine.as_str()
    {
        return Err(Failure::not_found(format!("No operation {name} on {engine}")));
    }
    Ok(idx)
}

/// `proxyCheckVideoStatus`.
pub(crate) fn status(state: &State, account: usize, body: &Value, now: Duration) -> Result<Value, Failure> {
    let r = &state.renders[owned(state, account, body)?];
    let st = status_of(r, now);
    let mut out = json!({
        "done": r.fin.is_some(),
        "status": st.as_str(),
        "progress": progress_of(r, now),
        "message": match st {
            VideoStatus::Queued => "Queued",
            VideoStatus::Rendering => "Rendering",
            VideoStatus::Completed => "Completed",
            VideoStatus::Failed => "Failed; the credits were refunded",
            _ => "Cancelled; the credits were refunded",
        },
    });
    match &r.fin {
        Some(Final::Completed) => {
            out["response"] = json!({"generatedVideos": [{"video": {"uri": format!("{VIDEO_URI_PREFIX}{}", r.id), "mimeType": "video/mp4"}}]});
        }
        Some(Final::Failed { .. }) => out["error"] = failure_error(),
        _ => {}
    }
    if let Some((credits, txn)) = refund_of(r) {
        out["refund"] = json!({"credits": credits, "transactionId": txn});
    }
    Ok(out)
}

/// `proxyCancelVideoGeneration`: only a queued render can be cancelled.
pub(crate) fn cancel(state: &mut State, account: usize, body: &Value, now: Duration) -> Result<Value, Failure> {
    let idx = owned(state, account, body)?;
    let r = state.renders[idx].clone();
    match status_of(&r, now) {
        VideoStatus::Queued => {}
        VideoStatus::Rendering => {
            return Err(Failure::precondition("The render has started rendering and can no longer be cancelled"));
        }
        st => return Err(Failure::precondition(format!("The render is already {st}"))),
    }
    let txn = state.post(
        account,
        TransactionKind::Refund,
        i64::from(r.cost),
        Some(r.operation_name.clone()),
        "Refund: cancelled before rendering",
        now,
    );
    state.renders[idx].fin = Some(Final::Cancelled { at: now, refund_txn: txn });
    Ok(json!({"operationName": r.operation_name, "status": "cancelled", "refundedCredits": r.cost}))
}

/// `proxyListVideoGenerations`: newest first, optionally by status.
pub(crate) fn list(state: &State, account: usize, body: &Value, now: Duration) -> Result<Value, Failure> {
    let want = str_field(body, "status");
    let items = state
        .renders
        .iter()
        .filter(|r| r.account == account && want.is_none_or(|w| status_of(r, now).as_str() == w))
        .map(|r| (r.seq, summary(r, now)))
        .collect();
    let (items, next) = paging::page("renders", items, body)?;
    Ok(paging::list_body(items, next))
}

fn summary(r: &Render, now: Duration) -> Value {
    let mut v = json!({
        "operationName": r.operation_name,
        "engine": r.engine.as_str(),
        "quality": r.quality.as_str(),
        "status": status_of(r, now).as_str(),
        "progress": progress_of(r, now),
        "requestedDuration": r.requested,
        "effectiveDuration": r.effective,
        "creditCost": r.cost,
        "createdAt": rfc3339(r.created),
    });
    match &r.fin {
        Some(Final::Completed) => {
            v["completedAt"] = json!(rfc3339(r.ends_at));
            v["videoUri"] = json!(format!("{VIDEO_URI_PREFIX}{}", r.id));
        }
        Some(Final::Failed { .. }) => {
            v["completedAt"] = json!(rfc3339(r.ends_at));
            v["error"] = failure_error();
        }
        Some(Final::Cancelled { at, .. }) => v["completedAt"] = json!(rfc3339(*at)),
        None => {}
    }
    v
}

/// `proxyFetchVideo`: a signed URL of the completed render's MP4.
pub(crate) fn fetch(
    state: &State,
    account: usize,
    body: &Value,
    base_url: &str,
    now: Duration,
) -> Result<Value, Failure> {
    let uri = str_field(body, "uri").unwrap_or_default();
    let r = uri
        .strip_prefix(VIDEO_URI_PREFIX)
        .and_then(|id| {
            state.renders.iter().find(|r| r.id == id && r.account == account && r.fin == Some(Final::Completed))
        })
        .ok_or_else(|| Failure::not_found(format!("No completed video {uri}")))?;
    let expires = EPOCH_UNIX_SECS + (now + URL_TTL).as_secs();
    Ok(json!({
        "videoUrl": format!("{base_url}/media/{}.mp4?expires={expires}&sig={}", r.id, media_signature(&state.media_key, &r.id, expires)),
        "mimeType": "video/mp4",
        "isWatermarked": false,
        "expiresAt": rfc3339(now + URL_TTL),
    }))
}

/// The `sig` of a media URL: HMAC-SHA256 of `{id}:{expires}`, hex, truncated.
pub(crate) fn media_signature(key: &[u8; 32], id: &str, expires: u64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(format!("{id}:{expires}").as_bytes());
    mac.finalize().into_bytes().iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// Whether `id` is a completed render (its media needs a valid signature).
pub(crate) fn is_render_video(state: &State, id: &str) -> bool {
    state.renders.iter().any(|r| r.id == id && r.fin == Some(Final::Completed))
}
