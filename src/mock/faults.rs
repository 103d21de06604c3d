//! Injected faults: answer a status instead of working, cut the connection after
//! committing, or take longer.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fail {
    pub status: u16,
    pub retry_after: Option<Duration>,
}

#[derive(Debug, Default)]
pub(crate) struct Faults {
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
        self.fail.get_mut(op)?.pop_front()
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
            _ => false,
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
