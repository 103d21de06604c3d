//! The idempotency store: keys per account, remembered 24 h of virtual time.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::failure::Failure;

/// How long a key is remembered.
pub(crate) const TTL: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub op: &'static str,
    pub fingerprint: Fingerprint,
    pub created: Duration,
    /// `None` while the first request is in flight.
    pub stored: Option<(u16, Value)>,
}

/// What a request carrying a key should do.
#[derive(Debug)]
pub(crate) enum Begin {
    /// First use (or expired): go ahead; the key is now in flight.
    Fresh,
    /// Answer this stored response again.
    Replay(u16, Value),
}

/// A SHA-256 of the operation and the canonical body: what "the same request" means.
pub(crate) type Fingerprint = [u8; 32];

/// Below this many keys the store is never swept.
const SWEEP_FLOOR: usize = 1024;

#[derive(Debug, Default)]
pub(crate) struct IdempotencyStore {
    entries: HashMap<(usize, String), Entry>,
    /// Size at which expired keys are next dropped; doubling it after each sweep
    /// keeps the cost per request constant, so a long-running mock does not grow
    /// without bound.
    sweep_at: usize,
}

impl IdempotencyStore {
    pub fn begin(
        &mut self,
        account: usize,
        key: &str,
        op: &'static str,
        fingerprint: Fingerprint,
        now: Duration,
    ) -> Result<Begin, Failure> {
        if self.entries.len() >= self.sweep_at.max(SWEEP_FLOOR) {
            self.entries.retain(|_, e| e.created + TTL > now);
            self.sweep_at = self.entries.len() * 2;
        }
        let slot = (account, key.to_owned());
        if let Some(e) = self.entries.get(&slot) {
            if e.created + TTL <= now {
                self.entries.remove(&slot);
            } else if e.fingerprint != fingerprint {
                return Err(Failure::new(
                    409,
                    "idempotency-conflict",
                    "This Idempotency-Key was already used with a different request; use a new key",
                )
                .details(serde_json::json!({"operation": e.op})));
            } else {
                return match &e.stored {
                    Some((status, body)) => Ok(Begin::Replay(*status, body.clone())),
                    None => Err(Failure::new(
                        409,
                        "idempotency-in-flight",
                        "A request with this Idempotency-Key is still being processed; retry shortly",
                    )
                    .retry_after(1)),
                };
            }
        }
        self.entries.insert(slot, Entry { op, fingerprint, created: now, stored: None });
        Ok(Begin::Fresh)
    }

    /// Stores a final answer, or forgets the key when the answer may change on retry
    /// (409, 429 and 5xx), so a retry runs again.
    pub fn finish(&mut self, account: usize, key: &str, status: u16, body: &Value) {
        let slot = (account, key.to_owned());
        let storable = (200..300).contains(&status) || ((400..500).contains(&status) && !matches!(status, 409 | 429));
        if storable {
            if let Some(e) = self.entries.get_mut(&slot) {
                e.stored = Some((status, body.clone()));
            }
        } else {
            self.entries.remove(&slot);
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (usize, &str, &Entry)> {
        self.entries.iter().map(|((a, k), e)| (*a, k.as_str(), e))
    }
}

/// Op name plus the body with object keys sorted, so key order and whitespace do not
/// make the same payload look different; hashed, so a stored key costs 32 bytes
/// whatever the payload.
pub(crate) fn fingerprint(op: &str, body: &Value) -> Fingerprint {
    fn canon(v: &Value, out: &mut String) {
        match v {
            Value::Object(m) => {
                let mut keys: Vec<_> = m.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push(':');
                    canon(&m[k], out);
                }
                out.push('}');
            }
            Value::Array(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    canon(x, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = format!("{op}:");
    canon(body, &mut out);
    Sha256::digest(out.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn same_payload_in_any_key_order_has_one_fingerprint() {
        let a = fingerprint("op", &json!({"a": 1, "b": {"c": [1, 2], "d": "x"}}));
        let b = fingerprint("op", &serde_json::from_str(r#"{ "b": {"d": "x", "c": [1,2]}, "a": 1 }"#).unwrap());
        assert_eq!(a, b);
        assert_ne!(a, fingerprint("other", &json!({"a": 1, "b": {"c": [1, 2], "d": "x"}})));
        assert_ne!(a, fingerprint("op", &json!({"a": 1, "b": {"c": [2, 1], "d": "x"}})));
    }

    #[test]
    fn expired_keys_are_swept_as_the_store_grows() {
        let mut store = IdempotencyStore::default();
        let fp = fingerprint("op", &json!({}));
        for i in 0..SWEEP_FLOOR - 1 {
            assert!(matches!(store.begin(0, &format!("old-{i}"), "op", fp, Duration::ZERO), Ok(Begin::Fresh)));
        }
        // A key still within its 24 h survives the sweep; the expired ones go.
        let later = TTL - Duration::from_secs(1);
        assert!(matches!(store.begin(0, "recent", "op", fp, later), Ok(Begin::Fresh)));
        store.finish(0, "recent", 200, &json!({"ok": true}));
        assert_eq!(store.entries.len(), SWEEP_FLOOR);
        let now = TTL + Duration::from_secs(1);
        assert!(matches!(store.begin(0, "new", "op", fp, now), Ok(Begin::Fresh)));
        assert_eq!(store.entries.len(), 2, "only `recent` and `new` are left");
        assert!(matches!(store.begin(0, "recent", "op", fp, now), Ok(Begin::Replay(200, _))));
    }
}
