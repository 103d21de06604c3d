//! Everything the mock remembers, behind one `std::sync::Mutex` that is never held
//! across an `.await`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::{Notify, watch};

use super::clock::MockClock;
use super::faults::Faults;
use super::idempotency::IdempotencyStore;
use super::limits::Limits;
use super::records::{AttemptRecord, LedgerEntry, RequestLog};
use crate::types::{DeliveryStatus, Engine, Quality, Tier, TransactionKind};
use crate::webhooks::WebhookSecret;

/// Settings fixed at start.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub render_times: HashMap<String, Duration>,
    pub default_render_time: Duration,
    pub queue_time: Duration,
    pub failure_rate: f64,
    pub rate_limits: bool,
    pub retry_schedule: Vec<Duration>,
    pub random_faults: Option<super::faults::RandomFaults>,
    pub request_log_limit: Option<usize>,
}

impl Config {
    pub fn render_time(&self, engine: &Engine) -> Duration {
        self.render_times.get(engine.as_str()).copied().unwrap_or(self.default_render_time)
    }
}

#[derive(Debug)]
pub(crate) struct Account {
    pub name: String,
    pub key: String,
    pub tier: Tier,
    pub balance: i64,
    pub ledger: Vec<LedgerEntry>,
    pub max_in_flight: usize,
}

impl Account {
    pub fn concurrency_cap(&self) -> usize {
        match self.tier {
            Tier::Starter => 3,
            Tier::Scale => 25,
            _ => 8,
        }
    }
}

/// A render's terminal state, once reached.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Final {
    Completed,
    Failed { refund_txn: String },
    Cancelled { at: Duration, refund_txn: String },
}

#[derive(Debug, Clone)]
pub(crate) struct Render {
    pub seq: u64,
    pub id: String,
    pub operation_name: String,
    pub account: usize,
    pub engine: Engine,
    pub quality: Quality,
    pub requested: u32,
    pub effective: u32,
    pub cost: u32,
    pub created: Duration,
    pub rendering_at: Duration,
    pub ends_at: Duration,
    /// Decided at start: forced failures first, then the seeded failure rate.
    pub will_fail: bool,
    pub fin: Option<Final>,
}

#[derive(Debug)]
pub(crate) struct Endpoint {
    pub id: String,
    pub account: usize,
    pub url: String,
    pub events: Vec<String>,
    pub description: Option<String>,
    pub secret: WebhookSecret,
    pub created: Duration,
}

#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub id: String,
    pub event_type: String,
    pub payload: Arc<str>,
}

#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub seq: u64,
    pub id: String,
    pub account: usize,
    pub endpoint_id: String,
    pub url: String,
    pub event: Event,
    pub status: DeliveryStatus,
    pub attempts: Vec<AttemptRecord>,
    pub next_attempt_at: Option<Duration>,
    /// An attempt is on the wire; the scheduler must not start another.
    pub sending: bool,
    pub created: Duration,
}

#[derive(Debug)]
pub(crate) struct State {
    pub rng: fastrand::Rng,
    pub config: Config,
    pub accounts: Vec<Account>,
    pub renders: Vec<Render>,
    pub endpoints: Vec<Endpoint>,
    pub deliveries: Vec<Delivery>,
    pub idempotency: IdempotencyStore,
    pub limits: Limits,
    pub faults: Faults,
    pub requests: RequestLog,
    pub media_key: [u8; 32],
    seq: u64,
}

/// Lowercase hex of `n` random bytes.
pub(crate) fn hex(rng: &mut fastrand::Rng, n: usize) -> String {
    (0..n).map(|_| format!("{:02x}", rng.u8(..))).collect()
}

