//! Typed event payloads and `Verifier::verify_event`.

use serde_json::json;
use ugc_video::types::{Engine, ErrorCode, Quality, WebhookEventType};
use ugc_video::webhooks::{EventData, Signer, Verifier, WebhookError, WebhookEvent, WebhookSecret};

const NOW: u64 = 1_750_000_000;

fn completed() -> serde_json::Value {
    json!({
        "id": "evt_c1",
        "type": "video.completed",
        "createdAt": "2025-06-15T12:26:40Z",
        "data": {
            "operationName": "operations/op_123",
            "engine": "sora",
            "quality": "hq",
            "videoUri": "https://cdn.example/v/op_123.mp4",
            "effectiveDuration": 8,
            "creditCost": 65
        }
    })
}

fn parse(v: &serde_json::Value) -> WebhookEvent {
    serde_json::from_value(v.clone()).expect("event parses")
}

#[test]
fn parses_video_completed() {
    let event = parse(&completed());
    assert_eq!(event.id, "evt_c1");
    assert_eq!(event.event_type, WebhookEventType::VideoCompleted);
    assert_eq!(event.created_at, "2025-06-15T12:26:40Z");
    let EventData::VideoCompleted(d) = &event.data else { panic!("{:?}", event.data) };
    assert_eq!(d.operation_name, "operations/op_123");
    assert_eq!(d.engine, Engine::Sora);
    assert_eq!(d.quality, Quality::Hq);
    assert_eq!(d.video_uri, "https://cdn.example/v/op_123.mp4");
    assert_eq!(d.effective_duration, 8);
    assert_eq!(d.credit_cost, 65);
}

#[test]
fn parses_video_failed() {
    let event = parse(&json!({
        "id": "evt_f1",
        "type": "video.failed",
        "createdAt": "2025-06-15T12:26:40Z",
        "data": {
            "operationName": "operations/op_9",
            "engine": "veo",
            "error": {"code": "content-policy", "message": "render crashed"},
            "refundedCredits": 40
        }
    }));
    let EventData::VideoFailed(d) = &event.data else { panic!("{:?}", event.data) };
    assert_eq!(event.event_type, WebhookEventType::VideoFailed);
    assert_eq!(d.engine, Engine::Veo);
    assert_eq!(d.error.code, "content-policy");
    assert_eq!(ErrorCode::from_wire(&d.error.code).as_str(), "content-policy");
    assert_eq!(d.error.message, "render crashed");
    assert_eq!(d.refunded_credits, 40);
}

#[test]
fn parses_test_event() {
    let event = parse(&json!({
        "id": "evt_t1",
        "type": "webhook.test",
        "createdAt": "2025-06-15T12:26:40Z",
        "data": {"endpointId": "we_1", "message": "hello"}
    }));
    let EventData::Test(d) = &event.data else { panic!("{:?}", event.data) };
    assert_eq!(event.event_type, WebhookEventType::WebhookTest);
    assert_eq!(d.endpoint_id, "we_1");
    assert_eq!(d.message, "hello");
}

#[test]
fn unknown_type_still_parses() {
    let data = json!({"operationName": "operations/op_1", "progress": 50});
    let event = parse(&json!({
        "id": "evt_u1",
        "type": "video.progress",
        "createdAt": "2025-06-15T12:26:40Z",
        "data": data
    }));
    assert!(!event.event_type.is_known());
    assert_eq!(event.event_type.as_str(), "video.progress");
    assert_eq!(event.data, EventData::Unknown(data));
    assert_eq!(event.data.event_type(), None);

    let no_data = parse(&json!({
        "id": "evt_u2", "type": "account.updated", "createdAt": "2025-06-15T12:26:40Z"
    }));
    assert_eq!(no_data.data, EventData::Unknown(serde_json::Value::Null));
}

#[test]
fn unknown_fields_and_values_are_tolerated() {
    let mut v = completed();
    v["data"]["engine"] = json!("wan-3");
    v["data"]["quality"] = json!("ultra");
    v["data"]["thumbnailUri"] = json!("https://cdn.example/t.jpg");
    v["deliveryAttempt"] = json!(2);
    let event = parse(&v);
    let EventData::VideoCompleted(d) = &event.data else { panic!("{:?}", event.data) };
    assert_eq!(d.engine.as_str(), "wan-3");
    assert!(!d.engine.is_known());
    assert_eq!(d.quality.as_str(), "ultra");
}

#[test]
fn known_type_with_bad_data_is_an_error() {
    let mut v = completed();
    v["data"]["creditCost"] = json!("lots");
    assert!(serde_json::from_value::<WebhookEvent>(v).is_err());
    let mut v = completed();
    v["data"] = json!(null);
    assert!(serde_json::from_value::<WebhookEvent>(v).is_err());
}

#[test]
fn serializes_back_to_the_wire_shape() {
    let original = completed();
    let event = parse(&original);
    assert_eq!(event.data.event_type(), Some(WebhookEventType::VideoCompleted));
    assert_eq!(serde_json::to_value(&event).unwrap(), original);
}

// ---- verify_event ----

fn signed(secret: &WebhookSecret, header_id: &str, body: &[u8]) -> reqwest::header::HeaderMap {
    Signer::new(secret).headers(header_id, NOW, body).unwrap()
}

#[test]
fn verify_event_returns_the_typed_event() {
    let secret = WebhookSecret::generate();
    let body = serde_json::to_vec(&completed()).unwrap();
    let event = Verifier::new(&secret).clock(|| NOW).verify_event(&signed(&secret, "evt_c1", &body), &body).unwrap();
    assert!(matches!(event.data, EventData::VideoCompleted(_)));
}

#[test]
fn verify_event_rejects_id_mismatch() {
    let secret = WebhookSecret::generate();
    let body = serde_json::to_vec(&completed()).unwrap();
    let r = Verifier::new(&secret).clock(|| NOW).verify_event(&signed(&secret, "evt_other", &body), &body);
    assert!(matches!(r, Err(WebhookError::IdMismatch)));
}

#[test]
fn verify_event_reports_bad_json_only_after_a_valid_signature() {
    let secret = WebhookSecret::generate();
    let verifier = Verifier::new(&secret).clock(|| NOW);
    let body = b"{not json";
    assert!(matches!(
        verifier.verify_event(&signed(&secret, "evt_1", body), body),
        Err(WebhookError::InvalidPayload(_))
    ));
    let forged = signed(&WebhookSecret::generate(), "evt_1", body);
    assert!(matches!(verifier.verify_event(&forged, body), Err(WebhookError::NoMatchingSignature)));
}

#[test]
fn verified_message_decodes_custom_types() {
    #[derive(serde::Deserialize)]
    struct Minimal<'a> {
        id: &'a str,
    }
    let secret = WebhookSecret::generate();
    let body = serde_json::to_vec(&completed()).unwrap();
    let headers = signed(&secret, "evt_c1", &body);
    let verifier = Verifier::new(&secret).clock(|| NOW);
    let message = verifier.verify(&headers, &body).unwrap();
    let minimal: Minimal<'_> = message.json().unwrap();
    assert_eq!(minimal.id, message.id());
}
