//! A stateful mock of the service (feature `mock`), to write integration tests
//! against instead of paying for renders.
//!
//! It implements all 26 operations with the contract's behaviour, not canned JSON:
//! requests are validated against `openapi.yaml`; credits are charged at start and
//! refunded on failure or cancellation; renders move `queued` → `rendering` →
//! `completed`/`failed` over virtual time; idempotency keys replay and conflict;
//! per-key sliding windows, the tier's concurrency cap and the free operations'
//! per-IP daily quotas answer 429; webhook events are signed with the Standard
//! Webhooks scheme, delivered to your receiver and retried on the 1 m / 5 m / 30 m /
//! 2 h / 6 h schedule. Faults (error statuses, latency, connections cut after the
//! work is committed) can be injected per operation, and everything the mock did can
//! be inspected: balances, ledger, renders, the request log, idempotency entries and
//! delivery attempts.
//!
//! # Time
//!
//! The mock runs on a [`MockClock`]. In the default [`TimeMode::Manual`], time moves
//! only when a test calls [`MockServer::advance`] or when a client built by
//! [`MockServer::client`] sleeps (polling, retry backoff): its sleep advances virtual
//! time and returns at once. A render that takes a minute, or a webhook retry six
//! hours later, therefore costs no real time and happens in the same order every
//! run. Sleeps add up: two clients each sleeping 5 s move the clock 10 s, so with
//! many concurrent pollers virtual time runs ahead of what one of them waited.
//! [`TimeMode::Scaled`] runs virtual time at a multiple of real time instead, for
//! the standalone `ugc-video-mock` binary, demos and concurrency benchmarks.
//!
//! Timestamps in bodies are the epoch 2026-01-01T00:00:00Z plus virtual time. The
//! `webhook-timestamp` header of a delivery is real unix time, because receivers
//! check it against their own wall clock.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use ugc_video::mock::MockServer;
//! use ugc_video::models::videos::{StartVideoRequest, VideoStatusRequest};
//! use ugc_video::types::{AspectRatio, Engine, Quality, VideoStatus};
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let mock = MockServer::start().await;
//! let client = mock.client(); // base URL, sandbox key and the mock's clock
//!
//! let started = client
//!     .videos()
//!     .start(
//!         StartVideoRequest::builder()
//!             .engine(Engine::Veo)
//!             .quality(Quality::Standard)
//!             .duration(11) // Veo renders at most 8 s: snapped
//!             .aspect_ratio(AspectRatio::Portrait)
//!             .visual_prompt("A creator unboxing a matte-black water bottle")
//!             .build(),
//!     )
//!     .await
//!     .unwrap();
//! assert_eq!((started.effective_duration, started.credit_cost), (8, 40));
//! assert_eq!(mock.balance(mock.api_key()), 10_000 - 40);
//!
//! mock.advance(Duration::from_secs(60)); // Veo renders in 30 s after 5 s in the queue
//! let req = VideoStatusRequest::builder().operation_name(&started.operation.name).engine(Engine::Veo).build();
//! let status = client.videos().status(req).await.unwrap();
//! assert_eq!(status.status, Some(VideoStatus::Completed));
//!
//! mock.shutdown().await;
//! # });
//! ```
//!
//! # Mock-specific rules
//!
//! Where the contract leaves a choice, the mock decides as follows (a live service
//! may differ): every account is a sandbox account, so webhook URLs may be
//! `http://127.0.0.1…`/`http://localhost…`; `projectMode: mature` needs the Pro or
//! Scale tier (403 `mature_mode_paid_required`) and is refused by Veo and Sora (400
//! `mode_engine_not_allowed`); `modelName` must be one of the engine's models; free
//! quotas reset at midnight UTC of virtual time; post-production outputs and scene
//! images are served unsigned from `/media/…`, render videos only through the signed
//! URL `proxyFetchVideo` answers.

mod account;
mod builder;
mod clock;
mod content;
mod failure;
mod faults;
mod handlers;
mod http;
mod idempotency;
mod inspect;
mod limits;
mod media;
mod paging;
mod records;
mod renders;
mod respond;
mod scheduler;
mod schema;
mod server;
mod state;
mod webhooks;

pub use builder::MockServerBuilder;
pub use clock::{EPOCH_UNIX_SECS, MockClock, TimeMode};
pub use faults::RandomFaults;
pub use records::{AttemptRecord, DeliveryRecord, IdempotencyEntry, LedgerEntry, RecordedRequest, RenderSnapshot};
pub use server::MockServer;
