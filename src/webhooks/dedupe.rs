//! Remembering which events were already handled.
//!
//! Deliveries are at least once: a retry after a timeout, or a manual
//! redelivery, brings the same event (same `webhook-id`) again. A receiver
//! that must not act twice records each id before acting on it.

use std::collections::{HashMap, VecDeque};
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::verify::Clock;

/// The future returned by [`DedupeStore`] methods.
pub type DedupeFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, DedupeError>> + Send + 'a>>;

/// A store of already-seen event ids.
///
/// The methods return boxed futures because a store shared between several
/// receiver instances (Redis `SET NX EX`, a database unique key) needs network
/// I/O, and boxed futures keep the trait usable as `dyn DedupeStore`. They
/// return a `Result` for the same reason: a shared store can be unreachable,
/// and the right answer then is a 5xx so that the service retries later,
/// not to process the event blind. [`InMemoryDedupe`] completes immediately
/// and never fails.
///
/// Typical use: call [`check_and_insert`](Self::check_and_insert) after the
/// signature has been verified; if it says the id is new, handle the event,
/// and if handling fails, [`remove`](Self::remove) the id before answering
/// with an error, so the retry is handled rather than skipped.
pub trait DedupeStore: Send + Sync {
    /// Records `event_id` and returns `true` if it was not already recorded
    /// (and not expired), `false` if this is a repeat. The check and the
    /// insertion must be one atomic step, so two concurrent deliveries of the
    /// same event cannot both see `true`.
    fn check_and_insert<'a>(&'a self, event_id: &'a str) -> DedupeFuture<'a, bool>;

    /// Forgets `event_id`, so its next delivery counts as new.
    fn remove<'a>(&'a self, event_id: &'a str) -> DedupeFuture<'a, ()>;
}

impl<T: DedupeStore + ?Sized> DedupeStore for Arc<T> {
    fn check_and_insert<'a>(&'a self, event_id: &'a str) -> DedupeFuture<'a, bool> {
        (**self).check_and_insert(event_id)
    }

    fn remove<'a>(&'a self, event_id: &'a str) -> DedupeFuture<'a, ()> {
        (**self).remove(event_id)
    }
}

/// A [`DedupeStore`] failed (for example, its backend was unreachable).
#[derive(Debug)]
pub struct DedupeError(Box<dyn StdError + Send + Sync>);

impl DedupeError {
    /// Wraps the store's own error.
    pub fn new(source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        Self(source.into())
    }
}

impl fmt::Display for DedupeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "dedupe store failed: {}", self.0)
    }
}

impl StdError for DedupeError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.0)
    }
}

/// An in-process [`DedupeStore`] with a time-to-live and a size bound.
///
/// Suitable for a single receiver instance. Ids are remembered for the TTL
/// (default [`DEFAULT_TTL`](Self::DEFAULT_TTL)); when the store is full,
/// expired ids are dropped first, then the oldest ones. The service retries a
/// failed delivery for about 8 h 36 min in all, so a TTL shorter than that
/// lets a late retry through.
///
/// ```
/// use std::time::Duration;
/// use ugc_video::webhooks::InMemoryDedupe;
///
/// let store = InMemoryDedupe::new(Duration::from_secs(3600), 10_000);
/// assert!(store.check_and_insert_sync("evt_1"));
/// assert!(!store.check_and_insert_sync("evt_1"));
/// ```
pub struct InMemoryDedupe {
    state: Mutex<State>,
    ttl_secs: u64,
    max_entries: usize,
    clock: Clock,
}

struct State {
    seen: HashMap<Arc<str>, Entry>,
    /// Insertion order, oldest first, for eviction. Entries whose `seq` no
    /// longer matches `seen` are leftovers of removed or re-inserted ids and
    /// are skipped.
    order: VecDeque<(Arc<str>, u64)>,
    next_seq: u64,
}

#[derive(Clone, Copy)]
struct Entry {
    expires_at: u64,
    seq: u64,
}

impl State {
    /// Pops the oldest queued id; returns `false` when the queue is empty.
    /// `evict_if` decides, for a current entry, whether it goes.
    fn pop_front_if(&mut self, evict_if: impl Fn(Entry) -> bool) -> bool {
        let Some((id, seq)) = self.order.front() else {
            return false;
        };
        match self.seen.get(&**id) {
            Some(entry) if entry.seq == *seq => {
                if !evict_if(*entry) {
                    return false;
                }
                self.seen.remove(&**id);
            }
            // Stale queue slot: always drop it.
            _ => {}
        }
        self.order.pop_front();
        true
    }
}

