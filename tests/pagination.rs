//! Cursor-paged lists as streams, against the mock.

use futures_util::TryStreamExt;
use ugc_video::mock::MockServer;
use ugc_video::models::account::ListCreditTransactionsRequest;
use ugc_video::models::videos::{ListVideosRequest, StartVideoRequest};
use ugc_video::types::{AspectRatio, Engine, Quality, TransactionKind};

#[tokio::test]
async fn list_all_walks_every_page_in_order() {
    let mock = MockServer::start().await;
    let client = mock.client();
    let mut started = Vec::new();
    for i in 0..7 {
        let req = StartVideoRequest::builder()
            .engine(Engine::Veo)
            .quality(Quality::Standard)
            .duration(8)
            .aspect_ratio(AspectRatio::Square)
            .visual_prompt(format!("shot {i}"))
            .build();
        started.push(client.videos().start(req).await.unwrap().operation.name.clone());
        mock.advance(std::time::Duration::from_secs(1));
    }
    let all: Vec<_> =
        client.videos().list_all(ListVideosRequest::builder().limit(3).build()).try_collect().await.unwrap();
    let names: Vec<_> = all.iter().map(|v| v.operation_name.clone()).collect();
    started.reverse();
    assert_eq!(names, started, "every render once, newest first");

    let lists: Vec<_> =
        mock.requests().into_iter().filter(|r| r.operation == Some("proxyListVideoGenerations")).collect();
    assert_eq!(lists.len(), 3, "7 items at 3 a page");
    assert!(lists[0].body.get("cursor").is_none());
    assert_eq!(lists[1].body["cursor"], lists[0].response_body["nextCursor"]);
    assert_eq!(lists[2].body["limit"], 3);

    let charges: Vec<_> = client
        .account()
        .transactions_all(ListCreditTransactionsRequest::builder().kind(TransactionKind::Charge).limit(2).build())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(charges.len(), 7);
    assert!(charges.iter().all(|t| t.amount == -40));
}
