//! Credits: charging, and the account operations (balance, ledger, engines).

use std::time::Duration;

use serde_json::{Value, json};

use super::clock::{parse_rfc3339, rfc3339};
use super::failure::Failure;
use super::paging;
use super::state::State;
use crate::spec::{self, CreditCost, Operation};
use crate::types::TransactionKind;

/// What `op` costs for this body, per the spec (`x-credit-cost`). Renders are priced
/// by [`super::renders`] from the engine catalog.
pub(crate) fn price(op: &Operation, body: &Value) -> u32 {
    match op.credit_cost {
        CreditCost::Fixed(n) => n,
        CreditCost::ByQuality { standard, hq } => match body.get("quality").and_then(Value::as_str) {
            Some("hq") => hq,
            _ => standard,
        },
        _ => 0,
    }
}

/// Deducts `cost`, or refuses with 402 `insufficient-credits` leaving everything as
/// it was. Returns the transaction id (none for free calls).
pub(crate) fn charge(
    state: &mut State,
    account: usize,
    cost: u32,
    description: &str,
    operation_name: Option<String>,
    now: Duration,
) -> Result<Option<String>, Failure> {
    if cost == 0 {
        return Ok(None);
    }
    let balance = state.accounts[account].balance;
    if balance < i64::from(cost) {
        return Err(Failure::new(
            402,
            "insufficient-credits",
            format!("This call costs {cost} credits and the balance is {balance}"),
        )
        .details(json!({"required": cost, "balance": balance})));
    }
    Ok(Some(state.post(account, TransactionKind::Charge, -i64::from(cost), operation_name, description, now)))
}

/// `proxyGetCredits`.
pub(crate) fn credits(state: &State, account: usize, now: Duration) -> Value {
    let a = &state.accounts[account];
    json!({
        "balance": a.balance,
        "tier": a.tier.as_str(),
        "concurrencyCap": a.concurrency_cap(),
        "inFlight": state.in_flight(account, now),
    })
}

/// `proxyListCreditTransactions`: newest first, filtered by time range and kind.
pub(crate) fn transactions(state: &State, account: usize, body: &Value) -> Result<Value, Failure> {
    let bound = |name: &str| -> Result<Option<Duration>, Failure> {
        match body.get(name).and_then(Value::as_str) {
            Some(s) => parse_rfc3339(s)
                .map(Some)
                .ok_or_else(|| Failure::invalid(name, format!("{name} must be an RFC 3339 date-time"))),
            None => Ok(None),
        }
    };
    let (from, to) = (bound("from")?, bound("to")?);
    let kind = body.get("kind").and_then(Value::as_str);
    let items = state.accounts[account]
        .ledger
        .iter()
        .enumerate()
        .filter(|(_, e)| from.is_none_or(|f| e.at >= f) && to.is_none_or(|t| e.at < t))
        .filter(|(_, e)| kind.is_none_or(|k| e.kind.as_str() == k))
        .map(|(i, e)| {
            let mut v = json!({
                "id": e.id,
                "kind": e.kind.as_str(),
                "amount": e.amount,
                "balanceAfter": e.balance_after,
                "description": e.description,
                "createdAt": rfc3339(e.at),
            });
            if let Some(op) = &e.operation_name {
                v["operationName"] = json!(op);
            }
            (i as u64, v)
        })
        .collect();
    let (items, next) = paging::page("txn", items, body)?;
    Ok(paging::list_body(items, next))
}

/// `proxyListEngines`, straight from the spec's `x-engine-catalog`.
pub(crate) fn engines() -> Value {
    let spec: Value = serde_json::from_str(spec::SPEC_JSON).unwrap_or_default();
    let aspect_ratios: Vec<String> = crate::types::AspectRatio::KNOWN.iter().map(|a| a.as_str().to_owned()).collect();
    let qualities: Vec<String> = crate::types::Quality::KNOWN.iter().map(|q| q.as_str().to_owned()).collect();
    let engines: Vec<Value> = spec["x-engine-catalog"]
        .as_object()
        .map(|catalog| {
            catalog
                .iter()
                .map(|(id, e)| {
                    json!({
                        "id": id,
                        "displayName": e["displayName"],
                        "models": e["models"],
                        "durations": e["durations"],
                        "qualities": qualities,
                        "aspectRatios": aspect_ratios,
                        "credits": e["credits"],
                        "pricing": e["pricing"],
                        "baselineSeconds": e["baselineSeconds"],
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    json!({ "engines": engines })
}
