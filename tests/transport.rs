//! The transport's rules, against a scripted HTTP double: retries, Retry-After,
//! idempotency keys, error decoding and response metadata.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use ugc_video::clock::VirtualClock;
use ugc_video::models::videos::{StartVideoRequest, VideoStatusRequest};
use ugc_video::types::{AspectRatio, Engine, ErrorCode, Quality};
use ugc_video::{Client, Error, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod double;
use double::{client, start_req};

fn started() -> serde_json::Value {
    json!({"operation": {"name": "op_1"}, "requestedDuration": 8, "effectiveDuration": 8, "creditCost": 18, "quality": "standard", "engine": "sora"})
}

fn error_body(code: &str, retry_after: Option<u64>) -> serde_json::Value {
    let mut e = json!({"type": "api_error", "code": code, "message": "nope", "request_id": "req_42"});
    if let Some(s) = retry_after {
        e["retryAfter"] = json!(s);
    }
    json!({ "error": e })
}

/// Answers the first call with `status`, `code` and (header and body) `retry_after`,
/// every later call with a started render.
async fn fail_once(server: &MockServer, status: u16, code: &str, retry_after: Option<&str>) {
    let mut first =
        ResponseTemplate::new(status).set_body_json(error_body(code, retry_after.and_then(|r| r.parse().ok())));
    if let Some(r) = retry_after {
        first = first.insert_header("retry-after", r);
    }
    Mock::given(method("POST")).respond_with(first).up_to_n_times(1).mount(server).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(started())).mount(server).await;
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn header<'a>(r: &'a Request, name: &str) -> Option<&'a str> {
    r.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn retry_after_seconds_is_honoured_and_the_key_is_reused() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/proxyStartVideoGeneration"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "7")
                .set_body_json(error_body("unavailable", Some(7))),
        )
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/proxyStartVideoGeneration"))
        .respond_with(ResponseTemplate::new(200).set_body_json(started()))
        .mount(&server)
        .await;
    let clock = VirtualClock::new();
    let resp = client(&server, &clock).videos().start(start_req()).await.unwrap();
    assert_eq!(resp.operation.name, "op_1");
    assert_eq!(resp.meta().attempts, 3);
    assert_eq!(clock.sleeps(), vec![Duration::from_secs(7); 2]);
    let reqs = received(&server).await;
    assert_eq!(reqs.len(), 3);
    let keys: Vec<_> = reqs.iter().map(|r| header(r, "idempotency-key").unwrap().to_owned()).collect();
    assert!(uuid::Uuid::parse_str(&keys[0]).is_ok_and(|u| u.get_version_num() == 4), "{keys:?}");
    assert!(keys.iter().all(|k| *k == keys[0]), "one key per logical call: {keys:?}");
    assert_eq!(resp.meta().idempotency_key.as_deref(), Some(keys[0].as_str()));
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    let server = MockServer::start().await;
    let clock = VirtualClock::new();
    let at = httpdate::fmt_http_date(ugc_video::clock::Clock::wall(&clock) + Duration::from_secs(31));
    fail_once(&server, 429, "rate-limited", Some(&at)).await;
    client(&server, &clock).videos().start(start_req()).await.unwrap();
    let slept = clock.sleeps();
    assert_eq!(slept.len(), 1);
    // HTTP dates have one-second resolution.
    assert!(slept[0] >= Duration::from_secs(30) && slept[0] <= Duration::from_secs(31), "{slept:?}");
}

#[tokio::test]
async fn retry_after_beyond_the_cap_returns_at_once_with_the_delay() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "21600")
                .set_body_json(error_body("resource-exhausted", Some(21600))),
        )
        .mount(&server)
        .await;
    let clock = VirtualClock::new();
    let err = client(&server, &clock).videos().start(start_req()).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(21600)));
    assert_eq!(err.code(), Some(&ErrorCode::ResourceExhausted));
    assert!(err.is_retryable());
    assert!(clock.sleeps().is_empty());
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn body_retry_after_is_used_without_the_header() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).set_body_json(error_body("concurrency-exceeded", Some(4))))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(started())).mount(&server).await;
    let clock = VirtualClock::new();
    client(&server, &clock).videos().start(start_req()).await.unwrap();
    assert_eq!(clock.sleeps(), vec![Duration::from_secs(4)]);
}

#[tokio::test]
async fn final_errors_are_never_retried() {
    for (status, code) in [
        (400, "invalid-argument"),
        (401, "unauthenticated"),
        (402, "insufficient-credits"),
        (403, "quota-exceeded"),
        (403, "permission-denied"),
        (404, "not-found"),
        (409, "idempotency-conflict"),
        (400, "mode_engine_not_allowed"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).set_body_json(error_body(code, None)))
            .mount(&server)
            .await;
        let clock = VirtualClock::new();
        let err = client(&server, &clock).videos().start(start_req()).await.unwrap_err();
        assert!(!err.is_retryable(), "{code}");
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.code().map(|c| c.as_str()), Some(code));
        assert_eq!(received(&server).await.len(), 1, "{code} must not be retried");
        assert!(clock.sleeps().is_empty());
    }
}

