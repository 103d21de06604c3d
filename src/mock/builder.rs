//! [`MockServerBuilder`]: configure and start a mock.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::clock::{MockClock, TimeMode};
use super::server::MockServer;
use super::state::{Config, Shared, State};
use super::{http, scheduler};
use crate::types::{Engine, Tier};

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
                random_faults: None,
                request_log_limit: None,
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

    /// Inject faults at random into every authenticated call (free calls are spared),
    /// drawn from the seed: 503s and 429s before the work, connections cut after it.
    pub fn random_faults(mut self, faults: super::faults::RandomFaults) -> Self {
        self.config.random_faults = Some(faults);
        self
    }

    /// Keep only the newest `n` requests in the request log (default: all). Long-running
    /// mocks, like the standalone binary, need a bound; tests usually want everything.
    pub fn request_log_limit(mut self, n: usize) -> Self {
        self.config.request_log_limit = Some(n);
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
