//! Webhook endpoints, events and signed deliveries with retries.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::clock::rfc3339;
use super::failure::Failure;
use super::paging;
use super::records::AttemptRecord;
use super::state::{Delivery, Endpoint, Event, Shared, State};
use crate::types::{DeliveryStatus, WebhookEventType};
use crate::webhooks::{HEADER_WEBHOOK_ID, HEADER_WEBHOOK_SIGNATURE, HEADER_WEBHOOK_TIMESTAMP, Signer, WebhookSecret};

/// Endpoints an account may have.
const MAX_ENDPOINTS: usize = 5;
/// Bytes of a generated signing key.
const SECRET_BYTES: usize = 24;

fn str_field<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body.get(name).and_then(Value::as_str)
}

fn endpoint_json(e: &Endpoint) -> Value {
    let mut v = json!({"id": e.id, "url": e.url, "events": e.events, "createdAt": rfc3339(e.created)});
    if let Some(d) = &e.description {
        v["description"] = json!(d);
    }
    v
}

fn new_secret(state: &mut State) -> WebhookSecret {
    let bytes: Vec<u8> = (0..SECRET_BYTES).map(|_| state.rng.u8(..)).collect();
    WebhookSecret::from_bytes(&bytes).expect("24 bytes is a valid key length")
}

fn owned_endpoint(state: &State, account: usize, body: &Value) -> Result<usize, Failure> {
    let id = str_field(body, "endpointId").unwrap_or_default();
    state.endpoints.iter().position(|e| e.id == id && e.account == account).ok_or_else(|| Failure {
        field: Some("endpointId".into()),
        ..Failure::not_found(format!("No webhook endpoint {id}"))
    })
}

/// `proxyCreateWebhookEndpoint`: at most five per account.
pub(crate) fn create_endpoint(
    state: &mut State,
    account: usize,
    body: &Value,
    now: Duration,
) -> Result<Value, Failure> {
    let count = state.endpoints.iter().filter(|e| e.account == account).count();
    if count >= MAX_ENDPOINTS {
        return Err(Failure::new(
            403,
            "quota-exceeded",
            format!("An account can have at most {MAX_ENDPOINTS} webhook endpoints"),
        )
        .details(json!({"limit": MAX_ENDPOINTS})));
    }
    let events: Vec<String> = match body.get("events").and_then(Value::as_array) {
        Some(list) => list.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        None => WebhookEventType::KNOWN.iter().map(|t| t.as_str().to_owned()).collect(),
    };
    let secret = new_secret(state);
    let endpoint = Endpoint {
        id: state.new_id("we_", 8),
        account,
        url: str_field(body, "url").unwrap_or_default().to_owned(),
        events,
        description: str_field(body, "description").map(str::to_owned),
        secret,
        created: now,
    };
    let mut out = endpoint_json(&endpoint);
    out["secret"] = json!(endpoint.secret.expose_whsec().as_str());
    state.endpoints.push(endpoint);
    Ok(out)
}

/// `proxyListWebhookEndpoints`.
pub(crate) fn list_endpoints(state: &State, account: usize) -> Value {
    let items: Vec<Value> = state.endpoints.iter().filter(|e| e.account == account).map(endpoint_json).collect();
    json!({ "items": items })
}

/// `proxyDeleteWebhookEndpoint`: pending deliveries to it fail.
pub(crate) fn delete_endpoint(state: &mut State, account: usize, body: &Value) -> Result<Value, Failure> {
    let idx = owned_endpoint(state, account, body)?;
    let endpoint = state.endpoints.remove(idx);
    for d in state.deliveries.iter_mut().filter(|d| d.endpoint_id == endpoint.id && d.status == DeliveryStatus::Pending)
    {
        d.status = DeliveryStatus::Failed;
        d.next_attempt_at = None;
    }
    Ok(json!({"id": endpoint.id, "deleted": true}))
}

/// `proxyRotateWebhookSecret`: the old secret stops working at once.
pub(crate) fn rotate_secret(state: &mut State, account: usize, body: &Value) -> Result<Value, Failure> {
    let idx = owned_endpoint(state, account, body)?;
    let secret = new_secret(state);
    let endpoint = &mut state.endpoints[idx];
    endpoint.secret = secret;
    Ok(json!({"id": endpoint.id, "secret": endpoint.secret.expose_whsec().as_str()}))
}

