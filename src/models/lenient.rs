//! Decoders that accept the shapes a long-running-operation API is known to send
//! besides the spec's own, so a render's outcome is never lost to a decode error.

use serde::{Deserialize, Deserializer};

use crate::types::ErrorCode;

/// An error code sent as a string (the spec) or a number (Google-style operations).
pub(crate) fn error_code<'de, D: Deserializer<'de>>(d: D) -> Result<ErrorCode, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Code {
        Text(String),
        Number(serde_json::Number),
    }
    Ok(match Code::deserialize(d)? {
        Code::Text(s) => ErrorCode::from_wire(&s),
        Code::Number(n) => ErrorCode::from_wire(&n.to_string()),
    })
}

/// A progress percentage sent as an integer or a float, clamped to 0–100.
pub(crate) fn progress<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let v = Option::<f64>::deserialize(d)?;
    Ok(v.filter(|p| p.is_finite()).map(|p| p.round().clamp(0.0, 100.0) as u32))
}

/// A list that may be sent as `null`.
pub(crate) fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}
