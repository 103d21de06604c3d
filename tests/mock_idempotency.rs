//! Idempotency keys: replay, conflict, in flight, per account, 24 h expiry.

mod mock_common;

use std::future::IntoFuture;
use std::time::Duration;

use mock_common::{call, render_body, start_request, within};
use ugc_video::RetryPolicy;
use ugc_video::mock::MockServer;
use ugc_video::types::{Engine, ErrorCode, Quality, Tier, TransactionKind};

fn charges(mock: &MockServer, key: &str) -> usize {
    mock.ledger(key).iter().filter(|e| e.kind == TransactionKind::Charge).count()
}

#[tokio::test]
async fn a_retry_with_the_same_key_replays_and_charges_once() {
    let mock = MockServer::start().await;
    let key = mock.api_key();
    let first = call(&mock, "proxyStartVideoGeneration").idem("key-1").json(render_body("sora", "hq", 8)).send().await;
    // The envelope form is the same payload.
    let second =
        call(&mock, "proxyStartVideoGeneration").idem("key-1").envelope(render_body("sora", "hq", 8)).send().await;
    assert_eq!(first.status, 200);
    assert_eq!((second.status, &second.body), (first.status, &first.body));
    assert_eq!(first.header("idempotent-replayed"), Some("false"));
    assert_eq!(second.header("idempotent-replayed"), Some("true"));
    assert_ne!(first.header("x-request-id"), second.header("x-request-id"));
    assert_eq!(charges(&mock, key), 1);
    assert_eq!(mock.renders().len(), 1);
    assert_eq!(mock.balance(key), 10_000 - 65);
    let (l1, l2) = (first.header("x-ratelimit-remaining"), second.header("x-ratelimit-remaining"));
    assert_eq!((l1, l2), (Some("9"), Some("9")), "a replay counts nothing");

    let entries = mock.idempotency_entries();
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(
        (e.key.as_str(), e.operation, e.in_flight, e.status),
        ("key-1", "proxyStartVideoGeneration", false, Some(200))
    );
    assert_eq!(e.body.as_ref(), Some(&first.body));
    assert_eq!(e.expires_at, Duration::from_secs(24 * 3600));
    let log = mock.requests();
    assert!(!log[0].replayed && log[1].replayed);

    // Through the SDK with an explicit key.
    let client = mock.client();
    let a = client
        .videos()
        .start(start_request(Engine::Veo, Quality::Standard, 8))
        .idempotency_key("job-42")
        .await
        .unwrap();
    let b = client
        .videos()
        .start(start_request(Engine::Veo, Quality::Standard, 8))
        .idempotency_key("job-42")
        .await
        .unwrap();
    assert!(!a.meta().idempotent_replayed && b.meta().idempotent_replayed);
    assert_eq!(a.operation.name, b.operation.name);
    assert_eq!(charges(&mock, key), 2);
}

#[tokio::test]
async fn the_same_key_with_another_payload_is_a_conflict() {
    let mock = MockServer::start().await;
    call(&mock, "proxyStartVideoGeneration").idem("k").json(render_body("veo", "standard", 8)).send().await;
    let other = call(&mock, "proxyStartVideoGeneration").idem("k").json(render_body("veo", "standard", 6)).send().await;
    assert_eq!((other.status, other.code()), (409, "idempotency-conflict"));
    assert_eq!(other.body["error"]["type"], "idempotency_error");
    // Another operation with the same key is another payload too.
    let other_op = call(&mock, "proxyStitchVideos")
        .idem("k")
        .json(serde_json::json!({"videoUrls": ["https://x.example/a.mp4"]}))
        .send()
        .await;
    assert_eq!(other_op.code(), "idempotency-conflict");

    let err = mock
        .client()
        .videos()
        .start(start_request(Engine::Veo, Quality::Hq, 8))
        .idempotency_key("k")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::IdempotencyConflict));
    assert!(!err.is_retryable());
    assert_eq!(mock.renders().len(), 1);
    assert_eq!(charges(&mock, mock.api_key()), 1);
}