#[tokio::test]
async fn transient_statuses_are_retried_with_exponential_backoff() {
    for status in [408u16, 500, 502, 503, 504] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).set_body_string("<html>bad gateway</html>"))
            .mount(&server)
            .await;
        let clock = VirtualClock::new();
        let err = client(&server, &clock)
            .videos()
            .status(VideoStatusRequest::builder().operation_name("op").engine(Engine::Veo).build())
            .await
            .unwrap_err();
        assert_eq!(received(&server).await.len(), 4, "status {status}: 1 try + 3 retries");
        assert_eq!(clock.sleeps(), vec![Duration::from_millis(500), Duration::from_secs(1), Duration::from_secs(2)]);
        let api = err.as_api().unwrap();
        assert_eq!(api.status, status);
        assert_eq!(api.code, None);
        assert_eq!(api.raw_body.as_deref(), Some("<html>bad gateway</html>"));
    }
}

#[tokio::test]
async fn in_flight_duplicate_409_is_retried() {
    let server = MockServer::start().await;
    fail_once(&server, 409, "idempotency-in-flight", Some("1")).await;
    let clock = VirtualClock::new();
    let resp = client(&server, &clock).videos().start(start_req()).await.unwrap();
    assert_eq!(resp.meta().attempts, 2);
}

#[tokio::test]
async fn error_fields_are_kept() {
    let server = MockServer::start().await;
    let body = json!({"error": {"type": "invalid_request_error", "code": "invalid-argument", "message": "duration out of range",
        "request_id": "req_9", "field": "duration", "details": {"max": 20}}});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(400).set_body_json(body)).mount(&server).await;
    let err = client(&server, &VirtualClock::new()).videos().start(start_req()).await.unwrap_err();
    let api = err.as_api().unwrap();
    assert_eq!(api.field.as_deref(), Some("duration"));
    assert_eq!(api.details, Some(json!({"max": 20})));
    assert_eq!(err.request_id(), Some("req_9"));
    assert_eq!(api.error_type, Some(ugc_video::types::ErrorType::InvalidRequestError));
    assert!(err.to_string().contains("req_9") && err.to_string().contains("invalid-argument"), "{err}");
}

#[tokio::test]
async fn every_known_code_and_an_unknown_one_parse() {
    let server = MockServer::start().await;
    let client = client(&server, &VirtualClock::new());
    let codes = ErrorCode::KNOWN.iter().map(|c| c.as_str().to_owned()).chain(["brand-new-code".to_owned()]);
    for code in codes {
        server.reset().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(400).set_body_json(error_body(&code, None)))
            .mount(&server)
            .await;
        let err = client.videos().start(start_req()).await.unwrap_err();
        let got = err.code().unwrap();
        assert_eq!(got.as_str(), code);
        assert_eq!(got.is_known(), code != "brand-new-code");
    }
}

#[tokio::test]
async fn response_metadata_is_readable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req_abc")
                .insert_header("x-ratelimit-limit", "10")
                .insert_header("x-ratelimit-remaining", "9")
                .insert_header("x-ratelimit-reset", "6")
                .insert_header("idempotent-replayed", "true")
                .set_body_json(started()),
        )
        .mount(&server)
        .await;
    let resp = client(&server, &VirtualClock::new()).videos().start(start_req()).await.unwrap();
    let meta = resp.meta();
    assert_eq!(meta.request_id.as_deref(), Some("req_abc"));
    let rl = meta.rate_limit.unwrap();
    assert_eq!((rl.limit, rl.remaining, rl.reset), (10, 9, Duration::from_secs(6)));
    assert!(meta.idempotent_replayed);
}

#[tokio::test]
async fn caller_key_is_sent_and_read_only_calls_refuse_one() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(started())).mount(&server).await;
    let c = client(&server, &VirtualClock::new());
    c.videos().start(start_req()).idempotency_key("order-77-render").await.unwrap();
    assert_eq!(header(&received(&server).await[0], "idempotency-key"), Some("order-77-render"));

    let err = c
        .videos()
        .status(VideoStatusRequest::builder().operation_name("op").engine(Engine::Sora).build())
        .idempotency_key("k")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    let err = c.videos().start(start_req()).idempotency_key("bad key with spaces").await.unwrap_err();
    assert!(matches!(err, Error::Validation(ref v) if v.field == "Idempotency-Key"));
    assert_eq!(received(&server).await.len(), 1, "invalid calls send nothing");
}

