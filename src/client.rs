//! The client handle and its per-area handlers.

use std::fmt;
use std::sync::Arc;

use reqwest::Url;

use crate::clock::Clock;
use crate::config::{ApiKey, ClientBuilder, RetryPolicy};
use crate::error::Result;

/// A cheap-to-clone handle to the API. Each API area has its own handler:
///
/// ```no_run
/// use ugc_video::{Client, models::videos::StartVideoRequest, types::*};
///
/// # async fn demo() -> ugc_video::Result<()> {
/// let client = Client::from_env()?;
/// let started = client
///     .videos()
///     .start(
///         StartVideoRequest::builder()
///             .engine(Engine::Sora)
///             .quality(Quality::Standard)
///             .duration(8)
///             .aspect_ratio(AspectRatio::Portrait)
///             .visual_prompt("A creator unboxing a matte-black water bottle")
///             .build(),
///     )
///     .await?;
/// println!("{} for {} credits", started.operation.name, started.credit_cost);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) base: Url,
    pub(crate) api_key: Option<ApiKey>,
    pub(crate) user_agent: String,
    pub(crate) retry: RetryPolicy,
    pub(crate) http: reqwest::Client,
    pub(crate) clock: Arc<dyn Clock>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_str())
            .field("api_key", &self.inner.api_key)
            .field("user_agent", &self.inner.user_agent)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts a [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for the key in `UGC_COPILOT_API_KEY` and, when set, the base URL
    /// in `UGC_COPILOT_BASE_URL`.
    pub fn from_env() -> Result<Self> {
        ClientBuilder::default().from_env()?.build()
    }

    pub(crate) fn from_parts(inner: Inner) -> Self {
        Self { inner: Arc::new(inner) }
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        self.inner.base.as_str()
    }

    /// The clock this client waits on.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    /// Free marketing tools (no key needed).
    pub fn free(&self) -> crate::api::Free {
        crate::api::Free::new(self.clone())
    }
    /// Market analysis.
    pub fn analyze(&self) -> crate::api::Analyze {
        crate::api::Analyze::new(self.clone())
    }
    /// Script generation and parsing.
    pub fn scripts(&self) -> crate::api::Scripts {
        crate::api::Scripts::new(self.clone())
    }
    /// Scene images.
    pub fn images(&self) -> crate::api::Images {
        crate::api::Images::new(self.clone())
    }
    /// Video renders.
    pub fn videos(&self) -> crate::api::Videos {
        crate::api::Videos::new(self.clone())
    }
    /// Text overlays and stitching.
    pub fn post_production(&self) -> crate::api::PostProduction {
        crate::api::PostProduction::new(self.clone())
    }
    /// Credits, transactions and the engine catalog.
    pub fn account(&self) -> crate::api::Account {
        crate::api::Account::new(self.clone())
    }
    /// Webhook endpoints and deliveries (the receiving side is [`crate::webhooks`]).
    pub fn webhooks(&self) -> crate::api::Webhooks {
        crate::api::Webhooks::new(self.clone())
    }
}
