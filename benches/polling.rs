//! render_and_wait's polling: the adaptive schedule against fixed 5 s / 10 s / 15 s.
//!
//! Every strategy renders the same set of renders: 5 s queued, then a render time
//! spread evenly over 30–90 s (25 times, 2.4 s apart, so the ends fall at every phase
//! of a 5/10/15 s poll grid, as real renders do). Per render:
//! polls (`RenderedVideo::polls`, checked against the mock's request log) and the
//! detection delay = virtual time the client saw `done` − the render's `ends_at`.
//!
//! Main figures: manual virtual time, one render at a time, so every sleep of the
//! client moves the mock's clock exactly: deterministic, no real waiting. A cross-check
//! runs the same renders concurrently on `TimeMode::Scaled` clocks (real sleeps,
//! compressed), where timer granularity and HTTP latency add a little noise.
//!
//! Claim checked: adaptive makes fewer polls than fixed 5 s, with the same or a
//! shorter detection delay (ratios adaptive ÷ fixed-5 s: < 1 and ≤ 1).
//!
//! `cargo bench --bench polling` (BENCH_POLL_RENDERS, BENCH_POLL_SCALE).

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Row, env_or, mean, percentile, print_table, runtime};
use futures_util::future::join_all;
use ugc_video::mock::{MockServer, TimeMode};
use ugc_video::types::Engine;
use ugc_video::{Client, PollSchedule};

const QUEUE: Duration = Duration::from_secs(5);
const DEADLINE: Duration = Duration::from_secs(3600);

fn strategies() -> Vec<(&'static str, PollSchedule)> {
    vec![
        ("adaptive (default)", PollSchedule::default()),
        ("fixed 5 s", PollSchedule::fixed(Duration::from_secs(5))),
        ("fixed 10 s", PollSchedule::fixed(Duration::from_secs(10))),
        ("fixed 15 s", PollSchedule::fixed(Duration::from_secs(15))),
    ]
}

/// One render's outcome.
struct Seen {
    polls: u32,
    logged_polls: usize,
    delay_s: f64,
}

/// Renders once on `mock` with `schedule`; the detection time is the mock's clock at
/// the poll that reported `done` (the last progress callback).
async fn render_once(mock: &MockServer, client: &Client, schedule: PollSchedule) -> Seen {
    let clock = mock.clock();
    let seen_at = Arc::new(Mutex::new(Duration::ZERO));
    let at = seen_at.clone();
    let video = client
        .render_and_wait(common::start_request(Engine::Sora), DEADLINE)
        .poll_schedule(schedule)
        .on_progress(move |_| *at.lock().unwrap() = clock.elapsed())
        .await
        .expect("the render completes");
    let render = mock.renders().into_iter().find(|r| r.operation_name == video.operation_name).expect("render");
    let logged_polls = mock
        .requests()
        .iter()
        .filter(|r| {
            r.operation == Some("proxyCheckVideoStatus") && r.body["operationName"] == video.operation_name.as_str()
        })
        .count();
    let seen = *seen_at.lock().unwrap();
    Seen { polls: video.polls, logged_polls, delay_s: seen.as_secs_f64() - render.ends_at.as_secs_f64() }
}

fn mock_for(render: Duration, mode: TimeMode) -> impl std::future::Future<Output = MockServer> {
    MockServer::builder().time_mode(mode).rate_limits(false).queue_time(QUEUE).render_time(Engine::Sora, render).start()
}

struct Summary {
    polls: f64,
    logged: f64,
    delay_mean: f64,
    delay_p95: f64,
    delay_max: f64,
}

fn summarize(seen: &[Seen]) -> Summary {
    let delays: Vec<f64> = seen.iter().map(|s| s.delay_s).collect();
    Summary {
        polls: mean(&seen.iter().map(|s| f64::from(s.polls)).collect::<Vec<_>>()),
        logged: mean(&seen.iter().map(|s| s.logged_polls as f64).collect::<Vec<_>>()),
        delay_mean: mean(&delays),
        delay_p95: percentile(&delays, 95.0),
        delay_max: percentile(&delays, 100.0),
    }
}

