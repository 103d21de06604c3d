//! Resident memory of 10,000 `render_and_wait` futures waiting, per future, against
//! 10,000 tokio tasks that only sleep on a timer (measured in the same run).
//!
//! Each figure is taken in a fresh child process (this binary, re-run with
//! BENCH_MEMORY_ROLE), so one measurement never reuses memory another freed, and the
//! mock runs in the parent, so its request log and render table are not counted.
//! Per child: warm up (runtime, HTTP pool, first renders), read RSS from
//! /proc/self/statm, spawn N tasks in chunks of 50 (so at most 50 connections are
//! ever open), wait until every one is in its wait, read RSS again:
//! (after − before) / N.
//!
//! Subject: `render_and_wait` tasks with the default adaptive schedule, on a client
//! clock running at 1/100 of real time, so each sits in its first poll wait (3 s of
//! its time = 300 s real) after its start call returned. The mock's cap is 25
//! renders per key, so the renders are spread over N / 25 Tier::Scale keys, all
//! sharing one HTTP client. Target: < 16 KiB per waiting render.
//!
//! `cargo bench --bench memory` (BENCH_MEMORY_FUTURES, BENCH_MEMORY_REPS). Linux only.

mod common;

use std::future::IntoFuture;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Row, env_or, median, print_table, runtime};
use tokio::sync::watch;
use ugc_video::Client;
use ugc_video::clock::{Clock, Sleep};
use ugc_video::mock::MockServer;
use ugc_video::types::{Engine, Tier};

const CHUNK: usize = 50;
const WARM: usize = 50;
const PER_KEY: usize = 25; // Tier::Scale's concurrency cap

/// Resident set size in bytes: statm's second field × the page size.
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("Linux /proc");
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).expect("statm resident");
    pages * page_size()
}

/// AT_PAGESZ from the auxiliary vector.
fn page_size() -> u64 {
    let aux = std::fs::read("/proc/self/auxv").unwrap_or_default();
    let word = |b: &[u8]| u64::from_ne_bytes(b.try_into().expect("8 bytes"));
    aux.chunks_exact(16).find(|c| word(&c[..8]) == 6).map_or(4096, |c| word(&c[8..]))
}

/// Client time at `factor` × real time; counts sleeps, so the bench knows when a
/// task has reached its wait. Sleeps are boxed tokio sleeps, as with the mock's
/// clock: the timer each waiting render holds is part of what is measured.
#[derive(Debug)]
struct Slowed {
    factor: f64,
    start: Instant,
    sleeps: watch::Sender<usize>,
}

impl Clock for Slowed {
    fn now(&self) -> Instant {
        self.start + self.start.elapsed().mul_f64(self.factor)
    }
    fn sleep(&self, d: Duration) -> Sleep {
        self.sleeps.send_modify(|n| *n += 1);
        Box::pin(tokio::time::sleep(d.div_f64(self.factor)))
    }
}

/// Returns once `counter` has reached `n`, woken by each change rather than polling.
async fn until(counter: &watch::Sender<usize>, n: usize) {
    counter.subscribe().wait_for(|count| *count >= n).await.expect("the sender lives in the caller");
}

/// Lets the runtime's other tasks (the connection tasks of the last requests)
/// run to their next wait, then reads RSS.
async fn settled_rss() -> u64 {
    for _ in 0..100 {
        tokio::task::yield_now().await;
    }
    rss()
}

