//! Renders: lifecycle and progress, duration snapping, listing, fetching the MP4.

mod mock_common;

use std::time::Duration;

use futures_util::TryStreamExt;
use mock_common::{call, http, render_body, start_request, status_request};
use serde_json::json;
use ugc_video::mock::MockServer;
use ugc_video::models::videos::{CancelVideoRequest, FetchVideoRequest, ListVideosRequest};
use ugc_video::types::{Engine, ErrorCode, Quality, Tier, VideoStatus};

#[tokio::test]
async fn a_render_progresses_to_completion() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let started = client.videos().start(start_request(Engine::Sora, Quality::Standard, 8)).await.unwrap();
    let name = started.operation.name.clone();
    assert!(name.starts_with("operations/sora/"));

    let mut seen = Vec::new();
    loop {
        let s = client.videos().status(status_request(&name, Engine::Sora)).await.unwrap().into_inner();
        seen.push((s.status.clone().unwrap(), s.progress.unwrap()));
        if s.done {
            assert_eq!(s.video_uri().map(|u| u.starts_with("mock://videos/")), Some(true));
            break;
        }
        mock.advance(Duration::from_secs(7));
    }
    // Sora: 5 s queued, 60 s rendering.
    assert_eq!(seen[0], (VideoStatus::Queued, 0));
    assert!(seen.iter().any(|(s, p)| *s == VideoStatus::Rendering && (1..99).contains(p)));
    assert!(seen.windows(2).all(|w| w[0].1 <= w[1].1), "progress never goes back: {seen:?}");
    assert_eq!(seen.last().unwrap(), &(VideoStatus::Completed, 100));
    assert!(seen.iter().filter(|(s, _)| *s != VideoStatus::Completed).all(|(_, p)| *p < 100));

    let snapshot = &mock.renders()[0];
    assert_eq!((snapshot.status.clone(), snapshot.progress), (VideoStatus::Completed, 100));
    assert_eq!((snapshot.rendering_at, snapshot.ends_at), (Duration::from_secs(5), Duration::from_secs(65)));

    // Raw HTTP: the completed status document.
    let raw =
        call(&mock, "proxyCheckVideoStatus").envelope(json!({"operationName": name, "engine": "sora"})).send().await;
    assert_eq!(raw.body["done"], true);
    assert_eq!(raw.body["response"]["generatedVideos"][0]["video"]["mimeType"], "video/mp4");
}

