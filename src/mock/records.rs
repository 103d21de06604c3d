//! Snapshots of the mock's state that tests inspect. Times are virtual time since
//! the mock started (see [`MockClock`](super::MockClock)).

use std::net::IpAddr;
use std::time::Duration;

use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::types::{DeliveryStatus, Engine, Quality, TransactionKind, VideoStatus};

/// One credit transaction of an account.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct LedgerEntry {
    /// Transaction id (`txn_…`), as `proxyListCreditTransactions` shows it.
    pub id: String,
    /// Charge, refund or grant.
    pub kind: TransactionKind,
    /// Signed amount: charges are negative.
    pub amount: i64,
    /// Balance right after this entry.
    pub balance_after: i64,
    /// The render it belongs to, for render charges and refunds.
    pub operation_name: Option<String>,
    /// Which operation charged, or why credits came back.
    pub description: String,
    /// When it happened.
    pub at: Duration,
}

/// A render as the mock sees it now.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RenderSnapshot {
    /// Operation name (`operations/{engine}/{hex}`).
    pub operation_name: String,
    /// Name of the owning account.
    pub account: String,
    /// Engine.
    pub engine: Engine,
    /// Quality.
    pub quality: Quality,
    /// Duration asked for.
    pub requested_duration: u32,
    /// Duration rendered after snapping.
    pub effective_duration: u32,
    /// Credits charged at start.
    pub credit_cost: u32,
    /// State at the current virtual time.
    pub status: VideoStatus,
    /// 0–100.
    pub progress: u32,
    /// Credits refunded (failed or cancelled renders).
    pub refunded: Option<u32>,
    /// Start time.
    pub created_at: Duration,
    /// When it leaves `queued` for `rendering`.
    pub rendering_at: Duration,
    /// When it completes or fails.
    pub ends_at: Duration,
}

/// One HTTP request the mock received, with what it answered.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// Arrival time.
    pub at: Duration,
    /// HTTP method.
    pub method: String,
    /// Request path.
    pub path: String,
    /// The operation called: set for every `POST /{operation}`, `None` for unknown
    /// paths and other methods.
    pub operation: Option<&'static str>,
    /// Request headers as received.
    pub headers: HeaderMap,
    /// Request body: parsed JSON, a JSON string holding the raw text when it is not
    /// JSON, or `Null` when empty.
    pub body: Value,
    /// Peer address.
    pub client_ip: IpAddr,
    /// Account the bearer key belongs to, once authenticated.
    pub account: Option<String>,
    /// Status answered (0 while the request is still being handled).
    pub status: u16,
    /// Response headers.
    pub response_headers: HeaderMap,
    /// Response body as JSON (`Null` for non-JSON bodies).
    pub response_body: Value,
    /// Whether the response replayed a stored idempotent response.
    pub replayed: bool,
    /// Whether the connection was cut after the work was committed (`drop_next`).
    pub dropped: bool,
}

impl RecordedRequest {
    /// A request header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A response header as text.
    pub fn response_header(&self, name: &str) -> Option<&str> {
        self.response_headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A stored `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct IdempotencyEntry {
    /// Owning account's name: keys are scoped per account.
    pub account: String,
    /// The key.
    pub key: String,
    /// Operation it was first used with.
    pub operation: &'static str,
    /// Whether the first request is still being handled.
    pub in_flight: bool,
    /// Stored status, once finished.
    pub status: Option<u16>,
    /// Stored body, once finished.
    pub body: Option<Value>,
    /// When the key was first seen.
    pub created_at: Duration,
    /// When the key is forgotten (24 h after it was first seen).
    pub expires_at: Duration,
}

/// One webhook delivery: an event to an endpoint, with every attempt.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DeliveryRecord {
    /// Delivery id (`dlv_…`).
    pub id: String,
    /// Endpoint id (`we_…`).
    pub endpoint_id: String,
    /// Endpoint URL.
    pub url: String,
    /// Event id (`evt_…`), also the `webhook-id` header; redeliveries keep it.
    pub event_id: String,
    /// Event type.
    pub event_type: String,
    /// The exact body POSTed.
    pub payload: String,
    /// Pending, succeeded or failed.
    pub status: DeliveryStatus,
    /// Attempts so far.
    pub attempts: Vec<AttemptRecord>,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<Duration>,
    /// When the delivery was created.
    pub created_at: Duration,
}

/// One attempt of a delivery.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AttemptRecord {
    /// 1 for the first attempt.
    pub number: u32,
    /// Virtual time the attempt was due (and is logged at).
    pub at: Duration,
    /// Unix seconds sent in `webhook-timestamp` (real time: receivers check it
    /// against their wall clock).
    pub webhook_timestamp: u64,
    /// The receiver's status code, when it answered.
    pub status_code: Option<u16>,
    /// The transport error, when it did not.
    pub error: Option<String>,
}

impl AttemptRecord {
    /// Whether the receiver answered 2xx.
    pub fn succeeded(&self) -> bool {
        self.status_code.is_some_and(|s| (200..300).contains(&s))
    }
}

/// The request log: every request in order, or the newest `limit` of them when the
/// mock runs for long (the standalone binary), so memory stays bounded.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    entries: std::collections::VecDeque<RecordedRequest>,
    /// Requests ever logged; ids are positions in this sequence.
    total: usize,
    limit: Option<usize>,
}

impl RequestLog {
    pub(crate) fn new(limit: Option<usize>) -> Self {
        Self { limit, ..Self::default() }
    }

    /// Logs a request and returns its id.
    pub(crate) fn push(&mut self, r: RecordedRequest) -> usize {
        if self.limit.is_some_and(|l| self.entries.len() >= l.max(1)) {
            self.entries.pop_front();
        }
        self.entries.push_back(r);
        self.total += 1;
        self.total - 1
    }

    /// The request with this id, unless it has aged out of the log.
    pub(crate) fn get_mut(&mut self, id: usize) -> Option<&mut RecordedRequest> {
        let first = self.total - self.entries.len();
        id.checked_sub(first).and_then(|i| self.entries.get_mut(i))
    }

    /// Requests ever logged, including those aged out.
    pub(crate) fn total(&self) -> usize {
        self.total
    }

    pub(crate) fn to_vec(&self) -> Vec<RecordedRequest> {
        self.entries.iter().cloned().collect()
    }
}
