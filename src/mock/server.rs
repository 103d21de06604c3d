//! [`MockServer`]: start, configure, control and inspect the mock.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::clock::{MockClock, TimeMode};
use super::faults::Fail;
use super::records::{DeliveryRecord, IdempotencyEntry, LedgerEntry, RecordedRequest, RenderSnapshot};
use super::state::{Config, Shared, State};
use super::{http, idempotency, renders, scheduler};
use crate::clock::Clock;
use crate::types::{DeliveryStatus, Engine, Tier, TransactionKind};
use crate::{Client, ClientBuilder, spec};

/// Configures a [`MockServer`]; get one with [`MockServer::builder`].
///
/// ```
/// use std::time::Duration;
/// use ugc_video::mock::{MockServer, TimeMode};
/// use ugc_video::types::{Engine, Tier};
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let mock = MockServer::builder()
///     .seed(7)
///     .account("small", Tier::Starter, 100)
///     .account("big", Tier::Scale, 50_000)
///     .render_time(Engine::Sora, Duration::from_secs(10))
///     .failure_rate(0.25)
///     .time_mode(TimeMode::Manual)
///     .start()
///     .await;
/// assert!(mock.api_key().starts_with("ugc_test_")); // the first account's key
/// assert_ne!(mock.api_key_for("big"), Some(mock.api_key()));
/// # });
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct MockServerBuilder {
    seed: u64,
    time_mode: TimeMode,
    accounts: Vec<(String, Tier, i64)>,
    config: Config,
    bind: SocketAddr,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        let render_times = [("veo", 30), ("seedance", 45), ("sora", 60), ("kling", 75)]
            .into_iter()
            .map(|(e, s)| (e.to_owned(), Duration::from_secs(s)))
            .collect::<HashMap<_, _>>();
        Self {
            seed: 0x5eed,
            time_mode: TimeMode::Manual,
            accounts: Vec::new(),
            config: Config {
                render_times,
                default_render_time: Duration::from_secs(60),
                queue_time: Duration::from_secs(5),
                failure_rate: 0.0,
                rate_limits: true,
                retry_schedule: [60, 300, 1800, 7200, 21_600].into_iter().map(Duration::from_secs).collect(),
            },
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        }
    }
}

impl MockServerBuilder {
    /// Seed of every random choice (keys, ids, secrets, failures, content).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// How virtual time moves (default [`TimeMode::Manual`]).
    pub fn time_mode(mut self, mode: TimeMode) -> Self {
        self.time_mode = mode;
        self
    }

    /// Adds an account. The first one is what [`MockServer::api_key`] and
    /// [`MockServer::client`] use; without any, the mock has one account named
    /// `default`, tier Pro, 10 000 credits. The starting balance is a `grant` in the
    /// ledger.
    pub fn account(mut self, name: impl Into<String>, tier: Tier, balance: i64) -> Self {
        self.accounts.push((name.into(), tier, balance));
        self
    }

    /// How long `engine` renders after leaving the queue (defaults: Veo 30 s,
    /// Seedance 45 s, Sora 60 s, Kling 75 s).
    pub fn render_time(mut self, engine: Engine, d: Duration) -> Self {
        self.config.render_times.insert(engine.as_str().to_owned(), d);
        self
    }

    /// How long a render stays `queued` (and cancellable) before rendering (default 5 s).
    pub fn queue_time(mut self, d: Duration) -> Self {
        self.config.queue_time = d;
        self
    }

    /// Share of renders that fail (and are refunded), drawn from the seeded RNG
    /// (default 0). [`MockServer::fail_next_renders`] forces failures exactly.
    pub fn failure_rate(mut self, rate: f64) -> Self {
        self.config.failure_rate = rate.clamp(0.0, 1.0);
        self
    }

    /// Enforce the per-key sliding windows and the free per-IP daily quotas
    /// (default on). The concurrency cap, a plan property, always applies.
    pub fn rate_limits(mut self, on: bool) -> Self {
        self.config.rate_limits = on;
        self
    }

