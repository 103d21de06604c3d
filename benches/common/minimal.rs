//! The minimal local server the SDK-overhead and mock benches compare against:
//! plain axum, one route answering a fixed status JSON.

use axum::Router;
use axum::body::Bytes;
use axum::http::header;
use axum::routing::post;

/// What it answers to every status call.
pub const STATUS_JSON: &str = r#"{"done":false,"status":"rendering","progress":42,"message":"Rendering"}"#;

/// The router: POST /proxyCheckVideoStatus → `STATUS_JSON`.
pub fn router() -> Router {
    Router::new().route(
        "/proxyCheckVideoStatus",
        post(|_body: Bytes| async { ([(header::CONTENT_TYPE, "application/json")], STATUS_JSON) }),
    )
}

/// Serves `router()` on a free loopback port; returns its base URL.
pub async fn start() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let addr = listener.local_addr().expect("bound");
    tokio::spawn(async move { axum::serve(listener, router()).await.expect("serve") });
    format!("http://{addr}")
}
