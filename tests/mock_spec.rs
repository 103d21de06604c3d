//! The mock against the spec: every operation is served, every answer is declared
//! and matches its schema, and the published quickstart works.

mod mock_common;

use std::time::Duration;

use jsonschema::{Draft, Validator};
use mock_common::{Ids, call, render_body, seed_resources, valid_body};
use serde_json::{Value, json};
use ugc_video::mock::MockServer;
use ugc_video::spec::{self, OPERATIONS};
use ugc_video::types::Tier;

#[tokio::test]
async fn every_operation_has_a_handler_in_both_body_forms() {
    let mock = MockServer::start().await;
    let ids = seed_resources(&mock).await;
    for op in OPERATIONS {
        let body = valid_body(op.name, &ids);
        // Free operations speak the envelope; the direct object must work too.
        let direct = call(&mock, op.name).json(body.clone()).send().await;
        assert_eq!(direct.status, 200, "{} (direct body): {}", op.name, direct.body);
        let enveloped = call(&mock, op.name).envelope(body).send().await;
        let documented_4xx = (400..500).contains(&enveloped.status) && op.statuses.contains(&enveloped.status);
        assert!(
            enveloped.status == 200 || documented_4xx,
            "{} (envelope): {} {}",
            op.name,
            enveloped.status,
            enveloped.body
        );
        // Deleting or cancelling twice is refused by the resource, not the router.
        assert!(!enveloped.body.to_string().contains("No operation at"), "{}: {}", op.name, enveloped.body);
        if op.free {
            assert!(
                direct.body["data"].is_object() || direct.body["data"].is_string(),
                "{} answers in the envelope",
                op.name
            );
        }
    }
    let answered: Vec<_> = mock.requests().iter().filter_map(|r| r.operation).collect();
    for op in OPERATIONS {
        assert!(answered.contains(&op.name), "{} was never answered", op.name);
    }
}

/// The spec document with a schema placed at its root, so `#/components/…` refs
/// resolve against the spec.
fn validator_for(doc: &Value, schema: &Value) -> Validator {
    let mut root = schema.clone();
    root.as_object_mut().expect("schemas are objects").insert("components".into(), doc["components"].clone());
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .build(&root)
        .expect("spec schemas compile")
}

/// The schema the spec gives for `op` answering `status`.
fn response_schema<'a>(doc: &'a Value, op: &str, status: u16) -> &'a Value {
    let mut resp = &doc["paths"][format!("/{op}")]["post"]["responses"][status.to_string()];
    if let Some(r) = resp.get("$ref").and_then(Value::as_str) {
        resp = doc.pointer(r.trim_start_matches('#')).expect("response refs resolve");
    }
    &resp["content"]["application/json"]["schema"]
}

/// The headers the spec declares for `op` answering `status`, lowercased.
fn declared_headers(doc: &Value, op: &str, status: u16) -> Vec<String> {
    let mut resp = &doc["paths"][format!("/{op}")]["post"]["responses"][status.to_string()];
    if let Some(r) = resp.get("$ref").and_then(Value::as_str) {
        resp = doc.pointer(r.trim_start_matches('#')).expect("response refs resolve");
    }
    resp["headers"].as_object().map(|h| h.keys().map(|k| k.to_ascii_lowercase()).collect()).unwrap_or_default()
}

/// The API's own response headers; transport headers (content-type, date…) are
/// not part of the contract.
const API_HEADERS: [&str; 7] = [
    "x-request-id",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "retry-after",
    "idempotent-replayed",
    "www-authenticate",
];

/// Drives every operation through successes and each kind of refusal.
async fn broad_run(mock: &MockServer) -> Ids {
    let ids = seed_resources(mock).await;
    for op in OPERATIONS {
        let r = call(mock, op.name).json(valid_body(op.name, &ids)).send().await;
        assert!((200..500).contains(&r.status), "{}: {} {}", op.name, r.status, r.body);
    }
    // 400 (schema, semantic, precondition, mode), 401, 402, 403, 404, 409, 429, 500, 503.
    call(mock, "proxyStartVideoGeneration").json(json!({"quality": "hq"})).send().await;
    call(mock, "proxyApplyTextOverlay")
        .json(json!({"videoUri": "https://x.example/v.mp4", "overlays": [{"text": "a", "startTime": 3, "endTime": 1, "position": "top"}]}))
        .send()
        .await;
    call(mock, "freeGenerateHooks").envelope(json!({"platform": "myspace"})).send().await;
    call(mock, "proxyCancelVideoGeneration").json(json!({"operationName": ids.operation})).send().await;
    let mut mature = render_body("sora", "standard", 8);
    mature["projectMode"] = json!("mature");
    call(mock, "proxyStartVideoGeneration").json(mature.clone()).send().await;
    call(mock, "proxyGetCredits").key(None).send().await;
    call(mock, "proxyGetCredits").key(Some("ugc_test_nope")).send().await;
    let poor = mock.api_key_for("poor").unwrap();
    // The second answer is the stored refusal, replayed.
    for _ in 0..2 {
        call(mock, "proxyStartVideoGeneration")
            .key(Some(poor))
            .idem("poor-1")
            .json(render_body("veo", "hq", 8))
            .send()
            .await;
    }
    mature["engine"] = json!("kling");
    call(mock, "proxyStartVideoGeneration").key(Some(poor)).json(mature).send().await;
    for i in 0..5 {
        call(mock, "proxyCreateWebhookEndpoint").json(json!({"url": format!("https://h.example/{i}")})).send().await;
    }
    call(mock, "proxyCheckVideoStatus")
        .json(json!({"operationName": "operations/veo/nope", "engine": "veo"}))
        .send()
        .await;
    call(mock, "proxyFetchVideo").json(json!({"uri": "mock://videos/nope", "engine": "veo"})).send().await;
    call(mock, "proxyListWebhookDeliveries").json(json!({"endpointId": "we_nope"})).send().await;
    call(mock, "proxyStitchVideos").idem("k1").json(valid_body("proxyStitchVideos", &ids)).send().await;
    call(mock, "proxyStitchVideos").idem("k1").json(valid_body("proxyStitchVideos", &ids)).send().await;
    call(mock, "proxyStitchVideos").idem("k1").json(json!({"videoUrls": ["https://x.example/a.mp4"]})).send().await;
    for _ in 0..11 {
        call(mock, "proxyFetchTopSellingProducts").json(json!({"industry": "toys"})).send().await;
    }
    for _ in 0..6 {
        call(mock, "freeGenerateCreatorPersona").envelope(valid_body("freeGenerateCreatorPersona", &ids)).send().await;
    }
    mock.fail_next("proxyListEngines", 1, 500, Some(Duration::from_secs(2)));
    mock.fail_next("freeTrendAnalyzer", 1, 503, Some(Duration::from_secs(3)));
    call(mock, "proxyListEngines").send().await;
    call(mock, "freeTrendAnalyzer").envelope(json!({"industry": "fitness"})).send().await;
    mock.advance(Duration::from_secs(600));
    call(mock, "proxyListVideoGenerations").json(json!({"limit": 100})).send().await;
    call(mock, "proxyListWebhookDeliveries").json(json!({})).send().await;
    ids
}

