//! Account: credit balance, the credit ledger, and the engine catalog with prices.

use bon::Builder;
use serde::{Deserialize, Serialize};

use super::validate;
use crate::error::ValidationError;
use crate::spec::CostEstimate;
use crate::transport::ApiRequest;
use crate::types::{AspectRatio, Engine, EnginePricing, Quality, Tier, TransactionKind};

/// Answer of `proxyGetCredits`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreditsResponse {
    /// Credits available now.
    pub balance: i64,
    /// The account's plan.
    pub tier: Tier,
    /// Most renders that may be in flight at once on this plan (3 / 8 / 25).
    pub concurrency_cap: u32,
    /// Renders queued or rendering now.
    pub in_flight: u32,
}

impl CreditsResponse {
    /// How many more renders may start before the concurrency cap is reached.
    pub fn available_slots(&self) -> u32 {
        self.concurrency_cap.saturating_sub(self.in_flight)
    }
}

/// `proxyListCreditTransactions`: the credit ledger (charges, refunds, purchases,
/// grants), newest first. Read-only; charges no credits.
///
/// ```
/// use ugc_video::ApiRequest;
/// use ugc_video::models::account::ListCreditTransactionsRequest;
/// use ugc_video::types::TransactionKind;
///
/// let req = ListCreditTransactionsRequest::builder()
///     .from("2025-01-01T00:00:00Z")
///     .to("2025-02-01T00:00:00+01:00")
///     .kind(TransactionKind::Refund)
///     .limit(50)
///     .build();
/// assert!(req.validate().is_ok());
///
/// let backwards = ListCreditTransactionsRequest::builder()
///     .from("2025-02-01T00:00:00Z")
///     .to("2025-01-01T00:00:00Z")
///     .build();
/// assert_eq!(backwards.validate().unwrap_err().field, "to");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[serde(rename_all = "camelCase")]
#[builder(on(String, into))]
#[non_exhaustive]
pub struct ListCreditTransactionsRequest {
    /// Only transactions at or after this time (RFC 3339 date-time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Only transactions before this time (RFC 3339 date-time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Only transactions of this kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<TransactionKind>,
    /// Page size, 1–100 (default 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// `nextCursor` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl ApiRequest for ListCreditTransactionsRequest {
    fn validate(&self) -> Result<(), ValidationError> {
        let from = date_time("from", self.from.as_deref())?;
        let to = date_time("to", self.to.as_deref())?;
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            return Err(ValidationError::new("to", "must not be before `from`"));
        }
        validate::opt_range("limit", self.limit, 1, 100)?;
        validate::opt_len("cursor", &self.cursor, 1, 500)
    }
}

/// A page of credit transactions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListCreditTransactionsResponse {
    /// Transactions on this page, newest first.
    #[serde(default)]
    pub items: Vec<CreditTransaction>,
    /// Cursor of the next page.
    #[serde(default)]
    pub next_cursor: Option<String>,
    /// Whether more pages follow.
    pub has_more: bool,
}

/// One entry of the credit ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreditTransaction {
    /// Transaction id.
    pub id: String,
    /// What kind of movement it is.
    pub kind: TransactionKind,
    /// Signed credits: negative for a charge, positive for a refund, purchase or grant.
    pub amount: i64,
    /// Balance right after this transaction.
    pub balance_after: i64,
    /// The render or call it belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_name: Option<String>,
    /// Human-readable description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// RFC 3339 time of the transaction.
    pub created_at: String,
}

/// Answer of `proxyListEngines`: the engines the service renders with now, and their
/// prices. Engines appear and retire over time; prefer this to hard-coded tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListEnginesResponse {
    /// The engines.
    #[serde(default)]
    pub engines: Vec<EngineInfo>,
}

impl ListEnginesResponse {
    /// The entry of `engine`, if the service lists it.
    pub fn get(&self, engine: &Engine) -> Option<&EngineInfo> {
        self.engines.iter().find(|e| e.id == *engine)
    }
}