/// `proxySendTestWebhook`: a `webhook.test` event to this endpoint only.
pub(crate) fn send_test(state: &mut State, account: usize, body: &Value, now: Duration) -> Result<Value, Failure> {
    let idx = owned_endpoint(state, account, body)?;
    let endpoint_id = state.endpoints[idx].id.clone();
    let data = json!({"endpointId": endpoint_id, "message": "Test event from the UGC Copilot sandbox"});
    let event = new_event(state, "webhook.test", data, now);
    let delivery = enqueue(state, idx, event.clone(), now);
    Ok(json!({"deliveryId": delivery, "eventId": event.id}))
}

/// `proxyListWebhookDeliveries`: newest first, filtered.
pub(crate) fn list_deliveries(state: &State, account: usize, body: &Value) -> Result<Value, Failure> {
    if body.get("endpointId").is_some() {
        owned_endpoint(state, account, body)?;
    }
    let (endpoint, event, status) =
        (str_field(body, "endpointId"), str_field(body, "eventId"), str_field(body, "status"));
    let items = state
        .deliveries
        .iter()
        .filter(|d| d.account == account)
        .filter(|d| endpoint.is_none_or(|e| d.endpoint_id == e) && event.is_none_or(|e| d.event.id == e))
        .filter(|d| status.is_none_or(|s| d.status.as_str() == s))
        .map(|d| (d.seq, delivery_json(d)))
        .collect();
    let (items, next) = paging::page("deliveries", items, body)?;
    Ok(paging::list_body(items, next))
}

fn delivery_json(d: &Delivery) -> Value {
    let log: Vec<Value> = d
        .attempts
        .iter()
        .map(|a| {
            let mut v = json!({"attemptedAt": rfc3339(a.at)});
            if let Some(s) = a.status_code {
                v["statusCode"] = json!(s);
            }
            if let Some(e) = &a.error {
                v["error"] = json!(e);
            }
            v
        })
        .collect();
    let mut v = json!({
        "id": d.id,
        "endpointId": d.endpoint_id,
        "eventId": d.event.id,
        "eventType": d.event.event_type,
        "status": d.status.as_str(),
        "attempts": d.attempts.len(),
        "createdAt": rfc3339(d.created),
        "attemptLog": log,
    });
    if let Some(code) = d.attempts.iter().rev().find_map(|a| a.status_code) {
        v["lastStatusCode"] = json!(code);
    }
    if let Some(at) = d.next_attempt_at {
        v["nextAttemptAt"] = json!(rfc3339(at));
    }
    v
}

/// `proxyRedeliverWebhook`: a new delivery of the same event (same id, same body).
pub(crate) fn redeliver(state: &mut State, account: usize, body: &Value, now: Duration) -> Result<Value, Failure> {
    let id = str_field(body, "deliveryId").unwrap_or_default();
    let not_found = || Failure { field: Some("deliveryId".into()), ..Failure::not_found(format!("No delivery {id}")) };
    let original =
        state.deliveries.iter().find(|d| d.id == id && d.account == account).cloned().ok_or_else(not_found)?;
    let idx = state.endpoints.iter().position(|e| e.id == original.endpoint_id).ok_or_else(not_found)?;
    let delivery = enqueue(state, idx, original.event.clone(), now);
    Ok(json!({"deliveryId": delivery, "eventId": original.event.id}))
}

fn new_event(state: &mut State, event_type: &str, data: Value, at: Duration) -> Event {
    let id = state.new_id("evt_", 12);
    let payload = json!({"id": id, "type": event_type, "createdAt": rfc3339(at), "data": data}).to_string();
    Event { id, event_type: event_type.to_owned(), payload: payload.into() }
}

fn enqueue(state: &mut State, endpoint: usize, event: Event, at: Duration) -> String {
    let id = state.new_id("dlv_", 12);
    let seq = state.next_seq();
    let e = &state.endpoints[endpoint];
    let delivery = Delivery {
        seq,
        id: id.clone(),
        account: e.account,
        endpoint_id: e.id.clone(),
        url: e.url.clone(),
        event,
        status: DeliveryStatus::Pending,
        attempts: Vec::new(),
        next_attempt_at: Some(at),
        sending: false,
        created: at,
    };
    state.deliveries.push(delivery);
    id
}

