//! Which code serves each operation, and the request rules the JSON schema cannot
//! state.

use std::time::Duration;

use serde_json::Value;

use super::failure::Failure;
use super::http::Ctx;
use super::state::{Shared, State};
use super::{account, content, renders, webhooks};
use crate::spec::Operation;
use crate::types::TransactionKind;

/// Rules of the contract that the JSON schema cannot state.
pub(super) fn semantic(op: &Operation, body: &Value) -> Result<(), Failure> {
    match op.name {
        "proxyApplyTextOverlay" => {
            for (i, o) in body["overlays"].as_array().into_iter().flatten().enumerate() {
                let (start, end) = (o["startTime"].as_f64().unwrap_or(0.0), o["endTime"].as_f64().unwrap_or(0.0));
                if end <= start {
                    return Err(Failure::invalid(format!("overlays[{i}].endTime"), "endTime must be after startTime"));
                }
            }
            Ok(())
        }
        "proxyStitchVideos" => match (body["engines"].as_array(), body["videoUrls"].as_array()) {
            (Some(e), Some(v)) if e.len() != v.len() => {
                Err(Failure::invalid("engines", "give one engine per video URL"))
            }
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// The operation's own work; charging happens here, after every check.
pub(super) fn handle(shared: &Shared, st: &mut State, ctx: &Ctx, now: Duration) -> Result<Value, Failure> {
    let body = &ctx.body;
    let Some(a) = ctx.account else {
        return content::respond(ctx.op, body, &mut st.rng, &shared.base_url)
            .ok_or_else(|| Failure::internal(format!("{} has no mock handler", ctx.op.name)));
    };
    match ctx.op.name {
        "proxyStartVideoGeneration" => renders::start(st, a, body, now),
        "proxyCheckVideoStatus" => renders::status(st, a, body, now),
        "proxyFetchVideo" => renders::fetch(st, a, body, &shared.base_url, now),
        "proxyCancelVideoGeneration" => renders::cancel(st, a, body, now),
        "proxyListVideoGenerations" => renders::list(st, a, body, now),
        "proxyGetCredits" => Ok(account::credits(st, a, now)),
        "proxyListCreditTransactions" => account::transactions(st, a, body),
        "proxyListEngines" => Ok(account::engines()),
        "proxyCreateWebhookEndpoint" => webhooks::create_endpoint(st, a, body, now),
        "proxyListWebhookEndpoints" => Ok(webhooks::list_endpoints(st, a)),
        "proxyDeleteWebhookEndpoint" => webhooks::delete_endpoint(st, a, body),
        "proxyRotateWebhookSecret" => webhooks::rotate_secret(st, a, body),
        "proxySendTestWebhook" => webhooks::send_test(st, a, body, now),
        "proxyListWebhookDeliveries" => webhooks::list_deliveries(st, a, body),
        "proxyRedeliverWebhook" => webhooks::redeliver(st, a, body, now),
        _ => {
            let cost = account::price(ctx.op, body);
            let txn = account::charge(st, a, cost, ctx.op.name, None, now)?;
            match content::respond(ctx.op, body, &mut st.rng, &shared.base_url) {
                Some(v) => Ok(v),
                None => {
                    if txn.is_some() {
                        st.post(a, TransactionKind::Refund, i64::from(cost), None, "Refund: the call failed", now);
                    }
                    Err(Failure::internal(format!("{} has no mock handler", ctx.op.name)))
                }
            }
        }
    }
}