    /// Delays before each retry of a failed webhook attempt (default 1 m, 5 m, 30 m,
    /// 2 h, 6 h). After the last, the delivery is `failed`.
    ///
    /// # Panics
    /// With more than five delays: the spec allows six attempts in all.
    pub fn webhook_retry_schedule(mut self, delays: Vec<Duration>) -> Self {
        assert!(delays.len() <= 5, "the spec allows at most 6 delivery attempts (5 retries)");
        self.config.retry_schedule = delays;
        self
    }

    /// Address to listen on (default `127.0.0.1:0`, a free port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// Starts the server on the current tokio runtime.
    ///
    /// # Panics
    /// If the address cannot be bound; see [`try_start`](Self::try_start).
    pub async fn start(self) -> MockServer {
        let bind = self.bind;
        self.try_start().await.unwrap_or_else(|e| panic!("the mock cannot listen on {bind}: {e}"))
    }

    /// Starts the server, reporting a bind failure.
    pub async fn try_start(self) -> std::io::Result<MockServer> {
        let listener = tokio::net::TcpListener::bind(self.bind).await?;
        let addr = listener.local_addr()?;
        let uri = format!("http://{addr}");
        let mut accounts = self.accounts;
        if accounts.is_empty() {
            accounts.push(("default".into(), Tier::Pro, 10_000));
        }
        let state = State::new(fastrand::Rng::with_seed(self.seed), self.config, &accounts);
        let keys = state.accounts.iter().map(|a| (a.name.clone(), a.key.clone())).collect();
        let clock = Arc::new(MockClock::new(self.time_mode));
        let (stop, stopped) = watch::channel(false);
        let shared = Arc::new(Shared::new(state, clock.clone(), uri.clone(), stopped));

        let app = http::router(shared.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let on_stop = shared.clone();
        let serve = tokio::spawn(async move {
            let graceful = axum::serve(listener, app).with_graceful_shutdown(async move { on_stop.stopped().await });
            if let Err(e) = graceful.await {
                tracing::warn!(error = %e, "mock server stopped with an error");
            }
        });
        let scheduler = tokio::spawn(scheduler::run(shared.clone()));
        Ok(MockServer { shared, clock, addr, uri, keys, stop, tasks: vec![serve, scheduler] })
    }
}

/// A running mock of the service. Dropping it stops the server without blocking;
/// [`shutdown`](Self::shutdown) stops it and waits until the port is closed.
pub struct MockServer {
    shared: Arc<Shared>,
    clock: Arc<MockClock>,
    addr: SocketAddr,
    uri: String,
    keys: Vec<(String, String)>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer").field("uri", &self.uri).field("clock", &self.clock).finish_non_exhaustive()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        // Only a signal: the tasks wind down on their own; nothing waits here.
        self.stop.send_replace(true);
    }
}

fn op(name: &str) -> &'static spec::Operation {
    spec::operation(name).unwrap_or_else(|| panic!("{name} is not an operation of the spec"))
}

impl MockServer {
    /// A mock with the default settings (one Pro account with 10 000 credits, manual
    /// time, seed fixed).
    pub async fn start() -> MockServer {
        MockServerBuilder::default().start().await
    }

    /// Configures a mock.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// Base URL, `http://127.0.0.1:{port}`.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The first account's sandbox key (`ugc_test_` + 32 hex characters).
    pub fn api_key(&self) -> &str {
        &self.keys[0].1
    }

    /// The key of the account named `name`.
    pub fn api_key_for(&self, name: &str) -> Option<&str> {
        self.keys.iter().find(|(n, _)| n == name).map(|(_, k)| k.as_str())
    }

