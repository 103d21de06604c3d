//! Credits: priced by the spec, charged at start, refused when short, refunded on
//! failure and cancellation, visible in the ledger.

mod mock_common;

use std::time::Duration;

use mock_common::{call, render_body, start_request, status_request};
use serde_json::json;
use ugc_video::mock::MockServer;
use ugc_video::models::account::ListCreditTransactionsRequest;
use ugc_video::models::images::GenerateSceneImageRequest;
use ugc_video::models::post_production::{StitchVideosRequest, TextOverlay, TextOverlayRequest};
use ugc_video::models::videos::CancelVideoRequest;
use ugc_video::spec::{self, estimate_cost};
use ugc_video::types::{Engine, ErrorCode, Quality, Tier, TransactionKind, VideoStatus};

#[tokio::test]
async fn renders_are_charged_exactly_the_spec_price_at_start() {
    let mock = MockServer::builder().account("big", Tier::Scale, 100_000).rate_limits(false).start().await;
    let client = mock.client();
    let key = mock.api_key();
    let mut expected_balance = 100_000;
    for engine in Engine::KNOWN {
        for quality in Quality::KNOWN {
            for duration in [4, 7, 8, 11, 20] {
                let est = estimate_cost(engine, quality, duration).unwrap();
                let started =
                    client.videos().start(start_request(engine.clone(), quality.clone(), duration)).await.unwrap();
                let label = format!("{engine} {quality} {duration}s");
                assert_eq!(started.credit_cost, est.credits, "{label}");
                assert_eq!(started.effective_duration, est.effective_duration, "{label}");
                assert_eq!(started.requested_duration, duration, "{label}");
                expected_balance -= i64::from(est.credits);
                assert_eq!(mock.balance(key), expected_balance, "{label}: charged at start");
                let charge = mock.ledger(key).pop().unwrap();
                assert_eq!(charge.kind, TransactionKind::Charge);
                assert_eq!(charge.amount, -i64::from(est.credits), "{label}");
                assert_eq!(charge.balance_after, expected_balance);
                assert_eq!(charge.operation_name.as_deref(), Some(started.operation.name.as_str()));
                // Cancel while queued so the concurrency cap never interferes.
                let cancel = CancelVideoRequest::builder().operation_name(&started.operation.name).build();
                let cancelled = client.videos().cancel(cancel).await.unwrap();
                assert_eq!(cancelled.refunded_credits, est.credits);
                expected_balance += i64::from(est.credits);
            }
        }
    }
    // The published examples.
    assert_eq!(estimate_cost(&Engine::Sora, &Quality::Standard, 8).unwrap().credits, 18);
    assert_eq!(mock.renders().len(), 40);
    assert!(mock.renders().iter().all(|r| r.status == VideoStatus::Cancelled));
}

#[tokio::test]
async fn a_short_balance_is_402_and_starts_nothing() {
    let mock = MockServer::builder().account("poor", Tier::Pro, 39).start().await;
    let key = mock.api_key();
    let raw = call(&mock, "proxyStartVideoGeneration").json(render_body("veo", "standard", 8)).send().await;
    assert_eq!((raw.status, raw.code()), (402, "insufficient-credits"));
    assert_eq!(raw.body["error"]["type"], "billing_error");
    assert_eq!(raw.body["error"]["details"], json!({"required": 40, "balance": 39}));

    let err = mock.client().videos().start(start_request(Engine::Veo, Quality::Standard, 8)).await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(402), Some(&ErrorCode::InsufficientCredits)));
    assert!(!err.is_retryable());

    assert_eq!(mock.balance(key), 39);
    assert!(mock.renders().is_empty(), "nothing started");
    let ledger = mock.ledger(key);
    assert_eq!(ledger.len(), 1, "only the starting grant: {ledger:?}");
    assert_eq!(ledger[0].kind, TransactionKind::Grant);

    // Seedance 4 s standard (18) fits.
    let ok = mock.client().videos().start(start_request(Engine::Seedance, Quality::Standard, 4)).await.unwrap();
    assert_eq!(ok.credit_cost, 18);
    assert_eq!(mock.balance(key), 21);
}

#[tokio::test]
async fn a_failed_render_is_refunded_automatically() {
    let mock = MockServer::start().await;
    let key = mock.api_key();
    let client = mock.client();
    mock.fail_next_renders(1);
    let started = client.videos().start(start_request(Engine::Kling, Quality::Hq, 10)).await.unwrap();
    assert_eq!(started.credit_cost, 79); // ceil(50 × 10 / 6.4)
    assert_eq!(mock.balance(key), 10_000 - 79);

    mock.advance(Duration::from_secs(5 + 75));
    let status = client.videos().status(status_request(&started.operation.name, Engine::Kling)).await.unwrap();
    assert!(status.done);
    assert_eq!(status.status, Some(VideoStatus::Failed));
    assert_eq!(status.error.as_ref().unwrap().code, ErrorCode::Internal);
    let refund = status.refund.clone().expect("the status shows the refund");
    assert_eq!(refund.credits, 79);

    assert_eq!(mock.balance(key), 10_000);
    let entry = mock.ledger(key).pop().unwrap();
    assert_eq!(
        (entry.kind, entry.amount, entry.id.as_str()),
        (TransactionKind::Refund, 79, refund.transaction_id.as_str())
    );
    assert_eq!(entry.operation_name.as_deref(), Some(started.operation.name.as_str()));
    assert_eq!(entry.at, Duration::from_secs(80), "refunded when the render failed");

    // The same through the ledger operation.
    let refunds = client
        .account()
        .transactions(ListCreditTransactionsRequest::builder().kind(TransactionKind::Refund).build())
        .await
        .unwrap();
    assert_eq!(refunds.items.len(), 1);
    assert_eq!(refunds.items[0].id, refund.transaction_id);
    assert_eq!(refunds.items[0].created_at, "2026-01-01T00:01:20Z");
}

