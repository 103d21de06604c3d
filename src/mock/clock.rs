//! Virtual time for the mock: everything time-based in the mock follows it.

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;

use crate::clock::{Clock, Sleep};

/// Unix seconds of the virtual epoch, 2026-01-01T00:00:00Z: virtual time zero.
pub const EPOCH_UNIX_SECS: u64 = 1_767_225_600;

/// How the mock's virtual time moves.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum TimeMode {
    /// Time moves only by [`MockClock::advance`] and when a client using the clock
    /// sleeps (the sleep advances time and returns at once). Deterministic: the default.
    Manual,
    /// Virtual time is real elapsed time × the factor (plus manual advances); sleeps
    /// really wait `d / factor`. At 10 000×, a 6 h webhook retry takes 2.2 s.
    Scaled(f64),
}

/// The mock's clock: a [`Clock`] for [`crate::Client`] and the time source of every
/// render, window, idempotency entry and webhook retry in the mock.
///
/// ```
/// use std::time::Duration;
/// use ugc_video::clock::Clock;
/// use ugc_video::mock::{MockClock, TimeMode};
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let clock = MockClock::new(TimeMode::Manual);
/// clock.sleep(Duration::from_secs(90)).await; // returns at once
/// clock.advance(Duration::from_secs(30));
/// assert_eq!(clock.elapsed(), Duration::from_secs(120));
/// # });
/// ```
pub struct MockClock {
    mode: TimeMode,
    real_start: Instant,
    manual: Mutex<Duration>,
    // Bumped on every manual advance, so virtual-time waits wake without polling.
    tick: watch::Sender<u64>,
}

impl fmt::Debug for MockClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockClock").field("mode", &self.mode).field("elapsed", &self.elapsed()).finish()
    }
}

impl MockClock {
    /// A clock at virtual time zero.
    ///
    /// # Panics
    /// If a scaled mode's factor is not finite and positive.
    pub fn new(mode: TimeMode) -> Self {
        if let TimeMode::Scaled(f) = mode {
            assert!(f.is_finite() && f > 0.0, "TimeMode::Scaled needs a finite factor > 0, got {f}");
        }
        Self { mode, real_start: Instant::now(), manual: Mutex::new(Duration::ZERO), tick: watch::channel(0).0 }
    }

    /// The mode the clock runs in.
    pub fn mode(&self) -> TimeMode {
        self.mode
    }

    /// Virtual time since the mock started.
    pub fn elapsed(&self) -> Duration {
        let manual = *self.manual.lock().unwrap_or_else(|p| p.into_inner());
        match self.mode {
            TimeMode::Manual => manual,
            TimeMode::Scaled(f) => manual + self.real_start.elapsed().mul_f64(f),
        }
    }

    /// Moves virtual time forward; renders, windows and retries due by then happen.
    pub fn advance(&self, d: Duration) {
        *self.manual.lock().unwrap_or_else(|p| p.into_inner()) += d;
        self.tick.send_modify(|t| *t = t.wrapping_add(1));
    }

    /// Waits until virtual time reaches `deadline` (elapsed since start).
    pub(crate) async fn sleep_until(&self, deadline: Duration) {
        let mut ticks = self.tick.subscribe();
        loop {
            let now = self.elapsed();
            if now >= deadline {
                return;
            }
            match self.mode {
                TimeMode::Manual => {
                    // The sender lives as long as the clock, which outlives this borrow.
                    let _ = ticks.changed().await;
                }
                TimeMode::Scaled(f) => {
                    let real = (deadline - now).div_f64(f).max(Duration::from_millis(1));
                    tokio::select! {
                        _ = ticks.changed() => {}
                        () = tokio::time::sleep(real) => {}
                    }
                }
            }
        }
    }
}

impl Clock for MockClock {
    fn now(&self) -> Instant {
        self.real_start + self.elapsed()
    }

    /// The virtual wall clock: the epoch 2026-01-01T00:00:00Z plus virtual time, the
    /// same instant the mock writes into `createdAt` fields.
    fn wall(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(EPOCH_UNIX_SECS) + self.elapsed()
    }

    fn sleep(&self, d: Duration) -> Sleep {
        match self.mode {
            TimeMode::Manual => {
                self.advance(d);
                // Yield so a loop of sleeps still lets the server's tasks run.
                Box::pin(tokio::task::yield_now())
            }
            TimeMode::Scaled(f) => Box::pin(tokio::time::sleep(d.div_f64(f))),
        }
    }
}

/// RFC 3339 (UTC, whole seconds) of a virtual instant.
pub(crate) fn rfc3339(at: Duration) -> String {
    let secs = EPOCH_UNIX_SECS + at.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Parses an RFC 3339 date-time into virtual time (saturating at the epoch), for
/// list filters. Fractions are dropped; offsets are honoured.
pub(crate) fn parse_rfc3339(s: &str) -> Option<Duration> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let (y, mo, d, h, mi, se) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        rest = frac.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match rest {
        "Z" | "z" => 0,
        o if o.len() == 6 && (o.starts_with('+') || o.starts_with('-')) => {
            let v = o[1..3].parse::<i64>().ok()? * 3600 + o[4..6].parse::<i64>().ok()? * 60;
            if o.starts_with('-') { -v } else { v }
        }
        _ => return None,
    };
    let unix = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se - offset;
    Some(Duration::from_secs(u64::try_from(unix - EPOCH_UNIX_SECS as i64).unwrap_or(0)))
}

// Howard Hinnant's civil calendar algorithms (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trip() {
        assert_eq!(rfc3339(Duration::ZERO), "2026-01-01T00:00:00Z");
        assert_eq!(rfc3339(Duration::from_secs(59 * 86_400 + 3661)), "2026-03-01T01:01:01Z");
        assert_eq!(parse_rfc3339("2026-03-01T01:01:01Z"), Some(Duration::from_secs(59 * 86_400 + 3661)));
        assert_eq!(parse_rfc3339("2026-01-01T02:00:00.5+02:00"), Some(Duration::ZERO));
        assert_eq!(parse_rfc3339("2025-06-01T00:00:00Z"), Some(Duration::ZERO));
        assert_eq!(parse_rfc3339("yesterday"), None);
    }
}
