//! A webhook receiver: registers itself with the embedded mock, renders a video, and
//! prints each verified, deduplicated event. `render_and_wait` is woken by the
//! `video.completed` event instead of polling.
//!
//! ```text
//! cargo run --example webhook_receiver
//! ```

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Router, serve};
use ugc_video::WebhookWaiter;
use ugc_video::mock::{MockServer, TimeMode};
use ugc_video::models::videos::{Scene, StartVideoRequest};
use ugc_video::models::webhooks::CreateWebhookEndpointRequest;
use ugc_video::types::{AspectRatio, Engine, Quality};
use ugc_video::webhooks::axum::VerifiedWebhook;
use ugc_video::webhooks::{DedupeStore, EventData, InMemoryDedupe, Verifier};

#[derive(Clone)]
struct AppState {
    verifier: Arc<Verifier>,
    dedupe: Arc<InMemoryDedupe>,
    waiter: WebhookWaiter,
}

impl FromRef<AppState> for Arc<Verifier> {
    fn from_ref(s: &AppState) -> Self {
        s.verifier.clone()
    }
}

async fn on_webhook(State(app): State<AppState>, VerifiedWebhook(event): VerifiedWebhook) -> StatusCode {
    // At-least-once delivery: act on each event id once. If the store cannot answer,
    // fail the delivery so the service retries it later.
    match app.dedupe.check_and_insert(&event.id).await {
        Ok(true) => {}
        Ok(false) => {
            println!("duplicate {} ignored", event.id);
            return StatusCode::OK;
        }
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE,
    }
    match &event.data {
        EventData::VideoCompleted(d) => {
            println!("event {}: {} completed -> {}", event.id, d.operation_name, d.video_uri)
        }
        EventData::VideoFailed(d) => println!("event {}: {} failed: {}", event.id, d.operation_name, d.error.message),
        EventData::Test(d) => println!("event {}: test event for {}: {}", event.id, d.endpoint_id, d.message),
        other => println!("event {}: {:?}", event.id, other.event_type()),
    }
    app.waiter.handle(&event);
    StatusCode::NO_CONTENT
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::builder().time_mode(TimeMode::Scaled(20.0)).try_start().await?;
    let client = mock.client();

    // Bind first so the endpoint's URL is known before registering it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/webhooks/ugc", listener.local_addr()?);
    let endpoint =
        client.webhooks().create_endpoint(CreateWebhookEndpointRequest::builder().url(url.clone()).build()).await?;
    println!("registered {} at {url}", endpoint.id);

    let app = AppState {
        verifier: Arc::new(Verifier::from_whsec(&endpoint.secret)?),
        dedupe: Arc::new(InMemoryDedupe::new(Duration::from_secs(24 * 3600), 100_000)),
        waiter: WebhookWaiter::new(),
    };
    let router = Router::new().route("/webhooks/ugc", post(on_webhook)).with_state(app.clone());
    let server = tokio::spawn(async move { serve(listener, router).await });

    client.webhooks().send_test(ugc_video::models::webhooks::SendTestWebhookRequest::new(endpoint.id.clone())).await?;

    let request = StartVideoRequest::builder()
        .engine(Engine::Veo)
        .quality(Quality::Standard)
        .duration(8)
        .aspect_ratio(AspectRatio::Portrait)
        .scene(Scene::new("A creator unboxing a sleek matte-black water bottle, soft window light"))
        .build();
    let video = client.render_and_wait(request, Duration::from_secs(30 * 60)).webhooks(&app.waiter).await?;
    println!("rendered {} ({} status polls) -> {}", video.operation_name, video.polls, video.video_url);

    server.abort();
    mock.shutdown().await;
    Ok(())
}
