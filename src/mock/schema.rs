//! Request validation against the spec's component schemas, so the mock refuses
//! exactly what the spec refuses.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;
use jsonschema::{Draft, ValidationError, Validator};
use serde_json::{Value, json};

use super::failure::Failure;
use crate::spec;

fn spec_doc() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| serde_json::from_str(spec::SPEC_JSON).expect("the build embeds valid JSON"))
}

/// A validator for `#/components/schemas/{name}`, compiled once.
pub(crate) fn validator(name: &str) -> Arc<Validator> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Validator>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(v) = cache.lock().unwrap_or_else(PoisonError::into_inner).get(name) {
        return v.clone();
    }
    // The root is a `$ref` beside the spec's components, so every internal `$ref`
    // (`#/components/schemas/…`) resolves against the spec itself.
    let root = json!({
        "$ref": format!("#/components/schemas/{name}"),
        "components": spec_doc()["components"],
    });
    let compiled = jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("component schema {name} does not compile: {e}"));
    let compiled = Arc::new(compiled);
    cache.lock().unwrap_or_else(PoisonError::into_inner).insert(name.to_owned(), compiled.clone());
    compiled
}

/// Checks a request body; the error names the offending field as a dotted path
/// (`scene.visualPrompt`, `overlays[1].endTime`). `strip_data` drops the envelope's
/// `data.` prefix for free operations, whose schemas are the envelope.
pub(crate) fn check(schema: &str, instance: &Value, strip_data: bool) -> Result<(), Failure> {
    let v = validator(schema);
    let mut errors: Vec<ValidationError<'_>> = v.iter_errors(instance).collect();
    errors.sort_by_key(|e| match e.kind() {
        ValidationErrorKind::Required { .. } => 0,
        ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => 2,
        _ => 1,
    });
    let Some(first) = errors.first() else { return Ok(()) };
    let mut field = dotted(first);
    if strip_data {
        field = match field.strip_prefix("data") {
            Some("") => "body".to_owned(),
            Some(rest) => rest.trim_start_matches('.').to_owned(),
            None => field,
        };
    }
    if field.is_empty() {
        field = "body".to_owned();
    }
    let message = match first.kind() {
        ValidationErrorKind::AnyOf { context } => {
            let alternatives: Vec<String> = context
                .iter()
                .filter_map(|branch| branch.first())
                .filter_map(|e| match e.kind() {
                    ValidationErrorKind::Required { property } => property.as_str().map(str::to_owned),
                    _ => None,
                })
                .collect();
            if alternatives.is_empty() {
                format!("{field}: {first}")
            } else {
                format!("one of {} is required", alternatives.join(", "))
            }
        }
        _ => format!("{field}: {first}"),
    };
    Err(Failure::invalid(field, message))
}

/// The instance path as `a.b[2].c`, plus the missing property for `required`, or the
/// first alternative for an `anyOf` of `required`s.
fn dotted(e: &ValidationError<'_>) -> String {
    let mut out = String::new();
    for seg in e.instance_path().iter() {
        match seg {
            LocationSegment::Property(p) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&p);
            }
            LocationSegment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    let missing = match e.kind() {
        ValidationErrorKind::Required { property } => property.as_str().map(str::to_owned),
        ValidationErrorKind::AnyOf { context } => context.iter().find_map(|branch| match branch.first()?.kind() {
            ValidationErrorKind::Required { property } => property.as_str().map(str::to_owned),
            _ => None,
        }),
        _ => None,
    };
    if let Some(p) = missing {
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(&p);
    }
    out
}
