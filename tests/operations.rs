//! Every operation of `openapi.yaml`, on the wire: for each one the spec's request
//! example goes through the SDK's typed request and method, and the test asserts the
//! exact path, headers and JSON body sent; the spec's response example comes back
//! through the typed response. A field the SDK's types drop, in either direction,
//! fails here.

use std::collections::BTreeSet;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use ugc_video::spec::{self, Operation};
use ugc_video::{ApiRequest, Call, Client, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "ugc_test_operations_key";

fn spec_json() -> Value {
    serde_json::from_str(spec::SPEC_JSON).unwrap()
}

fn example(spec: &Value, op: &Operation, pointer: &str) -> Value {
    spec.pointer(&format!("/paths/~1{}/post{pointer}/content/application~1json/example", op.name))
        .unwrap_or_else(|| panic!("{}: no example at {pointer}", op.name))
        .clone()
}

/// Drops nulls and empty arrays, which the SDK omits and the examples sometimes spell
/// out, and writes whole floats as integers (`8.0` is `8`).
fn normalize(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, normalize(v)))
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(normalize).collect()),
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0 && !n.is_i64() && !n.is_u64()) => {
            json!(n.as_f64().unwrap() as i64)
        }
        other => other,
    }
}

struct Case {
    request_example: Value,
}

/// Deserializes the example into the typed request, sends it through the typed
/// method, and returns the typed response re-serialized.
async fn run<Req, Resp>(case: &Case, call: impl FnOnce(Req) -> Call<Req, Resp>) -> Value
where
    Req: ApiRequest + DeserializeOwned,
    Resp: DeserializeOwned + Serialize + Send + 'static,
{
    let req: Req = serde_json::from_value(case.request_example.clone())
        .expect("the spec's request example fits the typed request");
    req.validate().expect("the spec's request example passes the SDK's validation");
    let resp = call(req).await.expect("call succeeds");
    serde_json::to_value(resp.into_inner()).unwrap()
}

async fn dispatch(client: &Client, op: &str, case: &Case) -> Value {
    macro_rules! go {
        ($handler:ident . $method:ident) => {
            run(case, |r| client.$handler().$method(r)).await
        };
    }
    match op {
        "freeTrendAnalyzer" => go!(free.trend_analyzer),
        "freeGenerateHooks" => go!(free.generate_hooks),
        "freeGenerateCreatorPersona" => go!(free.generate_creator_persona),
        "freeGenerateScript" => go!(free.generate_script),
        "proxyFetchTopSellingProducts" => go!(analyze.top_selling_products),
        "proxyFetchFullMarketAnalysis" => go!(analyze.full_market_analysis),
        "proxyGenerateViralScript" => go!(scripts.generate_viral),
        "proxyParseOwnScript" => go!(scripts.parse_own),
        "proxyGenerateSceneImage" => go!(images.generate_scene),
        "proxyStartVideoGeneration" => go!(videos.start),
        "proxyCheckVideoStatus" => go!(videos.status),
        "proxyFetchVideo" => go!(videos.fetch),
        "proxyCancelVideoGeneration" => go!(videos.cancel),
        "proxyListVideoGenerations" => go!(videos.list),
        "proxyApplyTextOverlay" => go!(post_production.apply_text_overlay),
        "proxyStitchVideos" => go!(post_production.stitch),
        "proxyGetCredits" => run(case, |_: ugc_video::models::EmptyRequest| client.account().credits()).await,
        "proxyListCreditTransactions" => go!(account.transactions),
        "proxyListEngines" => run(case, |_: ugc_video::models::EmptyRequest| client.account().engines()).await,
        "proxyCreateWebhookEndpoint" => go!(webhooks.create_endpoint),
        "proxyListWebhookEndpoints" => {
            run(case, |_: ugc_video::models::EmptyRequest| client.webhooks().list_endpoints()).await
        }
        "proxyDeleteWebhookEndpoint" => go!(webhooks.delete_endpoint),
        "proxyRotateWebhookSecret" => go!(webhooks.rotate_secret),
        "proxySendTestWebhook" => go!(webhooks.send_test),
        "proxyListWebhookDeliveries" => go!(webhooks.list_deliveries),
        "proxyRedeliverWebhook" => go!(webhooks.redeliver),
        other => panic!("operation {other} has no case in this test: add one"),
    }
}

#[tokio::test]
async fn every_operation_sends_and_decodes_exactly_what_the_spec_says() {
    let spec = spec_json();
    let server = MockServer::start().await;
    let client =
        Client::builder().base_url(server.uri()).api_key(KEY).retry_policy(RetryPolicy::none()).build().unwrap();
    let mut covered = BTreeSet::new();
    for op in spec::OPERATIONS {
        server.reset().await;
        let mut request_example = example(&spec, op, "/requestBody");
        let response_example = example(&spec, op, "/responses/200");
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(&response_example))
            .mount(&server)
            .await;
        // Free operations: the examples are the `{"data": …}` envelope; typed values are the inside.
        let (wire_request, typed_response_example) = if op.free {
            let inner = request_example["data"].take();
            request_example = inner.clone();
            (json!({ "data": inner }), response_example["data"].clone())
        } else {
            (request_example.clone(), response_example.clone())
        };
        let case = Case { request_example };
        let decoded = dispatch(&client, op.name, &case).await;

        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), 1, "{}: exactly one request", op.name);
        let r = &received[0];
        assert_eq!(r.method.as_str(), "POST", "{}", op.name);
        assert_eq!(r.url.path(), format!("/{}", op.name));
        let header = |n: &str| r.headers.get(n).map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(header("content-type").as_deref(), Some("application/json"), "{}", op.name);
        assert_eq!(header("authorization"), (!op.free).then(|| format!("Bearer {KEY}")), "{}: auth", op.name);
        let key = header("idempotency-key");
        assert_eq!(key.is_some(), op.mutating, "{}: Idempotency-Key iff mutating", op.name);
        if let Some(k) = key {
            assert_eq!(uuid::Uuid::parse_str(&k).unwrap().get_version_num(), 4, "{}", op.name);
        }
        let sent: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(normalize(sent), normalize(wire_request), "{}: body sent", op.name);
        assert_eq!(
            normalize(decoded),
            normalize(typed_response_example),
            "{}: typed response keeps every field",
            op.name
        );
        covered.insert(op.name);
    }
    assert_eq!(covered.len(), 26);
}
