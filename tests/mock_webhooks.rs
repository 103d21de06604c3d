//! Webhooks: endpoints, signed deliveries to a local receiver, retries on the
//! schedule, rotation, redelivery, test events and the delivery log.

mod mock_common;

use std::time::Duration;

use mock_common::{Receiver, call, start_request, within};
use serde_json::json;
use ugc_video::mock::MockServer;
use ugc_video::models::webhooks::{
    CreateWebhookEndpointRequest, DeleteWebhookEndpointRequest, ListWebhookDeliveriesRequest, RedeliverWebhookRequest,
    RotateWebhookSecretRequest, SendTestWebhookRequest,
};
use ugc_video::types::{DeliveryStatus, Engine, ErrorCode, Quality, WebhookEventType};
use ugc_video::webhooks::{EventData, InMemoryDedupe, Verifier, WebhookError};

fn endpoint(url: &str) -> CreateWebhookEndpointRequest {
    CreateWebhookEndpointRequest::builder().url(url).build()
}

#[tokio::test]
async fn endpoints_are_created_listed_deleted_and_capped_at_five() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let mut ids = Vec::new();
    for i in 0..5 {
        let created =
            client.webhooks().create_endpoint(endpoint(&format!("https://hooks.example.com/{i}"))).await.unwrap();
        assert!(created.secret.starts_with("whsec_"));
        assert_eq!(created.events.len(), 3, "all event types by default");
        ids.push(created.id.clone());
    }
    let sixth = client.webhooks().create_endpoint(endpoint("https://hooks.example.com/6")).await.unwrap_err();
    assert_eq!((sixth.status(), sixth.code()), (Some(403), Some(&ErrorCode::QuotaExceeded)));
    assert!(!sixth.is_retryable());
    let raw =
        call(&mock, "proxyCreateWebhookEndpoint").json(json!({"url": "https://hooks.example.com/7"})).send().await;
    assert_eq!((raw.status, raw.code()), (403, "quota-exceeded"));
    assert_eq!(raw.body["error"]["type"], "permission_error");

    let listed = client.webhooks().list_endpoints().await.unwrap();
    assert_eq!(listed.items.iter().map(|e| e.id.clone()).collect::<Vec<_>>(), ids);
    let deleted = client.webhooks().delete_endpoint(DeleteWebhookEndpointRequest::new(&ids[0])).await.unwrap();
    assert!(deleted.deleted);
    assert_eq!(client.webhooks().list_endpoints().await.unwrap().items.len(), 4);
    client.webhooks().create_endpoint(endpoint("https://hooks.example.com/again")).await.unwrap();
    let gone = client.webhooks().delete_endpoint(DeleteWebhookEndpointRequest::new(&ids[0])).await.unwrap_err();
    assert_eq!(gone.code(), Some(&ErrorCode::NotFound));
    let plain_http =
        call(&mock, "proxyCreateWebhookEndpoint").json(json!({"url": "http://hooks.example.com/x"})).send().await;
    assert_eq!((plain_http.status, plain_http.field()), (400, Some("url")));
}

#[tokio::test]
async fn render_events_are_signed_and_delivered() {
    let (receiver, url) = Receiver::start(&[]).await;
    let mock = MockServer::start().await;
    let client = mock.client();
    let created = client.webhooks().create_endpoint(endpoint(&url)).await.unwrap();
    let verifier = Verifier::from_whsec(&created.secret).unwrap();

    mock.fail_next_renders(1);
    let failing = client.videos().start(start_request(Engine::Veo, Quality::Standard, 8)).await.unwrap();
    let ok = client.videos().start(start_request(Engine::Seedance, Quality::Hq, 8)).await.unwrap();
    // No polling: advancing virtual time is enough for the scheduler to send.
    mock.advance(Duration::from_secs(50));
    within("two deliveries", mock.wait_for_deliveries(2)).await;

    let got = receiver.received();
    assert_eq!(got.len(), 2);
    let events: Vec<_> =
        got.iter().map(|(h, b)| verifier.verify_event(h, b).expect("signed with the endpoint's secret")).collect();
    match &events[0].data {
        EventData::VideoFailed(d) => {
            assert_eq!(d.operation_name, failing.operation.name);
            assert_eq!((d.refunded_credits, d.error.code.as_str()), (40, "internal"));
        }
        other => panic!("expected video.failed first (ends at 35 s), got {other:?}"),
    }
    match &events[1].data {
        EventData::VideoCompleted(d) => {
            assert_eq!(d.operation_name, ok.operation.name);
            assert_eq!((d.effective_duration, d.credit_cost), (8, 70));
            assert!(d.video_uri.starts_with("mock://videos/"));
        }
        other => panic!("expected video.completed, got {other:?}"),
    }
    assert_eq!(events[0].created_at, "2026-01-01T00:00:35Z");
    for (headers, _) in &got {
        assert_eq!(headers["content-type"], "application/json");
        let sent: u64 = headers["webhook-timestamp"].to_str().unwrap().parse().unwrap();
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        assert!(now.abs_diff(sent) < 60, "real unix time");
    }
    let log = mock.deliveries();
    assert_eq!(log.iter().map(|d| d.event_type.as_str()).collect::<Vec<_>>(), ["video.failed", "video.completed"]);
    assert!(log.iter().all(|d| d.status == DeliveryStatus::Succeeded && d.attempts.len() == 1));
    assert_eq!(log[0].attempts[0].at, Duration::from_secs(35));
    assert_eq!(got[0].1, log[0].payload.as_bytes());
}

