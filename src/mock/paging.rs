//! Opaque cursors for the list operations: a page resumes after the last item's
//! sequence number, so items added meanwhile never shift a page.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::failure::Failure;

const DEFAULT_LIMIT: usize = 20;

/// One page of `items` (each with its sequence number), newest first.
pub(crate) fn page<T>(kind: &str, mut items: Vec<(u64, T)>, body: &Value) -> Result<(Vec<T>, Value), Failure> {
    let limit = body.get("limit").and_then(Value::as_u64).map_or(DEFAULT_LIMIT, |l| l as usize);
    let after = match body.get("cursor").and_then(Value::as_str) {
        Some(c) => {
            Some(decode(kind, c).ok_or_else(|| Failure::invalid("cursor", "cursor is not one this list issued"))?)
        }
        None => None,
    };
    items.sort_by_key(|(seq, _)| std::cmp::Reverse(*seq));
    let mut rest = items.into_iter().filter(|(seq, _)| after.is_none_or(|a| *seq < a)).peekable();
    let mut out = Vec::new();
    let mut last = None;
    while out.len() < limit {
        let Some((seq, item)) = rest.next() else { break };
        last = Some(seq);
        out.push(item);
    }
    let has_more = rest.peek().is_some();
    let next = match (has_more, last) {
        (true, Some(seq)) => json!(encode(kind, seq)),
        _ => Value::Null,
    };
    Ok((out, next))
}

fn encode(kind: &str, seq: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{seq}"))
}

fn decode(kind: &str, cursor: &str) -> Option<u64> {
    let raw = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(raw).ok()?;
    text.strip_prefix(kind)?.strip_prefix(':')?.parse().ok()
}

/// The list response shape shared by every list operation.
pub(crate) fn list_body(items: Vec<Value>, next: Value) -> Value {
    let has_more = !next.is_null();
    json!({"items": items, "nextCursor": next, "hasMore": has_more})
}