/// Emits an event of `account` to every endpoint subscribed to its type.
pub(crate) fn emit(state: &mut State, account: usize, event_type: &str, data: Value, at: Duration) {
    let targets: Vec<usize> = (0..state.endpoints.len())
        .filter(|&i| state.endpoints[i].account == account && state.endpoints[i].events.iter().any(|t| t == event_type))
        .collect();
    if targets.is_empty() {
        return;
    }
    let event = new_event(state, event_type, data, at);
    for i in targets {
        enqueue(state, i, event.clone(), at);
    }
}

/// An attempt to put on the wire.
#[derive(Debug)]
pub(crate) struct Job {
    delivery_id: String,
    url: String,
    event_id: String,
    payload: Arc<str>,
    secret: WebhookSecret,
    number: u32,
    due: Duration,
}

/// Attempts due by `now`, marked as sending.
pub(crate) fn take_due(state: &mut State, now: Duration) -> Vec<Job> {
    let mut jobs = Vec::new();
    for i in 0..state.deliveries.len() {
        let d = &state.deliveries[i];
        let Some(due) = d.next_attempt_at.filter(|t| *t <= now && !d.sending && d.status == DeliveryStatus::Pending)
        else {
            continue;
        };
        let Some(endpoint) = state.endpoints.iter().find(|e| e.id == d.endpoint_id) else { continue };
        // Signed with the secret current at send time: a rotation takes effect at once.
        let job = Job {
            delivery_id: d.id.clone(),
            url: d.url.clone(),
            event_id: d.event.id.clone(),
            payload: d.event.payload.clone(),
            secret: endpoint.secret.clone(),
            number: u32::try_from(d.attempts.len()).unwrap_or(u32::MAX) + 1,
            due,
        };
        state.deliveries[i].sending = true;
        jobs.push(job);
    }
    jobs
}

/// When the next attempt not yet on the wire is due.
pub(crate) fn next_due(state: &State) -> Option<Duration> {
    state
        .deliveries
        .iter()
        .filter(|d| !d.sending && d.status == DeliveryStatus::Pending)
        .filter_map(|d| d.next_attempt_at)
        .min()
}

/// Sends one attempt and records it; a failure schedules the next attempt from the
/// retry schedule, counted from when this one was due.
pub(crate) async fn attempt(shared: Arc<Shared>, job: Job) {
    // Real time: receivers compare it with their own wall clock.
    let timestamp = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let signature = Signer::new(&job.secret).sign(&job.event_id, timestamp, job.payload.as_bytes());
    let send = shared
        .http
        .post(&job.url)
        .header("content-type", "application/json")
        .header(HEADER_WEBHOOK_ID, &job.event_id)
        .header(HEADER_WEBHOOK_TIMESTAMP, timestamp.to_string())
        .header(HEADER_WEBHOOK_SIGNATURE, signature)
        .body(job.payload.to_string())
        .send();
    let result = tokio::select! {
        r = send => r,
        () = shared.stopped() => return,
    };
    let (status_code, error) = match result {
        Ok(resp) => (Some(resp.status().as_u16()), None),
        Err(e) => (None, Some(if e.is_timeout() { "timed out after 10 s".to_owned() } else { e.to_string() })),
    };
    {
        let mut state = shared.lock();
        let schedule = state.config.retry_schedule.clone();
        if let Some(d) = state.deliveries.iter_mut().find(|d| d.id == job.delivery_id) {
            let record =
                AttemptRecord { number: job.number, at: job.due, webhook_timestamp: timestamp, status_code, error };
            let ok = record.succeeded();
            d.attempts.push(record);
            d.sending = false;
            let retry = schedule.get(job.number as usize - 1).filter(|_| !ok && d.status == DeliveryStatus::Pending);
            match retry {
                Some(delay) => d.next_attempt_at = Some(job.due + *delay),
                None => {
                    d.next_attempt_at = None;
                    if d.status == DeliveryStatus::Pending {
                        d.status = if ok { DeliveryStatus::Succeeded } else { DeliveryStatus::Failed };
                    }
                }
            }
        }
    }
    shared.attempts.notify_waiters();
    shared.wake.notify_one();
}