#[tokio::test]
async fn failed_attempts_are_retried_on_the_schedule() {
    let (receiver, url) = Receiver::start(&[500, 503]).await;
    let mock = MockServer::start().await;
    let client = mock.client();
    let created = client.webhooks().create_endpoint(endpoint(&url)).await.unwrap();
    client.videos().start(start_request(Engine::Veo, Quality::Standard, 8)).await.unwrap();

    mock.advance(Duration::from_secs(35)); // the render completes at 35 s
    within("attempt 1", mock.wait_for_attempts(1)).await;
    let d = &mock.deliveries()[0];
    assert_eq!((d.status.clone(), d.next_attempt_at), (DeliveryStatus::Pending, Some(Duration::from_secs(95))));

    mock.advance(Duration::from_secs(60)); // past 1 m
    within("attempt 2", mock.wait_for_attempts(2)).await;
    assert_eq!(mock.deliveries()[0].next_attempt_at, Some(Duration::from_secs(395)));
    assert_eq!(receiver.received().len(), 2);

    mock.advance(Duration::from_secs(300)); // past 5 m
    within("the delivery to succeed", mock.wait_for_deliveries(1)).await;

    let d = mock.deliveries().remove(0);
    let times: Vec<_> = d.attempts.iter().map(|a| a.at.as_secs()).collect();
    let codes: Vec<_> = d.attempts.iter().map(|a| a.status_code).collect();
    assert_eq!(times, [35, 95, 395]);
    assert_eq!(codes, [Some(500), Some(503), Some(200)]);
    assert_eq!((d.status, d.next_attempt_at), (DeliveryStatus::Succeeded, None));
    let got = receiver.received();
    assert!(
        got.iter().all(|(h, b)| h["webhook-id"] == got[0].0["webhook-id"] && *b == got[0].1),
        "same event each time"
    );

    // The delivery log, through the SDK.
    let page = client
        .webhooks()
        .list_deliveries(ListWebhookDeliveriesRequest::builder().endpoint_id(&created.id).build())
        .await
        .unwrap();
    let item = &page.items[0];
    assert_eq!((item.attempts, item.status.clone(), item.last_status_code), (3, DeliveryStatus::Succeeded, Some(200)));
    assert_eq!(item.event_type, WebhookEventType::VideoCompleted);
    let attempted: Vec<_> = item.attempt_log.iter().map(|a| a.attempted_at.as_str()).collect();
    assert_eq!(attempted, ["2026-01-01T00:00:35Z", "2026-01-01T00:01:35Z", "2026-01-01T00:06:35Z"]);
}

#[tokio::test]
async fn a_delivery_fails_after_the_last_retry() {
    // Nothing listens on this port: every attempt is a connection error.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", closed.local_addr().unwrap());
    drop(closed);
    let mock = MockServer::builder()
        .webhook_retry_schedule(vec![Duration::from_secs(10), Duration::from_secs(20)])
        .start()
        .await;
    let created = mock.client().webhooks().create_endpoint(endpoint(&url)).await.unwrap();
    mock.client().webhooks().send_test(SendTestWebhookRequest::new(&created.id)).await.unwrap();
    within("attempt 1", mock.wait_for_attempts(1)).await;
    mock.advance(Duration::from_secs(10));
    within("attempt 2", mock.wait_for_attempts(2)).await;
    mock.advance(Duration::from_secs(20));
    within("attempt 3", mock.wait_for_attempts(3)).await;
    let d = mock.deliveries().remove(0);
    assert_eq!(d.status, DeliveryStatus::Failed);
    assert_eq!(d.attempts.iter().map(|a| a.at.as_secs()).collect::<Vec<_>>(), [0, 10, 30]);
    assert!(d.attempts.iter().all(|a| a.status_code.is_none() && a.error.is_some()));
    assert_eq!(d.next_attempt_at, None);
}

