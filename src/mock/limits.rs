//! Sliding-window rate limits per key and bucket, and free operations' per-IP daily
//! quotas.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::Duration;

use serde_json::json;

use super::failure::Failure;
use crate::spec::{self, RateBucket};

const DAY: u64 = 86_400;

/// What the `X-RateLimit-*` headers say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RateInfo {
    pub limit: u32,
    pub remaining: u32,
    pub reset_secs: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Limits {
    windows: HashMap<(usize, RateBucket), VecDeque<Duration>>,
    // (day index, calls that day) per client IP and operation.
    free: HashMap<(IpAddr, &'static str), (u64, u32)>,
}

fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

impl Limits {
    /// The window of `bucket` for `account` as it stands, without counting a call.
    pub fn peek(&mut self, account: usize, bucket: RateBucket, now: Duration) -> Option<RateInfo> {
        let (limit, window_secs) = spec::rate_limit(bucket)?;
        let window = Duration::from_secs(window_secs);
        let calls = self.windows.entry((account, bucket)).or_default();
        while calls.front().is_some_and(|t| *t + window <= now) {
            calls.pop_front();
        }
        let reset_secs = calls.front().map_or(0, |t| ceil_secs(*t + window - now).max(1));
        let used = u32::try_from(calls.len()).unwrap_or(u32::MAX);
        Some(RateInfo { limit, remaining: limit.saturating_sub(used), reset_secs })
    }

    /// Counts a call, or refuses it with 429 `rate-limited` when the window is full.
    pub fn admit(&mut self, account: usize, bucket: RateBucket, now: Duration) -> Result<Option<RateInfo>, Failure> {
        let Some(info) = self.peek(account, bucket, now) else { return Ok(None) };
        if info.remaining == 0 {
            let (_, window) = spec::rate_limit(bucket).unwrap_or((0, 60));
            return Err(Failure::new(
                429,
                "rate-limited",
                format!("Rate limit of {} calls per {window} s reached for the {bucket:?} bucket", info.limit),
            )
            .retry_after(info.reset_secs.max(1))
            .details(
                json!({"bucket": format!("{bucket:?}").to_lowercase(), "limit": info.limit, "windowSeconds": window}),
            ));
        }
        let calls = self.windows.entry((account, bucket)).or_default();
        calls.push_back(now);
        let reset_secs = calls.front().map_or(0, |t| {
            let window = Duration::from_secs(spec::rate_limit(bucket).map_or(60, |(_, w)| w));
            ceil_secs(*t + window - now).max(1)
        });
        Ok(Some(RateInfo { remaining: info.remaining - 1, reset_secs, ..info }))
    }

    /// Counts a free call of `ip`, or refuses it with 429 `resource-exhausted` once the
    /// operation's daily quota is used. Days are UTC days of virtual time.
    pub fn admit_free(&mut self, ip: IpAddr, op: &'static spec::Operation, now: Duration) -> Result<(), Failure> {
        let Some(limit) = op.ip_daily_limit else { return Ok(()) };
        let day = now.as_secs() / DAY;
        let entry = self.free.entry((ip, op.name)).or_insert((day, 0));
        if entry.0 != day {
            *entry = (day, 0);
        }
        if entry.1 >= limit {
            let left = DAY - now.as_secs() % DAY;
            return Err(Failure::new(
                429,
                "resource-exhausted",
                format!("The free limit of {limit} {} calls per day is used up", op.name),
            )
            .retry_after(left)
            .details(json!({"limit": limit})));
        }
        entry.1 += 1;
        Ok(())
    }
}
