//! # ugc-video
//!
//! A typed async client for the UGC Copilot AI video generation API: 26 operations,
//! four engines (Sora 2, Veo 3.1, Kling 3.0, Seedance 2.0), signed webhooks — plus a
//! stateful mock of the service (feature `mock`) to test against instead of paying
//! for renders.
//!
//! - [`Client`] with one handler per API area ([`Client::videos`], [`Client::account`], …);
//!   every call validates its input before sending, carries an `Idempotency-Key` when
//!   it mutates, and retries transient failures honouring `Retry-After`.
//! - [`types`]: wire enums generated from `openapi.yaml` that still parse values this
//!   version does not know.
//! - [`webhooks`]: a framework-independent Standard Webhooks verifier, typed events and
//!   dedupe.
//! - [`spec`]: the operation table, pricing and limits, generated from the spec.
//!
//! ```no_run
//! use ugc_video::{Client, models::videos::StartVideoRequest, types::*};
//!
//! # async fn demo() -> ugc_video::Result<()> {
//! let client = Client::from_env()?; // UGC_COPILOT_API_KEY
//! let req = StartVideoRequest::builder()
//!     .engine(Engine::Sora)
//!     .quality(Quality::Standard)
//!     .duration(8)
//!     .aspect_ratio(AspectRatio::Portrait)
//!     .visual_prompt("A creator unboxing a matte-black water bottle, soft window light")
//!     .build();
//! let started = client.videos().start(req).await?;
//! println!("{} ({} credits)", started.operation.name, started.credit_cost);
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

pub mod api;
mod batch;
mod client;
pub mod clock;
mod config;
pub mod download;
mod error;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
pub mod models;
mod render;
mod response;
pub mod spec;
mod transport;
pub mod types;
mod wake;
pub mod webhooks;

pub use batch::{Batch, BatchItem};
pub use client::Client;
pub use config::{API_KEY_ENV, ApiKey, BASE_URL_ENV, ClientBuilder, PRODUCTION_BASE_URL, RetryPolicy};
pub use error::{ApiError, Error, PendingRender, RenderFailure, Result, ValidationError};
pub use render::{PollSchedule, RenderAndWait, RenderProgress, RenderedVideo};
pub use response::{RateLimit, Response, ResponseMeta};
pub use transport::{ApiRequest, Call};
pub use wake::WebhookWaiter;

/// Compiles (and runs) the README's examples as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