impl InMemoryDedupe {
    /// Default time-to-live: 24 hours, comfortably longer than the retry
    /// schedule.
    pub const DEFAULT_TTL: Duration = Duration::from_secs(24 * 60 * 60);
    /// Default maximum number of remembered ids.
    pub const DEFAULT_MAX_ENTRIES: usize = 100_000;

    /// A store remembering ids for `ttl` (rounded up to whole seconds), at
    /// most `max_entries` of them (at least one).
    #[must_use]
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        let ttl_secs = ttl.as_secs().saturating_add(u64::from(ttl.subsec_nanos() > 0));
        Self {
            state: Mutex::new(State { seen: HashMap::new(), order: VecDeque::new(), next_seq: 0 }),
            ttl_secs,
            max_entries: max_entries.max(1),
            clock: Clock::System,
        }
    }

    /// Replaces the system clock with `now`, which returns unix seconds.
    #[must_use]
    pub fn clock(mut self, now: impl Fn() -> u64 + Send + Sync + 'static) -> Self {
        self.clock = Clock::custom(now);
        self
    }

    /// The synchronous form of [`DedupeStore::check_and_insert`].
    #[must_use = "`false` means the event was already handled"]
    pub fn check_and_insert_sync(&self, event_id: &str) -> bool {
        let now = self.clock.now();
        let mut state = self.lock();
        if let Some(entry) = state.seen.get(event_id) {
            if now < entry.expires_at {
                return false;
            }
            // Expired: drop it now so that making room below does not evict a
            // live id on its behalf.
            state.seen.remove(event_id);
        }

        while state.pop_front_if(|e| e.expires_at <= now) {}
        while state.seen.len() >= self.max_entries && state.pop_front_if(|_| true) {}

        let seq = state.next_seq;
        state.next_seq = state.next_seq.wrapping_add(1);
        let id: Arc<str> = Arc::from(event_id);
        state.seen.insert(Arc::clone(&id), Entry { expires_at: now.saturating_add(self.ttl_secs), seq });
        state.order.push_back((id, seq));

        // Removals and re-insertions leave stale slots behind; rebuild the
        // queue when they outnumber live ones so it stays bounded too.
        if state.order.len() > self.max_entries.saturating_mul(2).saturating_add(64) {
            let State { seen, order, .. } = &mut *state;
            order.retain(|(id, seq)| seen.get(&**id).is_some_and(|e| e.seq == *seq));
        }
        true
    }

    /// The synchronous form of [`DedupeStore::remove`].
    pub fn remove_sync(&self, event_id: &str) {
        self.lock().seen.remove(event_id);
    }

    /// How many ids are stored, including expired ones not yet purged (the
    /// purge happens on insertion). Never more than the configured maximum.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lock().seen.len()
    }

    /// Whether no ids are stored.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `event_id` is stored and not expired, without recording it.
    #[must_use]
    pub fn contains(&self, event_id: &str) -> bool {
        let now = self.clock.now();
        self.lock().seen.get(event_id).is_some_and(|e| now < e.expires_at)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every critical section leaves the state consistent, so a panic
        // elsewhere while holding the lock is no reason to stop deduplicating.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for InMemoryDedupe {
    fn default() -> Self {
        Self::new(Self::DEFAULT_TTL, Self::DEFAULT_MAX_ENTRIES)
    }
}

impl fmt::Debug for InMemoryDedupe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InMemoryDedupe")
            .field("ttl_secs", &self.ttl_secs)
            .field("max_entries", &self.max_entries)
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

impl DedupeStore for InMemoryDedupe {
    fn check_and_insert<'a>(&'a self, event_id: &'a str) -> DedupeFuture<'a, bool> {
        // The lock is taken and released inside this synchronous call, before
        // the future exists, so it is never held across an await.
        let first = self.check_and_insert_sync(event_id);
        Box::pin(std::future::ready(Ok(first)))
    }

    fn remove<'a>(&'a self, event_id: &'a str) -> DedupeFuture<'a, ()> {
        self.remove_sync(event_id);
        Box::pin(std::future::ready(Ok(())))
    }
}