impl State {
    pub fn new(mut rng: fastrand::Rng, config: Config, accounts: &[(String, Tier, i64)]) -> Self {
        let mut media_key = [0u8; 32];
        media_key.iter_mut().for_each(|b| *b = rng.u8(..));
        let requests = RequestLog::new(config.request_log_limit);
        let mut faults = Faults::default();
        if let Some(r) = config.random_faults {
            faults.random = Some((r, fastrand::Rng::with_seed(rng.u64(..))));
        }
        let mut state = Self {
            rng,
            config,
            accounts: Vec::new(),
            renders: Vec::new(),
            endpoints: Vec::new(),
            deliveries: Vec::new(),
            idempotency: IdempotencyStore::default(),
            limits: Limits::default(),
            faults,
            requests,
            media_key,
            seq: 0,
        };
        for (name, tier, balance) in accounts {
            let key = format!("ugc_test_{}", hex(&mut state.rng, 16));
            let idx = state.accounts.len();
            state.accounts.push(Account {
                name: name.clone(),
                key,
                tier: tier.clone(),
                balance: 0,
                ledger: Vec::new(),
                max_in_flight: 0,
            });
            if *balance != 0 {
                state.post(idx, TransactionKind::Grant, *balance, None, "Sandbox starting balance", Duration::ZERO);
            }
        }
        state
    }

    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub fn new_id(&mut self, prefix: &str, bytes: usize) -> String {
        format!("{prefix}{}", hex(&mut self.rng, bytes))
    }

    pub fn account_by_key(&self, key: &str) -> Option<usize> {
        self.accounts.iter().position(|a| a.key == key)
    }

    /// Adds a ledger entry and moves the balance; returns the transaction id.
    pub fn post(
        &mut self,
        account: usize,
        kind: TransactionKind,
        amount: i64,
        operation_name: Option<String>,
        description: &str,
        at: Duration,
    ) -> String {
        let id = self.new_id("txn_", 12);
        let acct = &mut self.accounts[account];
        acct.balance += amount;
        acct.ledger.push(LedgerEntry {
            id: id.clone(),
            kind,
            amount,
            balance_after: acct.balance,
            operation_name,
            description: description.to_owned(),
            at,
        });
        id
    }

    /// Renders of `account` still queued or rendering at `now`.
    pub fn in_flight(&self, account: usize, now: Duration) -> usize {
        self.renders.iter().filter(|r| r.account == account && r.fin.is_none() && r.ends_at > now).count()
    }
}

/// What the server's tasks share.
#[derive(Debug)]
pub(crate) struct Shared {
    state: Mutex<State>,
    pub clock: Arc<MockClock>,
    pub base_url: String,
    /// Wakes the scheduler: a render or delivery was added or changed.
    pub wake: Notify,
    /// Signalled when a delivery attempt finishes.
    pub attempts: Notify,
    /// Signalled when a request has been recorded (and admitted or refused).
    pub recorded: Notify,
    pub shutdown: watch::Receiver<bool>,
    pub http: reqwest::Client,
}

/// The client webhook deliveries go out on, built once per process: loading the
/// system's root certificates costs milliseconds, which every mock start would
/// otherwise pay. Pooling is off, so no connection outlives the runtime (each
/// test has its own) that opened it.
fn delivery_client() -> reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT
        .get_or_init(|| {
            reqwest::Client::builder()
                // A receiver has 10 s of real time to answer an attempt.
                .timeout(Duration::from_secs(10))
                .pool_max_idle_per_host(0)
                .build()
                .unwrap_or_default()
        })
        .clone()
}

impl Shared {
    pub fn new(state: State, clock: Arc<MockClock>, base_url: String, shutdown: watch::Receiver<bool>) -> Self {
        Self {
            state: Mutex::new(state),
            clock,
            base_url,
            wake: Notify::new(),
            attempts: Notify::new(),
            recorded: Notify::new(),
            shutdown,
            http: delivery_client(),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking handler cannot leave the plain data here half-updated in a way
        // that matters more than losing the whole mock.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn now(&self) -> Duration {
        self.clock.elapsed()
    }

    /// Resolves when shutdown was requested.
    pub async fn stopped(&self) {
        let mut rx = self.shutdown.clone();
        let _ = rx.wait_for(|s| *s).await;
    }
}