#[tokio::test]
async fn validation_fails_before_sending() {
    let server = MockServer::start().await;
    let c = client(&server, &VirtualClock::new());
    let bad = StartVideoRequest::builder()
        .engine(Engine::Sora)
        .quality(Quality::Standard)
        .duration(3)
        .aspect_ratio(AspectRatio::Square)
        .visual_prompt("x")
        .build();
    let err = c.videos().start(bad).await.unwrap_err();
    match err {
        Error::Validation(v) => {
            assert_eq!(v.field, "duration");
            assert!(v.rule.contains("4") && v.rule.contains("20"), "{}", v.rule);
        }
        other => panic!("{other:?}"),
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn no_key_means_no_bearer_call() {
    let server = MockServer::start().await;
    let c = Client::builder().base_url(server.uri()).build().unwrap();
    let err = c.account().credits().await.unwrap_err();
    assert!(matches!(err, Error::Config(_)));
    assert!(received(&server).await.is_empty());
}

#[test]
fn secrets_stay_out_of_debug_and_errors() {
    let c = Client::builder().api_key("ugc_live_supersecretvalue").build().unwrap();
    let dbg = format!("{c:?}");
    assert!(!dbg.contains("supersecretvalue"), "{dbg}");
    assert!(dbg.contains("ugc_live_"));
}

#[test]
fn plain_http_is_refused_except_to_loopback() {
    for ok in ["https://api.example.com", "http://127.0.0.1:9", "http://localhost:8080/base", "http://[::1]:80"] {
        assert!(Client::builder().base_url(ok).build().is_ok(), "{ok}");
    }
    for bad in ["http://example.com", "http://10.0.0.1", "ftp://127.0.0.1", "not a url"] {
        assert!(matches!(Client::builder().base_url(bad).build(), Err(Error::Config(_))), "{bad}");
    }
}

#[tokio::test]
async fn connection_errors_are_retried_then_reported() {
    // A port nothing listens on: bind, learn the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let clock = VirtualClock::new();
    let c = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .api_key("ugc_test_x")
        .clock(Arc::new(clock.clone()))
        .retry_policy(RetryPolicy::default().max_retries(2).jitter(false))
        .build()
        .unwrap();
    let err = c.account().credits().await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(clock.sleeps().len(), 2);
}

#[tokio::test]
async fn failed_mutating_calls_carry_their_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(402).set_body_json(error_body("insufficient-credits", None)))
        .mount(&server)
        .await;
    let err = client(&server, &VirtualClock::new()).videos().start(start_req()).await.unwrap_err();
    let sent = header(&received(&server).await[0], "idempotency-key").unwrap().to_owned();
    assert_eq!(err.idempotency_key(), Some(sent.as_str()));

    // A call that never got an answer: the key is what makes trying again safe.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let c = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .api_key("ugc_test_x")
        .clock(Arc::new(VirtualClock::new()))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = c.videos().start(start_req()).idempotency_key("job-42").await.unwrap_err();
    assert_eq!(err.idempotency_key(), Some("job-42"));
}

#[tokio::test]
async fn a_zero_retry_after_still_backs_off() {
    let server = MockServer::start().await;
    fail_once(&server, 503, "unavailable", Some("0")).await;
    let clock = VirtualClock::new();
    client(&server, &clock).videos().start(start_req()).await.unwrap();
    assert_eq!(clock.sleeps(), vec![Duration::from_millis(500)]);
}

#[tokio::test]
async fn free_calls_are_not_retried_once_they_reached_the_service() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "1")
                .set_body_json(json!({"error": {"code": "unavailable", "message": "busy"}})),
        )
        .mount(&server)
        .await;
    let req = ugc_video::models::free::TrendAnalyzerRequest::builder().industry("fitness").build();
    let err = client(&server, &VirtualClock::new()).free().trend_analyzer(req).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(received(&server).await.len(), 1, "each try spends the per-IP daily quota");
}

#[tokio::test]
async fn a_secret_bearing_answer_never_lands_in_an_error() {
    let server = MockServer::start().await;
    // Decodes badly (no id), but carries a secret.
    let body =
        json!({"url": "https://example.com/hook", "secret": "whsec_TOPSECRETTOPSECRETTOPSECRET", "events": "nope"});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    let req =
        ugc_video::models::webhooks::CreateWebhookEndpointRequest::builder().url("https://example.com/hook").build();
    let err = client(&server, &VirtualClock::new()).webhooks().create_endpoint(req).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }));
    assert!(!format!("{err:?} {err}").contains("TOPSECRET"));
    assert!(err.idempotency_key().is_some());
}

#[test]
fn builder_and_odd_keys_stay_redacted() {
    let b = Client::builder().api_key("ugc_live_supersecretvalue");
    assert!(!format!("{b:?}").contains("supersecret"), "{b:?}");
    let key = ugc_video::ApiKey::new("abcd1234_efgh_ijkl").unwrap();
    assert_eq!(key.prefix(), "");
    assert_eq!(format!("{key:?}"), "ApiKey(…)");
}
