//! `ugc-video-mock`: the sandbox mock as a standalone server, for tests in any
//! language.
//!
//! ```text
//! ugc-video-mock [--port N] [--time-scale F] [--seed S]
//! ```
//!
//! Prints `base_url=…` and `api_key=…` lines on stdout once listening, serves the
//! spec at `/openapi.yaml` and `/.well-known/openapi.json`, and exits on Ctrl-C.
//! Virtual time runs at `F` × real time (default 1).

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;

use ugc_video::mock::{MockServer, TimeMode};

const USAGE: &str = "usage: ugc-video-mock [--port N] [--time-scale F] [--seed S]";

struct Args {
    port: u16,
    time_scale: f64,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { port: 8787, time_scale: 1.0, seed: 0x5eed };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.to_owned());
        }
        let value = it.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let bad = |e: &dyn std::fmt::Display| format!("invalid {flag} {value}: {e}\n{USAGE}");
        match flag.as_str() {
            "--port" => args.port = value.parse().map_err(|e| bad(&e))?,
            "--time-scale" => {
                args.time_scale = value.parse().map_err(|e| bad(&e))?;
                if !(args.time_scale.is_finite() && args.time_scale > 0.0) {
                    return Err(bad(&"must be a positive number"));
                }
            }
            "--seed" => args.seed = value.parse().map_err(|e| bad(&e))?,
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let started = MockServer::builder()
        .seed(args.seed)
        // A long-running server: keep memory bounded.
        .request_log_limit(10_000)
        .time_mode(TimeMode::Scaled(args.time_scale))
        .bind(SocketAddr::from(([127, 0, 0, 1], args.port)))
        .try_start()
        .await;
    let mock = match started {
        Ok(m) => m,
        Err(e) => {
            eprintln!("ugc-video-mock: cannot listen on port {}: {e}", args.port);
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    // Scripts read these two lines to find the server; flush so they see them now.
    let _ = writeln!(out, "base_url={}", mock.uri());
    let _ = writeln!(out, "api_key={}", mock.api_key());
    let _ = out.flush();
    drop(out);
    let _ = tokio::signal::ctrl_c().await;
    mock.shutdown().await;
    ExitCode::SUCCESS
}
