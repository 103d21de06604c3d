//! Fault soak: 1,000 renders through the SDK against a mock that answers 10 % of calls
//! 503, 5 % 429, cuts 5 % of connections after committing the work, fails 2 % of
//! renders, while the webhook receiver fails some deliveries. Afterwards every render
//! must be accounted for, charged once, refunded if failed, and seen once by the receiver.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Router, serve};
use ugc_video::mock::{MockServer, RandomFaults};
use ugc_video::models::videos::StartVideoRequest;
use ugc_video::models::webhooks::CreateWebhookEndpointRequest;
use ugc_video::types::{AspectRatio, Engine, Quality, Tier, TransactionKind, VideoStatus};
use ugc_video::webhooks::axum::VerifiedWebhook;
use ugc_video::webhooks::{DedupeStore, EventData, InMemoryDedupe, Verifier};
use ugc_video::{Error, RetryPolicy};

const RENDERS: usize = 1_000;

#[derive(Clone)]
struct Receiver {
    verifier: Arc<Verifier>,
    dedupe: Arc<InMemoryDedupe>,
    attempts: Arc<Mutex<HashMap<String, u32>>>,
    /// Operation name → times processed, per event type.
    processed: Arc<Mutex<HashMap<(String, &'static str), u32>>>,
}

impl FromRef<Receiver> for Arc<Verifier> {
    fn from_ref(r: &Receiver) -> Self {
        r.verifier.clone()
    }
}

async fn receive(State(r): State<Receiver>, VerifiedWebhook(event): VerifiedWebhook) -> StatusCode {
    let attempt = {
        let mut a = r.attempts.lock().unwrap();
        let n = a.entry(event.id.clone()).or_default();
        *n += 1;
        *n
    };
    // Deterministic receiver outages: a quarter of events fail once, some twice.
    let fails = match event.id.as_bytes().last() {
        Some(b'0') => 2,
        Some(b'1' | b'2' | b'3') => 1,
        _ => 0,
    };
    if attempt <= fails {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    if !r.dedupe.check_and_insert(&event.id).await.unwrap() {
        return StatusCode::OK;
    }
    let key = match &event.data {
        EventData::VideoCompleted(d) => (d.operation_name.clone(), "completed"),
        EventData::VideoFailed(d) => (d.operation_name.clone(), "failed"),
        _ => return StatusCode::OK,
    };
    *r.processed.lock().unwrap().entry(key).or_default() += 1;
    StatusCode::NO_CONTENT
}

fn request(i: usize) -> StartVideoRequest {
    let engines = [Engine::Sora, Engine::Veo, Engine::Kling, Engine::Seedance];
    StartVideoRequest::builder()
        .engine(engines[i % 4].clone())
        .quality(if i.is_multiple_of(3) { Quality::Hq } else { Quality::Standard })
        .duration(4 + (i % 17) as u32)
        .aspect_ratio(AspectRatio::Portrait)
        .visual_prompt(format!("Variation {i}: a creator unboxing a water bottle"))
        .build()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_renders_under_faults_lose_nothing_and_charge_once() {
    let start_balance = 1_000_000;
    let mock = MockServer::builder()
        .seed(2026)
        .account("soak", Tier::Scale, start_balance)
        .rate_limits(false)
        .failure_rate(0.02)
        .random_faults(
            RandomFaults::new().unavailable(0.10).rate_limited(0.05).dropped(0.05).retry_after(Duration::from_secs(1)),
        )
        .start()
        .await;
    let key = mock.api_key_for("soak").unwrap().to_owned();
    // Enough retries that a run of faults (20 % a call) cannot exhaust them.
    let client =
        mock.client_builder().api_key(&key).retry_policy(RetryPolicy::default().max_retries(12)).build().unwrap();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let endpoint =
        client.webhooks().create_endpoint(CreateWebhookEndpointRequest::builder().url(url).build()).await.unwrap();
    let receiver = Receiver {
        verifier: Arc::new(Verifier::from_whsec(&endpoint.secret).unwrap()),
        dedupe: Arc::new(InMemoryDedupe::new(Duration::from_secs(86_400), 100_000)),
        attempts: Arc::default(),
        processed: Arc::default(),
    };
    let app = Router::new().route("/hook", post(receive)).with_state(receiver.clone());
    tokio::spawn(async move { serve(listener, app).await });

    let items = client.batch((0..RENDERS).map(request), Duration::from_secs(24 * 3600)).collect().await.unwrap();

    // 1. Every render reached a final state and is accounted for.
    assert_eq!(items.len(), RENDERS);
    let mut completed = HashSet::new();
    let mut failed = HashSet::new();
    for item in &items {
        match &item.result {
            Ok(v) => assert!(completed.insert(v.operation_name.clone())),
            Err(Error::RenderFailed(f)) => assert!(failed.insert(f.operation_name.clone())),
            Err(e) => panic!("render #{} was lost: {e:?}", item.index),
        }
    }
    let renders = mock.renders();
    assert_eq!(renders.len(), RENDERS, "one render per request, despite retries and dropped responses");
    for r in &renders {
        match r.status {
            VideoStatus::Completed => assert!(completed.contains(&r.operation_name)),
            VideoStatus::Failed => assert!(failed.contains(&r.operation_name)),
            ref s => panic!("{} ended {s}", r.operation_name),
        }
    }
    assert!(!failed.is_empty(), "the 2 % failure rate produced failures");

    // 2. No render was charged twice; 3. every failed render was refunded, once.
    let ledger = mock.ledger(&key);
    let mut charges: HashMap<&str, Vec<i64>> = HashMap::new();
    let mut refunds: HashMap<&str, Vec<i64>> = HashMap::new();
    for e in &ledger {
        let Some(op) = e.operation_name.as_deref() else { continue };
        match e.kind {
            TransactionKind::Charge => charges.entry(op).or_default().push(e.amount),
            TransactionKind::Refund => refunds.entry(op).or_default().push(e.amount),
            _ => {}
        }
    }
    let cost: HashMap<&str, i64> =
        renders.iter().map(|r| (r.operation_name.as_str(), i64::from(r.credit_cost))).collect();
    for r in &renders {
        let op = r.operation_name.as_str();
        assert_eq!(charges.get(op).map(Vec::as_slice), Some(&[-cost[op]][..]), "{op} charged exactly once");
        let expected_refund: &[i64] = if failed.contains(op) { &[cost[op]] } else { &[] };
        assert_eq!(refunds.get(op).map_or(&[][..], Vec::as_slice), expected_refund, "{op} refund");
    }

    // 4. The balance is the start minus what the successful renders cost, to the credit.
    let spent: i64 = completed.iter().map(|op| cost[op.as_str()]).sum();
    assert_eq!(mock.balance(&key), start_balance - spent);

    // 5. Every render's event was handled exactly once after dedupe, despite failed
    //    attempts and their retries (advance past the whole retry schedule first).
    mock.advance(Duration::from_secs(8 * 3600));
    mock.wait_for_deliveries(RENDERS).await;
    let processed = receiver.processed.lock().unwrap().clone();
    for op in &completed {
        assert_eq!(processed.get(&(op.clone(), "completed")), Some(&1), "{op} completed event");
    }
    for op in &failed {
        assert_eq!(processed.get(&(op.clone(), "failed")), Some(&1), "{op} failed event");
    }
    assert_eq!(processed.len(), RENDERS);
    let retried = mock.deliveries().iter().filter(|d| d.attempts.len() > 1).count();
    assert!(retried > RENDERS / 10, "deliveries were retried ({retried})");

    // The faults really happened.
    let requests = mock.requests();
    let count = |f: &dyn Fn(&ugc_video::mock::RecordedRequest) -> bool| requests.iter().filter(|r| f(r)).count();
    let total = requests.len();
    let (s503, s429, dropped) = (count(&|r| r.status == 503), count(&|r| r.status == 429), count(&|r| r.dropped));
    assert!(
        s503 * 100 > total * 7 && s429 * 100 > total * 3 && dropped * 100 > total * 3,
        "{total} calls: {s503} × 503, {s429} × 429, {dropped} dropped"
    );
    assert!(count(&|r| r.replayed) > 0, "dropped starts were replayed, not re-run");
}