    /// A [`ClientBuilder`] set up for the mock: its base URL, the first account's key
    /// and the mock's clock (so client sleeps advance virtual time).
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder().base_url(&self.uri).api_key(self.api_key()).clock(self.clock.clone() as Arc<dyn Clock>)
    }

    /// A [`Client`] for the first account; see [`client_builder`](Self::client_builder).
    pub fn client(&self) -> Client {
        self.client_builder().build().expect("the mock's URL and key make a valid client")
    }

    /// A [`Client`] for the account named `name`.
    ///
    /// # Panics
    /// If there is no such account.
    pub fn client_for(&self, name: &str) -> Client {
        let key = self.api_key_for(name).unwrap_or_else(|| panic!("no mock account named {name}"));
        self.client_builder().api_key(key).build().expect("the mock's URL and key make a valid client")
    }

    /// The mock's clock.
    pub fn clock(&self) -> Arc<MockClock> {
        self.clock.clone()
    }

    /// Virtual time since start.
    pub fn now(&self) -> Duration {
        self.clock.elapsed()
    }

    /// Moves virtual time forward: renders progress and finish, windows slide,
    /// idempotency keys expire and due webhook attempts are sent.
    pub fn advance(&self, d: Duration) {
        self.clock.advance(d);
    }

    /// Stops the server and waits until the port is closed and its tasks ended.
    pub async fn shutdown(mut self) {
        self.stop.send_replace(true);
        for task in self.tasks.drain(..) {
            let _ = task.await;
        }
    }

    /// The next `n` calls of `operation` answer `status` (with `Retry-After` when
    /// given) without doing any work, right after being recorded.
    ///
    /// # Panics
    /// If the operation is unknown or the spec does not declare `status` for it.
    pub fn fail_next(&self, operation: &str, n: u32, status: u16, retry_after: Option<Duration>) {
        let op = op(operation);
        assert!(op.statuses.contains(&status), "the spec declares {:?} for {operation}, not {status}", op.statuses);
        self.shared.lock().faults.fail_next(op.name, n, Fail { status, retry_after });
    }

    /// The next `n` calls of `operation` do their work and store their idempotent
    /// response, then the connection is cut mid-body: a retry with the same key gets
    /// the replay.
    ///
    /// # Panics
    /// If the operation is unknown.
    pub fn drop_next(&self, operation: &str, n: u32) {
        let op = op(operation);
        self.shared.lock().faults.drop_next(op.name, n);
    }

    /// Every call of `operation` accepted past validation takes `d` of virtual time
    /// before its work starts (its idempotency key is in flight meanwhile).
    /// `Duration::ZERO` removes the rule. In manual time, advance the clock to let
    /// such calls finish.
    ///
    /// # Panics
    /// If the operation is unknown.
    pub fn latency(&self, operation: &str, d: Duration) {
        let op = op(operation);
        self.shared.lock().faults.set_latency(op.name, d);
    }

    /// The next `n` renders started fail when they end (and are refunded).
    pub fn fail_next_renders(&self, n: u32) {
        self.shared.lock().faults.failing_renders += n;
    }

    fn account(&self, key: &str) -> usize {
        self.shared.lock().account_by_key(key).unwrap_or_else(|| panic!("no mock account has the key {key}"))
    }

    /// Credit balance of the account with `key`.
    ///
    /// # Panics
    /// If no account has this key (as for every method taking a key).
    pub fn balance(&self, key: &str) -> i64 {
        let a = self.account(key);
        self.settled().accounts[a].balance
    }

    /// Adds `credits` to the account with `key` as a `grant` ledger entry.
    pub fn grant(&self, key: &str, credits: i64) {
        let a = self.account(key);
        let now = self.now();
        self.settled().post(a, TransactionKind::Grant, credits, None, "Sandbox grant", now);
    }

    /// The ledger of the account with `key`, oldest first.
    pub fn ledger(&self, key: &str) -> Vec<LedgerEntry> {
        let a = self.account(key);
        self.settled().accounts[a].ledger.clone()
    }

    /// Every render of every account, oldest first, as of now.
    pub fn renders(&self) -> Vec<RenderSnapshot> {
        let now = self.now();
        let st = self.settled();
        st.renders
            .iter()
            .map(|r| RenderSnapshot {
                operation_name: r.operation_name.clone(),
                account: st.accounts[r.account].name.clone(),
                engine: r.engine.clone(),
                quality: r.quality.clone(),
                requested_duration: r.requested,
                effective_duration: r.effective,
                credit_cost: r.cost,
                status: renders::status_of(r, now),
                progress: renders::progress_of(r, now),
                refunded: match &r.fin {
                    Some(super::state::Final::Failed { .. } | super::state::Final::Cancelled { .. }) => Some(r.cost),
                    _ => None,
                },
                created_at: r.created,
                rendering_at: r.rendering_at,
                ends_at: r.ends_at,
            })
            .collect()
    }

    /// Renders of the account with `key` queued or rendering now.
    pub fn in_flight(&self, key: &str) -> usize {
        let a = self.account(key);
        let now = self.now();
        self.settled().in_flight(a, now)
    }

    /// The most renders the account with `key` ever had in flight at once.
    pub fn max_in_flight(&self, key: &str) -> usize {
        let a = self.account(key);
        self.shared.lock().accounts[a].max_in_flight
    }

    /// Every request received, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// Stored idempotency keys not yet expired, oldest first.
    pub fn idempotency_entries(&self) -> Vec<IdempotencyEntry> {
        let now = self.now();
        let st = self.shared.lock();
        let mut out: Vec<IdempotencyEntry> = st
            .idempotency
            .iter()
            .filter(|(_, _, e)| e.created + idempotency::TTL > now)
            .map(|(a, key, e)| IdempotencyEntry {
                account: st.accounts[a].name.clone(),
                key: key.to_owned(),
                operation: e.op,
                in_flight: e.stored.is_none(),
                status: e.stored.as_ref().map(|(s, _)| *s),
                body: e.stored.as_ref().map(|(_, b)| b.clone()),
                created_at: e.created,
                expires_at: e.created + idempotency::TTL,
            })
            .collect();
        out.sort_by(|a, b| (a.created_at, &a.key).cmp(&(b.created_at, &b.key)));
        out
    }

    /// Every webhook delivery, oldest first, with its attempts.
    pub fn deliveries(&self) -> Vec<DeliveryRecord> {
        self.shared
            .lock()
            .deliveries
            .iter()
            .map(|d| DeliveryRecord {
                id: d.id.clone(),
                endpoint_id: d.endpoint_id.clone(),
                url: d.url.clone(),
                event_id: d.event.id.clone(),
                event_type: d.event.event_type.clone(),
                payload: d.event.payload.to_string(),
                status: d.status.clone(),
                attempts: d.attempts.clone(),
                next_attempt_at: d.next_attempt_at,
                created_at: d.created,
            })
            .collect()
    }

    /// Waits until at least `n` deliveries have succeeded. Wakes on each finished
    /// attempt; never polls. In manual time, advance the clock far enough first.
    pub async fn wait_for_deliveries(&self, n: usize) {
        let succeeded = |st: &State| st.deliveries.iter().filter(|d| d.status == DeliveryStatus::Succeeded).count();
        self.wait_until(&self.shared.attempts, |st| succeeded(st) >= n).await;
    }

    /// Waits until at least `n` delivery attempts (of any outcome) have finished.
    pub async fn wait_for_attempts(&self, n: usize) {
        self.wait_until(&self.shared.attempts, |st| st.deliveries.iter().map(|d| d.attempts.len()).sum::<usize>() >= n)
            .await;
    }

    /// Waits until at least `n` requests have been received and admitted or refused
    /// (a call held by a [`latency`](Self::latency) rule counts once it waits), e.g.
    /// to know a client's call reached the mock before advancing the clock.
    pub async fn wait_for_requests(&self, n: usize) {
        self.wait_until(&self.shared.recorded, |st| st.requests.len() >= n).await;
    }

    async fn wait_until(&self, signal: &tokio::sync::Notify, done: impl Fn(&State) -> bool) {
        // Attempts due now may not have been started yet: nudge the scheduler.
        self.shared.wake.notify_one();
        loop {
            let notified = signal.notified();
            tokio::pin!(notified);
            // Registered before checking, so an attempt finishing in between is seen.
            notified.as_mut().enable();
            if done(&self.shared.lock()) {
                return;
            }
            notified.await;
        }
    }

    /// The state with every render due by now settled (refunds and events applied).
    fn settled(&self) -> std::sync::MutexGuard<'_, State> {
        let now = self.now();
        let mut st = self.shared.lock();
        if renders::settle(&mut st, now) {
            self.shared.wake.notify_one();
        }
        st
    }
}
