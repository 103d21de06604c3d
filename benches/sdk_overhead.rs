//! What the SDK adds to one call: `client.videos().status(..)` against a hand-written
//! reqwest + serde_json call, both against the same minimal local axum server that
//! answers a fixed status JSON.
//!
//! Both send the same request: POST /proxyCheckVideoStatus, bearer auth,
//! content-type and accept JSON, the same user agent, a JSON body; the hand-written
//! one decodes into a three-field struct. Same reqwest settings (60 s timeout, 10 s
//! connect timeout), each with its own keep-alive connection. One sample = K calls in
//! a row; the ratio is the median of the per-pair ratios. Target: ratio ≤ 1.10.
//!
//! `cargo bench --bench sdk_overhead` (BENCH_SAMPLES, BENCH_CALLS_PER_SAMPLE).

mod common;

use std::time::{Duration, Instant};

use axum::http::header;
use common::{Row, abab, env_or, median, minimal, paired_ratio, print_table};
use serde::{Deserialize, Serialize};
use ugc_video::Client;
use ugc_video::models::videos::VideoStatusRequest;
use ugc_video::types::Engine;

const KEY: &str = "ugc_test_0123456789abcdef0123456789abcdef";
const OPERATION: &str = "operations/sora/3f2a9c1b7e4d5a60";
const USER_AGENT: &str = concat!("ugc-video-rust/", env!("CARGO_PKG_VERSION"));

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StatusBody<'a> {
    operation_name: &'a str,
    engine: &'a str,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Status {
    done: bool,
    status: Option<String>,
    progress: Option<u32>,
}

async fn hand_written(http: &reqwest::Client, url: &str) -> Status {
    let body = serde_json::to_vec(&StatusBody { operation_name: OPERATION, engine: "sora" }).expect("encodes");
    let resp = http
        .post(url)
        .bearer_auth(KEY)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .body(body)
        .send()
        .await
        .expect("answered");
    assert!(resp.status().is_success());
    let bytes = resp.bytes().await.expect("a body");
    serde_json::from_slice(&bytes).expect("a status")
}

fn main() {
    let samples = env_or("BENCH_SAMPLES", 401);
    let calls: u32 = env_or("BENCH_CALLS_PER_SAMPLE", 25);
    // One thread for server and clients: the SDK's own CPU path shows undiluted by
    // cross-thread wake-ups (on a multi-threaded runtime the ratio came out lower).
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let base = rt.block_on(minimal::start());
    let sdk = Client::builder().base_url(&base).api_key(KEY).build().expect("a client");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .connect_timeout(Duration::from_secs(10))
        .user_agent(USER_AGENT)
        .build()
        .expect("a reqwest client");
    let url = format!("{base}/proxyCheckVideoStatus");

    // One sample: `calls` calls in a row, µs per call.
    let sample = |through_sdk: bool| {
        rt.block_on(async {
            let t = Instant::now();
            for _ in 0..calls {
                if through_sdk {
                    let req = VideoStatusRequest::builder().operation_name(OPERATION).engine(Engine::Sora).build();
                    std::hint::black_box(sdk.videos().status(req).await.expect("a status"));
                } else {
                    std::hint::black_box(hand_written(&http, &url).await);
                }
            }
            t.elapsed().as_secs_f64() * 1e6 / f64::from(calls)
        })
    };
    let (a, b) = abab(samples / 10, samples, || sample(false), || sample(true));
    let (base_us, sdk_us) = (median(&a), median(&b));
    let ratio = paired_ratio(&a, &b);
    let rows =
        [Row::new("videos().status(..), one call", format!("{base_us:.1} µs"), format!("{sdk_us:.1} µs"), ratio)
            .target("≤ 1.10", ratio <= 1.10)];
    print_table(
        "sdk_overhead: SDK call vs hand-written reqwest + serde_json (median µs per call, ratio = median of pair ratios)",
        &rows,
    );
}
