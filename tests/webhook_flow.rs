//! Webhooks end to end: the mock signs and delivers, a receiver verifies and dedupes,
//! and `render_and_wait` is woken by the event instead of polling.

mod mock_common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Router, serve};
use mock_common::start_request;
use ugc_video::mock::{MockServer, TimeMode};
use ugc_video::models::webhooks::{CreateWebhookEndpointRequest, RedeliverWebhookRequest};
use ugc_video::types::{DeliveryStatus, Engine, Quality};
use ugc_video::webhooks::axum::VerifiedWebhook;
use ugc_video::webhooks::{DedupeStore, InMemoryDedupe, Verifier};
use ugc_video::{Client, PollSchedule, WebhookWaiter};

#[derive(Clone)]
struct Receiver {
    verifier: Arc<Verifier>,
    dedupe: Arc<InMemoryDedupe>,
    waiter: WebhookWaiter,
    /// Deliveries to fail on purpose before processing succeeds.
    fail_first: Arc<AtomicUsize>,
    processed: Arc<AtomicUsize>,
    received: Arc<AtomicUsize>,
}

impl FromRef<Receiver> for Arc<Verifier> {
    fn from_ref(r: &Receiver) -> Self {
        r.verifier.clone()
    }
}

async fn handle(State(r): State<Receiver>, VerifiedWebhook(event): VerifiedWebhook) -> StatusCode {
    r.received.fetch_add(1, Ordering::SeqCst);
    if !r.dedupe.check_and_insert(&event.id).await.unwrap() {
        return StatusCode::OK;
    }
    if r.fail_first.load(Ordering::SeqCst) > 0 {
        r.fail_first.fetch_sub(1, Ordering::SeqCst);
        // Processing failed: forget the id so the retry is processed.
        r.dedupe.remove(&event.id).await.unwrap();
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    r.processed.fetch_add(1, Ordering::SeqCst);
    r.waiter.handle(&event);
    StatusCode::NO_CONTENT
}

async fn receiver(client: &Client, fail_first: usize) -> (Receiver, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let ep = client.webhooks().create_endpoint(CreateWebhookEndpointRequest::builder().url(url).build()).await.unwrap();
    let r = Receiver {
        verifier: Arc::new(Verifier::from_whsec(&ep.secret).unwrap()),
        dedupe: Arc::new(InMemoryDedupe::new(Duration::from_secs(86_400), 10_000)),
        waiter: WebhookWaiter::new(),
        fail_first: Arc::new(AtomicUsize::new(fail_first)),
        processed: Arc::new(AtomicUsize::new(0)),
        received: Arc::new(AtomicUsize::new(0)),
    };
    let app = Router::new().route("/hook", post(handle)).with_state(r.clone());
    tokio::spawn(async move { serve(listener, app).await });
    (r, ep.id.clone())
}

#[tokio::test]
async fn webhook_driven_wait_makes_no_status_polls() {
    // Scaled time: the render ends after 6 s virtual (60 ms real); the safety-net poll
    // is an hour away, so only the webhook can end the wait.
    let mock = MockServer::builder()
        .time_mode(TimeMode::Scaled(100.0))
        .render_time(Engine::Veo, Duration::from_secs(5))
        .queue_time(Duration::from_secs(1))
        .start()
        .await;
    let client = mock.client();
    let (r, _) = receiver(&client, 0).await;
    let video = client
        .render_and_wait(start_request(Engine::Veo, Quality::Standard, 8), Duration::from_secs(4 * 3600))
        .poll_schedule(PollSchedule::fixed(Duration::from_secs(3600)))
        .webhooks(&r.waiter)
        .await
        .unwrap();
    assert_eq!(video.polls, 0);
    let polls = mock.requests().iter().filter(|q| q.operation == Some("proxyCheckVideoStatus")).count();
    assert_eq!(polls, 0, "the mock saw no status check");
    assert!(video.video_url.contains("/media/"));
    assert_eq!(r.processed.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_lost_delivery_falls_back_to_polling() {
    let mock = MockServer::start().await;
    let client = mock.client();
    // The receiver fails every attempt: the render must still finish, by polling.
    let (r, _) = receiver(&client, usize::MAX).await;
    let video = client
        .render_and_wait(start_request(Engine::Veo, Quality::Standard, 8), Duration::from_secs(4 * 3600))
        .webhooks(&r.waiter)
        .await
        .unwrap();
    assert!(video.polls >= 1);
    assert_eq!(r.processed.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_delivery_failing_twice_is_retried_on_schedule_and_processed_once() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let (r, endpoint) = receiver(&client, 2).await;
    let started = client.videos().start(start_request(Engine::Veo, Quality::Standard, 8)).await.unwrap();
    let op = started.operation.name.clone();
    // Render done at 35 s; first attempt then.
    mock.advance(Duration::from_secs(40));
    mock.wait_for_attempts(1).await;
    mock.advance(Duration::from_secs(60));
    mock.wait_for_attempts(2).await;
    mock.advance(Duration::from_secs(5 * 60));
    mock.wait_for_deliveries(1).await;

    let delivery =
        mock.deliveries().into_iter().find(|d| d.endpoint_id == endpoint && d.event_type == "video.completed").unwrap();
    assert!(delivery.payload.contains(&op));
    assert_eq!(delivery.status, DeliveryStatus::Succeeded);
    let codes: Vec<_> = delivery.attempts.iter().map(|a| a.status_code).collect();
    assert_eq!(codes, vec![Some(500), Some(500), Some(204)]);
    let gaps: Vec<_> = delivery.attempts.windows(2).map(|w| w[1].at - w[0].at).collect();
    assert_eq!(gaps, vec![Duration::from_secs(60), Duration::from_secs(300)], "1 min then 5 min");
    assert_eq!(r.processed.load(Ordering::SeqCst), 1);

    // A redelivery carries the same event id: the receiver's dedupe swallows it.
    client.webhooks().redeliver(RedeliverWebhookRequest::new(delivery.id.clone())).await.unwrap();
    mock.wait_for_deliveries(2).await;
    assert_eq!(r.received.load(Ordering::SeqCst), 4);
    assert_eq!(r.processed.load(Ordering::SeqCst), 1, "seen exactly once after dedupe");
}
