//! Helpers shared by the `mock_*` test files: raw HTTP calls and valid bodies.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use ugc_video::mock::MockServer;

/// A response read through plain reqwest.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    pub fn field(&self) -> Option<&str> {
        self.body["error"]["field"].as_str()
    }
}

/// A raw `POST {uri}/{op}`.
pub struct Call {
    uri: String,
    op: String,
    key: Option<String>,
    idempotency_key: Option<String>,
    body: Vec<u8>,
}

pub fn call(mock: &MockServer, op: &str) -> Call {
    Call {
        uri: mock.uri().to_owned(),
        op: op.to_owned(),
        key: Some(mock.api_key().to_owned()),
        idempotency_key: None,
        body: b"{}".to_vec(),
    }
}

impl Call {
    pub fn key(mut self, key: Option<&str>) -> Self {
        self.key = key.map(str::to_owned);
        self
    }
    pub fn idem(mut self, key: &str) -> Self {
        self.idempotency_key = Some(key.to_owned());
        self
    }
    pub fn json(mut self, body: Value) -> Self {
        self.body = serde_json::to_vec(&body).unwrap();
        self
    }
    /// The body wrapped in the callable-function envelope.
    pub fn envelope(self, body: Value) -> Self {
        self.json(json!({ "data": body }))
    }
    pub fn raw_body(mut self, body: &[u8]) -> Self {
        self.body = body.to_vec();
        self
    }
    pub async fn send(self) -> Raw {
        let mut req =
            http().post(format!("{}/{}", self.uri, self.op)).header("content-type", "application/json").body(self.body);
        if let Some(k) = &self.key {
            req = req.bearer_auth(k);
        }
        if let Some(k) = &self.idempotency_key {
            req = req.header("idempotency-key", k);
        }
        let resp = req.send().await.expect("the mock answers");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.expect("a complete body");
        Raw { status, headers, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) }
    }
}

pub fn http() -> reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(reqwest::Client::new).clone()
}

/// A start-video body.
pub fn render_body(engine: &str, quality: &str, duration: u32) -> Value {
    json!({
        "engine": engine,
        "quality": quality,
        "duration": duration,
        "aspectRatio": "9:16",
        "scene": {"visualPrompt": "A creator unboxing a matte-black water bottle", "scriptText": "This is unreal."}
    })
}

/// A valid body for every operation that needs no existing resource; the others
/// get the given ids.
pub fn valid_body(op: &str, ids: &Ids) -> Value {
    match op {
        "freeTrendAnalyzer" => json!({"industry": "fitness"}),
        "freeGenerateHooks" => json!({"productDescription": "Insulated water bottle", "platform": "tiktok"}),
        "freeGenerateCreatorPersona" => {
            json!({"niche": "home goods", "platform": "instagram", "targetAudience": "renters aged 25-34"})
        }
        "freeGenerateScript" => json!({"productDescription": "Insulated water bottle", "industry": "fitness"}),
        "proxyFetchTopSellingProducts" | "proxyFetchFullMarketAnalysis" => json!({"industry": "skincare"}),
        "proxyGenerateViralScript" => {
            json!({"productDescription": "Insulated water bottle", "tone": "energetic", "targetDurationSec": 15})
        }
        "proxyParseOwnScript" => {
            json!({"rawScript": "Okay this bottle is unreal. Ice for 24 hours! Link below.", "audioMode": "voiceover"})
        }
        "proxyGenerateSceneImage" => {
            json!({"visualPrompt": "A bottle on a desk", "productDescription": "", "quality": "hq", "aspectRatio": "4:5"})
        }
        "proxyStartVideoGeneration" => render_body("seedance", "standard", 7),
        "proxyCheckVideoStatus" => json!({"operationName": ids.operation, "engine": "veo"}),
        "proxyFetchVideo" => json!({"uri": ids.video_uri, "engine": "veo"}),
        "proxyCancelVideoGeneration" => json!({"operationName": ids.cancellable, "engine": "veo"}),
        "proxyListVideoGenerations" => json!({"limit": 2}),
        "proxyApplyTextOverlay" => json!({"videoUri": "https://cdn.example.com/v.mp4", "overlays": [
            {"text": "Wait for it", "startTime": 0, "endTime": 1.5, "position": "top"},
            {"text": "Link below", "startTime": 2, "endTime": 4, "position": "bottom"}]}),
        "proxyStitchVideos" => {
            json!({"videoUrls": ["https://cdn.example.com/a.mp4", "https://cdn.example.com/b.mp4"], "useCrossfade": true, "crossfadeDuration": 0.5, "captions": true})
        }
        "proxyGetCredits" | "proxyListEngines" | "proxyListWebhookEndpoints" => json!({}),
        "proxyListCreditTransactions" => json!({"kind": "charge", "limit": 5}),
        "proxyCreateWebhookEndpoint" => {
            json!({"url": "https://hooks.example.com/ugc", "events": ["video.completed"], "description": "ci"})
        }
        "proxyDeleteWebhookEndpoint" => json!({"endpointId": ids.deletable_endpoint}),
        "proxyRotateWebhookSecret" | "proxySendTestWebhook" => json!({"endpointId": ids.endpoint}),
        "proxyListWebhookDeliveries" => json!({"endpointId": ids.endpoint, "limit": 10}),
        "proxyRedeliverWebhook" => json!({"deliveryId": ids.delivery}),
        other => panic!("no valid body for {other}"),
    }
}