#[tokio::test]
async fn cancel_refunds_a_queued_render_and_refuses_a_rendering_one() {
    let mock = MockServer::start().await;
    let key = mock.api_key();
    let client = mock.client();
    let a = client.videos().start(start_request(Engine::Sora, Quality::Standard, 12)).await.unwrap();
    let b = client.videos().start(start_request(Engine::Sora, Quality::Standard, 12)).await.unwrap();
    assert_eq!(a.credit_cost, 27);

    let cancelled =
        client.videos().cancel(CancelVideoRequest::builder().operation_name(&a.operation.name).build()).await.unwrap();
    assert_eq!((cancelled.status.clone(), cancelled.refunded_credits), (VideoStatus::Cancelled, 27));
    assert_eq!(mock.balance(key), 10_000 - 27);
    let refund = mock.ledger(key).pop().unwrap();
    assert_eq!((refund.kind, refund.amount), (TransactionKind::Refund, 27));

    mock.advance(Duration::from_secs(6)); // past the 5 s queue: b is rendering
    let raw = call(&mock, "proxyCancelVideoGeneration")
        .json(json!({"operationName": b.operation.name, "engine": "sora"}))
        .send()
        .await;
    assert_eq!((raw.status, raw.code()), (400, "failed-precondition"));
    let err = client
        .videos()
        .cancel(CancelVideoRequest::builder().operation_name(&b.operation.name).build())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::FailedPrecondition));
    assert_eq!(mock.balance(key), 10_000 - 27, "b stays charged");

    let again = client
        .videos()
        .cancel(CancelVideoRequest::builder().operation_name(&a.operation.name).build())
        .await
        .unwrap_err();
    assert_eq!(again.status(), Some(400), "already cancelled");
    let status = client.videos().status(status_request(&a.operation.name, Engine::Sora)).await.unwrap();
    assert_eq!(status.status, Some(VideoStatus::Cancelled));
    assert_eq!(status.refund.as_ref().unwrap().credits, 27);
}

#[tokio::test]
async fn other_operations_charge_their_spec_cost() {
    let mock = MockServer::start().await;
    let key = mock.api_key();
    let client = mock.client();
    let image = |q| GenerateSceneImageRequest::builder().visual_prompt("A bottle on a desk").quality(q).build();
    let url = client.images().generate_scene(image(Quality::Standard)).await.unwrap().into_inner();
    assert!(url.starts_with(mock.uri()) && url.ends_with(".png"));
    assert_eq!(mock.balance(key), 10_000 - 1);
    client.images().generate_scene(image(Quality::Hq)).await.unwrap();
    assert_eq!(mock.balance(key), 10_000 - 3);
    let overlay = TextOverlayRequest::builder()
        .video_uri("https://cdn.example.com/v.mp4")
        .overlays([TextOverlay::new("Wait for it", 0.0, 1.5, ugc_video::types::TextPosition::Top)])
        .build();
    client.post_production().apply_text_overlay(overlay).await.unwrap();
    assert_eq!(mock.balance(key), 10_000 - 4);
    client
        .post_production()
        .stitch(StitchVideosRequest::builder().video_urls(["https://cdn.example.com/a.mp4"]).build())
        .await
        .unwrap();
    assert_eq!(mock.balance(key), 10_000 - 4, "stitching is free");

    let ledger = mock.ledger(key);
    let charges: Vec<_> = ledger
        .iter()
        .filter(|e| e.kind == TransactionKind::Charge)
        .map(|e| (e.description.as_str(), e.amount))
        .collect();
    assert_eq!(
        charges,
        [("proxyGenerateSceneImage", -1), ("proxyGenerateSceneImage", -2), ("proxyApplyTextOverlay", -1)]
    );
    for op in ["proxyGenerateSceneImage", "proxyApplyTextOverlay"] {
        assert!(matches!(
            spec::operation(op).unwrap().credit_cost,
            spec::CreditCost::ByQuality { .. } | spec::CreditCost::Fixed(1)
        ));
    }

    let credits = client.account().credits().await.unwrap();
    assert_eq!(
        (credits.balance, credits.tier.clone(), credits.concurrency_cap, credits.in_flight),
        (9_996, Tier::Pro, 8, 0)
    );

    // Newest first, paged.
    let page = client.account().transactions(ListCreditTransactionsRequest::builder().limit(2).build()).await.unwrap();
    assert_eq!(page.items.iter().map(|t| t.amount).collect::<Vec<_>>(), [-1, -2]);
    assert!(page.has_more);
    let rest = client
        .account()
        .transactions(
            ListCreditTransactionsRequest::builder().limit(2).cursor(page.next_cursor.clone().unwrap()).build(),
        )
        .await
        .unwrap();
    assert_eq!(rest.items.iter().map(|t| t.amount).collect::<Vec<_>>(), [-1, 10_000]);
    assert!(!rest.has_more && rest.next_cursor.is_none());
}
