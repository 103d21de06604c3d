//! Error answers in the spec's two envelopes.

use serde_json::{Value, json};

/// An error the mock answers: status, code and what the envelope carries.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    pub retry_after: Option<u64>,
    pub details: Option<Value>,
    /// A credential was sent and rejected (`WWW-Authenticate: …, error="invalid_token"`).
    pub invalid_token: bool,
}

impl Failure {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
            retry_after: None,
            details: None,
            invalid_token: false,
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: Some(field.into()), ..Self::new(400, "invalid-argument", message) }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "not-found", message)
    }

    pub fn precondition(message: impl Into<String>) -> Self {
        Self::new(400, "failed-precondition", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "internal", message)
    }

    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }

    pub fn details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    /// The canonical code for a status, for injected faults.
    pub fn for_status(status: u16) -> Self {
        let (code, message) = match status {
            400 => ("invalid-argument", "Injected bad request"),
            401 => ("unauthenticated", "Injected authentication failure"),
            402 => ("insufficient-credits", "Injected insufficient credits"),
            403 => ("permission-denied", "Injected permission failure"),
            404 => ("not-found", "Injected not found"),
            // The retryable flavour: a fault is meant to be survived.
            409 => ("idempotency-in-flight", "Injected conflict"),
            429 => ("rate-limited", "Injected rate limit"),
            503 => ("unavailable", "Service temporarily unavailable (injected)"),
            _ => ("internal", "Internal error (injected)"),
        };
        Self::new(status, code, message)
    }

    /// The `{"error": …}` body: [`ErrorEnvelope`] for bearer operations,
    /// `FreeErrorEnvelope` (no type, request id or field; the field goes in details)
    /// for free ones.
    pub fn body(&self, free: bool, request_id: &str) -> Value {
        if free {
            let mut details = self.details.clone().unwrap_or_else(|| json!({}));
            if let (Some(f), Some(obj)) = (&self.field, details.as_object_mut()) {
                obj.insert("field".into(), json!(f));
            }
            if let (Some(s), Some(obj)) = (self.retry_after, details.as_object_mut()) {
                obj.insert("retryAfter".into(), json!(s));
            }
            let mut error = json!({"code": self.code, "message": self.message});
            if details.as_object().is_some_and(|d| !d.is_empty()) {
                error["details"] = details;
            }
            return json!({ "error": error });
        }
        let mut error = json!({
            "type": error_type(self.code),
            "code": self.code,
            "message": self.message,
            "request_id": request_id,
        });
        if let Some(s) = self.retry_after {
            error["retryAfter"] = json!(s);
        }
        if let Some(f) = &self.field {
            error["field"] = json!(f);
        }
        if let Some(d) = &self.details {
            error["details"] = d.clone();
        }
        json!({ "error": error })
    }
}

/// The `ErrorType` category of a code.
pub(crate) fn error_type(code: &str) -> &'static str {
    match code {
        "unauthenticated" => "authentication_error",
        "permission-denied" | "quota-exceeded" | "mature_mode_paid_required" => "permission_error",
        "not-found" => "not_found_error",
        "idempotency-conflict" | "idempotency-in-flight" => "idempotency_error",
        "rate-limited" | "concurrency-exceeded" | "resource-exhausted" => "rate_limit_error",
        "insufficient-credits" => "billing_error",
        "internal" | "unavailable" => "api_error",
        _ => "invalid_request_error",
    }
}
