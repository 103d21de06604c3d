//! The axum extractor, exercised over a real loopback socket.
#![cfg(feature = "axum")]

use std::sync::Arc;

use axum::Router;
use axum::routing::post;
use reqwest::StatusCode;
use serde_json::json;
use ugc_video::webhooks::axum::{MAX_BODY_BYTES, VerifiedWebhook};
use ugc_video::webhooks::{
    EventData, HEADER_WEBHOOK_ID, HEADER_WEBHOOK_SIGNATURE, HEADER_WEBHOOK_TIMESTAMP, Signer, Verifier, WebhookSecret,
};

const NOW: u64 = 1_750_000_000;

async fn handler(VerifiedWebhook(event): VerifiedWebhook) -> String {
    match event.data {
        EventData::Test(t) => format!("{} {}", event.id, t.message),
        _ => event.id,
    }
}

/// Serves the extractor on an ephemeral port; returns its URL.
async fn serve(secret: &WebhookSecret) -> String {
    let verifier = Arc::new(Verifier::new(secret).clock(|| NOW));
    let app = Router::new().route("/hook", post(handler)).with_state(verifier);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    format!("http://{addr}/hook")
}

fn test_body(id: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": id,
        "type": "webhook.test",
        "createdAt": "2025-06-15T12:26:40Z",
        "data": {"endpointId": "we_1", "message": "ping"}
    }))
    .unwrap()
}

async fn post_signed(url: &str, secret: &WebhookSecret, id: &str, ts: u64, body: Vec<u8>) -> (StatusCode, String) {
    let headers = Signer::new(secret).headers(id, ts, &body).unwrap();
    let resp = reqwest::Client::new().post(url).headers(headers).body(body).send().await.unwrap();
    (resp.status(), resp.text().await.unwrap())
}

#[tokio::test]
async fn valid_delivery_reaches_the_handler() {
    let secret = WebhookSecret::generate();
    let url = serve(&secret).await;
    let (status, text) = post_signed(&url, &secret, "evt_1", NOW, test_body("evt_1")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text, "evt_1 ping");
}

#[tokio::test]
async fn bad_signature_is_401_without_echo() {
    let secret = WebhookSecret::generate();
    let url = serve(&secret).await;
    let other = WebhookSecret::generate();
    let (status, text) = post_signed(&url, &other, "evt_1", NOW, test_body("evt_1")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(!text.contains("evt_1") && !text.contains("v1,"), "{text}");
}

#[tokio::test]
async fn stale_timestamp_is_401() {
    let secret = WebhookSecret::generate();
    let url = serve(&secret).await;
    let (status, _) = post_signed(&url, &secret, "evt_1", NOW - 301, test_body("evt_1")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn missing_or_malformed_headers_are_400() {
    let secret = WebhookSecret::generate();
    let url = serve(&secret).await;
    let body = test_body("evt_1");
    let client = reqwest::Client::new();

    let resp = client.post(&url).body(body.clone()).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);

    let sig = Signer::new(&secret).sign("evt_1", NOW, &body);
    let resp = client
        .post(&url)
        .header(HEADER_WEBHOOK_ID, "evt_1")
        .header(HEADER_WEBHOOK_TIMESTAMP, "not-a-number")
        .header(HEADER_WEBHOOK_SIGNATURE, sig)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let text = resp.text().await.unwrap();
    assert!(!text.contains("not-a-number"), "{text}");
}

#[tokio::test]
async fn signed_but_invalid_payload_is_400() {
    let secret = WebhookSecret::generate();
    let url = serve(&secret).await;
    let (status, text) = post_signed(&url, &secret, "evt_1", NOW, b"{\"nope\":1}".to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(!text.contains("nope"), "{text}");
    // Signed, well-formed, but about another event.
    let (status, _) = post_signed(&url, &secret, "evt_2", NOW, test_body("evt_1")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn oversized_body_is_413() {
    let secret = WebhookSecret::generate();
    let url = serve(&secret).await;
    let big = vec![b' '; MAX_BODY_BYTES + 1];
    let (status, _) = post_signed(&url, &secret, "evt_1", NOW, big.clone()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    // Chunked: no Content-Length to check up front.
    let headers = Signer::new(&secret).headers("evt_1", NOW, &big).unwrap();
    let chunks = big.chunks(16 * 1024).map(|c| Ok::<_, std::io::Error>(c.to_vec())).collect::<Vec<_>>();
    let resp = reqwest::Client::new()
        .post(&url)
        .headers(headers)
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
        .send()
        .await;
    // The server may answer and close before the client finishes sending.
    if let Ok(resp) = resp {
        assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
}

#[tokio::test]
async fn body_at_the_limit_is_read() {
    let secret = WebhookSecret::generate();
    let url = serve(&secret).await;
    // Pad a valid event with trailing whitespace up to the limit.
    let mut body = test_body("evt_1");
    body.resize(MAX_BODY_BYTES, b' ');
    let (status, _) = post_signed(&url, &secret, "evt_1", NOW, body).await;
    assert_eq!(status, StatusCode::OK);
}