#[tokio::test]
async fn render_and_wait_runs_on_virtual_time() {
    let mock = MockServer::builder().render_time(Engine::Kling, Duration::from_secs(600)).start().await;
    let video = mock
        .client()
        .render_and_wait(start_request(Engine::Kling, Quality::Standard, 5), Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!(video.mime_type, "video/mp4");
    assert!(video.video_url.starts_with(mock.uri()));
    assert_eq!(video.credits_charged, Some(20));
    assert!(mock.now() >= Duration::from_secs(605), "the client's polling advanced the mock clock");
    let fetched = http().get(&video.video_url).send().await.unwrap();
    assert_eq!(fetched.status(), 200);
}

#[tokio::test]
async fn durations_are_snapped_and_reported() {
    let mock = MockServer::start().await;
    let client = mock.client();
    for (engine, requested, effective) in [
        (Engine::Veo, 11, 8),
        (Engine::Veo, 5, 4),
        (Engine::Sora, 20, 12),
        (Engine::Kling, 4, 5),
        (Engine::Seedance, 7, 7),
    ] {
        let r = client.videos().start(start_request(engine.clone(), Quality::Standard, requested)).await.unwrap();
        assert_eq!((r.requested_duration, r.effective_duration), (requested, effective), "{engine} {requested}");
        let snapped = requested != effective;
        assert_eq!(r.warnings.contains(&"duration-snapped".to_owned()), snapped, "{engine} {requested}");
        assert_eq!(r.engine.as_ref(), Some(&engine));
        assert!(r.assembled_prompt.as_deref().unwrap().contains("matte-black water bottle"));
    }
    let raw = call(&mock, "proxyStartVideoGeneration").json(render_body("veo", "standard", 11)).send().await;
    assert_eq!((raw.body["requestedDuration"].as_u64(), raw.body["effectiveDuration"].as_u64()), (Some(11), Some(8)));
    assert_eq!(raw.body["warnings"], json!(["duration-snapped"]));
    let snapshot = mock.renders().pop().unwrap();
    assert_eq!((snapshot.requested_duration, snapshot.effective_duration), (11, 8));
}

#[tokio::test]
async fn lists_page_newest_first_and_filter_by_status() {
    let mock = MockServer::builder().account("a", Tier::Scale, 10_000).account("other", Tier::Pro, 1_000).start().await;
    let client = mock.client();
    let mut names = Vec::new();
    for _ in 0..5 {
        names.push(
            client
                .videos()
                .start(start_request(Engine::Seedance, Quality::Standard, 4))
                .await
                .unwrap()
                .operation
                .name
                .clone(),
        );
        mock.advance(Duration::from_secs(1));
    }
    for n in &names[1..3] {
        client.videos().cancel(CancelVideoRequest::builder().operation_name(n).build()).await.unwrap();
    }
    mock.client_for("other").videos().start(start_request(Engine::Veo, Quality::Standard, 8)).await.unwrap();

    let page1 = client.videos().list(ListVideosRequest::builder().limit(2).build()).await.unwrap().into_inner();
    let got: Vec<_> = page1.items.iter().map(|i| i.operation_name.clone()).collect();
    assert_eq!(got, [names[4].clone(), names[3].clone()]);
    assert!(page1.has_more);
    let page2 = client
        .videos()
        .list(ListVideosRequest::builder().limit(2).cursor(page1.next_cursor.clone().unwrap()).build())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        page2.items.iter().map(|i| i.operation_name.clone()).collect::<Vec<_>>(),
        [names[2].clone(), names[1].clone()]
    );

    let all: Vec<_> =
        client.videos().list_all(ListVideosRequest::builder().limit(2).build()).try_collect().await.unwrap();
    assert_eq!(all.len(), 5, "another account's render is not listed");

    let cancelled =
        client.videos().list(ListVideosRequest::builder().status(VideoStatus::Cancelled).build()).await.unwrap();
    assert_eq!(
        cancelled.items.iter().map(|i| i.operation_name.clone()).collect::<Vec<_>>(),
        [names[2].clone(), names[1].clone()]
    );
    assert!(cancelled.items.iter().all(|i| i.status == VideoStatus::Cancelled && i.completed_at.is_some()));

    mock.advance(Duration::from_secs(60));
    let done = call(&mock, "proxyListVideoGenerations").envelope(json!({"status": "completed"})).send().await;
    assert_eq!(done.body["items"].as_array().unwrap().len(), 3);
    assert_eq!(done.body["hasMore"], false);
    assert_eq!(done.body["nextCursor"], serde_json::Value::Null);
    assert!(done.body["items"][0]["videoUri"].as_str().unwrap().starts_with("mock://videos/"));

    let bad = call(&mock, "proxyListVideoGenerations").json(json!({"cursor": "not-ours"})).send().await;
    assert_eq!((bad.status, bad.field()), (400, Some("cursor")));
}

