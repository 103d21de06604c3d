//! render_and_wait, wait_for, batches and downloads against the mock, on the mock's
//! clock: no test waits on real time.

use std::future::IntoFuture;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;
use ugc_video::mock::MockServer;
use ugc_video::models::videos::{Scene, StartVideoRequest};
use ugc_video::types::{AspectRatio, Engine, Quality, Tier, TransactionKind};
use ugc_video::{Error, PollSchedule};

const DEADLINE: Duration = Duration::from_secs(30 * 60);

fn seed_request(engine: Engine) -> StartVideoRequest {
    StartVideoRequest::builder()
        .engine(engine)
        .quality(Quality::Standard)
        .duration(8)
        .aspect_ratio(AspectRatio::Portrait)
        .scene(Scene::new("A creator unboxing a sleek matte-black water bottle").script_text("This is unreal."))
        .build()
}

fn calls(mock: &MockServer, op: &str) -> Vec<ugc_video::mock::RecordedRequest> {
    mock.requests().into_iter().filter(|r| r.operation == Some(op)).collect()
}

#[tokio::test]
async fn renders_and_reports_everything() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let before = mock.balance(mock.api_key());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let progress = seen.clone();
    let video = client
        .render_and_wait(seed_request(Engine::Sora), DEADLINE)
        .on_progress(move |p| progress.lock().unwrap().push(p.progress))
        .await
        .unwrap();

    assert!(video.operation_name.starts_with("operations/sora/"), "{}", video.operation_name);
    assert_eq!(video.engine, Engine::Sora);
    assert_eq!(video.mime_type, "video/mp4");
    assert!(video.video_url.starts_with(mock.uri()), "{}", video.video_url);
    assert_eq!(
        (video.credits_charged, video.requested_duration, video.effective_duration),
        (Some(18), Some(8), Some(8))
    );
    assert_eq!(mock.balance(mock.api_key()), before - 18);

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.last(), Some(&100));
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "progress never goes back: {seen:?}");
    assert_eq!(seen.len() as u32, video.polls);

    // One start with a key; polls and the fetch carry none and never charge.
    let starts = calls(&mock, "proxyStartVideoGeneration");
    assert_eq!(starts.len(), 1);
    assert!(starts[0].header("idempotency-key").is_some());
    let polls = calls(&mock, "proxyCheckVideoStatus");
    assert_eq!(polls.len() as u32, video.polls);
    assert!(polls.iter().all(|r| r.header("idempotency-key").is_none()));
    assert_eq!(polls[0].body["operationName"], video.operation_name.as_str());
    assert_eq!(polls[0].body["engine"], "sora");
    assert_eq!(mock.ledger(mock.api_key()).iter().filter(|e| e.kind == TransactionKind::Charge).count(), 1);
}

#[tokio::test]
async fn adaptive_polling_needs_few_polls() {
    let mock = MockServer::start().await;
    let video = mock.client().render_and_wait(seed_request(Engine::Kling), DEADLINE).await.unwrap();
    // 5 s queue + 75 s render: a fixed 5 s schedule would need 16 polls.
    assert!(video.polls <= 10, "{} polls", video.polls);
}

#[tokio::test]
async fn a_failed_render_is_a_typed_error_with_its_refund() {
    let mock = MockServer::start().await;
    let before = mock.balance(mock.api_key());
    mock.fail_next_renders(1);
    let err = mock.client().render_and_wait(seed_request(Engine::Veo), DEADLINE).await.unwrap_err();
    let Error::RenderFailed(f) = &err else { panic!("{err:?}") };
    assert_eq!(f.engine, Engine::Veo);
    assert_eq!(f.refunded_credits, Some(40));
    assert!(f.refund_transaction_id.as_deref().is_some_and(|t| !t.is_empty()));
    assert_eq!(mock.balance(mock.api_key()), before, "refunded to the credit");
    let ledger = mock.ledger(mock.api_key());
    let refund = ledger.iter().find(|e| e.kind == TransactionKind::Refund).expect("a refund entry");
    assert_eq!(refund.amount, 40);
    assert_eq!(refund.operation_name.as_deref(), Some(f.operation_name.as_str()));
}

#[tokio::test]
async fn a_deadline_keeps_the_operation_and_wait_for_resumes_it() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let err = client.render_and_wait(seed_request(Engine::Sora), Duration::from_secs(20)).await.unwrap_err();
    let pending = err.pending_render().expect("the operation survives the deadline").clone();
    assert!(matches!(err, Error::DeadlineExceeded(_)));
    assert_eq!(pending.engine, Engine::Sora);

    let video = client.wait_for(pending.operation_name.clone(), pending.engine, DEADLINE).await.unwrap();
    assert_eq!(video.operation_name, pending.operation_name);
    assert_eq!(video.credits_charged, None, "a resumed wait does not know the start's price");
    assert_eq!(calls(&mock, "proxyStartVideoGeneration").len(), 1, "resuming never starts a second render");
    assert_eq!(mock.ledger(mock.api_key()).iter().filter(|e| e.kind == TransactionKind::Charge).count(), 1);
}