/// One engine of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EngineInfo {
    /// Engine id on the wire.
    pub id: Engine,
    /// Marketing name (e.g. `Sora 2`).
    pub display_name: String,
    /// Model names the engine accepts as `modelName`.
    #[serde(default)]
    pub models: Vec<String>,
    /// Durations (seconds) the engine renders, increasing.
    #[serde(default)]
    pub durations: Vec<u32>,
    /// Qualities offered.
    #[serde(default)]
    pub qualities: Vec<Quality>,
    /// Aspect ratios offered.
    #[serde(default)]
    pub aspect_ratios: Vec<AspectRatio>,
    /// Base credits per quality.
    pub credits: CreditPrices,
    /// How the base price scales with duration.
    pub pricing: EnginePricing,
    /// Duration the base price is for, in seconds (used by duration-scaled pricing).
    pub baseline_seconds: f64,
}

impl EngineInfo {
    /// The duration the service renders for a request: the largest listed duration
    /// not above it, or the shortest one when the request is below all.
    pub fn snap_duration(&self, requested: u32) -> u32 {
        let first = self.durations.first().copied().unwrap_or(requested);
        self.durations.iter().rev().copied().find(|d| *d <= requested).unwrap_or(first)
    }

    /// What a render would cost, priced as the service prices it; `None` when the
    /// quality or pricing model is one this version does not know.
    ///
    /// ```
    /// use ugc_video::models::account::ListEnginesResponse;
    /// use ugc_video::types::{Engine, Quality};
    ///
    /// let catalog: ListEnginesResponse = serde_json::from_str(r#"{"engines":[{"id":"kling","displayName":"Kling 3.0",
    ///     "models":[],"durations":[5,10,15],"qualities":["standard","hq"],"aspectRatios":["9:16"],
    ///     "credits":{"standard":25,"hq":50},"pricing":"duration-scaled","baselineSeconds":6.4}]}"#).unwrap();
    /// let est = catalog.get(&Engine::Kling).unwrap().estimate_cost(&Quality::Standard, 12).unwrap();
    /// assert_eq!((est.effective_duration, est.credits), (10, 40));
    /// ```
    pub fn estimate_cost(&self, quality: &Quality, requested_duration: u32) -> Option<CostEstimate> {
        let base = match quality {
            Quality::Standard => self.credits.standard,
            Quality::Hq => self.credits.hq,
            _ => return None,
        };
        let effective_duration = self.snap_duration(requested_duration);
        let credits = match self.pricing {
            EnginePricing::Fixed => base,
            EnginePricing::DurationScaled => {
                let baseline = Some(self.baseline_seconds).filter(|b| b.is_finite() && *b > 0.0)?;
                // Tenths of a second keep the arithmetic exact, as the service does it.
                let tenths = (baseline * 10.0).round().max(1.0) as u64;
                let num = u64::from(base) * u64::from(effective_duration) * 10;
                u32::try_from(num.div_ceil(tenths)).unwrap_or(u32::MAX)
            }
            _ => return None,
        };
        Some(CostEstimate { effective_duration, credits })
    }
}

/// Base credits of an engine per quality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreditPrices {
    /// At standard quality.
    pub standard: u32,
    /// At HQ.
    pub hq: u32,
}

/// Checks an optional RFC 3339 date-time, answering its instant for comparisons.
fn date_time(field: &str, v: Option<&str>) -> Result<Option<(i64, u32)>, ValidationError> {
    v.map(|s| {
        parse_rfc3339(s).ok_or_else(|| {
            ValidationError::new(
                field,
                format!("must be an RFC 3339 date-time such as 2025-01-31T09:30:00Z (got {s:?})"),
            )
        })
    })
    .transpose()
}

