//! Limits: the tier's concurrency cap, the per-key sliding windows of every bucket
//! and the free operations' per-IP daily quotas.

mod mock_common;

use std::time::Duration;

use mock_common::{Raw, call, render_body, start_request, valid_body};
use serde_json::json;
use ugc_video::RetryPolicy;
use ugc_video::mock::MockServer;
use ugc_video::models::free::TrendAnalyzerRequest;
use ugc_video::types::{Engine, ErrorCode, Quality, Tier};

fn rate_headers(r: &Raw) -> (u32, u32, u64) {
    let n = |h: &str| r.header(h).unwrap_or_else(|| panic!("{h} missing")).parse::<u64>().unwrap();
    (n("x-ratelimit-limit") as u32, n("x-ratelimit-remaining") as u32, n("x-ratelimit-reset"))
}

#[tokio::test]
async fn the_concurrency_cap_follows_the_tier() {
    for (tier, cap) in [(Tier::Starter, 3), (Tier::Pro, 8), (Tier::Scale, 25)] {
        let mock = MockServer::builder().account("a", tier.clone(), 100_000).rate_limits(false).start().await;
        for _ in 0..cap {
            let r = call(&mock, "proxyStartVideoGeneration").json(render_body("veo", "standard", 8)).send().await;
            assert_eq!(r.status, 200);
        }
        let refused = call(&mock, "proxyStartVideoGeneration").json(render_body("veo", "standard", 8)).send().await;
        assert_eq!((refused.status, refused.code()), (429, "concurrency-exceeded"), "{tier}");
        // Veo: 5 s queued + 30 s rendering, so the earliest slot frees in 35 s.
        assert_eq!(refused.header("retry-after"), Some("35"));
        assert_eq!(refused.body["error"]["retryAfter"], 35);
        assert_eq!(mock.in_flight(mock.api_key()), cap);
        assert_eq!(mock.renders().len(), cap, "the refused render was not started");
        assert_eq!(mock.balance(mock.api_key()), 100_000 - 40 * cap as i64, "nor charged");
    }
}

#[tokio::test]
async fn the_sdk_waits_for_a_concurrency_slot_in_virtual_time() {
    let mock = MockServer::builder().account("starter", Tier::Starter, 1_000).start().await;
    let client = mock.client();
    for _ in 0..3 {
        client.videos().start(start_request(Engine::Veo, Quality::Standard, 8)).await.unwrap();
    }
    // Without retries the refusal is typed.
    let strict = mock.client_builder().retry_policy(RetryPolicy::none()).build().unwrap();
    let err = strict.videos().start(start_request(Engine::Veo, Quality::Standard, 8)).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::ConcurrencyExceeded));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(35)));

    // With retries, the client sleeps Retry-After on the mock's clock and gets in.
    let before = mock.now();
    let fourth = client.videos().start(start_request(Engine::Veo, Quality::Standard, 8)).await.unwrap();
    assert_eq!(fourth.meta().attempts, 2);
    assert_eq!(mock.now() - before, Duration::from_secs(35));
    assert_eq!(mock.max_in_flight(mock.api_key()), 3, "never above the cap");
}

