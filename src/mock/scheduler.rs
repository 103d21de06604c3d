//! The background task that moves renders to their end and sends webhook attempts
//! when they fall due, so events fire without anyone polling.

use std::sync::Arc;

use super::state::Shared;
use super::{renders, webhooks};

pub(crate) async fn run(shared: Arc<Shared>) {
    loop {
        // Registered before looking at the state, so a change made meanwhile still
        // wakes this loop (`notify_one` keeps a permit).
        let woken = shared.wake.notified();
        let (jobs, next) = {
            let mut st = shared.lock();
            let now = shared.now();
            renders::settle(&mut st, now);
            let jobs = webhooks::take_due(&mut st, now);
            let next = [renders::next_end(&st), webhooks::next_due(&st)].into_iter().flatten().min();
            (jobs, next)
        };
        for job in jobs {
            tokio::spawn(webhooks::attempt(shared.clone(), job));
        }
        let due = async {
            match next {
                Some(t) => shared.clock.sleep_until(t).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = woken => {}
            () = due => {}
            () = shared.stopped() => return,
        }
    }
}
