//! Injected faults: answer a status instead of working, cut the connection after
//! committing, or take longer.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fail {
    pub status: u16,
    pub retry_after: Option<Duration>,
}

/// Faults drawn at random for every authenticated call, from the mock's seed: the
/// weather a client meets in production, for soak tests.
///
/// ```
/// use std::time::Duration;
/// use ugc_video::mock::RandomFaults;
///
/// let faults = RandomFaults::new().unavailable(0.10).rate_limited(0.05).dropped(0.05).retry_after(Duration::from_secs(1));
/// # let _ = faults;
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct RandomFaults {
    /// Share of calls answered 503 `unavailable` without doing the work.
    pub unavailable: f64,
    /// Share of calls answered 429 `rate-limited` without doing the work.
    pub rate_limited: f64,
    /// Share of calls whose connection is cut after the work was committed.
    pub dropped: f64,
    /// `Retry-After` sent with the injected 503 and 429.
    pub retry_after: Duration,
}

impl Default for RandomFaults {
    fn default() -> Self {
        Self::new()
    }
}

impl RandomFaults {
    /// No faults, `Retry-After` 1 s.
    pub fn new() -> Self {
        Self { unavailable: 0.0, rate_limited: 0.0, dropped: 0.0, retry_after: Duration::from_secs(1) }
    }
    /// Share answered 503.
    pub fn unavailable(mut self, p: f64) -> Self {
        self.unavailable = p.clamp(0.0, 1.0);
        self
    }
    /// Share answered 429.
    pub fn rate_limited(mut self, p: f64) -> Self {
        self.rate_limited = p.clamp(0.0, 1.0);
        self
    }
    /// Share cut after commit.
    pub fn dropped(mut self, p: f64) -> Self {
        self.dropped = p.clamp(0.0, 1.0);
        self
    }
    /// `Retry-After` of injected errors.
    pub fn retry_after(mut self, d: Duration) -> Self {
        self.retry_after = d;
        self
    }
}

/// Free calls are limited per IP per day; random faults there would only burn quota.
fn random_applies(op: &str) -> bool {
    crate::spec::operation(op).is_some_and(|o| !o.free)
}

#[derive(Debug, Default)]
pub(crate) struct Faults {
    /// Random faults with their own RNG, so turning them on does not change ids.
    pub random: Option<(RandomFaults, fastrand::Rng)>,
    fail: HashMap<&'static str, VecDeque<Fail>>,
    drop: HashMap<&'static str, u32>,
    latency: HashMap<&'static str, Duration>,
    /// Renders forced to fail, consumed before the seeded failure rate.
    pub failing_renders: u32,
}

impl Faults {
    pub fn fail_next(&mut self, op: &'static str, n: u32, fail: Fail) {
        self.fail.entry(op).or_default().extend(std::iter::repeat_n(fail, n as usize));
    }

    pub fn take_fail(&mut self, op: &str) -> Option<Fail> {
        if let Some(f) = self.fail.get_mut(op).and_then(VecDeque::pop_front) {
            return Some(f);
        }
        let (cfg, rng) = self.random.as_mut().filter(|_| random_applies(op))?;
        let roll = rng.f64();
        let status = if roll < cfg.unavailable {
            503
        } else if roll < cfg.unavailable + cfg.rate_limited {
            429
        } else {
            return None;
        };
        Some(Fail { status, retry_after: Some(cfg.retry_after) })
    }

    pub fn drop_next(&mut self, op: &'static str, n: u32) {
        *self.drop.entry(op).or_default() += n;
    }

    pub fn take_drop(&mut self, op: &str) -> bool {
        match self.drop.get_mut(op) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => random_applies(op) && self.random.as_mut().is_some_and(|(cfg, rng)| rng.f64() < cfg.dropped),
        }
    }

    pub fn set_latency(&mut self, op: &'static str, d: Duration) {
        if d.is_zero() {
            self.latency.remove(op);
        } else {
            self.latency.insert(op, d);
        }
    }

    pub fn latency(&self, op: &str) -> Duration {
        self.latency.get(op).copied().unwrap_or_default()
    }

    pub fn take_failing_render(&mut self) -> bool {
        if self.failing_renders > 0 {
            self.failing_renders -= 1;
            true
        } else {
            false
        }
    }
}
