//! Webhook-driven waiting: verified `video.completed` / `video.failed` events wake the
//! `render_and_wait` calls waiting on them, so renders finish without status polls.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use crate::models::videos::{GeneratedVideo, GeneratedVideos, Refund, RenderError, VideoRef, VideoStatusResponse};
use crate::types::{ErrorCode, VideoStatus};
use crate::webhooks::{EventData, WebhookEvent};

/// Final states kept for renders nobody waits on yet: the event can beat the start
/// call's response back to the caller.
const EARLY_RESULTS: usize = 4096;

/// Routes verified webhook events to waiting renders. Feed it from your receiver,
/// after verification, and pass it to
/// [`RenderAndWait::webhooks`](crate::RenderAndWait::webhooks).
///
/// ```no_run
/// use std::time::Duration;
/// use ugc_video::{Client, WebhookWaiter, models::videos::StartVideoRequest, webhooks::Verifier};
///
/// # async fn demo(client: Client, verifier: Verifier, req: StartVideoRequest,
/// #               headers: reqwest::header::HeaderMap, body: bytes::Bytes) -> ugc_video::Result<()> {
/// let waiter = WebhookWaiter::new();
/// // In the webhook handler:
/// if let Ok(event) = verifier.verify_event(&headers, &body) {
///     waiter.handle(&event);
/// }
/// // Elsewhere:
/// let video = client.render_and_wait(req, Duration::from_secs(900)).webhooks(&waiter).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Default)]
pub struct WebhookWaiter {
    inner: Arc<Mutex<Routes>>,
}

impl std::fmt::Debug for WebhookWaiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let routes = self.lock();
        f.debug_struct("WebhookWaiter")
            .field("waiting", &routes.waiting.len())
            .field("early", &routes.early.len())
            .finish()
    }
}

#[derive(Default)]
struct Routes {
    waiting: HashMap<String, watch::Sender<Option<VideoStatusResponse>>>,
    early: HashMap<String, VideoStatusResponse>,
    early_order: VecDeque<String>,
}

impl WebhookWaiter {
    /// An empty router.
    pub fn new() -> Self {
        Self::default()
    }

    /// Hands a verified event to the render waiting on it. Returns `true` when the
    /// event was a render outcome (whether or not anyone waits yet). Duplicates are
    /// harmless.
    pub fn handle(&self, event: &WebhookEvent) -> bool {
        let Some((op, status)) = status_from_event(event) else { return false };
        let mut routes = self.lock();
        if let Some(tx) = routes.waiting.get(&op) {
            tx.send_replace(Some(status));
        } else if !routes.early.contains_key(&op) {
            if routes.early_order.len() >= EARLY_RESULTS
                && let Some(old) = routes.early_order.pop_front()
            {
                routes.early.remove(&old);
            }
            routes.early_order.push_back(op.clone());
            routes.early.insert(op, status);
        }
        true
    }

    pub(crate) fn waker(&self) -> Waker {
        Waker { routes: self.inner.clone() }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Routes> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The waiting side of a [`WebhookWaiter`].
#[derive(Clone)]
pub(crate) struct Waker {
    routes: Arc<Mutex<Routes>>,
}

impl Waker {
    pub(crate) fn subscribe(&self, op: &str) -> Subscription {
        let mut routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let early = routes.early.remove(op);
        if early.is_some() {
            routes.early_order.retain(|o| o != op);
        }
        let rx = match routes.waiting.get(op) {
            Some(tx) => tx.subscribe(),
            None => {
                let (tx, rx) = watch::channel(None);
                routes.waiting.insert(op.to_owned(), tx);
                rx
            }
        };
        if let Some(status) = early
            && let Some(tx) = routes.waiting.get(op)
        {
            tx.send_replace(Some(status));
        }
        Subscription { rx, op: op.to_owned(), routes: self.routes.clone() }
    }
}

pub(crate) struct Subscription {
    rx: watch::Receiver<Option<VideoStatusResponse>>,
    op: String,
    routes: Arc<Mutex<Routes>>,
}

impl Subscription {
    /// The event's status if it arrives before `timer` fires; `None` when the timer won.
    pub(crate) async fn wait_or(&self, timer: impl Future<Output = ()>) -> Option<VideoStatusResponse> {
        let mut rx = self.rx.clone();
        tokio::select! {
            biased;
            r = rx.wait_for(Option::is_some) => r.ok().and_then(|v| v.clone()),
            () = timer => self.rx.borrow().clone(),
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        // Only the last receiver removes the route (two waits on one render share it).
        if routes.waiting.get(&self.op).is_some_and(|tx| tx.receiver_count() <= 1) {
            routes.waiting.remove(&self.op);
        }
    }
}

fn status_from_event(event: &WebhookEvent) -> Option<(String, VideoStatusResponse)> {
    match &event.data {
        EventData::VideoCompleted(d) => Some((
            d.operation_name.clone(),
            VideoStatusResponse {
                done: true,
                status: Some(VideoStatus::Completed),
                progress: Some(100),
                message: None,
                response: Some(GeneratedVideos {
                    generated_videos: vec![GeneratedVideo {
                        video: VideoRef { uri: d.video_uri.clone(), mime_type: None },
                    }],
                }),
                error: None,
                refund: None,
                qc: None,
                fallback_warning: None,
            },
        )),
        EventData::VideoFailed(d) => Some((
            d.operation_name.clone(),
            VideoStatusResponse {
                done: true,
                status: Some(VideoStatus::Failed),
                progress: None,
                message: None,
                response: None,
                error: Some(RenderError::new(ErrorCode::from_wire(&d.error.code), d.error.message.clone())),
                // Events carry the amount only; `finish` reports the empty id as unknown.
                refund: Some(Refund { credits: d.refunded_credits, transaction_id: String::new() }),
                qc: None,
                fallback_warning: None,
            },
        )),
        _ => None,
    }
}
