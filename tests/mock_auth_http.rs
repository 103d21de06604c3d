//! HTTP hygiene of the mock: routing, methods, auth, body forms, schema errors, the
//! request log and shutdown.

mod mock_common;

use mock_common::{call, http, render_body};
use serde_json::json;
use ugc_video::mock::MockServer;
use ugc_video::models::analyze::TopSellingProductsRequest;
use ugc_video::models::free::TrendAnalyzerRequest;
use ugc_video::models::videos::StartVideoRequest;
use ugc_video::types::{AspectRatio, Engine, ErrorCode, ErrorType, Quality};

#[tokio::test]
async fn unknown_path_is_404_and_other_methods_are_405() {
    let mock = MockServer::start().await;
    let r = call(&mock, "proxyDoesNotExist").send().await;
    assert_eq!(r.status, 404);
    assert_eq!(r.code(), "not-found");
    assert_eq!(r.body["error"]["type"], "not_found_error");

    let get = http().get(format!("{}/proxyGetCredits", mock.uri())).bearer_auth(mock.api_key()).send().await.unwrap();
    assert_eq!(get.status(), 405);
    assert_eq!(get.headers()["allow"], "POST");
    assert!(get.headers().contains_key("x-request-id"));

    let log = mock.requests();
    assert_eq!((log[0].status, log[0].operation), (404, None));
    assert_eq!((log[1].method.as_str(), log[1].path.as_str(), log[1].status), ("GET", "/proxyGetCredits", 405));
    assert_eq!(log[1].operation, None, "a GET is not a call of the operation");
}

#[tokio::test]
async fn bearer_operations_need_a_known_key() {
    let mock = MockServer::start().await;
    let missing = call(&mock, "proxyGetCredits").key(None).send().await;
    assert_eq!(missing.status, 401);
    assert_eq!(missing.code(), "unauthenticated");
    assert_eq!(missing.body["error"]["type"], "authentication_error");
    assert!(missing.header("www-authenticate").unwrap().starts_with("Bearer"));
    assert_eq!(missing.body["error"]["request_id"], missing.header("x-request-id").unwrap());

    let unknown = call(&mock, "proxyGetCredits").key(Some("ugc_test_00000000000000000000000000000000")).send().await;
    assert_eq!(unknown.status, 401);
    assert!(unknown.header("www-authenticate").unwrap().contains("invalid_token"));
    let live = call(&mock, "proxyGetCredits").key(Some("ugc_live_abc")).send().await;
    assert_eq!(live.status, 401);

    // Through the SDK: a client with a wrong key gets a typed 401, not retried.
    let client = mock.client_builder().api_key("ugc_test_wrong").build().unwrap();
    let err = client.account().credits().await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.code(), Some(&ErrorCode::Unauthenticated));
    assert_eq!(err.as_api().unwrap().error_type, Some(ErrorType::AuthenticationError));
    assert_eq!(mock.requests().len(), 4, "401 is final: one attempt");

    // Free operations ignore credentials entirely.
    let free = call(&mock, "freeTrendAnalyzer").key(Some("garbage")).envelope(json!({"industry": "pets"})).send().await;
    assert_eq!(free.status, 200);
}

#[tokio::test]
async fn both_body_forms_are_accepted_and_free_calls_answer_in_the_envelope() {
    let mock = MockServer::start().await;
    let direct = call(&mock, "proxyStartVideoGeneration").json(render_body("veo", "standard", 8)).send().await;
    let wrapped = call(&mock, "proxyStartVideoGeneration").envelope(render_body("veo", "standard", 8)).send().await;
    assert_eq!((direct.status, wrapped.status), (200, 200));
    assert!(direct.body["operation"].is_object() && wrapped.body["operation"].is_object(), "bearer answers are direct");

    let free_direct = call(&mock, "freeGenerateHooks")
        .json(json!({"productDescription": "A bottle", "platform": "tiktok"}))
        .send()
        .await;
    let free_wrapped = call(&mock, "freeGenerateHooks")
        .envelope(json!({"productDescription": "A bottle", "platform": "tiktok"}))
        .send()
        .await;
    assert!(free_direct.body["data"]["hooks"].is_array());
    assert!(free_wrapped.body["data"]["hooks"].is_array());

    // The SDK's typed calls: free (envelope) and bearer (direct).
    let client = mock.client();
    let trends =
        client.free().trend_analyzer(TrendAnalyzerRequest::builder().industry("fitness").build()).await.unwrap();
    assert_eq!(trends.industry, "fitness");
    let products = client
        .analyze()
        .top_selling_products(TopSellingProductsRequest::builder().industry("fitness").build())
        .await
        .unwrap();
    assert!(!products.top_selling_products.is_empty());
    let sdk_bodies: Vec<_> = mock.requests().iter().rev().take(2).map(|r| r.body.clone()).collect();
    assert_eq!(sdk_bodies[0], json!({"industry": "fitness"}), "bearer call sent direct");
    assert_eq!(sdk_bodies[1], json!({"data": {"industry": "fitness"}}), "free call sent in the envelope");
}