#[tokio::test]
async fn a_key_still_in_flight_is_409_then_replays() {
    let mock = MockServer::start().await;
    mock.latency("proxyStartVideoGeneration", Duration::from_secs(5));
    let uri_mock = &mock;
    let first = tokio::spawn({
        let c = call(uri_mock, "proxyStartVideoGeneration").idem("slow").json(render_body("veo", "standard", 8));
        async move { c.send().await }
    });
    within("the first call to reach the mock", mock.wait_for_requests(1)).await;
    assert!(mock.idempotency_entries()[0].in_flight);

    let second =
        call(&mock, "proxyStartVideoGeneration").idem("slow").json(render_body("veo", "standard", 8)).send().await;
    assert_eq!((second.status, second.code()), (409, "idempotency-in-flight"));
    assert_eq!(second.header("retry-after"), Some("1"));

    // The same through the SDK: a typed, retryable 409 with Retry-After.
    let req = || start_request(Engine::Veo, Quality::Standard, 8);
    let sdk_first = tokio::spawn(mock.client().videos().start(req()).idempotency_key("slow-sdk").into_future());
    within("the SDK call to reach the mock", mock.wait_for_requests(3)).await;
    let strict = mock.client_builder().retry_policy(RetryPolicy::none()).build().unwrap();
    let err = strict.videos().start(req()).idempotency_key("slow-sdk").await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::IdempotencyInFlight));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(1)));
    assert!(err.is_retryable());
    // A different payload under a key in flight is a conflict.
    let err = strict.videos().start(req()).idempotency_key("slow").await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::IdempotencyConflict));

    mock.advance(Duration::from_secs(5));
    let first = within("the first call", first).await.unwrap();
    assert_eq!(first.status, 200);
    let third =
        call(&mock, "proxyStartVideoGeneration").idem("slow").json(render_body("veo", "standard", 8)).send().await;
    assert_eq!((third.status, third.header("idempotent-replayed")), (200, Some("true")));
    assert_eq!(third.body, first.body);
    let sdk_first = within("the SDK call", sdk_first).await.unwrap().unwrap();
    assert!(!sdk_first.meta().idempotent_replayed);
    assert_eq!(mock.renders().len(), 2);
    assert_eq!(charges(&mock, mock.api_key()), 2);
}

#[tokio::test]
async fn keys_are_scoped_per_account_and_expire_after_a_day() {
    let mock = MockServer::builder().account("a", Tier::Pro, 1_000).account("b", Tier::Pro, 1_000).start().await;
    let (ka, kb) = (mock.api_key_for("a").unwrap(), mock.api_key_for("b").unwrap());
    let ra = call(&mock, "proxyStartVideoGeneration")
        .key(Some(ka))
        .idem("shared")
        .json(render_body("veo", "standard", 8))
        .send()
        .await;
    let rb = call(&mock, "proxyStartVideoGeneration")
        .key(Some(kb))
        .idem("shared")
        .json(render_body("veo", "standard", 8))
        .send()
        .await;
    assert_eq!(rb.header("idempotent-replayed"), Some("false"), "another account's key is a new key");
    assert_ne!(ra.body["operation"], rb.body["operation"]);
    assert_eq!((charges(&mock, ka), charges(&mock, kb)), (1, 1));
    let accounts: Vec<_> = mock.idempotency_entries().into_iter().map(|e| e.account).collect();
    assert_eq!(accounts.len(), 2);
    assert!(accounts.contains(&"a".to_owned()) && accounts.contains(&"b".to_owned()));

    mock.advance(Duration::from_secs(24 * 3600 - 1));
    let replay = call(&mock, "proxyStartVideoGeneration")
        .key(Some(ka))
        .idem("shared")
        .json(render_body("veo", "standard", 8))
        .send()
        .await;
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    mock.advance(Duration::from_secs(1));
    assert!(mock.idempotency_entries().is_empty(), "expired after 24 h");
    let fresh = call(&mock, "proxyStartVideoGeneration")
        .key(Some(ka))
        .idem("shared")
        .json(render_body("veo", "standard", 6))
        .send()
        .await;
    assert_eq!((fresh.status, fresh.header("idempotent-replayed")), (200, Some("false")), "no conflict once expired");
    assert_eq!(charges(&mock, ka), 2);
}

#[tokio::test]
async fn final_refusals_are_stored_and_transient_ones_are_not() {
    let mock = MockServer::builder().account("poor", Tier::Starter, 10).start().await;
    let key = mock.api_key();
    let short = call(&mock, "proxyStartVideoGeneration").idem("p").json(render_body("veo", "standard", 8)).send().await;
    assert_eq!(short.status, 402);
    mock.grant(key, 100);
    let replayed =
        call(&mock, "proxyStartVideoGeneration").idem("p").json(render_body("veo", "standard", 8)).send().await;
    assert_eq!(
        (replayed.status, replayed.header("idempotent-replayed")),
        (402, Some("true")),
        "a final answer is replayed"
    );

    mock.fail_next("proxyStartVideoGeneration", 1, 503, None);
    assert_eq!(
        call(&mock, "proxyStartVideoGeneration").idem("q").json(render_body("veo", "standard", 8)).send().await.status,
        503
    );
    let retried =
        call(&mock, "proxyStartVideoGeneration").idem("q").json(render_body("veo", "standard", 8)).send().await;
    assert_eq!((retried.status, retried.header("idempotent-replayed")), (200, Some("false")));
    assert_eq!(mock.balance(key), 110 - 40);
}
