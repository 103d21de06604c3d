//! Checks shared by request types; each names the wire field and the rule broken.

use crate::error::ValidationError;

type R = Result<(), ValidationError>;

/// `min..=max` characters (Unicode scalar values, as JSON Schema counts them).
pub(crate) fn len(field: &str, v: &str, min: usize, max: usize) -> R {
    let n = v.chars().count();
    if n < min || n > max {
        return Err(ValidationError::new(field, format!("must be {min}–{max} characters (got {n})")));
    }
    Ok(())
}

/// Like [`len`] for an optional field.
pub(crate) fn opt_len(field: &str, v: &Option<String>, min: usize, max: usize) -> R {
    v.as_deref().map_or(Ok(()), |v| len(field, v, min, max))
}

/// `min..=max` inclusive.
pub(crate) fn range<T: PartialOrd + std::fmt::Display + Copy>(field: &str, v: T, min: T, max: T) -> R {
    if !(v >= min && v <= max) {
        return Err(ValidationError::new(field, format!("must be between {min} and {max} (got {v})")));
    }
    Ok(())
}

/// Like [`range`] for an optional field.
pub(crate) fn opt_range<T: PartialOrd + std::fmt::Display + Copy>(field: &str, v: Option<T>, min: T, max: T) -> R {
    v.map_or(Ok(()), |v| range(field, v, min, max))
}

/// `min..=max` items.
pub(crate) fn count<T>(field: &str, v: &[T], min: usize, max: usize) -> R {
    if v.len() < min || v.len() > max {
        return Err(ValidationError::new(field, format!("must have {min}–{max} items (got {})", v.len())));
    }
    Ok(())
}

/// An absolute `https://` URL.
pub(crate) fn https_url(field: &str, v: &str) -> R {
    match reqwest::Url::parse(v) {
        Ok(u) if u.scheme() == "https" && u.host().is_some() => Ok(()),
        _ => Err(ValidationError::new(field, "must be an absolute https:// URL")),
    }
}

/// Like [`https_url`] for an optional field.
pub(crate) fn opt_https_url(field: &str, v: &Option<String>) -> R {
    v.as_deref().map_or(Ok(()), |v| https_url(field, v))
}
