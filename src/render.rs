//! `render_and_wait` and `wait_for`: start a render, follow it to the end, fetch its MP4 URL.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{Error, PendingRender, RenderFailure, Result};
use crate::models::videos::{FetchVideoRequest, StartVideoRequest, VideoStatusRequest, VideoStatusResponse};
use crate::types::{Engine, ErrorCode, VideoStatus};
use crate::wake::Waker;
use crate::{Client, ValidationError};

/// How often to poll a render's status.
///
/// ```
/// use std::time::Duration;
/// use ugc_video::PollSchedule;
///
/// let adaptive = PollSchedule::default(); // follows the reported progress
/// let fixed = PollSchedule::fixed(Duration::from_secs(10));
/// assert_ne!(adaptive, fixed);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PollSchedule {
    /// Polls soon after the start, then at about half the estimated time left (from
    /// the progress rate), within `min..=max`. Few polls while a render is far from
    /// done, tight ones near the end, so completion is seen quickly.
    Adaptive {
        /// Delay before the first poll.
        first: Duration,
        /// Shortest interval.
        min: Duration,
        /// Longest interval.
        max: Duration,
    },
    /// The same interval every time.
    Fixed(Duration),
}

impl Default for PollSchedule {
    fn default() -> Self {
        Self::Adaptive { first: Duration::from_secs(3), min: Duration::from_secs(1), max: Duration::from_secs(30) }
    }
}

impl PollSchedule {
    /// A fixed interval.
    pub fn fixed(every: Duration) -> Self {
        Self::Fixed(every)
    }

    /// An adaptive schedule with these bounds.
    pub fn adaptive(first: Duration, min: Duration, max: Duration) -> Self {
        Self::Adaptive { first, min, max }
    }

    fn first(&self) -> Duration {
        match *self {
            Self::Adaptive { first, .. } => first,
            Self::Fixed(d) => d,
        }
    }

    /// The next delay, given progress seen so far.
    fn next(&self, tracker: &ProgressTracker, previous: Duration) -> Duration {
        match *self {
            Self::Fixed(d) => d,
            Self::Adaptive { min, max, .. } => {
                let d = match tracker.estimated_left() {
                    Some(left) => left / 2,
                    // No progress signal yet (queued): back off gently.
                    None => previous.mul_f32(1.5),
                };
                d.clamp(min, max.max(min))
            }
        }
    }
}

/// Progress samples of one render, for estimating time left.
#[derive(Debug, Default)]
struct ProgressTracker {
    first: Option<(Instant, u32)>,
    last: Option<(Instant, u32)>,
}

impl ProgressTracker {
    fn observe(&mut self, at: Instant, progress: u32) {
        if progress == 0 {
            return;
        }
        if self.first.is_none() {
            self.first = Some((at, progress));
        }
        self.last = Some((at, progress));
    }

    fn estimated_left(&self) -> Option<Duration> {
        let (t0, p0) = self.first?;
        let (t1, p1) = self.last?;
        if p1 >= 100 {
            return Some(Duration::ZERO);
        }
        let (dt, dp) = if p1 > p0 {
            (t1.duration_since(t0), p1 - p0)
        } else {
            // One sample: assume progress started at 0 when rendering began, unknown; use
            // no estimate rather than a wild one.
            return None;
        };
        Some(dt.mul_f64(f64::from(100 - p1) / f64::from(dp)))
    }
}

/// A progress update while waiting.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RenderProgress {
    /// Operation name.
    pub operation_name: String,
    /// Lifecycle state, when reported.
    pub status: Option<VideoStatus>,
    /// 0–100.
    pub progress: u32,
    /// Status polls made so far.
    pub polls: u32,
}

type ProgressFn = Arc<dyn Fn(&RenderProgress) + Send + Sync>;

