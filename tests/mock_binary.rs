//! The standalone `ugc-video-mock` binary.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

/// Kills the server even when an assertion fails.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_serves_the_mock() {
    let child = Command::new(env!("CARGO_BIN_EXE_ugc-video-mock"))
        .args(["--port", "0", "--time-scale", "100", "--seed", "42"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the binary starts");
    let mut server = Server(child);
    let mut lines = BufReader::new(server.0.stdout.take().unwrap()).lines();
    let mut value = |prefix: &str| {
        let line = lines.next().expect("a line").expect("utf-8");
        line.strip_prefix(prefix).unwrap_or_else(|| panic!("expected {prefix}…, got {line}")).to_owned()
    };
    let base = value("base_url=");
    let key = value("api_key=");
    assert!(base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"));
    assert!(key.starts_with("ugc_test_") && key.len() == "ugc_test_".len() + 32);

    let http = reqwest::Client::new();
    let yaml = http.get(format!("{base}/openapi.yaml")).send().await.unwrap().text().await.unwrap();
    assert_eq!(yaml, ugc_video::spec::SPEC_YAML);
    let json = http.get(format!("{base}/.well-known/openapi.json")).send().await.unwrap().bytes().await.unwrap();
    let json: Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(json["info"]["title"], "UGC Copilot Video API");

    let body = json!({"data": {"engine": "veo", "quality": "standard", "duration": 8, "aspectRatio": "16:9",
        "visualPrompt": "A drone shot over a coastal city"}});
    let started = http
        .post(format!("{base}/proxyStartVideoGeneration"))
        .bearer_auth(&key)
        .header("idempotency-key", "bin-1")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), 200);
    let started: Value = serde_json::from_slice(&started.bytes().await.unwrap()).unwrap();
    assert_eq!(started["creditCost"], 40);

    // The typed client works against it too.
    let client = ugc_video::Client::builder().base_url(&base).api_key(&key).build().unwrap();
    let credits = client.account().credits().await.unwrap();
    assert_eq!(credits.balance, 10_000 - 40);
    drop(server);
}
