//! `Client::batch`: 1,000 renders at the account's cap of 25 (Tier::Scale), every
//! render the same length, against the ideal: renders ÷ cap × (queue + render).
//!
//! Virtual time on `TimeMode::Scaled` (real sleeps, compressed), rate limits off,
//! default (adaptive) polling. The elapsed time is the mock's clock before and after
//! `collect()`, the same clock the ideal is in. Target: ratio ≤ 1.15, at 100×.
//!
//! Every real millisecond the client and mock spend (HTTP round trips, the burst of
//! 25 fetches and starts when a wave ends together, timer granularity) counts as
//! `scale` virtual milliseconds, so the figure is taken at a moderate 100× and the
//! same batch is re-run at 500× for comparison (info only). Per run it prints where
//! the time beyond the ideal went: slot-time left idle per render, of which the
//! detection delay (first poll that saw `done` − the render's end, from the mock's
//! request log), in virtual seconds and in real milliseconds.
//!
//! `cargo bench --bench batch` (BENCH_BATCH_RENDERS, BENCH_BATCH_SCALE,
//! BENCH_BATCH_SCALE_CHECK (0 skips it), BENCH_BATCH_RENDER_S, BENCH_BATCH_QUEUE_S).

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::{Row, env_or, mean, percentile, print_table, runtime};
use ugc_video::mock::{MockServer, TimeMode};
use ugc_video::types::{Engine, Tier};

const CAP: usize = 25; // Tier::Scale

struct Run {
    elapsed: f64,
    real: f64,
    ok: usize,
    polls: f64,
    refused: usize,
    max_in_flight: usize,
    idle_per_render: f64,
    delays: Vec<f64>,
}

async fn run(renders: usize, scale: f64, queue: Duration, render: Duration) -> Run {
    let mock = MockServer::builder()
        .time_mode(TimeMode::Scaled(scale))
        .rate_limits(false)
        .queue_time(queue)
        .render_time(Engine::Veo, render)
        .account("studio", Tier::Scale, 100_000_000)
        .start()
        .await;
    let key = mock.api_key_for("studio").expect("the account").to_owned();
    let request = common::start_request(Engine::Veo);
    let client = mock.client_for("studio");
    let real = Instant::now();
    let t0 = mock.now();
    let items = client.batch(std::iter::repeat_n(request, renders), Duration::from_secs(3600)).collect().await;
    let elapsed = (mock.now() - t0).as_secs_f64();
    let real = real.elapsed().as_secs_f64();
    let items = items.expect("the account's cap is readable");

    let videos: Vec<_> = items.iter().filter_map(|i| i.result.as_ref().ok()).collect();
    let log = mock.requests();
    let refused = log.iter().filter(|r| r.operation == Some("proxyStartVideoGeneration") && r.status == 429).count();
    let mut seen_done: HashMap<&str, Duration> = HashMap::new();
    for r in log.iter().filter(|r| r.operation == Some("proxyCheckVideoStatus") && r.response_body["done"] == true) {
        seen_done.entry(r.body["operationName"].as_str().unwrap_or_default()).or_insert(r.at);
    }
    let all = mock.renders();
    let busy: f64 = all.iter().map(|r| (r.ends_at - r.created_at).as_secs_f64()).sum();
    let delays = all
        .iter()
        .filter_map(|r| seen_done.get(r.operation_name.as_str()).map(|at| at.as_secs_f64() - r.ends_at.as_secs_f64()))
        .collect();
    Run {
        elapsed,
        real,
        ok: videos.len(),
        polls: videos.iter().map(|v| f64::from(v.polls)).sum::<f64>() / videos.len().max(1) as f64,
        refused,
        max_in_flight: mock.max_in_flight(&key),
        idle_per_render: (CAP as f64 * elapsed - busy) / all.len() as f64,
        delays,
    }
}

fn main() {
    let renders: usize = env_or("BENCH_BATCH_RENDERS", 1000);
    let scale: f64 = env_or("BENCH_BATCH_SCALE", 100.0);
    let check: f64 = env_or("BENCH_BATCH_SCALE_CHECK", 500.0);
    let render = Duration::from_secs_f64(env_or("BENCH_BATCH_RENDER_S", 30.0));
    let queue = Duration::from_secs_f64(env_or("BENCH_BATCH_QUEUE_S", 0.0));
    let ideal = renders.div_ceil(CAP) as f64 * (queue + render).as_secs_f64();
    let scales: Vec<f64> = [scale, check].into_iter().filter(|s| *s > 0.0).collect();
    let rt = runtime();
    let runs: Vec<(f64, Run)> = scales.iter().map(|&s| (s, rt.block_on(run(renders, s, queue, render)))).collect();

    let rows: Vec<Row> = runs
        .iter()
        .enumerate()
        .map(|(i, (s, r))| {
            let ratio = r.elapsed / ideal;
            let row = Row::new(
                format!("{renders} renders at cap {CAP}, {s}×"),
                format!("{ideal:.0} s ideal"),
                format!("{:.1} s", r.elapsed),
                ratio,
            );
            if i == 0 { row.target("≤ 1.15", ratio <= 1.15) } else { row }
        })
        .collect();
    print_table(
        &format!(
            "batch: virtual time vs ideal ({} s queue + {} s render, TimeMode::Scaled)",
            queue.as_secs_f64(),
            render.as_secs_f64()
        ),
        &rows,
    );
    for (s, r) in &runs {
        println!(
            "{s}×: {:.1} s real; completed {}/{renders}; max in flight {} (cap {CAP}); start 429s {}; polls/render {:.2}",
            r.real, r.ok, r.max_in_flight, r.refused, r.polls
        );
        println!(
            "      slot idle per render {:.2} s virtual = {:.1} ms real; detection delay mean {:.2} s, p95 {:.2} s, max {:.2} s",
            r.idle_per_render,
            r.idle_per_render / s * 1e3,
            mean(&r.delays),
            percentile(&r.delays, 95.0),
            percentile(&r.delays, 100.0)
        );
    }
}