/// Ids of resources some operations need.
#[derive(Debug, Default, Clone)]
pub struct Ids {
    pub operation: String,
    pub video_uri: String,
    pub cancellable: String,
    pub endpoint: String,
    pub deletable_endpoint: String,
    pub delivery: String,
}

/// Creates a completed render, a queued one, two endpoints and a delivery, through
/// raw HTTP.
pub async fn seed_resources(mock: &MockServer) -> Ids {
    let done = call(mock, "proxyStartVideoGeneration").json(render_body("veo", "standard", 8)).send().await;
    assert_eq!(done.status, 200, "{:?}", done.body);
    mock.advance(Duration::from_secs(60));
    let queued = call(mock, "proxyStartVideoGeneration").json(render_body("veo", "hq", 6)).send().await;
    let endpoint =
        call(mock, "proxyCreateWebhookEndpoint").json(json!({"url": "http://127.0.0.1:9/hook"})).send().await;
    let spare =
        call(mock, "proxyCreateWebhookEndpoint").json(json!({"url": "https://hooks.example.com/spare"})).send().await;
    let endpoint_id = endpoint.body["id"].as_str().unwrap().to_owned();
    let test = call(mock, "proxySendTestWebhook").json(json!({"endpointId": endpoint_id})).send().await;
    Ids {
        operation: done.body["operation"]["name"].as_str().unwrap().to_owned(),
        video_uri: format!(
            "mock://videos/{}",
            done.body["operation"]["name"].as_str().unwrap().rsplit('/').next().unwrap()
        ),
        cancellable: queued.body["operation"]["name"].as_str().unwrap().to_owned(),
        endpoint: endpoint_id,
        deletable_endpoint: spare.body["id"].as_str().unwrap().to_owned(),
        delivery: test.body["deliveryId"].as_str().unwrap().to_owned(),
    }
}

/// Runs `f` with a real-time guard, so a broken wait fails the test instead of
/// hanging it. (The wait itself is event-driven; nothing here sleeps.)
pub async fn within<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), f).await.unwrap_or_else(|_| panic!("timed out waiting for {what}"))
}

/// A delivery as received: headers and raw body.
pub type Delivery = (HeaderMap, Vec<u8>);

/// A local webhook receiver answering from a script of statuses (then 200).
#[derive(Clone, Default)]
pub struct Receiver {
    pub got: Arc<std::sync::Mutex<Vec<Delivery>>>,
    pub script: Arc<std::sync::Mutex<std::collections::VecDeque<u16>>>,
}

impl Receiver {
    /// Starts on a free port; returns it and its URL.
    pub async fn start(script: &[u16]) -> (Self, String) {
        use axum::body::Bytes;
        use axum::http::{HeaderMap as AxumHeaders, StatusCode};
        let me = Self::default();
        me.script.lock().unwrap().extend(script.iter().copied());
        let state = me.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: AxumHeaders, body: Bytes| {
                let state = state.clone();
                async move {
                    state.got.lock().unwrap().push((headers, body.to_vec()));
                    let status = state.script.lock().unwrap().pop_front().unwrap_or(200);
                    StatusCode::from_u16(status).unwrap()
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (me, url)
    }

    pub fn received(&self) -> Vec<Delivery> {
        self.got.lock().unwrap().clone()
    }
}

/// A typed start request with a flat prompt.
pub fn start_request(
    engine: ugc_video::types::Engine,
    quality: ugc_video::types::Quality,
    duration: u32,
) -> ugc_video::models::videos::StartVideoRequest {
    ugc_video::models::videos::StartVideoRequest::builder()
        .engine(engine)
        .quality(quality)
        .duration(duration)
        .aspect_ratio(ugc_video::types::AspectRatio::Portrait)
        .visual_prompt("A creator unboxing a matte-black water bottle")
        .build()
}

/// A typed status request.
pub fn status_request(
    operation_name: &str,
    engine: ugc_video::types::Engine,
) -> ugc_video::models::videos::VideoStatusRequest {
    ugc_video::models::videos::VideoStatusRequest::builder().operation_name(operation_name).engine(engine).build()
}
