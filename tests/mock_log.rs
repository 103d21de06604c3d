//! The request log's bound, for long-running mocks.

use ugc_video::mock::MockServer;

#[tokio::test]
async fn a_bounded_log_keeps_the_newest_requests() {
    let mock = MockServer::builder().request_log_limit(3).start().await;
    let client = mock.client();
    for _ in 0..5 {
        client.account().credits().await.unwrap();
    }
    client.account().engines().await.unwrap();
    mock.wait_for_requests(6).await; // counts every request, aged out or not
    let log = mock.requests();
    assert_eq!(log.len(), 3);
    assert_eq!(log.last().unwrap().operation, Some("proxyListEngines"));
    assert!(log.iter().all(|r| r.status == 200), "records aged out never corrupt the newest");
}