#[tokio::test]
async fn rate_limited_polls_are_waited_out() {
    let mock = MockServer::start().await;
    mock.fail_next("proxyCheckVideoStatus", 2, 429, Some(Duration::from_secs(3)));
    let video = mock.client().render_and_wait(seed_request(Engine::Veo), DEADLINE).await.unwrap();
    let polls = calls(&mock, "proxyCheckVideoStatus");
    assert_eq!(polls.iter().filter(|r| r.status == 429).count(), 2);
    assert_eq!(polls.last().unwrap().status, 200);
    assert!(video.video_url.contains("/media/"));
}

#[tokio::test]
async fn a_batch_never_exceeds_the_cap_and_survives_failures() {
    let mock = MockServer::builder().account("studio", Tier::Starter, 10_000).seed(7).start().await;
    let key = mock.api_key_for("studio").unwrap().to_owned();
    let client = mock.client_for("studio");
    mock.fail_next_renders(2);
    let requests: Vec<_> = [Engine::Sora, Engine::Veo, Engine::Kling, Engine::Seedance]
        .into_iter()
        .cycle()
        .take(10)
        .map(seed_request)
        .collect();
    // Ask for more than the cap: over-cap starts get 429 concurrency-exceeded and wait for a slot.
    let items: Vec<_> = client.batch(requests, DEADLINE).concurrency(5).stream().await.unwrap().collect().await;
    assert_eq!(items.len(), 10);
    let mut indices: Vec<_> = items.iter().map(|i| i.index).collect();
    indices.sort_unstable();
    assert_eq!(indices, (0..10).collect::<Vec<_>>());
    let failed = items.iter().filter(|i| matches!(i.result, Err(Error::RenderFailed(_)))).count();
    assert_eq!(failed, 2);
    assert!(items.iter().all(|i| i.result.is_ok() || matches!(i.result, Err(Error::RenderFailed(_)))));
    assert!(mock.max_in_flight(&key) <= 3, "cap 3, saw {}", mock.max_in_flight(&key));
    assert!(calls(&mock, "proxyStartVideoGeneration").iter().any(|r| r.status == 429), "the cap was actually hit");
    let charges = mock.ledger(&key).iter().filter(|e| e.kind == TransactionKind::Charge).count();
    assert_eq!(charges, 10, "every render charged exactly once despite 429s");
}

#[tokio::test]
async fn batch_concurrency_defaults_to_the_account_cap() {
    let mock = MockServer::builder().account("pro", Tier::Pro, 10_000).start().await;
    let key = mock.api_key_for("pro").unwrap().to_owned();
    let requests: Vec<_> = (0..12).map(|_| seed_request(Engine::Veo)).collect();
    let items = mock.client_for("pro").batch(requests, DEADLINE).collect().await.unwrap();
    assert!(items.iter().all(|i| i.result.is_ok()));
    assert!(mock.max_in_flight(&key) <= 8);
    assert!(calls(&mock, "proxyStartVideoGeneration").iter().all(|r| r.status == 200), "never over the cap");
    assert_eq!(calls(&mock, "proxyGetCredits").len(), 1);
}

#[tokio::test]
async fn variants_get_distinct_keys() {
    let mock = MockServer::start().await;
    let items = mock.client().render_variants(seed_request(Engine::Seedance), 3, DEADLINE).collect().await.unwrap();
    assert_eq!(items.len(), 3);
    let mut keys: Vec<_> = calls(&mock, "proxyStartVideoGeneration")
        .iter()
        .map(|r| r.header("idempotency-key").unwrap().to_owned())
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 3);
    let ops: std::collections::HashSet<_> =
        items.iter().map(|i| i.result.as_ref().unwrap().operation_name.clone()).collect();
    assert_eq!(ops.len(), 3, "three separate renders");
}

#[tokio::test]
async fn fixed_schedule_is_available() {
    let mock = MockServer::start().await;
    let video = mock
        .client()
        .render_and_wait(seed_request(Engine::Veo), DEADLINE)
        .poll_schedule(PollSchedule::fixed(Duration::from_secs(10)))
        .await
        .unwrap();
    // 5 s queue + 30 s render → done at 35 s → seen on the 4th poll at 40 s.
    assert_eq!(video.polls, 4);
}