fn report(title: &str, results: &[(&str, Summary)]) {
    println!("\n== {title}");
    println!(
        "{:<20}  {:>11}  {:>13}  {:>12}  {:>11}  {:>11}",
        "strategy", "polls/render", "(mock's log)", "delay mean", "delay p95", "delay max"
    );
    for (name, s) in results {
        println!(
            "{name:<20}  {:>11.2}  {:>13.2}  {:>10.2} s  {:>9.2} s  {:>9.2} s",
            s.polls, s.logged, s.delay_mean, s.delay_p95, s.delay_max
        );
    }
    let (adaptive, fixed5) = (&results[0].1, &results[1].1);
    // Fewer polls is the claim (strictly); detection may be no slower.
    let rows: Vec<Row> = [
        ("polls per render", "", fixed5.polls, adaptive.polls, true),
        ("detection delay, mean", " s", fixed5.delay_mean, adaptive.delay_mean, false),
        ("detection delay, p95", " s", fixed5.delay_p95, adaptive.delay_p95, false),
    ]
    .into_iter()
    .map(|(label, unit, base, subject, strict)| {
        let pass = if strict { subject < base } else { subject <= base };
        Row::new(label, format!("{base:.2}{unit}"), format!("{subject:.2}{unit}"), subject / base)
            .target(if strict { "< 1.00" } else { "≤ 1.00" }, pass)
    })
    .collect();
    print_table(&format!("{title}: adaptive (subject) vs fixed 5 s (baseline)"), &rows);
}

fn main() {
    let n: u32 = env_or("BENCH_POLL_RENDERS", 25);
    let scale: f64 = env_or("BENCH_POLL_SCALE", 100.0);
    // Render times spread evenly over 30–90 s, at bin centres: 31.2 s, 33.6 s, … 88.8 s
    // for 25. A 2.4 s step puts the ends at 25 different phases of a 5, 10 or 15 s grid.
    let times: Vec<Duration> =
        (0..n).map(|i| Duration::from_secs_f64(30.0 + 60.0 * (f64::from(i) + 0.5) / f64::from(n))).collect();
    println!(
        "polling: {n} renders per strategy, 5 s queued + {:.2}–{:.2} s rendering",
        times[0].as_secs_f64(),
        times[times.len() - 1].as_secs_f64()
    );
    let rt = runtime();
    rt.block_on(async {
        // Manual time: sequential, exact.
        let mut manual = Vec::new();
        for (name, schedule) in strategies() {
            let mut seen = Vec::new();
            for &t in &times {
                let mock = mock_for(t, TimeMode::Manual).await;
                seen.push(render_once(&mock, &mock.client(), schedule).await);
                mock.shutdown().await;
            }
            manual.push((name, summarize(&seen)));
        }
        report("polling, manual virtual time (exact)", &manual);

        // Scaled time: one mock per render time, every strategy at once on it.
        let started = std::time::Instant::now();
        let mocks = join_all(times.iter().map(|&t| mock_for(t, TimeMode::Scaled(scale)))).await;
        // Clients are built first: building one takes milliseconds of CPU (TLS roots).
        let clients: Vec<Client> = mocks.iter().map(MockServer::client).collect();
        let runs = strategies().into_iter().map(|(name, schedule)| {
            let (mocks, clients) = (&mocks, &clients);
            let all = mocks.iter().zip(clients).map(move |(m, c)| render_once(m, c, schedule));
            async move { (name, summarize(&join_all(all).await)) }
        });
        let scaled = join_all(runs).await;
        report(
            &format!(
                "polling, cross-check on TimeMode::Scaled({scale}) ({:.1} s real)",
                started.elapsed().as_secs_f64()
            ),
            &scaled,
        );
    });
}