#[tokio::test]
async fn schema_violations_name_the_field() {
    let mock = MockServer::start().await;
    let mut body = render_body("veo", "standard", 8);
    body.as_object_mut().unwrap().remove("engine");
    let missing = call(&mock, "proxyStartVideoGeneration").json(body).send().await;
    assert_eq!((missing.status, missing.code(), missing.field()), (400, "invalid-argument", Some("engine")));
    assert_eq!(missing.body["error"]["type"], "invalid_request_error");

    let long = call(&mock, "proxyStartVideoGeneration").envelope(render_body("veo", "standard", 25)).send().await;
    assert_eq!((long.status, long.field()), (400, Some("duration")));

    let mut nested = render_body("veo", "standard", 8);
    nested["scene"] = json!({"scriptText": "no prompt"});
    let r = call(&mock, "proxyStartVideoGeneration").json(nested).send().await;
    assert_eq!(r.field(), Some("scene.visualPrompt"));

    let overlay = json!({"videoUri": "https://x.example/v.mp4", "overlays": [
        {"text": "a", "startTime": 0, "endTime": 1, "position": "top"},
        {"text": "b", "startTime": 2, "endTime": 1, "position": "top"}]});
    let r = call(&mock, "proxyApplyTextOverlay").json(overlay).send().await;
    assert_eq!(r.field(), Some("overlays[1].endTime"));

    let not_json = call(&mock, "proxyGetCredits").raw_body(b"engine=sora").send().await;
    assert_eq!((not_json.status, not_json.field()), (400, Some("body")));

    // Free operations use the free error envelope: the field is in details.
    let free = call(&mock, "freeTrendAnalyzer").envelope(json!({"industry": "x"})).send().await;
    assert_eq!(free.status, 400);
    assert_eq!(free.body["error"]["code"], "invalid-argument");
    assert_eq!(free.body["error"]["details"]["field"], "industry");
    assert!(free.body["error"].get("type").is_none() && free.body["error"].get("request_id").is_none());

    // A rule only the server knows, through the SDK.
    let req = StartVideoRequest::builder()
        .engine(Engine::Veo)
        .quality(Quality::Standard)
        .duration(8)
        .aspect_ratio(AspectRatio::Square)
        .visual_prompt("A bottle")
        .model_name("sora-2")
        .build();
    let err = mock.client().videos().start(req).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.as_api().unwrap().field.as_deref(), Some("modelName"));
    assert_eq!(mock.balance(mock.api_key()), 10_000, "refused calls charge nothing");
}

#[tokio::test]
async fn the_request_log_keeps_headers_bodies_and_answers() {
    let mock = MockServer::start().await;
    let key = "5b0f6a8e-log";
    let r = call(&mock, "proxyStartVideoGeneration").idem(key).envelope(render_body("kling", "hq", 10)).send().await;
    let log = mock.requests();
    let rec = &log[0];
    assert_eq!(rec.operation, Some("proxyStartVideoGeneration"));
    assert_eq!(rec.header("idempotency-key"), Some(key));
    assert_eq!(rec.header("authorization"), Some(format!("Bearer {}", mock.api_key()).as_str()));
    assert_eq!(rec.body["data"]["engine"], "kling");
    assert_eq!(rec.account.as_deref(), Some("default"));
    assert_eq!(rec.status, 200);
    assert_eq!(rec.response_body, r.body);
    assert_eq!(rec.response_header("x-request-id"), r.header("x-request-id"));
    assert_eq!(rec.response_header("idempotent-replayed"), Some("false"));
    assert_eq!(rec.client_ip.to_string(), "127.0.0.1");
}

#[tokio::test]
async fn shutdown_closes_the_port() {
    let mock = MockServer::start().await;
    let addr = mock.addr();
    // A pooled keep-alive connection must not keep the server alive.
    let _ = mock.client().account().credits().await.unwrap();
    assert!(tokio::net::TcpStream::connect(addr).await.is_ok());
    mock.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err(), "the port is closed after shutdown");
}