/// A finished render with a downloadable MP4 URL. Its `Debug` leaves out the
/// signed URL's query, which works as a credential for about 7 days.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RenderedVideo {
    /// Operation name.
    pub operation_name: String,
    /// Engine.
    pub engine: Engine,
    /// The engine's video URI.
    pub video_uri: String,
    /// Signed MP4 URL (valid about 7 days).
    pub video_url: String,
    /// Media type of `video_url`.
    pub mime_type: String,
    /// Credits charged at start (unknown when resumed with `wait_for`).
    pub credits_charged: Option<u32>,
    /// Duration asked for (unknown when resumed).
    pub requested_duration: Option<u32>,
    /// Duration rendered (unknown when resumed).
    pub effective_duration: Option<u32>,
    /// Warnings from start, status and fetch.
    pub warnings: Vec<String>,
    /// Status polls made.
    pub polls: u32,
}

impl std::fmt::Debug for RenderedVideo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderedVideo")
            .field("operation_name", &self.operation_name)
            .field("engine", &self.engine)
            .field("video_uri", &self.video_uri)
            .field("video_url", &crate::download::redact_url(&self.video_url))
            .field("mime_type", &self.mime_type)
            .field("credits_charged", &self.credits_charged)
            .field("requested_duration", &self.requested_duration)
            .field("effective_duration", &self.effective_duration)
            .field("warnings", &self.warnings)
            .field("polls", &self.polls)
            .finish()
    }
}

/// A pending `render_and_wait` / `wait_for`: set options, then `.await` it.
/// Dropping it stops polling; polls never charge.
#[must_use = "nothing happens until it is awaited"]
pub struct RenderAndWait {
    client: Client,
    start: Option<StartVideoRequest>,
    resume: Option<(String, Engine)>,
    deadline: Duration,
    schedule: PollSchedule,
    key: Option<String>,
    on_progress: Option<ProgressFn>,
    waker: Option<Waker>,
}

impl std::fmt::Debug for RenderAndWait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderAndWait")
            .field("resume", &self.resume)
            .field("deadline", &self.deadline)
            .field("schedule", &self.schedule)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts a render and waits for its MP4 URL, within `deadline`.
    ///
    /// The start is sent once with one idempotency key kept across retries (and across
    /// waits for a concurrency slot), then the status is polled per the
    /// [`PollSchedule`]. On a deadline the error carries the operation name and engine
    /// ([`Error::pending_render`]) so the caller can resume with [`Client::wait_for`].
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use ugc_video::{Client, models::videos::StartVideoRequest, types::*};
    ///
    /// # async fn demo(client: Client) -> ugc_video::Result<()> {
    /// let req = StartVideoRequest::builder()
    ///     .engine(Engine::Veo).quality(Quality::Standard).duration(8)
    ///     .aspect_ratio(AspectRatio::Landscape).visual_prompt("A drone shot over a coastal city").build();
    /// let video = client
    ///     .render_and_wait(req, Duration::from_secs(15 * 60))
    ///     .on_progress(|p| println!("{}%", p.progress))
    ///     .await?;
    /// println!("{} -> {}", video.operation_name, video.video_url);
    /// # Ok(()) }
    /// ```
    pub fn render_and_wait(&self, request: StartVideoRequest, deadline: Duration) -> RenderAndWait {
        RenderAndWait::new(self.clone(), Some(request), None, deadline)
    }

    /// Waits for a render started earlier (for example after a deadline), within `deadline`.
    pub fn wait_for(&self, operation_name: impl Into<String>, engine: Engine, deadline: Duration) -> RenderAndWait {
        RenderAndWait::new(self.clone(), None, Some((operation_name.into(), engine)), deadline)
    }
}

impl RenderAndWait {
    fn new(
        client: Client,
        start: Option<StartVideoRequest>,
        resume: Option<(String, Engine)>,
        deadline: Duration,
    ) -> Self {
        Self {
            client,
            start,
            resume,
            deadline,
            schedule: PollSchedule::default(),
            key: None,
            on_progress: None,
            waker: None,
        }
    }

    /// Poll schedule (default: adaptive).
    pub fn poll_schedule(mut self, s: PollSchedule) -> Self {
        self.schedule = s;
        self
    }

