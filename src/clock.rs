//! The one seam through which the SDK waits: retry backoff and polling.
//!
//! Tests swap in [`VirtualClock`] (or the mock server's clock) so no test waits on
//! real time. tokio's paused clock is deliberately not used: it auto-advances while
//! a real socket is idle and fires client timeouts spuriously.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// A boxed sleep future.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// A source of time and sleeps.
///
/// ```
/// use std::time::Duration;
/// use ugc_video::clock::{Clock, VirtualClock};
///
/// # tokio_test();
/// # fn tokio_test() { tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let clock = VirtualClock::new();
/// let before = clock.now();
/// clock.sleep(Duration::from_secs(3600)).await; // returns at once
/// assert_eq!(clock.now() - before, Duration::from_secs(3600));
/// assert_eq!(clock.sleeps(), vec![Duration::from_secs(3600)]);
/// # }) }
/// ```
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// Monotonic now.
    fn now(&self) -> Instant;
    /// Wall-clock now, for HTTP dates.
    fn wall(&self) -> SystemTime {
        SystemTime::now()
    }
    /// A future that completes after `d` of this clock's time.
    fn sleep(&self, d: Duration) -> Sleep;
}

/// Real time, through tokio's timer.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioClock;

impl Clock for TokioClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
    fn sleep(&self, d: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(d))
    }
}

/// A clock that never waits: every sleep returns at once and moves this clock's time
/// forward by the requested amount. It records each sleep, so tests can assert the
/// exact backoff the client chose.
#[derive(Debug, Clone)]
pub struct VirtualClock {
    inner: Arc<Mutex<VirtualState>>,
}

#[derive(Debug)]
struct VirtualState {
    start: Instant,
    start_wall: SystemTime,
    elapsed: Duration,
    sleeps: Vec<Duration>,
}

impl Default for VirtualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl VirtualClock {
    /// A clock starting at the real now.
    pub fn new() -> Self {
        Self {
            inner: Arc::new(Mutex::new(VirtualState {
                start: Instant::now(),
                start_wall: SystemTime::now(),
                elapsed: Duration::ZERO,
                sleeps: Vec::new(),
            })),
        }
    }

    /// Every sleep requested so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.lock().sleeps.clone()
    }

    /// Total virtual time elapsed.
    pub fn elapsed(&self) -> Duration {
        self.lock().elapsed
    }

    /// Moves time forward without a sleep.
    pub fn advance(&self, d: Duration) {
        self.lock().elapsed += d;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VirtualState> {
        // A panic elsewhere cannot leave this plain data inconsistent.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> Instant {
        let s = self.lock();
        s.start + s.elapsed
    }
    fn wall(&self) -> SystemTime {
        let s = self.lock();
        s.start_wall + s.elapsed
    }
    fn sleep(&self, d: Duration) -> Sleep {
        {
            let mut s = self.lock();
            s.elapsed += d;
            s.sleeps.push(d);
        }
        // Yield once so a loop of zero-length sleeps still lets other tasks run.
        Box::pin(tokio::task::yield_now())
    }
}
