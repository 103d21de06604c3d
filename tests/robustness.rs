//! Hostile or odd answers from the network: no panic, no lost render, no loop.

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::json;
use ugc_video::Error;
use ugc_video::clock::VirtualClock;
use ugc_video::models::videos::{ListVideosRequest, VideoStatusResponse};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod double;
use double::{client, start_req};

#[test]
fn status_accepts_numeric_codes_float_progress_and_null_lists() {
    let s: VideoStatusResponse = serde_json::from_value(json!({
        "done": true, "progress": 99.6, "error": {"code": 13, "message": "internal"}
    }))
    .unwrap();
    assert_eq!(s.progress, Some(100));
    assert_eq!(s.error.unwrap().code.as_str(), "13");
    let started: ugc_video::models::videos::StartVideoResponse = serde_json::from_value(json!({
        "operation": {"name": "op"}, "requestedDuration": 8, "effectiveDuration": 8, "creditCost": 18,
        "quality": "standard", "warnings": null
    }))
    .unwrap();
    assert!(started.warnings.is_empty());
}

#[tokio::test]
async fn an_absurd_retry_after_while_waiting_for_a_slot_is_an_error_not_a_panic() {
    let server = MockServer::start().await;
    let busy = |ra: &str| {
        ResponseTemplate::new(429).insert_header("retry-after", ra).set_body_json(json!({"error": {
            "type": "rate_limit_error", "code": "concurrency-exceeded", "message": "busy", "request_id": "r"}}))
    };
    Mock::given(path("/proxyStartVideoGeneration")).respond_with(busy("120")).up_to_n_times(1).mount(&server).await;
    Mock::given(path("/proxyStartVideoGeneration")).respond_with(busy("99999999999999999999")).mount(&server).await;
    let clock = VirtualClock::new();
    let err = client(&server, &clock).render_and_wait(start_req(), Duration::from_secs(600)).await.unwrap_err();
    assert_eq!(err.code().map(|c| c.as_str()), Some("concurrency-exceeded"));
    assert!(err.idempotency_key().is_some(), "the key survives for a later retry");
}

#[tokio::test]
async fn a_daily_quota_while_polling_is_reported_not_slept_through() {
    let server = MockServer::start().await;
    Mock::given(path("/proxyStartVideoGeneration"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"operation": {"name": "op_q"}, "requestedDuration": 8,
            "effectiveDuration": 8, "creditCost": 18, "quality": "standard"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/proxyCheckVideoStatus"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "43200").set_body_json(json!({"error": {
            "type": "rate_limit_error", "code": "resource-exhausted", "message": "daily quota", "request_id": "r"}})))
        .mount(&server)
        .await;
    let clock = VirtualClock::new();
    let err = client(&server, &clock).render_and_wait(start_req(), Duration::from_secs(24 * 3600)).await.unwrap_err();
    assert_eq!(err.pending_render().map(|p| p.operation_name.as_str()), Some("op_q"));
    let Error::Waiting { source, .. } = &err else { panic!("{err:?}") };
    assert_eq!(source.retry_after(), Some(Duration::from_secs(43200)));
    assert!(clock.elapsed() < Duration::from_secs(3600), "did not sleep through the quota: {:?}", clock.elapsed());
}

#[tokio::test]
async fn a_server_repeating_its_cursor_does_not_loop_forever() {
    let server = MockServer::start().await;
    let page = json!({"items": [{"operationName": "op", "engine": "veo", "quality": "hq", "status": "completed", "progress": 100,
        "requestedDuration": 8, "effectiveDuration": 8, "creditCost": 130, "createdAt": "2026-01-01T00:00:00Z"}],
        "nextCursor": "same", "hasMore": true});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(page)).mount(&server).await;
    let items: Vec<_> =
        client(&server, &VirtualClock::new()).videos().list_all(ListVideosRequest::default()).collect().await;
    assert_eq!(items.len(), 2, "first page, then the page the cursor led to; then it stops");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
