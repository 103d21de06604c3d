//! Batch rendering: one ad as variations across all four engines, within the account's
//! concurrency cap, with an overall progress bar and a summary table.
//!
//! ```text
//! cargo run --example batch                 # embedded mock (some renders fail on purpose)
//! UGC_COPILOT_API_KEY=ugc_live_… cargo run --example batch -- 2   # live, 2 variations per engine
//! ```

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use ugc_video::mock::{MockServer, TimeMode};
use ugc_video::models::videos::{Scene, StartVideoRequest};
use ugc_video::types::{AspectRatio, Engine, Quality, Tier};
use ugc_video::{API_KEY_ENV, Client, Error};

const SCENES: &[&str] = &[
    "A creator unboxing a sleek matte-black water bottle, soft window light",
    "Close-up of the bottle's cap clicking shut, condensation on the surface",
    "The bottle in a gym bag, handheld vlog framing, upbeat energy",
];

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let per_engine: usize = std::env::args().nth(1).map(|n| n.parse()).transpose()?.unwrap_or(3);
    let (client, _mock) = if std::env::var_os(API_KEY_ENV).is_some() {
        (Client::from_env()?, None)
    } else {
        let mock = MockServer::builder()
            .time_mode(TimeMode::Scaled(50.0))
            .account("batch", Tier::Pro, 5_000)
            .failure_rate(0.1)
            .seed(42)
            .try_start()
            .await?;
        println!("{API_KEY_ENV} is not set: rendering on the embedded mock (10 % of renders fail on purpose).");
        (mock.client(), Some(mock))
    };

    let engines = [Engine::Sora, Engine::Veo, Engine::Kling, Engine::Seedance];
    let requests: Vec<StartVideoRequest> = engines
        .iter()
        .flat_map(|e| (0..per_engine).map(move |i| (e.clone(), SCENES[i % SCENES.len()])))
        .map(|(engine, prompt)| {
            StartVideoRequest::builder()
                .engine(engine)
                .quality(Quality::Standard)
                .duration(8)
                .aspect_ratio(AspectRatio::Portrait)
                .scene(Scene::new(prompt))
                .build()
        })
        .collect();
    let labels: Vec<String> = requests.iter().map(|r| r.engine.to_string()).collect();

    let bar = ProgressBar::new(requests.len() as u64).with_style(
        ProgressStyle::with_template("rendering [{bar:40}] {pos}/{len} {msg} ({elapsed})")?.progress_chars("=> "),
    );
    let started = Instant::now();
    let mut results = client.batch(requests, Duration::from_secs(30 * 60)).stream().await?;
    let mut rows = Vec::new();
    while let Some(item) = results.next().await {
        bar.inc(1);
        bar.set_message(format!("#{} done", item.index));
        rows.push(item);
    }
    bar.finish_with_message("all done");
    rows.sort_by_key(|r| r.index);

    println!("\n{:>3}  {:<9} {:<8} {:>7}  operation / error", "#", "engine", "result", "credits");
    let (mut ok, mut spent) = (0, 0);
    for row in &rows {
        match &row.result {
            Ok(v) => {
                ok += 1;
                spent += v.credits_charged.unwrap_or(0);
                println!(
                    "{:>3}  {:<9} {:<8} {:>7}  {}",
                    row.index,
                    labels[row.index],
                    "ok",
                    v.credits_charged.unwrap_or(0),
                    v.operation_name
                );
            }
            Err(Error::RenderFailed(f)) => println!(
                "{:>3}  {:<9} {:<8} {:>7}  {} (refunded {})",
                row.index,
                labels[row.index],
                "failed",
                0,
                f.error.message,
                f.refunded_credits.unwrap_or(0)
            ),
            Err(e) => println!("{:>3}  {:<9} {:<8} {:>7}  {e}", row.index, labels[row.index], "error", "-"),
        }
    }
    let balance = client.account().credits().await?.balance;
    println!("\n{ok}/{} rendered in {:.1?}, {spent} credits spent, {balance} left.", rows.len(), started.elapsed());
    Ok(())
}