#[tokio::test]
async fn each_bucket_has_its_own_sliding_window() {
    let buckets = [
        ("proxyStartVideoGeneration", 10),
        ("proxyGenerateSceneImage", 40),
        ("proxyGenerateViralScript", 20),
        ("proxyFetchTopSellingProducts", 10),
        ("proxyGetCredits", 60),
    ];
    let mock = MockServer::builder().account("big", Tier::Scale, 100_000).start().await;
    let ids = mock_common::Ids::default();
    for (op, limit) in buckets {
        let body =
            if op == "proxyStartVideoGeneration" { render_body("veo", "standard", 8) } else { valid_body(op, &ids) };
        for i in 0..limit {
            let r = call(&mock, op).json(body.clone()).send().await;
            assert_eq!(r.status, 200, "{op} call {i}: {}", r.body);
            let (l, remaining, _) = rate_headers(&r);
            assert_eq!((l, remaining), (limit, limit - i - 1), "{op}");
        }
        let refused = call(&mock, op).json(body.clone()).send().await;
        assert_eq!((refused.status, refused.code()), (429, "rate-limited"), "{op}");
        assert_eq!(refused.body["error"]["type"], "rate_limit_error");
        assert_eq!(refused.header("retry-after"), Some("60"), "{op}: the whole window is still ahead");
        assert_eq!(rate_headers(&refused), (limit, 0, 60));
        mock.advance(Duration::from_secs(1));
    }
    // The windows slide: the first bucket's calls fell out 60 s after they were made.
    mock.advance(Duration::from_secs(55));
    let again = call(&mock, "proxyStartVideoGeneration").json(render_body("veo", "standard", 8)).send().await;
    assert_eq!(again.status, 200, "{}", again.body);
    let still = call(&mock, "proxyGetCredits").send().await;
    assert_eq!(still.status, 429, "the general window started 4 s later");
    assert_eq!(still.header("retry-after"), Some("4"));
    mock.advance(Duration::from_secs(4));
    assert_eq!(call(&mock, "proxyGetCredits").send().await.status, 200);
}

#[tokio::test]
async fn rate_limits_through_the_sdk() {
    let mock = MockServer::builder().account("big", Tier::Scale, 100_000).start().await;
    let client = mock.client();
    let strict = mock.client_builder().retry_policy(RetryPolicy::none()).build().unwrap();
    for i in 0..60 {
        let credits = client.account().credits().await.unwrap();
        let rl = credits.meta().rate_limit.unwrap();
        assert_eq!((rl.limit, rl.remaining), (60, 59 - i));
        mock.advance(Duration::from_millis(500));
    }
    let err = strict.account().credits().await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::RateLimited));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    // The retrying client sleeps on the mock clock until the first slot frees.
    let ok = client.account().credits().await.unwrap();
    assert_eq!(ok.meta().attempts, 2);
    assert_eq!(mock.requests().iter().filter(|r| r.status == 429).count(), 2);
}

#[tokio::test]
async fn free_operations_have_a_daily_quota_per_ip() {
    let mock = MockServer::start().await;
    for _ in 0..5 {
        let r = call(&mock, "freeTrendAnalyzer").key(None).envelope(json!({"industry": "pets"})).send().await;
        assert_eq!(r.status, 200);
    }
    mock.advance(Duration::from_secs(3600));
    let refused = call(&mock, "freeTrendAnalyzer").key(None).envelope(json!({"industry": "pets"})).send().await;
    assert_eq!(refused.status, 429);
    assert_eq!(refused.body["error"]["code"], "resource-exhausted");
    assert!(refused.body["error"].get("type").is_none(), "free error envelope");
    assert_eq!(refused.header("retry-after"), Some("82800"), "23 h to midnight UTC");
    // Other free operations keep their own quota.
    let hooks = call(&mock, "freeGenerateHooks")
        .envelope(json!({"productDescription": "A bottle", "platform": "tiktok"}))
        .send()
        .await;
    assert_eq!(hooks.status, 200);

    // The SDK does not sleep for hours: it hands the delay back at once.
    let before = mock.now();
    let err = mock
        .client()
        .free()
        .trend_analyzer(TrendAnalyzerRequest::builder().industry("pets").build())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::ResourceExhausted));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(82_800)));
    assert_eq!(mock.now(), before);

    mock.advance(Duration::from_secs(82_800));
    let next_day = call(&mock, "freeTrendAnalyzer").envelope(json!({"industry": "pets"})).send().await;
    assert_eq!(next_day.status, 200);
}

#[tokio::test]
async fn limits_can_be_switched_off() {
    let mock = MockServer::builder().rate_limits(false).start().await;
    for _ in 0..70 {
        assert_eq!(call(&mock, "proxyGetCredits").send().await.status, 200);
    }
    for _ in 0..7 {
        assert_eq!(
            call(&mock, "freeGenerateScript")
                .envelope(valid_body("freeGenerateScript", &Default::default()))
                .send()
                .await
                .status,
            200
        );
    }
}
