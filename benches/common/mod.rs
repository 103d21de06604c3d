//! The measurement helper every bench shares: warm-up, many samples, median,
//! baseline and subject interleaved ABAB (so drift hits both alike), and one table
//! format. Deliberately small: read it in a minute.
#![allow(dead_code)] // each bench uses a different part

use std::time::Instant;

pub mod minimal;

/// `name` from the environment, or `default` (sizes are configurable, defaults make the figures).
pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Runs `warmup` discarded pairs, then `samples` pairs: baseline, subject, baseline,
/// subject… Each closure returns one sample (a time, a rate: whatever is compared).
pub fn abab(
    warmup: usize,
    samples: usize,
    mut baseline: impl FnMut() -> f64,
    mut subject: impl FnMut() -> f64,
) -> (Vec<f64>, Vec<f64>) {
    for _ in 0..warmup {
        baseline();
        subject();
    }
    let (mut a, mut b) = (Vec::with_capacity(samples), Vec::with_capacity(samples));
    for _ in 0..samples {
        a.push(baseline());
        b.push(subject());
    }
    (a, b)
}

/// Nanoseconds per call of `f`, timed over `iters` calls.
pub fn ns_per_iter(iters: u64, mut f: impl FnMut()) -> f64 {
    let t = Instant::now();
    for _ in 0..iters {
        f();
    }
    t.elapsed().as_nanos() as f64 / iters as f64
}

/// How many calls of `f` take about `target_ms` (so one sample is well above timer noise).
pub fn calibrate(target_ms: f64, mut f: impl FnMut()) -> u64 {
    let mut n = 1u64;
    loop {
        let ns = ns_per_iter(n, &mut f) * n as f64;
        if ns >= target_ms * 1e6 / 4.0 || n >= 1 << 30 {
            return ((target_ms * 1e6 / (ns / n as f64)) as u64).max(1);
        }
        n *= 2;
    }
}

/// Median of the per-pair ratios subject ÷ baseline: each pair ran back to back, so
/// slow drift of the machine cancels within a pair.
pub fn paired_ratio(baseline: &[f64], subject: &[f64]) -> f64 {
    let r: Vec<f64> = baseline.iter().zip(subject).map(|(a, b)| b / a).collect();
    median(&r)
}

pub fn median(v: &[f64]) -> f64 {
    percentile(v, 50.0)
}

/// Nearest-rank percentile.
pub fn percentile(v: &[f64], p: f64) -> f64 {
    assert!(!v.is_empty(), "no samples");
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * s.len() as f64).ceil() as usize;
    s[rank.clamp(1, s.len()) - 1]
}

pub fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// One line of a result table.
pub struct Row {
    pub name: String,
    pub baseline: String,
    pub subject: String,
    pub ratio: f64,
    /// e.g. "≤ 1.15"; "—" when the figure is reported without a target.
    pub target: String,
    /// `None`: no target.
    pub pass: Option<bool>,
}

impl Row {
    pub fn new(name: impl Into<String>, baseline: String, subject: String, ratio: f64) -> Self {
        Self { name: name.into(), baseline, subject, ratio, target: "—".into(), pass: None }
    }
    /// Sets the target text and the verdict.
    pub fn target(mut self, text: impl Into<String>, pass: bool) -> Self {
        self.target = text.into();
        self.pass = Some(pass);
        self
    }
}

/// Prints `rows` under `title`, with PASS / MISS per target.
pub fn print_table(title: &str, rows: &[Row]) {
    let w = rows.iter().map(|r| r.name.chars().count()).max().unwrap_or(0).max(9);
    let (wb, ws) = (
        rows.iter().map(|r| r.baseline.chars().count()).max().unwrap_or(0).max(8),
        rows.iter().map(|r| r.subject.chars().count()).max().unwrap_or(0).max(7),
    );
    println!("\n== {title}");
    println!("{:<w$}  {:>wb$}  {:>ws$}  {:>7}  {:>8}  verdict", "benchmark", "baseline", "subject", "ratio", "target");
    for r in rows {
        let verdict = match r.pass {
            Some(true) => "PASS",
            Some(false) => "MISS",
            None => "info",
        };
        println!(
            "{:<w$}  {:>wb$}  {:>ws$}  {:>7.3}  {:>8}  {verdict}",
            r.name, r.baseline, r.subject, r.ratio, r.target
        );
    }
}

/// A multi-threaded runtime like an application's (one worker per core).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime")
}

/// The render the benches start: `engine`, standard, 8 s, portrait.
pub fn start_request(engine: ugc_video::types::Engine) -> ugc_video::models::videos::StartVideoRequest {
    use ugc_video::types::{AspectRatio, Quality};
    ugc_video::models::videos::StartVideoRequest::builder()
        .engine(engine)
        .quality(Quality::Standard)
        .duration(8)
        .aspect_ratio(AspectRatio::Portrait)
        .visual_prompt("A creator unboxing a matte-black water bottle")
        .build()
}
