//! Shared by the tests that script a wiremock double: a client on a virtual clock
//! (no test waits on real backoff) and a valid start request.

use std::sync::Arc;

use ugc_video::clock::VirtualClock;
use ugc_video::models::videos::StartVideoRequest;
use ugc_video::types::{AspectRatio, Engine, Quality};
use ugc_video::{Client, RetryPolicy};
use wiremock::MockServer;

/// A client for `server` whose sleeps go to `clock`, with deterministic backoff.
pub fn client(server: &MockServer, clock: &VirtualClock) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_key("ugc_test_double_key")
        .clock(Arc::new(clock.clone()))
        .retry_policy(RetryPolicy::default().jitter(false))
        .build()
        .unwrap()
}

/// A valid Sora start request.
pub fn start_req() -> StartVideoRequest {
    StartVideoRequest::builder()
        .engine(Engine::Sora)
        .quality(Quality::Standard)
        .duration(8)
        .aspect_ratio(AspectRatio::Portrait)
        .visual_prompt("a bottle")
        .build()
}