#[tokio::test]
async fn downloads_a_playable_mp4_to_a_file() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let video = client.render_and_wait(seed_request(Engine::Veo), DEADLINE).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("video.mp4");
    let progress = Arc::new(Mutex::new(Vec::new()));
    let p = progress.clone();
    let n =
        client.download(&video.video_url).on_progress(move |x| p.lock().unwrap().push(x)).to_file(&path).await.unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes.len() as u64, n);
    assert_eq!(&bytes[4..8], b"ftyp");
    let last = *progress.lock().unwrap().last().unwrap();
    assert_eq!((last.received, last.total), (n, Some(n)));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    // The signed URL is not the API: the key must never travel to it.
    let media = mock.requests().into_iter().find(|r| r.path.starts_with("/media/"));
    assert!(media.is_none_or(|r| r.header("authorization").is_none()));

    let in_memory = client.download(&video.video_url).to_bytes().await.unwrap();
    assert_eq!(in_memory, bytes);
}

/// Serves one response announcing `announced` bytes but sending `sent`, then hangs up.
async fn short_server(announced: usize, sent: usize) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 1024];
        let _ = tokio::io::AsyncReadExt::read(&mut sock, &mut buf).await;
        let head = format!("HTTP/1.1 200 OK\r\ncontent-type: video/mp4\r\ncontent-length: {announced}\r\n\r\n");
        sock.write_all(head.as_bytes()).await.unwrap();
        sock.write_all(&vec![0u8; sent]).await.unwrap();
        sock.shutdown().await.unwrap();
    });
    format!("http://{addr}/media/cut.mp4")
}

#[tokio::test]
async fn a_download_cut_short_leaves_no_file() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let url = short_server(50_000, 1_000).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("video.mp4");
    let err = client.download(&url).to_file(&path).await.unwrap_err();
    assert!(matches!(err, Error::Download(_)), "{err:?}");
    assert!(!path.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no partial file either");

    let url = short_server(50_000, 1_000).await;
    assert!(client.download(&url).to_bytes().await.is_err());
}

#[tokio::test]
async fn dropping_the_future_stops_polling() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let fut = client.render_and_wait(seed_request(Engine::Kling), DEADLINE).into_future();
    // Drive it until a couple of polls went out, then drop it.
    let mut fut = Box::pin(fut);
    let polled = tokio::time::timeout(Duration::from_secs(10), async {
        tokio::select! {
            biased;
            _ = &mut fut => panic!("finished too early"),
            () = mock.wait_for_requests(3) => {}
        }
    })
    .await;
    assert!(polled.is_ok());
    drop(fut);
    let seen = mock.requests().len();
    mock.advance(Duration::from_secs(3600));
    tokio::task::yield_now().await;
    assert_eq!(mock.requests().len(), seen, "no request after the drop");
}

/// Serves a 300-byte body: 100 bytes, a signal on the returned receiver, then the
/// rest once `release` fires.
async fn held_body_server() -> (String, tokio::sync::oneshot::Receiver<()>, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (first_tx, first_rx) = tokio::sync::oneshot::channel();
    let (release_tx, release_rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 1024];
        let _ = tokio::io::AsyncReadExt::read(&mut sock, &mut buf).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: video/mp4\r\ncontent-length: 300\r\n\r\n";
        sock.write_all(head.as_bytes()).await.unwrap();
        sock.write_all(&[7u8; 100]).await.unwrap();
        let _ = first_tx.send(());
        if release_rx.await.is_ok() {
            let _ = sock.write_all(&[7u8; 200]).await;
        }
    });
    (format!("http://{addr}/media/slow.mp4"), first_rx, release_tx)
}

#[tokio::test]
async fn a_download_dropped_half_way_leaves_no_file() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let (url, first, _release) = held_body_server().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("video.mp4");
    let mut download = Box::pin(client.download(&url).to_file(path.clone()));
    tokio::select! {
        _ = &mut download => panic!("cannot finish: the server holds the rest"),
        _ = first => {}
    }
    // The temporary file exists while the download runs…
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    drop(download);
    // …and is gone as soon as the future is dropped.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn downloads_are_not_cut_by_the_api_timeout() {
    // An API timeout far shorter than the download takes.
    let api_timeout = Duration::from_millis(30);
    let mock = MockServer::start().await;
    let client = mock.client_builder().timeout(api_timeout).build().unwrap();
    let (url, first, release) = held_body_server().await;
    let job = tokio::spawn({
        let client = client.clone();
        async move { client.download(url).to_bytes().await }
    });
    first.await.unwrap();
    // Hold the body until an API call with the same timeout has timed out: the
    // download has then outlived the API timeout, with no sleep in the test.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let probe = ugc_video::Client::builder()
        .base_url(format!("http://{}", silent.local_addr().unwrap()))
        .api_key("ugc_test_probe")
        .timeout(api_timeout)
        .retry_policy(ugc_video::RetryPolicy::none())
        .build()
        .unwrap();
    assert!(matches!(probe.account().credits().await, Err(Error::Timeout { .. })));
    assert!(!job.is_finished(), "the download is still running past the API timeout");
    release.send(()).unwrap();
    let bytes = job.await.unwrap().unwrap();
    assert_eq!(bytes.len(), 300);
}