#[tokio::test]
async fn a_rotated_secret_stops_verifying_at_once() {
    let (receiver, url) = Receiver::start(&[]).await;
    let mock = MockServer::start().await;
    let client = mock.client();
    let created = client.webhooks().create_endpoint(endpoint(&url)).await.unwrap();
    let rotated = client.webhooks().rotate_secret(RotateWebhookSecretRequest::new(&created.id)).await.unwrap();
    assert_ne!(rotated.secret, created.secret);
    let sent = client.webhooks().send_test(SendTestWebhookRequest::new(&created.id)).await.unwrap();
    within("the test delivery", mock.wait_for_deliveries(1)).await;

    let (headers, body) = receiver.received().remove(0);
    let old = Verifier::from_whsec(&created.secret).unwrap();
    assert!(matches!(old.verify(&headers, &body), Err(WebhookError::NoMatchingSignature)));
    let event = Verifier::from_whsec(&rotated.secret).unwrap().verify_event(&headers, &body).unwrap();
    assert_eq!(event.id, sent.event_id);
    match event.data {
        EventData::Test(t) => assert_eq!(t.endpoint_id, created.id),
        other => panic!("expected webhook.test, got {other:?}"),
    }
}

#[tokio::test]
async fn redelivery_sends_the_same_event_again() {
    let (receiver, url) = Receiver::start(&[]).await;
    let mock = MockServer::start().await;
    let client = mock.client();
    let created = client.webhooks().create_endpoint(endpoint(&url)).await.unwrap();
    let first = client.webhooks().send_test(SendTestWebhookRequest::new(&created.id)).await.unwrap();
    within("the first delivery", mock.wait_for_deliveries(1)).await;
    let again = client.webhooks().redeliver(RedeliverWebhookRequest::new(&first.delivery_id)).await.unwrap();
    assert_eq!(again.event_id, first.event_id);
    assert_ne!(again.delivery_id, first.delivery_id);
    within("the redelivery", mock.wait_for_deliveries(2)).await;

    let got = receiver.received();
    assert_eq!(got[0].1, got[1].1, "identical body");
    let dedupe = InMemoryDedupe::default();
    let verifier = Verifier::from_whsec(&created.secret).unwrap();
    let fresh: Vec<bool> =
        got.iter().map(|(h, b)| dedupe.check_and_insert_sync(verifier.verify(h, b).unwrap().id())).collect();
    assert_eq!(fresh, [true, false], "the receiver's dedupe catches the redelivery");

    let by_event = client
        .webhooks()
        .list_deliveries(ListWebhookDeliveriesRequest::builder().event_id(&first.event_id).build())
        .await
        .unwrap();
    assert_eq!(by_event.items.len(), 2);
    assert_eq!(by_event.items[0].id, again.delivery_id, "newest first");
    let missing = client.webhooks().redeliver(RedeliverWebhookRequest::new("dlv_nope")).await.unwrap_err();
    assert_eq!(missing.code(), Some(&ErrorCode::NotFound));
}

#[tokio::test]
async fn endpoints_receive_only_their_event_types() {
    let (failed_only, url) = Receiver::start(&[]).await;
    let mock = MockServer::start().await;
    let client = mock.client();
    let req = CreateWebhookEndpointRequest::builder().url(&url).events([WebhookEventType::VideoFailed]).build();
    client.webhooks().create_endpoint(req).await.unwrap();
    mock.fail_next_renders(1);
    client.videos().start(start_request(Engine::Veo, Quality::Standard, 8)).await.unwrap();
    client.videos().start(start_request(Engine::Veo, Quality::Standard, 8)).await.unwrap();
    mock.advance(Duration::from_secs(40));
    within("one delivery", mock.wait_for_deliveries(1)).await;
    assert_eq!(mock.deliveries().len(), 1, "the completion was not sent");
    assert_eq!(failed_only.received().len(), 1);
    let raw = call(&mock, "proxyListWebhookDeliveries").json(json!({"status": "succeeded"})).send().await;
    assert_eq!(raw.body["items"][0]["eventType"], "video.failed");
}
