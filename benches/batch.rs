//! `Client::batch`: 1,000 renders at the account's cap of 25 (Tier::Scale), every
//! render the same length, against the ideal: renders ÷ cap × (queue + render).
//!
//! Virtual time on `TimeMode::Scaled` (real sleeps, compressed), rate limits off,
//! default (adaptive) polling. The elapsed time is the mock's clock before and after
//! `collect()`, the same clock the ideal is in. Target: ratio ≤ 1.15.
//!
//! Besides the ratio it prints where the time beyond the ideal went: slot-time left
//! idle per render, of which the detection delay (first poll that saw `done` − the
//! render's end, from the mock's request log).
//!
//! `cargo bench --bench batch` (BENCH_BATCH_RENDERS, BENCH_BATCH_SCALE,
//! BENCH_BATCH_RENDER_S, BENCH_BATCH_QUEUE_S).

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::{Row, env_or, mean, percentile, print_table, runtime};
use ugc_video::mock::{MockServer, TimeMode};
use ugc_video::models::videos::StartVideoRequest;
use ugc_video::types::{AspectRatio, Engine, Quality, Tier};

const CAP: usize = 25; // Tier::Scale

fn main() {
    let renders: usize = env_or("BENCH_BATCH_RENDERS", 1000);
    let scale: f64 = env_or("BENCH_BATCH_SCALE", 500.0);
    let render = Duration::from_secs_f64(env_or("BENCH_BATCH_RENDER_S", 30.0));
    let queue = Duration::from_secs_f64(env_or("BENCH_BATCH_QUEUE_S", 0.0));
    let rt = runtime();
    rt.block_on(async {
        let mock = MockServer::builder()
            .time_mode(TimeMode::Scaled(scale))
            .rate_limits(false)
            .queue_time(queue)
            .render_time(Engine::Veo, render)
            .account("studio", Tier::Scale, 100_000_000)
            .start()
            .await;
        let key = mock.api_key_for("studio").expect("the account").to_owned();
        let request = StartVideoRequest::builder()
            .engine(Engine::Veo)
            .quality(Quality::Standard)
            .duration(8)
            .aspect_ratio(AspectRatio::Portrait)
            .visual_prompt("A creator unboxing a matte-black water bottle")
            .build();
        let client = mock.client_for("studio");
        let real = Instant::now();
        let t0 = mock.now();
        let items = client.batch(std::iter::repeat_n(request, renders), Duration::from_secs(3600)).collect().await.expect("the cap");
        let elapsed = (mock.now() - t0).as_secs_f64();
        let real = real.elapsed().as_secs_f64();

        let ok = items.iter().filter(|i| i.result.is_ok()).count();
        let polls: u32 = items.iter().filter_map(|i| i.result.as_ref().ok()).map(|v| v.polls).sum();
        let waves = renders.div_ceil(CAP) as f64;
        let ideal = waves * (queue + render).as_secs_f64();
        let ratio = elapsed / ideal;

        // Where the slot-time went.
        let log = mock.requests();
        let starts = log.iter().filter(|r| r.operation == Some("proxyStartVideoGeneration"));
        let refused = starts.clone().filter(|r| r.status == 429).count();
        let mut seen_done: HashMap<String, Duration> = HashMap::new();
        for r in log.iter().filter(|r| r.operation == Some("proxyCheckVideoStatus") && r.response_body["done"] == true) {
            let op = r.body["operationName"].as_str().unwrap_or_default().to_owned();
            seen_done.entry(op).or_insert(r.at);
        }
        let all = mock.renders();
        let busy: f64 = all.iter().map(|r| (r.ends_at - r.created_at).as_secs_f64()).sum();
        let idle_per_render = (CAP as f64 * elapsed - busy) / all.len() as f64;
        let delays: Vec<f64> = all
            .iter()
            .filter_map(|r| seen_done.get(&r.operation_name).map(|at| at.as_secs_f64() - r.ends_at.as_secs_f64()))
            .collect();

        let rows = [Row::new(
            format!("{renders} renders at cap {CAP}"),
            format!("{ideal:.0} s ideal"),
            format!("{elapsed:.1} s"),
            ratio,
        )
        .target("≤ 1.15", ratio <= 1.15)];
        print_table(
            &format!(
                "batch: virtual time vs ideal ({} s queue + {} s render, TimeMode::Scaled({scale}), {real:.1} s real)",
                queue.as_secs_f64(),
                render.as_secs_f64()
            ),
            &rows,
        );
        println!(
            "completed {ok}/{renders}; max in flight {} (cap {CAP}); start 429s {refused}; polls/render {:.2}",
            mock.max_in_flight(&key),
            f64::from(polls) / ok.max(1) as f64
        );
        println!(
            "slot idle per render {idle_per_render:.2} s (ideal 0), of which detection delay mean {:.2} s, p95 {:.2} s, max {:.2} s",
            mean(&delays),
            percentile(&delays, 95.0),
            percentile(&delays, 100.0)
        );
    });
}
