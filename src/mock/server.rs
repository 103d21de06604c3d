//! [`MockServer`]: the running mock, its clients and its controls.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::builder::MockServerBuilder;
use super::clock::MockClock;
use super::faults::Fail;
use super::state::Shared;
use crate::clock::Clock;
use crate::{Client, ClientBuilder, spec};

/// A running mock of the service. Dropping it stops the server without blocking;
/// [`shutdown`](Self::shutdown) stops it and waits until the port is closed.
pub struct MockServer {
    pub(super) shared: Arc<Shared>,
    pub(super) clock: Arc<MockClock>,
    pub(super) addr: SocketAddr,
    pub(super) uri: String,
    /// (account name, key), in account order.
    pub(super) keys: Vec<(String, String)>,
    pub(super) stop: watch::Sender<bool>,
    pub(super) tasks: Vec<JoinHandle<()>>,
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
}