    /// Idempotency key for the start call (default: a fresh UUID v4).
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Called after every status poll.
    pub fn on_progress(mut self, f: impl Fn(&RenderProgress) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(f));
        self
    }

    /// Wakes the wait as soon as a webhook for this render arrives (see
    /// [`WebhookWaiter`](crate::WebhookWaiter)); polling continues only as a slow
    /// safety net for a lost delivery.
    pub fn webhooks(mut self, waiter: &crate::WebhookWaiter) -> Self {
        self.waker = Some(waiter.waker());
        self
    }

    async fn run(self) -> Result<RenderedVideo> {
        let clock = self.client.clock().clone();
        let began = clock.now();
        let videos = self.client.videos();
        let (operation_name, engine, started) = match (self.start, self.resume) {
            (Some(req), _) => {
                let engine = req.engine.clone();
                let started = start_with_slot_wait(&self.client, req, self.key, began, self.deadline).await?;
                (started.operation.name.clone(), engine, Some(started))
            }
            (None, Some((name, engine))) => (name, engine, None),
            (None, None) => return Err(ValidationError::new("request", "nothing to wait for").into()),
        };
        let pending = |last: Option<u32>| PendingRender {
            operation_name: operation_name.clone(),
            engine: engine.clone(),
            last_progress: last,
        };
        let subscription = self.waker.as_ref().map(|w| w.subscribe(&operation_name));
        // With webhooks, polling is only a safety net against a lost delivery.
        let schedule = match (&subscription, self.schedule) {
            (Some(_), PollSchedule::Adaptive { max, .. }) => PollSchedule::Fixed(max.max(Duration::from_secs(60))),
            (_, s) => s,
        };
        let max_pause = self.client.inner.retry.max_retry_after;
        let mut tracker = ProgressTracker::default();
        let mut polls = 0u32;
        let mut last_progress = None;
        let mut delay = if subscription.is_some() { schedule.next(&tracker, Duration::ZERO) } else { schedule.first() };
        let status = loop {
            let elapsed = clock.now().duration_since(began);
            let Some(left) = self.deadline.checked_sub(elapsed).filter(|l| !l.is_zero()) else {
                return Err(Error::DeadlineExceeded(Box::new(pending(last_progress))));
            };
            let woken = match &subscription {
                Some(sub) => sub.wait_or(clock.sleep(delay.min(left))).await,
                None => {
                    clock.sleep(delay.min(left)).await;
                    None
                }
            };
            if let Some(status) = woken {
                break status;
            }
            if delay >= left {
                return Err(Error::DeadlineExceeded(Box::new(pending(last_progress))));
            }
            polls += 1;
            let req =
                VideoStatusRequest::builder().operation_name(operation_name.clone()).engine(engine.clone()).build();
            match videos.status(req).await {
                Ok(resp) => {
                    let status = resp.into_inner();
                    let progress = status.progress.unwrap_or(if status.done { 100 } else { 0 });
                    last_progress = Some(progress);
                    tracker.observe(clock.now(), progress);
                    if let Some(cb) = &self.on_progress {
                        cb(&RenderProgress {
                            operation_name: operation_name.clone(),
                            status: status.status.clone(),
                            progress,
                            polls,
                        });
                    }
                    if status.done {
                        break status;
                    }
                    delay = schedule.next(&tracker, delay);
                }
                // The transport already retried; a still-transient error just costs a
                // cycle, unless the service asks for a longer pause than the policy
                // allows (a daily quota): that goes back to the caller, not to sleep.
                Err(e) if e.is_retryable() && e.retry_after().is_none_or(|ra| ra <= max_pause) => {
                    delay = e.retry_after().unwrap_or_else(|| schedule.next(&tracker, delay)).max(delay);
                }
                Err(e) => {
                    return Err(Error::Waiting { pending: Box::new(pending(last_progress)), source: Box::new(e) });
                }
            }
        };
        finish(&self.client, operation_name, engine, status, started, polls).await
    }
}

