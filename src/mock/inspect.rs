//! What a test can read back from a [`MockServer`]: balances, ledgers, renders,
//! the request log, idempotency keys and webhook deliveries, and event-driven waits.

use std::sync::MutexGuard;

use tokio::sync::Notify;

use super::records::{DeliveryRecord, IdempotencyEntry, LedgerEntry, RecordedRequest, RenderSnapshot};
use super::server::MockServer;
use super::state::{Final, State};
use super::{idempotency, renders};
use crate::types::{DeliveryStatus, TransactionKind};

impl MockServer {
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
                    Some(Final::Failed { .. } | Final::Cancelled { .. }) => Some(r.cost),
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
        self.shared.lock().requests.to_vec()
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
        self.wait_until(&self.shared.recorded, |st| st.requests.total() >= n).await;
    }

    async fn wait_until(&self, signal: &Notify, done: impl Fn(&State) -> bool) {
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
    fn settled(&self) -> MutexGuard<'_, State> {
        let now = self.now();
        let mut st = self.shared.lock();
        if renders::settle(&mut st, now) {
            self.shared.wake.notify_one();
        }
        st
    }
}
