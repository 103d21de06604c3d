//! Batch rendering within the account's concurrency cap.

use std::time::Duration;

use futures_util::{Stream, StreamExt, stream};

use crate::models::videos::StartVideoRequest;
use crate::render::{PollSchedule, RenderedVideo};
use crate::{Client, WebhookWaiter};

/// The outcome of one render of a batch, tied to its input by `index`.
#[derive(Debug)]
#[non_exhaustive]
pub struct BatchItem {
    /// Position of the request in the input.
    pub index: usize,
    /// The rendered video, or why this render did not finish (other renders go on).
    pub result: crate::Result<RenderedVideo>,
}

/// A batch of renders; run it with [`stream`](Batch::stream) or [`collect`](Batch::collect).
#[must_use = "nothing is rendered until the batch is streamed or collected"]
#[derive(Debug)]
pub struct Batch {
    client: Client,
    requests: Vec<StartVideoRequest>,
    deadline: Duration,
    concurrency: Option<usize>,
    schedule: PollSchedule,
    waiter: Option<WebhookWaiter>,
}

impl Client {
    /// Renders many requests, at most N in flight (N defaults to the account's
    /// concurrency cap from `proxyGetCredits`), each within `deadline_per_render`.
    /// A render that finds every slot taken (429 `concurrency-exceeded`) waits for one
    /// with the same idempotency key; one failure does not stop the others.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use futures_util::StreamExt;
    ///
    /// # async fn demo(client: ugc_video::Client, requests: Vec<ugc_video::models::videos::StartVideoRequest>) -> ugc_video::Result<()> {
    /// let mut results = client.batch(requests, Duration::from_secs(900)).stream().await?;
    /// while let Some(item) = results.next().await {
    ///     match item.result {
    ///         Ok(video) => println!("#{} {}", item.index, video.video_url),
    ///         Err(e) => eprintln!("#{} failed: {e}", item.index),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn batch(&self, requests: impl IntoIterator<Item = StartVideoRequest>, deadline_per_render: Duration) -> Batch {
        Batch {
            client: self.clone(),
            requests: requests.into_iter().collect(),
            deadline: deadline_per_render,
            concurrency: None,
            schedule: PollSchedule::default(),
            waiter: None,
        }
    }

    /// Renders one request `n` times (variations of one ad); each variant is its own
    /// render with its own idempotency key.
    pub fn render_variants(&self, request: StartVideoRequest, n: usize, deadline_per_render: Duration) -> Batch {
        self.batch(std::iter::repeat_n(request, n), deadline_per_render)
    }
}

impl Batch {
    /// At most `n` renders in flight (default: the account's concurrency cap).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = Some(n.max(1));
        self
    }

    /// Poll schedule for every render.
    pub fn poll_schedule(mut self, s: PollSchedule) -> Self {
        self.schedule = s;
        self
    }

    /// Wake renders from webhook events instead of polling.
    pub fn webhooks(mut self, waiter: &WebhookWaiter) -> Self {
        self.waiter = Some(waiter.clone());
        self
    }

    /// Results as they finish. Fails only if the default concurrency cannot be read.
    pub async fn stream(self) -> crate::Result<impl Stream<Item = BatchItem> + Send + 'static> {
        let n = match self.concurrency {
            Some(n) => n,
            None => usize::try_from(self.client.account().credits().await?.concurrency_cap).unwrap_or(1).max(1),
        };
        let Batch { client, requests, deadline, schedule, waiter, .. } = self;
        Ok(stream::iter(requests.into_iter().enumerate())
            .map(move |(index, req)| {
                let mut job = client.render_and_wait(req, deadline).poll_schedule(schedule);
                if let Some(w) = &waiter {
                    job = job.webhooks(w);
                }
                async move { BatchItem { index, result: job.await } }
            })
            .buffer_unordered(n))
    }

    /// Runs the whole batch; results in input order.
    pub async fn collect(self) -> crate::Result<Vec<BatchItem>> {
        let mut items: Vec<BatchItem> = self.stream().await?.collect().await;
        items.sort_by_key(|i| i.index);
        Ok(items)
    }
}
