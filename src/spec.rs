//! The operation table, engine catalog and rate limits, generated from `openapi.yaml`.
//!
//! Nothing here is written by hand: `build.rs` reads the spec, so the SDK, the mock
//! and the spec cannot disagree on an operation's name, auth, idempotency or price.
//!
//! ```
//! use ugc_video::spec::{self, Area};
//!
//! assert_eq!(spec::OPERATIONS.len(), 26);
//! let start = spec::operation("proxyStartVideoGeneration").unwrap();
//! assert!(start.mutating && !start.free);
//! assert_eq!(start.area, Area::Video);
//! ```

use crate::types::{Engine, Quality};

/// One operation of the API: `POST {base}/{name}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// Wire name, also the path.
    pub name: &'static str,
    /// API area (the spec's tag).
    pub area: Area,
    /// Free operations take no key and use the `{"data": …}` envelope both ways.
    pub free: bool,
    /// Mutating operations carry an `Idempotency-Key`; read-only ones never do.
    pub mutating: bool,
    /// Which sliding-window limit the call counts against.
    pub bucket: RateBucket,
    /// What the call charges.
    pub credit_cost: CreditCost,
    /// Calls per day per client IP, for free operations.
    pub ip_daily_limit: Option<u32>,
    /// The client method that issues it, as `handler.method`.
    pub sdk_method: &'static str,
    /// Component schema of the request body.
    pub request_schema: &'static str,
    /// Component schema of the 200 body (empty when inline).
    pub response_schema: &'static str,
    /// Every status the spec declares for the operation.
    pub statuses: &'static [u16],
}

/// API areas, one client handler each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Area {
    /// `free*` marketing tools.
    Free,
    /// Market analysis.
    Analyze,
    /// Script generation and parsing.
    Script,
    /// Scene images.
    Image,
    /// Video renders.
    Video,
    /// Overlays and stitching.
    PostProduction,
    /// Credits, transactions, engines.
    Account,
    /// Webhook endpoints and deliveries.
    Webhooks,
}

/// Sliding-window rate-limit buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RateBucket {
    /// Per client IP per day (free operations).
    Free,
    /// Video generation.
    Video,
    /// Image generation.
    Image,
    /// Script generation.
    Script,
    /// Market analysis.
    Analysis,
    /// Everything else, status checks included.
    General,
}

/// What an operation charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CreditCost {
    /// A fixed number of credits (0 for free of credits).
    Fixed(u32),
    /// By requested quality.
    ByQuality {
        /// Credits at standard quality.
        standard: u32,
        /// Credits at HQ.
        hq: u32,
    },
    /// Priced by the engine catalog (video renders).
    EngineCatalog,
}

/// An engine's durations and prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct EngineSpec {
    /// Engine id on the wire.
    pub id: &'static str,
    /// Marketing name.
    pub display_name: &'static str,
    /// Model names the engine is seen under.
    pub models: &'static [&'static str],
    /// Durations the engine renders, increasing.
    pub durations: &'static [u32],
    /// Base credits at standard quality.
    pub standard_credits: u32,
    /// Base credits at HQ.
    pub hq_credits: u32,
    /// How the base scales with duration.
    pub pricing: Pricing,
}

/// How an engine's price depends on duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Pricing {
    /// The same price whatever the duration.
    Fixed,
    /// `ceil(base × seconds ÷ baseline)`; the baseline is kept in tenths of a second
    /// so the arithmetic stays exact.
    DurationScaled {
        /// Baseline duration in tenths of a second.
        baseline_tenths: u32,
    },
}

include!(concat!(env!("OUT_DIR"), "/spec.rs"));

/// Looks an operation up by wire name.
pub fn operation(name: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|o| o.name == name)
}

/// The catalog entry of a known engine.
pub fn engine(engine: &Engine) -> Option<&'static EngineSpec> {
    ENGINE_CATALOG.iter().find(|e| e.id == engine.as_str())
}

impl EngineSpec {
    /// The duration the service renders for a request: the largest allowed duration
    /// not above the request, or the shortest one when the request is below all.
    pub fn snap_duration(&self, requested: u32) -> u32 {
        let first = self.durations.first().copied().unwrap_or(requested);
        self.durations.iter().rev().copied().find(|d| *d <= requested).unwrap_or(first)
    }

    /// Credits charged for a render of `effective` seconds.
    pub fn cost(&self, quality: &Quality, effective: u32) -> u32 {
        let base = match quality {
            Quality::Hq => self.hq_credits,
            _ => self.standard_credits,
        };
        match self.pricing {
            Pricing::Fixed => base,
            Pricing::DurationScaled { baseline_tenths } => {
                let num = u64::from(base) * u64::from(effective) * 10;
                u32::try_from(num.div_ceil(u64::from(baseline_tenths.max(1)))).unwrap_or(u32::MAX)
            }
        }
    }
}

/// What a render will cost, as the service prices it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CostEstimate {
    /// Duration the engine will actually render.
    pub effective_duration: u32,
    /// Credits deducted at start.
    pub credits: u32,
}

/// Estimates a render's cost from the spec's catalog, exactly as the service charges.
/// `None` for an engine the catalog does not know.
///
/// ```
/// use ugc_video::spec::estimate_cost;
/// use ugc_video::types::{Engine, Quality};
///
/// let est = estimate_cost(&Engine::Sora, &Quality::Standard, 8).unwrap();
/// assert_eq!((est.effective_duration, est.credits), (8, 18));
/// ```
pub fn estimate_cost(engine: &Engine, quality: &Quality, requested_duration: u32) -> Option<CostEstimate> {
    let spec = self::engine(engine)?;
    let effective_duration = spec.snap_duration(requested_duration);
    Some(CostEstimate { effective_duration, credits: spec.cost(quality, effective_duration) })
}

/// The sliding-window limit of a bucket: (requests, window seconds).
pub fn rate_limit(bucket: RateBucket) -> Option<(u32, u64)> {
    RATE_LIMITS.iter().find(|(b, _, _)| *b == bucket).map(|(_, n, w)| (*n, *w))
}
