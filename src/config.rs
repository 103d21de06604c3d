//! Client configuration: base URL, credentials, timeouts, retries, clock.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

use crate::clock::{Clock, TokioClock};
use crate::error::{Error, Result};

/// The live service.
pub const PRODUCTION_BASE_URL: &str = "https://us-central1-viral-ugc-copilot.cloudfunctions.net";
/// Environment variable holding the API key.
pub const API_KEY_ENV: &str = "UGC_COPILOT_API_KEY";
/// Environment variable overriding the base URL.
pub const BASE_URL_ENV: &str = "UGC_COPILOT_BASE_URL";

fn key_prefix(key: &str) -> &'static str {
    ["ugc_live_", "ugc_test_", "ugc_oat_"].into_iter().find(|p| key.starts_with(p)).unwrap_or("")
}

/// An API key. Its `Debug` never shows the secret part.
///
/// ```
/// use ugc_video::ApiKey;
///
/// let key = ApiKey::new("ugc_live_abcdef123456").unwrap();
/// assert_eq!(format!("{key:?}"), "ApiKey(ugc_live_…)");
/// ```
#[derive(Clone)]
pub struct ApiKey(Arc<str>);

impl ApiKey {
    /// Checks that the key can travel in a header.
    pub fn new(key: impl Into<String>) -> Result<Self> {
        let key: String = key.into();
        if key.is_empty() || key.len() > 512 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::Config("the API key must be 1–512 visible ASCII characters".into()));
        }
        Ok(Self(key.into()))
    }

    /// The key itself, for the Authorization header.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// The non-secret prefix (`ugc_live_`, `ugc_test_`, `ugc_oat_`), or `""` for a
    /// key of another shape: nothing else of a key is ever shown.
    pub fn prefix(&self) -> &str {
        key_prefix(&self.0)
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({}…)", self.prefix())
    }
}

/// When and how often calls are retried.
///
/// ```
/// use std::time::Duration;
/// use ugc_video::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_retries(5)
///     .max_retry_after(Duration::from_secs(120));
/// assert_eq!(policy.get_max_retries(), 5);
/// ```
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    pub(crate) max_retries: usize,
    pub(crate) initial_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) max_retry_after: Duration,
    pub(crate) jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }
    /// Retries after the first attempt (default 3).
    pub fn max_retries(mut self, n: usize) -> Self {
        self.max_retries = n;
        self
    }
    /// First backoff delay (default 500 ms), doubled each retry.
    pub fn initial_delay(mut self, d: Duration) -> Self {
        self.initial_delay = d;
        self
    }
    /// Longest backoff delay (default 30 s).
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }
    /// Longest `Retry-After` the client will sleep for (default 60 s). A longer one
    /// (a daily quota) returns the error at once with the delay in
    /// [`Error::retry_after`], instead of sleeping for hours.
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }
    /// Randomise backoff delays (default on), so many clients do not retry in step.
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }
    /// Configured number of retries.
    pub fn get_max_retries(&self) -> usize {
        self.max_retries
    }
}

/// Builds a [`Client`](crate::Client).
///
/// ```
/// use std::time::Duration;
/// use ugc_video::Client;
///
/// let client = Client::builder()
///     .api_key("ugc_test_123456")
///     .base_url("http://127.0.0.1:8080")
///     .timeout(Duration::from_secs(30))
///     .build()
///     .unwrap();
/// assert!(!format!("{client:?}").contains("123456"));
///
/// // A key is never sent in clear text to a remote host.
/// assert!(Client::builder().base_url("http://example.com").build().is_err());
/// ```
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    api_key: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_deref().map(|k| format!("{}…", key_prefix(k))))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: PRODUCTION_BASE_URL.to_owned(),
            api_key: None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!("ugc-video-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry: RetryPolicy::default(),
            http: None,
            clock: Arc::new(TokioClock),
        }
    }
}

impl ClientBuilder {
    /// Base URL (default: the live service). Must be HTTPS unless the host is loopback.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }
    /// The API key (`ugc_live_…`, `ugc_oat_…` or a sandbox `ugc_test_…`). Free
    /// operations work without one.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }
    /// Per-attempt timeout for the whole request (default 60 s).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }
    /// Connect timeout (default 10 s).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }
    /// `User-Agent` header.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }
    /// Retry policy.
    pub fn retry_policy(mut self, p: RetryPolicy) -> Self {
        self.retry = p;
        self
    }
    /// Use this `reqwest::Client` (proxies, custom roots, shared pools). Its own
    /// timeouts apply instead of [`timeout`](Self::timeout) and
    /// [`connect_timeout`](Self::connect_timeout).
    pub fn http_client(mut self, c: reqwest::Client) -> Self {
        self.http = Some(c);
        self
    }
    /// The clock every wait goes through (default: tokio's timer).
    pub fn clock(mut self, c: Arc<dyn Clock>) -> Self {
        self.clock = c;
        self
    }

    /// Reads `UGC_COPILOT_API_KEY` and, when set, `UGC_COPILOT_BASE_URL`.
    pub fn from_env(mut self) -> Result<Self> {
        let key = std::env::var(API_KEY_ENV).map_err(|_| Error::Config(format!("{API_KEY_ENV} is not set")))?;
        self.api_key = Some(key);
        if let Ok(url) = std::env::var(BASE_URL_ENV) {
            self.base_url = url;
        }
        Ok(self)
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<crate::Client> {
        let base = parse_base_url(&self.base_url)?;
        let api_key = self.api_key.map(ApiKey::new).transpose()?;
        let http = match self.http {
            Some(c) => c,
            None => reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .user_agent(self.user_agent.clone())
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(crate::Client::from_parts(crate::client::Inner {
            base,
            api_key,
            user_agent: self.user_agent,
            retry: self.retry,
            http,
            clock: self.clock,
        }))
    }
}

fn parse_base_url(raw: &str) -> Result<Url> {
    let url = Url::parse(raw).map_err(|e| Error::Config(format!("invalid base URL: {e}")))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        s => {
            return Err(Error::Config(format!(
                "base URL must be https (plain http only to loopback), got {s}://{}",
                url.host_str().unwrap_or("")
            )));
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config("base URL must not have a query or fragment".into()));
    }
    Ok(url)
}