#[tokio::test]
async fn every_recorded_answer_is_declared_and_matches_its_schema() {
    let mock = MockServer::builder()
        .account("default", Tier::Pro, 10_000)
        .account("poor", Tier::Starter, 10)
        .failure_rate(0.5)
        .start()
        .await;
    broad_run(&mock).await;

    let doc: Value = serde_json::from_str(spec::SPEC_JSON).unwrap();
    // The check has teeth: a body missing required fields is refused.
    let start = validator_for(&doc, response_schema(&doc, "proxyStartVideoGeneration", 200));
    assert!(!start.is_valid(&json!({"operation": {"name": "x"}, "creditCost": 1})));
    let mut statuses_seen = std::collections::BTreeSet::new();
    let mut headers_seen = std::collections::BTreeSet::new();
    let requests = mock.requests();
    assert!(requests.len() > 60, "{} requests", requests.len());
    for r in &requests {
        let op = spec::operation(r.operation.unwrap()).unwrap();
        assert!(op.statuses.contains(&r.status), "{} answered undeclared {}", op.name, r.status);
        let validator = validator_for(&doc, response_schema(&doc, op.name, r.status));
        let errors: Vec<String> =
            validator.iter_errors(&r.response_body).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{} {}: {} violates the spec: {errors:?}", op.name, r.status, r.response_body);
        assert!(r.response_header("x-request-id").is_some_and(|id| id.starts_with("req_")));
        let declared = declared_headers(&doc, op.name, r.status);
        for name in API_HEADERS.into_iter().filter(|h| r.response_header(h).is_some()) {
            assert!(
                declared.iter().any(|d| d == name),
                "{} {} sent {name}, which the spec does not declare",
                op.name,
                r.status
            );
            headers_seen.insert((name, r.status));
        }
        statuses_seen.insert(r.status);
    }
    assert_eq!(statuses_seen.into_iter().collect::<Vec<_>>(), vec![200, 400, 401, 402, 403, 404, 409, 429, 500, 503]);
    // The header check had something to check: each kind was sent on a refusal.
    for (name, status) in [
        ("x-ratelimit-remaining", 402),
        ("retry-after", 500),
        ("retry-after", 503),
        ("idempotent-replayed", 402),
        ("www-authenticate", 401),
    ] {
        assert!(headers_seen.contains(&(name, status)), "no {status} carried {name}: {headers_seen:?}");
    }
}

#[tokio::test]
async fn the_quickstart_curl_body_starts_a_render() {
    let mock = MockServer::start().await;
    // The body of the seed's 60-second quickstart, verbatim.
    let quickstart = br#"{
    "data": {
      "engine": "sora",
      "quality": "standard",
      "duration": 8,
      "aspectRatio": "9:16",
      "scene": {
        "visualPrompt": "A creator unboxing a sleek matte-black water bottle, soft window light, vlog energy",
        "scriptText": "Okay this water bottle... this is unreal."
      }
    }
  }"#;
    let r = call(&mock, "proxyStartVideoGeneration").idem("3f1c2a9b-quickstart").raw_body(quickstart).send().await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["creditCost"], 18);
    assert_eq!(r.body["effectiveDuration"], 8);
    assert!(r.body["operation"]["name"].as_str().unwrap().starts_with("operations/sora/"));
    assert_eq!(mock.balance(mock.api_key()), 10_000 - 18);
    assert_eq!(mock.renders()[0].engine.as_str(), "sora");
}

#[tokio::test]
async fn the_spec_is_served() {
    let mock = MockServer::start().await;
    let yaml = mock_common::http().get(format!("{}/openapi.yaml", mock.uri())).send().await.unwrap();
    assert_eq!(yaml.status(), 200);
    assert_eq!(yaml.text().await.unwrap(), spec::SPEC_YAML);
    let json = mock_common::http().get(format!("{}/.well-known/openapi.json", mock.uri())).send().await.unwrap();
    let json: Value = serde_json::from_slice(&json.bytes().await.unwrap()).unwrap();
    assert_eq!(json["openapi"], "3.1.0");
}
