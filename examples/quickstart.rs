//! The 60-second quickstart: render the seed's scene (Sora 2, standard, 8 s, 9:16),
//! download the MP4 into `./out/`, and print the operation, credits charged and the
//! balance left.
//!
//! ```text
//! cargo run --example quickstart                       # embedded mock, no key needed
//! UGC_COPILOT_API_KEY=ugc_live_… cargo run --example quickstart   # the live service
//! cargo run --example quickstart -- --engine veo --duration 8 --aspect 16:9 "A drone shot over a coastal city"
//! ```

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use ugc_video::mock::{MockServer, TimeMode};
use ugc_video::models::videos::{Scene, StartVideoRequest};
use ugc_video::types::{AspectRatio, Engine, Quality};
use ugc_video::{API_KEY_ENV, Client};

const SEED_PROMPT: &str = "A creator unboxing a sleek matte-black water bottle, soft window light, vlog energy";
const SEED_SCRIPT: &str = "Okay this water bottle... this is unreal.";

struct Args {
    engine: Engine,
    quality: Quality,
    duration: u32,
    aspect: AspectRatio,
    prompt: String,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        engine: Engine::Sora,
        quality: Quality::Standard,
        duration: 8,
        aspect: AspectRatio::Portrait,
        prompt: SEED_PROMPT.to_owned(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--engine" => args.engine = Engine::from_wire(&value("--engine")?),
            "--quality" => args.quality = Quality::from_wire(&value("--quality")?),
            "--duration" => args.duration = value("--duration")?.parse().map_err(|e| format!("--duration: {e}"))?,
            "--aspect" => args.aspect = AspectRatio::from_wire(&value("--aspect")?),
            "-h" | "--help" => {
                return Err("usage: quickstart [--engine E] [--quality Q] [--duration S] [--aspect R] [PROMPT]".into());
            }
            _ => args.prompt = a,
        }
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args()?;
    // Keep the mock alive for the whole run; it shuts down when dropped.
    let (client, _mock) = if std::env::var_os(API_KEY_ENV).is_some() {
        println!("Using the live service ({API_KEY_ENV} is set).");
        (Client::from_env()?, None)
    } else {
        // 20× time: a 60 s Sora render takes 3 s, with real progress to watch.
        let mock = MockServer::builder().time_mode(TimeMode::Scaled(20.0)).try_start().await?;
        println!("{API_KEY_ENV} is not set: rendering on the embedded mock at {}.", mock.uri());
        (mock.client(), Some(mock))
    };

    let scene = Scene::new(args.prompt.clone()).script_text(if args.prompt == SEED_PROMPT { SEED_SCRIPT } else { "" });
    let request = StartVideoRequest::builder()
        .engine(args.engine.clone())
        .quality(args.quality.clone())
        .duration(args.duration)
        .aspect_ratio(args.aspect.clone())
        .scene(scene)
        .build();

    let bar = ProgressBar::new(100).with_style(
        ProgressStyle::with_template("{spinner} rendering [{bar:40}] {pos:>3}% {msg}")?.progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(100));
    let progress = bar.clone();
    let video = client
        .render_and_wait(request, Duration::from_secs(30 * 60))
        .on_progress(move |p| {
            progress.set_position(u64::from(p.progress));
            progress.set_message(p.status.as_ref().map(|s| s.to_string()).unwrap_or_default());
        })
        .await?;
    bar.finish_with_message("done");

    std::fs::create_dir_all("out")?;
    let file_name: String =
        video.operation_name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    let path = std::path::Path::new("out").join(format!("{file_name}.mp4"));
    let dl =
        ProgressBar::new(0).with_style(ProgressStyle::with_template("downloading [{bar:40}] {bytes}/{total_bytes}")?);
    let dl_bar = dl.clone();
    let bytes = client
        .download(&video.video_url)
        .on_progress(move |p| {
            dl_bar.set_length(p.total.unwrap_or(p.received));
            dl_bar.set_position(p.received);
        })
        .to_file(&path)
        .await?;
    dl.finish();

    let credits = client.account().credits().await?;
    println!("operation:       {}", video.operation_name);
    println!("engine:          {} ({}s rendered)", video.engine, video.effective_duration.unwrap_or(args.duration));
    println!("credits charged: {}", video.credits_charged.map_or("unknown".into(), |c| c.to_string()));
    println!("balance left:    {}", credits.balance);
    println!("saved:           {} ({bytes} bytes, {})", path.display(), video.mime_type);
    Ok(())
}
