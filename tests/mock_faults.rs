//! Injected faults: error statuses the SDK retries through, latency, and
//! connections cut after the work was committed.

mod mock_common;

use std::future::IntoFuture;
use std::time::Duration;

use mock_common::{call, http, render_body, start_request, within};
use ugc_video::mock::MockServer;
use ugc_video::types::{Engine, ErrorCode, Quality, TransactionKind};

#[tokio::test]
async fn an_injected_503_is_retried_after_its_retry_after() {
    let mock = MockServer::start().await;
    mock.fail_next("proxyStartVideoGeneration", 2, 503, Some(Duration::from_secs(7)));
    let raw = call(&mock, "proxyStartVideoGeneration").json(render_body("veo", "standard", 8)).send().await;
    assert_eq!((raw.status, raw.code(), raw.header("retry-after")), (503, "unavailable", Some("7")));
    assert_eq!(raw.body["error"]["retryAfter"], 7);
    assert!(mock.renders().is_empty(), "a fault does no work");

    let started = mock.client().videos().start(start_request(Engine::Veo, Quality::Standard, 8)).await.unwrap();
    assert_eq!(started.meta().attempts, 2);
    assert_eq!(mock.now(), Duration::from_secs(7), "the SDK slept exactly Retry-After, on the mock clock");
    let log = mock.requests();
    assert_eq!(log.iter().map(|r| r.status).collect::<Vec<_>>(), [503, 503, 200]);
    assert_eq!(log[1].header("idempotency-key"), log[2].header("idempotency-key"), "the retry reuses its key");
    assert_eq!(mock.ledger(mock.api_key()).iter().filter(|e| e.kind == TransactionKind::Charge).count(), 1);

    mock.fail_next("proxyGetCredits", 1, 500, None);
    let credits = mock.client().account().credits().await.unwrap();
    assert_eq!(credits.meta().attempts, 2);
}

#[tokio::test]
#[should_panic(expected = "not 402")]
async fn only_statuses_the_spec_declares_can_be_injected() {
    let mock = MockServer::start().await;
    mock.fail_next("proxyGetCredits", 1, 402, None);
}

#[tokio::test]
async fn latency_holds_a_call_until_virtual_time_passes() {
    let mock = MockServer::start().await;
    mock.latency("proxyGetCredits", Duration::from_secs(30));
    let pending = tokio::spawn(mock.client().account().credits().into_future());
    within("the call to reach the mock", mock.wait_for_requests(1)).await;
    assert_eq!(mock.requests()[0].status, 0, "still being handled");
    mock.advance(Duration::from_secs(29));
    assert!(!pending.is_finished());
    mock.advance(Duration::from_secs(1));
    let credits = within("the delayed answer", pending).await.unwrap().unwrap();
    assert_eq!(credits.balance, 10_000);
    assert_eq!(mock.requests()[0].status, 200);

    mock.latency("proxyGetCredits", Duration::ZERO);
    let raw = call(&mock, "proxyGetCredits").send().await;
    assert_eq!(raw.status, 200, "rule removed");
}

#[tokio::test]
async fn a_connection_cut_after_commit_is_healed_by_the_replay() {
    let mock = MockServer::start().await;
    let key = mock.api_key();
    mock.drop_next("proxyStartVideoGeneration", 1);
    let started = mock.client().videos().start(start_request(Engine::Sora, Quality::Standard, 8)).await.unwrap();
    assert_eq!(started.meta().attempts, 2);
    assert!(started.meta().idempotent_replayed, "the retry got the stored answer");

    let log = mock.requests();
    assert_eq!(log.len(), 2);
    assert!(log[0].dropped && !log[0].replayed);
    assert!(!log[1].dropped && log[1].replayed);
    assert_eq!(log[0].header("idempotency-key"), log[1].header("idempotency-key"));
    assert_eq!(log[0].response_body, log[1].response_body);
    assert_eq!(mock.renders().len(), 1, "one render");
    let charges: Vec<_> = mock.ledger(key).into_iter().filter(|e| e.kind == TransactionKind::Charge).collect();
    assert_eq!(charges.len(), 1, "one charge");
    assert_eq!(mock.balance(key), 10_000 - 18);
    assert_eq!(mock.idempotency_entries()[0].status, Some(200));
}

#[tokio::test]
async fn a_cut_connection_breaks_the_body_for_raw_clients() {
    let mock = MockServer::start().await;
    mock.drop_next("proxyGetCredits", 1);
    let resp = http()
        .post(format!("{}/proxyGetCredits", mock.uri()))
        .bearer_auth(mock.api_key())
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "headers were sent");
    assert!(resp.bytes().await.is_err(), "the body breaks off");
    assert_eq!(call(&mock, "proxyGetCredits").send().await.status, 200, "only the next call was cut");
}

#[tokio::test]
async fn injected_statuses_carry_their_codes() {
    let mock = MockServer::start().await;
    for (status, code) in
        [(429, "rate-limited"), (409, "idempotency-in-flight"), (404, "not-found"), (400, "invalid-argument")]
    {
        mock.fail_next("proxyCancelVideoGeneration", 1, status, Some(Duration::from_secs(2)));
        let raw =
            call(&mock, "proxyCancelVideoGeneration").json(serde_json::json!({"operationName": "x"})).send().await;
        assert_eq!((raw.status, raw.code()), (status, code));
    }
    mock.fail_next("freeGenerateHooks", 1, 429, Some(Duration::from_secs(3600)));
    let free = call(&mock, "freeGenerateHooks")
        .envelope(serde_json::json!({"productDescription": "A bottle", "platform": "tiktok"}))
        .send()
        .await;
    assert_eq!((free.status, free.body["error"]["code"].as_str()), (429, Some("resource-exhausted")));
    assert_eq!(free.header("retry-after"), Some("3600"));
    let strict = mock.client_builder().retry_policy(ugc_video::RetryPolicy::none()).build().unwrap();
    mock.fail_next("proxyGetCredits", 1, 503, Some(Duration::from_secs(1)));
    let err = strict.account().credits().await.unwrap_err();
    assert_eq!((err.code(), err.retry_after()), (Some(&ErrorCode::Unavailable), Some(Duration::from_secs(1))));
}