/// Seconds since the Unix epoch and nanoseconds of an RFC 3339 `date-time`
/// (`YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`), or `None` when it is not one.
fn parse_rfc3339(s: &str) -> Option<(i64, u32)> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let t = b.get(from..from + len)?;
        t.iter().all(u8::is_ascii_digit).then(|| t.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let sep = |at: usize, ok: &[u8]| b.get(at).is_some_and(|c| ok.contains(c));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=days_in_month).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut i = 19;
    let mut nanos = 0u32;
    if b.get(i) == Some(&b'.') {
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        for k in 0..9 {
            let d = if k < digits { u32::from(b[i + 1 + k] - b'0') } else { 0 };
            nanos = nanos * 10 + d;
        }
        i += 1 + digits;
    }
    let offset = match b.get(i..)? {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (oh, om) = (num(i + 1, 2)?, num(i + 4, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let off = oh * 3600 + om * 60;
            if *sign == b'-' { -off } else { off }
        }
        _ => return None,
    };
    // Days since 1970-01-01 (H. Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + hour * 3600 + minute * 60 + second - offset, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<(), ValidationError>) -> String {
        r.unwrap_err().field
    }

    #[test]
    fn rfc3339_parsing() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(parse_rfc3339("1970-01-01T01:00:00+01:00"), Some((0, 0)));
        assert_eq!(parse_rfc3339("2000-03-01T00:00:00Z"), Some((951_868_800, 0)));
        assert_eq!(parse_rfc3339("2024-02-29T12:00:00.5z"), Some((1_709_208_000, 500_000_000)));
        assert_eq!(parse_rfc3339("1969-12-31T23:59:59.123456789123-00:00"), Some((-1, 123_456_789)));
        for bad in [
            "",
            "2025-01-01",
            "2025-01-01 00:00:00Z",
            "2025-01-01T00:00:00",
            "2025-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2025-01-01T24:00:00Z",
            "2025-01-01T00:00:00.Z",
            "2025-01-01T00:00:00+0100",
            "2025-01-01T00:00:00+24:00",
            "2025-01-01T00:00:00Zjunk",
            "2025-01-0１T00:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn transaction_filters() {
        assert!(ListCreditTransactionsRequest::default().validate().is_ok());
        let req =
            ListCreditTransactionsRequest::builder().from("2025-01-01T00:00:00Z").to("2025-01-01T00:00:00Z").build();
        assert!(req.validate().is_ok());
        // Offsets count: 01:00+01:00 is midnight UTC, not after 00:30Z.
        let req = ListCreditTransactionsRequest::builder()
            .from("2025-01-01T00:30:00Z")
            .to("2025-01-01T01:00:00+01:00")
            .build();
        assert_eq!(field(req.validate()), "to");
        assert_eq!(field(ListCreditTransactionsRequest::builder().from("yesterday").build().validate()), "from");
        assert_eq!(field(ListCreditTransactionsRequest::builder().to("2025-01-01").build().validate()), "to");
        assert!(ListCreditTransactionsRequest::builder().limit(1).build().validate().is_ok());
        assert!(ListCreditTransactionsRequest::builder().limit(100).build().validate().is_ok());
        assert_eq!(field(ListCreditTransactionsRequest::builder().limit(0).build().validate()), "limit");
        assert_eq!(field(ListCreditTransactionsRequest::builder().limit(101).build().validate()), "limit");
        assert_eq!(field(ListCreditTransactionsRequest::builder().cursor("").build().validate()), "cursor");
        let req = ListCreditTransactionsRequest::builder().kind(TransactionKind::from_wire("chargeback")).build();
        assert!(req.validate().is_ok());
        assert_eq!(serde_json::to_value(&req).unwrap(), serde_json::json!({"kind": "chargeback"}));
    }

    #[test]
    fn ledger_decodes() {
        let page: ListCreditTransactionsResponse = serde_json::from_str(
            r#"{"items":[{"id":"txn_1","kind":"charge","amount":-18,"balanceAfter":82,"createdAt":"2025-01-01T00:00:00Z"}],"nextCursor":null,"hasMore":false}"#,
        )
        .unwrap();
        assert_eq!(page.items[0].amount, -18);
        assert_eq!(page.items[0].kind, TransactionKind::Charge);
        assert_eq!(page.next_cursor, None);
        let empty: ListCreditTransactionsResponse = serde_json::from_str(r#"{"hasMore":false}"#).unwrap();
        assert!(empty.items.is_empty());
    }

    #[test]
    fn credits_decode() {
        let c: CreditsResponse =
            serde_json::from_str(r#"{"balance":100,"tier":"pro","concurrencyCap":8,"inFlight":3}"#).unwrap();
        assert_eq!((&c.tier, c.available_slots()), (&Tier::Pro, 5));
        let c: CreditsResponse =
            serde_json::from_str(r#"{"balance":0,"tier":"enterprise","concurrencyCap":2,"inFlight":3}"#).unwrap();
        assert_eq!(c.available_slots(), 0);
        assert!(!c.tier.is_known());
    }

    fn catalog() -> ListEnginesResponse {
        serde_json::from_str(
            r#"{"engines":[
            {"id":"sora","displayName":"Sora 2","models":["sora-2","sora-2-pro"],"durations":[4,8,12],"qualities":["standard","hq"],
             "aspectRatios":["9:16","16:9","1:1"],"credits":{"standard":18,"hq":65},"pricing":"duration-scaled","baselineSeconds":8},
            {"id":"veo","displayName":"Veo 3.1","durations":[4,6,8],"credits":{"standard":40,"hq":130},"pricing":"fixed","baselineSeconds":8},
            {"id":"wan-3","displayName":"Wan 3","durations":[5],"credits":{"standard":10,"hq":20},"pricing":"per-frame","baselineSeconds":5},
            {"id":"bad","displayName":"Bad","durations":[5],"credits":{"standard":10,"hq":20},"pricing":"duration-scaled","baselineSeconds":0}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn engine_catalog_prices_like_the_service() {
        let c = catalog();
        let sora = c.get(&Engine::Sora).unwrap();
        let est = |e: &EngineInfo, q: Quality, d| e.estimate_cost(&q, d).map(|c| (c.effective_duration, c.credits));
        assert_eq!(est(sora, Quality::Standard, 8), Some((8, 18)));
        assert_eq!(est(sora, Quality::Standard, 12), Some((12, 27)));
        assert_eq!(est(sora, Quality::Standard, 3), Some((4, 9)));
        assert_eq!(est(sora, Quality::Hq, 20), Some((12, 98)));
        let veo = c.get(&Engine::Veo).unwrap();
        assert_eq!(est(veo, Quality::Standard, 11), Some((8, 40)));
        assert!(veo.models.is_empty() && veo.qualities.is_empty());
        let wan = c.get(&Engine::from_wire("wan-3")).unwrap();
        assert_eq!(wan.pricing, EnginePricing::from_wire("per-frame"));
        assert_eq!(est(wan, Quality::Standard, 5), None);
        assert_eq!(est(sora, Quality::from_wire("ultra"), 8), None);
        assert_eq!(est(c.get(&Engine::from_wire("bad")).unwrap(), Quality::Standard, 5), None);
        assert_eq!(serde_json::to_value(&wan.pricing).unwrap(), "per-frame");
        assert_eq!(serde_json::to_value(&sora.pricing).unwrap(), "duration-scaled");
        // Agrees with the spec's own catalog.
        assert_eq!(
            crate::spec::estimate_cost(&Engine::Sora, &Quality::Standard, 12).map(|c| c.credits),
            sora.estimate_cost(&Quality::Standard, 12).map(|c| c.credits)
        );
    }

    #[test]
    fn empty_request_is_an_empty_object() {
        use crate::models::EmptyRequest;
        assert_eq!(serde_json::to_string(&EmptyRequest::default()).unwrap(), "{}");
        assert_eq!(serde_json::from_str::<EmptyRequest>(r#"{"x":1}"#).unwrap(), EmptyRequest::new());
    }
}