#[tokio::test]
async fn a_completed_render_downloads_as_mp4() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let started = client.videos().start(start_request(Engine::Veo, Quality::Hq, 8)).await.unwrap();
    mock.advance(Duration::from_secs(35));
    let status = client.videos().status(status_request(&started.operation.name, Engine::Veo)).await.unwrap();
    let uri = status.video_uri().unwrap().to_owned();
    let fetched =
        client.videos().fetch(FetchVideoRequest::builder().uri(&uri).engine(Engine::Veo).build()).await.unwrap();
    assert_eq!(fetched.mime_type, "video/mp4");
    assert_eq!(fetched.expires_at.as_deref(), Some("2026-01-08T00:00:35Z"));

    let resp = http().get(&fetched.video_url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "video/mp4");
    let length: usize = resp.headers()["content-length"].to_str().unwrap().parse().unwrap();
    let bytes = resp.bytes().await.unwrap();
    assert_eq!(bytes.len(), length);
    assert!(length > 10_000);
    assert_eq!(&bytes[4..8], b"ftyp", "an ISO BMFF file starts with its ftyp box");
    let sdk_bytes = client.download(&fetched.video_url).to_bytes().await.unwrap();
    assert_eq!(sdk_bytes, bytes.to_vec());

    let partial = http().get(&fetched.video_url).header("range", "bytes=0-7").send().await.unwrap();
    assert_eq!(partial.status(), 206);
    assert_eq!(&partial.bytes().await.unwrap()[4..8], b"ftyp");

    let forged = fetched.video_url.replace("sig=", "sig=00");
    assert_eq!(http().get(&forged).send().await.unwrap().status(), 403);
    mock.advance(Duration::from_secs(8 * 86_400));
    assert_eq!(http().get(&fetched.video_url).send().await.unwrap().status(), 403, "the signed URL expired");

    let unknown = client
        .videos()
        .fetch(FetchVideoRequest::builder().uri("mock://videos/nope").engine(Engine::Veo).build())
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Some(&ErrorCode::NotFound));
}

#[tokio::test]
async fn another_accounts_render_is_not_found() {
    let mock = MockServer::builder().account("a", Tier::Pro, 1_000).account("b", Tier::Pro, 1_000).start().await;
    let started = mock.client().videos().start(start_request(Engine::Veo, Quality::Standard, 8)).await.unwrap();
    let other = mock.client_for("b");
    let err = other.videos().status(status_request(&started.operation.name, Engine::Veo)).await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(404), Some(&ErrorCode::NotFound)));
    let err = other
        .videos()
        .cancel(CancelVideoRequest::builder().operation_name(&started.operation.name).build())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    let wrong_engine =
        mock.client().videos().status(status_request(&started.operation.name, Engine::Sora)).await.unwrap_err();
    assert_eq!(wrong_engine.status(), Some(404));
    assert_eq!(mock.renders()[0].account, "a");
}

#[tokio::test]
async fn mode_rules_refuse_before_charging() {
    let mock =
        MockServer::builder().account("starter", Tier::Starter, 1_000).account("pro", Tier::Pro, 1_000).start().await;
    let mut body = render_body("kling", "standard", 5);
    body["projectMode"] = json!("mature");
    let starter = call(&mock, "proxyStartVideoGeneration").json(body.clone()).send().await;
    assert_eq!((starter.status, starter.code()), (403, "mature_mode_paid_required"));
    let pro = mock.api_key_for("pro").unwrap();
    let ok = call(&mock, "proxyStartVideoGeneration").key(Some(pro)).json(body.clone()).send().await;
    assert_eq!(ok.status, 200);
    body["engine"] = json!("veo");
    let veo = call(&mock, "proxyStartVideoGeneration").key(Some(pro)).json(body).send().await;
    assert_eq!((veo.status, veo.code(), veo.field()), (400, "mode_engine_not_allowed", Some("projectMode")));
    let mut edit = render_body("veo", "standard", 8);
    edit["editVideoId"] = json!("operations/veo/unknown");
    let missing = call(&mock, "proxyStartVideoGeneration").key(Some(pro)).json(edit).send().await;
    assert_eq!((missing.status, missing.field()), (404, Some("editVideoId")));
    assert_eq!((mock.balance(mock.api_key()), mock.balance(pro)), (1_000, 1_000 - 20));
}

#[tokio::test]
async fn scaled_time_compresses_a_render() {
    let mock = MockServer::builder().time_mode(ugc_video::mock::TimeMode::Scaled(10_000.0)).start().await;
    let started = std::time::Instant::now();
    let video = mock
        .client()
        .render_and_wait(start_request(Engine::Sora, Quality::Standard, 8), Duration::from_secs(3600))
        .await
        .unwrap();
    assert!(video.video_url.starts_with(mock.uri()));
    assert!(mock.now() >= Duration::from_secs(65), "65 s of virtual time passed");
    assert!(started.elapsed() < Duration::from_secs(5), "in a fraction of the real time");
}