async fn start_with_slot_wait(
    client: &Client,
    req: StartVideoRequest,
    key: Option<String>,
    began: Instant,
    deadline: Duration,
) -> Result<crate::models::videos::StartVideoResponse> {
    use crate::ApiRequest;
    req.validate()?;
    // One key for the logical start, so waiting for a slot can never double-charge.
    let key = key.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let clock = client.clock().clone();
    loop {
        match client.videos().start(req.clone()).idempotency_key(key.clone()).await {
            Ok(r) => return Ok(r.into_inner()),
            Err(e) if e.code() == Some(&ErrorCode::ConcurrencyExceeded) => {
                let wait = e.retry_after().unwrap_or(Duration::from_secs(5)).max(Duration::from_millis(100));
                // Saturating: a server may send an absurd Retry-After.
                if clock.now().duration_since(began).saturating_add(wait) > deadline {
                    return Err(e);
                }
                clock.sleep(wait).await;
            }
            Err(e) => return Err(e),
        }
    }
}

async fn finish(
    client: &Client,
    operation_name: String,
    engine: Engine,
    status: VideoStatusResponse,
    started: Option<crate::models::videos::StartVideoResponse>,
    polls: u32,
) -> Result<RenderedVideo> {
    let failure = |error| {
        Error::RenderFailed(Box::new(RenderFailure {
            operation_name: operation_name.clone(),
            engine: engine.clone(),
            error,
            refunded_credits: status.refund.as_ref().map(|r| r.credits),
            refund_transaction_id: status.refund.as_ref().map(|r| r.transaction_id.clone()).filter(|t| !t.is_empty()),
        }))
    };
    if let Some(error) = status.error.clone() {
        return Err(failure(error));
    }
    let Some(uri) = status.video_uri().map(str::to_owned) else {
        let error = crate::models::videos::RenderError::new(
            ErrorCode::from_wire("no-video"),
            format!("render ended as {} without a video", status.status.as_ref().map_or("done", |s| s.as_str())),
        );
        return Err(failure(error));
    };
    let fetched =
        client.videos().fetch(FetchVideoRequest::builder().uri(uri.clone()).engine(engine.clone()).build()).await;
    let fetched = match fetched {
        Ok(f) => f.into_inner(),
        Err(e) => {
            let pending = PendingRender { operation_name, engine, last_progress: Some(100) };
            return Err(Error::Waiting { pending: Box::new(pending), source: Box::new(e) });
        }
    };
    let mut warnings: Vec<String> = started.as_ref().map(|s| s.warnings.clone()).unwrap_or_default();
    warnings.extend(status.fallback_warning);
    warnings.extend(fetched.warning);
    Ok(RenderedVideo {
        operation_name,
        engine,
        video_uri: uri,
        video_url: fetched.video_url,
        mime_type: fetched.mime_type,
        credits_charged: started.as_ref().map(|s| s.credit_cost),
        requested_duration: started.as_ref().map(|s| s.requested_duration),
        effective_duration: started.as_ref().map(|s| s.effective_duration),
        warnings,
        polls,
    })
}

impl IntoFuture for RenderAndWait {
    type Output = Result<RenderedVideo>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adaptive_polls_at_half_the_estimated_time_left() {
        let s = PollSchedule::default();
        let t0 = Instant::now();
        let mut tr = ProgressTracker::default();
        assert_eq!(s.next(&tr, Duration::from_secs(2)), Duration::from_secs(3));
        tr.observe(t0, 10);
        tr.observe(t0 + Duration::from_secs(10), 30);
        // 20 points in 10 s: 70 left takes 35 s; poll at half of it.
        assert_eq!(s.next(&tr, Duration::from_secs(2)), Duration::from_millis(17_500));
        tr.observe(t0 + Duration::from_secs(40), 90);
        assert_eq!(s.next(&tr, Duration::from_secs(2)), Duration::from_millis(2_500));
        tr.observe(t0 + Duration::from_secs(44), 99);
        assert_eq!(s.next(&tr, Duration::from_secs(2)), Duration::from_secs(1), "bounded below");
    }

    #[test]
    fn fixed_is_fixed() {
        let s = PollSchedule::fixed(Duration::from_secs(10));
        assert_eq!(s.next(&ProgressTracker::default(), Duration::from_secs(1)), Duration::from_secs(10));
    }
}