/// Child: N waiting render_and_wait tasks. Prints `bytes=<before> <after>`.
async fn subject_child(n: usize) {
    let uri = std::env::var("BENCH_MEMORY_URI").expect("the mock's URI");
    let keys: Vec<String> = std::env::var("BENCH_MEMORY_KEYS").expect("keys").split(',').map(str::to_owned).collect();
    let clock = Arc::new(Slowed { factor: 0.01, start: Instant::now(), sleeps: watch::Sender::new(0) });
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .connect_timeout(Duration::from_secs(10))
        .user_agent(concat!("ugc-video-rust/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("an HTTP client");
    let clients: Vec<Client> = keys
        .iter()
        .map(|k| {
            let b = Client::builder().base_url(&uri).api_key(k).http_client(http.clone());
            b.clock(clock.clone() as Arc<dyn Clock>).build().expect("a client")
        })
        .collect();
    let (req, deadline) = (common::start_request(Engine::Veo), Duration::from_secs(30 * 86_400));
    let spawn = |i: usize| {
        // Detached: the handle is not part of what a waiting render costs.
        drop(tokio::spawn(clients[i / PER_KEY].render_and_wait(req.clone(), deadline).into_future()));
    };
    for i in 0..WARM {
        spawn(i);
    }
    until(&clock.sleeps, WARM).await;
    let before = settled_rss().await;
    for chunk in (WARM..WARM + n).collect::<Vec<_>>().chunks(CHUNK) {
        chunk.iter().copied().for_each(spawn);
        until(&clock.sleeps, chunk[chunk.len() - 1] + 1).await;
    }
    let after = settled_rss().await;
    assert_eq!(*clock.sleeps.borrow(), WARM + n, "one wait per task, no retries");
    println!("bytes={before} {after}");
}

/// Child: N tasks sleeping on a tokio timer.
async fn baseline_child(n: usize) {
    let started = Arc::new(watch::Sender::new(0));
    let spawn = |_: usize| {
        let started = started.clone();
        drop(tokio::spawn(async move {
            started.send_modify(|n| *n += 1);
            // The baseline itself: a task holding one timer, as a waiting render does.
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }));
    };
    (0..WARM).for_each(spawn);
    until(&started, WARM).await;
    let before = settled_rss().await;
    for chunk in (WARM..WARM + n).collect::<Vec<_>>().chunks(CHUNK) {
        chunk.iter().copied().for_each(spawn);
        until(&started, chunk[chunk.len() - 1] + 1).await;
    }
    let after = settled_rss().await;
    println!("bytes={before} {after}");
}

/// Runs this binary as a child in `role`; returns (RSS before, after).
fn child(role: &str, env: &[(&str, String)]) -> (f64, f64) {
    let out = Command::new(std::env::current_exe().expect("own path"))
        .env("BENCH_MEMORY_ROLE", role)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .expect("the child runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{role} child failed: {stdout}{}", String::from_utf8_lossy(&out.stderr));
    let line = stdout.lines().find_map(|l| l.strip_prefix("bytes=")).expect("a bytes= line");
    let mut it = line.split(' ').map(|x| x.parse::<f64>().expect("a number"));
    (it.next().expect("before"), it.next().expect("after"))
}

fn main() {
    let n: usize = env_or("BENCH_MEMORY_FUTURES", 10_000);
    if let Ok(role) = std::env::var("BENCH_MEMORY_ROLE") {
        let rt = runtime();
        match role.as_str() {
            "subject" => rt.block_on(subject_child(n)),
            _ => rt.block_on(baseline_child(n)),
        }
        std::process::exit(0); // the waiting tasks are not worth tearing down
    }
    let reps = env_or("BENCH_MEMORY_REPS", 3);
    let rt = runtime();
    let (mut base, mut subj) = (Vec::new(), Vec::new());
    let mut last = (0.0, 0.0);
    for _ in 0..reps {
        let (b0, b1) = child("baseline", &[]);
        base.push((b1 - b0) / n as f64);
        // A fresh mock per run: the renders of the last one still hold their slots.
        let keys = (WARM + n).div_ceil(PER_KEY);
        let mock = rt.block_on(
            (0..keys)
                .fold(MockServer::builder().rate_limits(false), |b, k| {
                    b.account(format!("k{k}"), Tier::Scale, 1_000_000)
                })
                .start(),
        );
        let key_list: Vec<String> =
            (0..keys).map(|k| mock.api_key_for(&format!("k{k}")).expect("key").to_owned()).collect();
        let (s0, s1) =
            child("subject", &[("BENCH_MEMORY_URI", mock.uri().to_owned()), ("BENCH_MEMORY_KEYS", key_list.join(","))]);
        let log = mock.requests();
        let refused = log.iter().filter(|r| r.status != 200).count();
        assert_eq!((mock.renders().len(), refused), (WARM + n, 0), "every render started, none refused");
        subj.push((s1 - s0) / n as f64);
        last = (s0, s1);
        rt.block_on(mock.shutdown());
    }
    let (b, s) = (median(&base), median(&subj));
    let rows = [Row::new(
        format!("RSS per waiting task, {n} tasks"),
        format!("{:.2} KiB", b / 1024.0),
        format!("{:.2} KiB", s / 1024.0),
        s / b,
    )
    .target("< 16 KiB", s < 16.0 * 1024.0)];
    print_table("memory: waiting render_and_wait (subject) vs sleeping tokio task (baseline), median of runs", &rows);
    let kib = |v: &[f64]| v.iter().map(|x| format!("{:.2}", x / 1024.0)).collect::<Vec<_>>().join(", ");
    println!("runs (KiB/task): baseline [{}], subject [{}]", kib(&base), kib(&subj));
    println!("last subject child: RSS {:.1} MiB before, {:.1} MiB after", last.0 / 1048576.0, last.1 / 1048576.0);
}
