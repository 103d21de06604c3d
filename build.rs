//! Generates, from `openapi.yaml`, everything that must never drift from the wire:
//! the operation table, the known values of every string enum, the engine catalog
//! (pricing and durations) and the rate-limit buckets. A malformed spec fails the
//! build with a message naming the problem.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::Value;

const SPEC: &str = "openapi.yaml";
const BUCKETS: &[&str] = &["free", "video", "image", "script", "analysis", "general"];
const AREAS: &[(&str, &str)] = &[
    ("Free", "Free"),
    ("Analyze", "Analyze"),
    ("Script", "Script"),
    ("Image", "Image"),
    ("Video", "Video"),
    ("PostProduction", "PostProduction"),
    ("Account", "Account"),
    ("Webhooks", "Webhooks"),
];

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("error: {SPEC}: {msg}");
    std::process::exit(1);
}

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build.rs");
    let text = std::fs::read_to_string(SPEC).unwrap_or_else(|e| fail(format!("cannot read: {e}")));
    let spec: Value = yaml_serde::from_str(&text).unwrap_or_else(|e| fail(format!("not valid YAML: {e}")));
    if spec.get("openapi").and_then(Value::as_str).is_none_or(|v| !v.starts_with("3.1")) {
        fail("`openapi` must be 3.1.x");
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let ops = operations(&spec);
    let enums = enums(&spec);
    let mut code = String::new();
    gen_operations(&mut code, &ops);
    gen_engine_catalog(&mut code, &spec);
    gen_buckets(&mut code, &spec);
    gen_sdk_coverage(&mut code, &ops);
    let json = serde_json::to_string(&spec).expect("a parsed spec re-serializes");
    writeln!(code, "/// The spec as JSON, for serving and for schema validation.").unwrap();
    writeln!(code, "pub const SPEC_JSON: &str = {json:?};").unwrap();
    writeln!(code, "/// The spec as written, in YAML.").unwrap();
    writeln!(code, "pub const SPEC_YAML: &str = include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{SPEC}\"));")
        .unwrap();
    write(&out.join("spec.rs"), &code);
    write(&out.join("enums.rs"), &gen_enums(&enums));
}

fn write(path: &std::path::Path, code: &str) {
    std::fs::write(path, code).unwrap_or_else(|e| fail(format!("cannot write {}: {e}", path.display())));
}

struct Op {
    name: String,
    area: String,
    free: bool,
    mutating: bool,
    bucket: String,
    cost: String,
    ip_daily_limit: Option<u64>,
    sdk_method: String,
    request_schema: String,
    response_schema: String,
    statuses: Vec<u16>,
}

fn schema_ref(v: Option<&Value>, what: &str) -> String {
    let r = v
        .and_then(|v| v.pointer("/content/application~1json/schema"))
        .unwrap_or_else(|| fail(format!("{what}: no application/json schema")));
    match r.get("$ref").and_then(Value::as_str) {
        Some(s) => s
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| fail(format!("{what}: $ref must point into components/schemas")))
            .to_owned(),
        // Inline schemas (e.g. the bare string an image call returns) have no name.
        None => String::new(),
    }
}

fn operations(spec: &Value) -> Vec<Op> {
    let paths = spec.get("paths").and_then(Value::as_object).unwrap_or_else(|| fail("no `paths`"));
    let global_bearer = spec.get("security").and_then(Value::as_array).is_some_and(|s| !s.is_empty());
    if !global_bearer {
        fail("root `security` must require bearerAuth");
    }
    let mut ops = Vec::new();
    for (path, item) in paths {
        let obj = item.as_object().unwrap_or_else(|| fail(format!("path {path} is not an object")));
        let methods: Vec<&String> = obj
            .keys()
            .filter(|k| !k.starts_with("x-") && *k != "parameters" && *k != "summary" && *k != "description")
            .collect();
        if methods.len() != 1 || methods[0] != "post" {
            fail(format!("path {path} must have exactly one operation, `post` (found {methods:?})"));
        }
        let op = &obj["post"];
        let ctx = |m: &str| format!("{path}: {m}");
        let name = op.get("operationId").and_then(Value::as_str).unwrap_or_else(|| fail(ctx("no operationId")));
        if path.trim_start_matches('/') != name {
            fail(ctx(&format!("path must be /{name}, the operationId")));
        }
        let area = op.pointer("/tags/0").and_then(Value::as_str).unwrap_or_else(|| fail(ctx("no tag")));
        if !AREAS.iter().any(|(a, _)| *a == area) {
            fail(ctx(&format!("unknown tag `{area}`")));
        }
        let free = match op.get("security") {
            Some(Value::Array(a)) if a.is_empty() => true,
            None => false,
            Some(_) => fail(ctx("`security` may only be [] (free) or absent (bearer)")),
        };
        if free != name.starts_with("free") {
            fail(ctx("free operations (and only they) are named free* and set `security: []`"));
        }
        let mutating = op.get("parameters").and_then(Value::as_array).is_some_and(|ps| {
            ps.iter().any(|p| p.get("$ref").and_then(Value::as_str) == Some("#/components/parameters/IdempotencyKey"))
        });
        let bucket = op
            .get("x-rate-limit-bucket")
            .and_then(Value::as_str)
            .unwrap_or_else(|| fail(ctx("no x-rate-limit-bucket")));
        if !BUCKETS.contains(&bucket) {
            fail(ctx(&format!("x-rate-limit-bucket `{bucket}` is not one of {BUCKETS:?}")));
        }
        if (bucket == "free") != free {
            fail(ctx("free operations use the `free` bucket, and only they"));
        }
        let cost = match op.get("x-credit-cost") {
            Some(Value::Number(n)) => format!(
                "CreditCost::Fixed({})",
                n.as_u64().unwrap_or_else(|| fail(ctx("x-credit-cost must be a non-negative integer")))
            ),
            Some(Value::String(s)) if s == "engine-catalog" => "CreditCost::EngineCatalog".to_owned(),
            Some(Value::Object(m)) => {
                let get = |k: &str| {
                    m.get(k)
                        .and_then(Value::as_u64)
                        .unwrap_or_else(|| fail(ctx(&format!("x-credit-cost.{k} must be an integer"))))
                };
                format!("CreditCost::ByQuality {{ standard: {}, hq: {} }}", get("standard"), get("hq"))
            }
            _ => fail(ctx("x-credit-cost must be an integer, {standard, hq} or \"engine-catalog\"")),
        };
        let ip_daily_limit = op.get("x-ip-daily-limit").and_then(Value::as_u64);
        if free && ip_daily_limit.is_none() {
            fail(ctx("free operations need x-ip-daily-limit"));
        }
        let sdk_method = op.get("x-sdk-method").and_then(Value::as_str).unwrap_or_else(|| {
            fail(ctx("no x-sdk-method: every operation needs a client method (e.g. `videos.start`)"))
        });
        let request_schema = schema_ref(op.get("requestBody"), &ctx("requestBody"));
        let response_schema = schema_ref(op.pointer("/responses/200"), &ctx("responses.200"));
        let mut statuses: Vec<u16> = op
            .get("responses")
            .and_then(Value::as_object)
            .unwrap_or_else(|| fail(ctx("no responses")))
            .keys()
            .map(|k| k.parse().unwrap_or_else(|_| fail(ctx(&format!("response key `{k}` is not a status code")))))
            .collect();
        statuses.sort_unstable();
        ops.push(Op {
            name: name.to_owned(),
            area: area.to_owned(),
            free,
            mutating,
            bucket: bucket.to_owned(),
            cost,
            ip_daily_limit,
            sdk_method: sdk_method.to_owned(),
            request_schema,
            response_schema,
            statuses,
        });
    }
    if ops.len() != 26 {
        fail(format!("expected 26 operations, found {}", ops.len()));
    }
    ops
}

fn camel(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

fn screaming(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

fn gen_operations(code: &mut String, ops: &[Op]) {
    code.push_str("/// Every operation in `openapi.yaml`, in spec order.\npub static OPERATIONS: &[Operation] = &[\n");
    for op in ops {
        let area = AREAS.iter().find(|(a, _)| *a == op.area).map(|(_, v)| *v).unwrap_or_default();
        let limit = op.ip_daily_limit.map_or("None".to_owned(), |n| format!("Some({n})"));
        let statuses = op.statuses.iter().map(u16::to_string).collect::<Vec<_>>().join(", ");
        writeln!(
            code,
            "    Operation {{ name: {:?}, area: Area::{area}, free: {}, mutating: {}, bucket: RateBucket::{}, credit_cost: {}, ip_daily_limit: {limit}, sdk_method: {:?}, request_schema: {:?}, response_schema: {:?}, statuses: &[{statuses}] }},",
            op.name, op.free, op.mutating, camel(&op.bucket), op.cost, op.sdk_method, op.request_schema, op.response_schema
        )
        .unwrap();
    }
    code.push_str("];\n\n");
    for (i, op) in ops.iter().enumerate() {
        writeln!(code, "/// `{}`.\npub const {}: &Operation = &OPERATIONS[{i}];", op.name, screaming(&op.name))
            .unwrap();
    }
}

fn gen_engine_catalog(code: &mut String, spec: &Value) {
    let cat =
        spec.get("x-engine-catalog").and_then(Value::as_object).unwrap_or_else(|| fail("no root x-engine-catalog"));
    code.push_str("\n/// The engine catalog (`x-engine-catalog`): durations and pricing.\npub static ENGINE_CATALOG: &[EngineSpec] = &[\n");
    for (id, e) in cat {
        let ctx = |m: &str| format!("x-engine-catalog.{id}: {m}");
        let name = e.get("displayName").and_then(Value::as_str).unwrap_or_else(|| fail(ctx("no displayName")));
        let strs = |k: &str| -> Vec<String> {
            e.get(k)
                .and_then(Value::as_array)
                .unwrap_or_else(|| fail(ctx(&format!("no {k} list"))))
                .iter()
                .map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| fail(ctx(&format!("{k} must be strings")))))
                .collect()
        };
        let models = strs("models");
        let durations: Vec<u64> = e
            .get("durations")
            .and_then(Value::as_array)
            .unwrap_or_else(|| fail(ctx("no durations")))
            .iter()
            .map(|v| v.as_u64().unwrap_or_else(|| fail(ctx("durations must be integers"))))
            .collect();
        if durations.is_empty() || durations.windows(2).any(|w| w[0] >= w[1]) {
            fail(ctx("durations must be non-empty and strictly increasing"));
        }
        let credit = |q: &str| {
            e.pointer(&format!("/credits/{q}"))
                .and_then(Value::as_u64)
                .unwrap_or_else(|| fail(ctx(&format!("no credits.{q}"))))
        };
        let pricing = match e.get("pricing").and_then(Value::as_str) {
            Some("fixed") => "Pricing::Fixed".to_owned(),
            Some("duration-scaled") => {
                let b = e
                    .get("baselineSeconds")
                    .and_then(Value::as_f64)
                    .unwrap_or_else(|| fail(ctx("duration-scaled pricing needs baselineSeconds")));
                let tenths = (b * 10.0).round();
                if tenths < 1.0 || (tenths - b * 10.0).abs() > 1e-6 {
                    fail(ctx("baselineSeconds must be positive with at most one decimal"));
                }
                format!("Pricing::DurationScaled {{ baseline_tenths: {} }}", tenths as u64)
            }
            _ => fail(ctx("pricing must be `fixed` or `duration-scaled`")),
        };
        writeln!(
            code,
            "    EngineSpec {{ id: {id:?}, display_name: {name:?}, models: &{models:?}, durations: &{durations:?}, standard_credits: {}, hq_credits: {}, pricing: {pricing} }},",
            credit("standard"),
            credit("hq")
        )
        .unwrap();
    }
    code.push_str("];\n");
}

fn gen_buckets(code: &mut String, spec: &Value) {
    let b = spec
        .get("x-rate-limit-buckets")
        .and_then(Value::as_object)
        .unwrap_or_else(|| fail("no root x-rate-limit-buckets"));
    code.push_str("\n/// Sliding-window limits per bucket (`x-rate-limit-buckets`): (bucket, requests, window seconds).\npub static RATE_LIMITS: &[(RateBucket, u32, u64)] = &[\n");
    for name in BUCKETS.iter().filter(|b| **b != "free") {
        let e = b.get(*name).unwrap_or_else(|| fail(format!("x-rate-limit-buckets has no `{name}`")));
        let limit = e
            .get("limit")
            .and_then(Value::as_u64)
            .unwrap_or_else(|| fail(format!("x-rate-limit-buckets.{name}.limit")));
        let window = e
            .get("windowSeconds")
            .and_then(Value::as_u64)
            .unwrap_or_else(|| fail(format!("x-rate-limit-buckets.{name}.windowSeconds")));
        writeln!(code, "    (RateBucket::{}, {limit}, {window}),", camel(name)).unwrap();
    }
    code.push_str("];\n");
}

/// Names every client method the spec promises, so an operation added to the spec
/// without its method (or a method renamed away from it) stops the build.
fn gen_sdk_coverage(code: &mut String, ops: &[Op]) {
    code.push_str("\n#[allow(dead_code)]\nfn sdk_covers_every_operation() {\n");
    for op in ops {
        let (handler, method) = op
            .sdk_method
            .split_once('.')
            .unwrap_or_else(|| fail(format!("{}: x-sdk-method must be `handler.method`", op.name)));
        writeln!(
            code,
            "    let _ = crate::Client::{handler}; let _ = crate::api::{}::{method}; // {}",
            camel(handler),
            op.name
        )
        .unwrap();
    }
    code.push_str("}\n");
}

struct EnumDef {
    name: String,
    doc: String,
    values: Vec<(String, String)>,
}

fn enums(spec: &Value) -> Vec<EnumDef> {
    let schemas =
        spec.pointer("/components/schemas").and_then(Value::as_object).unwrap_or_else(|| fail("no components.schemas"));
    let mut out = Vec::new();
    for (name, s) in schemas {
        let Some(values) = s.get("enum").and_then(Value::as_array) else { continue };
        if s.get("type").and_then(Value::as_str) != Some("string") {
            fail(format!("components.schemas.{name}: enums must be `type: string`"));
        }
        let values: Vec<String> = values
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| fail(format!("components.schemas.{name}: enum values must be strings")))
            })
            .collect();
        let names: Vec<String> = match s.get("x-enum-varnames").and_then(Value::as_array) {
            Some(n) => n
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| fail(format!("components.schemas.{name}: x-enum-varnames must be strings")))
                })
                .collect(),
            None => values.iter().map(|v| camel(v)).collect(),
        };
        if names.len() != values.len() {
            fail(format!(
                "components.schemas.{name}: x-enum-varnames has {} names for {} values",
                names.len(),
                values.len()
            ));
        }
        let mut seen = BTreeMap::new();
        for n in &names {
            if n.is_empty()
                || !n.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                || !n.chars().all(|c| c.is_ascii_alphanumeric())
                || n == "Unknown"
            {
                fail(format!("components.schemas.{name}: `{n}` is not a usable variant name (add x-enum-varnames)"));
            }
            if seen.insert(n.clone(), ()).is_some() {
                fail(format!("components.schemas.{name}: two values map to variant `{n}`"));
            }
        }
        let doc = s.get("description").and_then(Value::as_str).unwrap_or("").trim().to_owned();
        out.push(EnumDef { name: name.clone(), doc, values: names.into_iter().zip(values).collect() });
    }
    if out.is_empty() {
        fail("no string enums in components.schemas");
    }
    out
}

fn doc_lines(code: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        writeln!(code, "{indent}///{}{line}", if line.is_empty() { "" } else { " " }).unwrap();
    }
}

fn gen_enums(enums: &[EnumDef]) -> String {
    let mut code = String::new();
    for e in enums {
        let n = &e.name;
        if e.doc.is_empty() {
            writeln!(code, "/// Known values of `{n}` in the spec.").unwrap();
        } else {
            doc_lines(&mut code, "", &e.doc);
        }
        code.push_str("///\n/// Values the SDK does not know yet parse as `Unknown`, so a new value from\n/// the server never breaks decoding; they serialize back unchanged.\n");
        writeln!(
            code,
            "#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]\n#[non_exhaustive]\npub enum {n} {{"
        )
        .unwrap();
        for (v, wire) in &e.values {
            writeln!(code, "    /// Wire value `{wire}`.\n    {v},").unwrap();
        }
        code.push_str("    /// A value this version of the SDK does not know.\n    Unknown(UnknownValue),\n}\n\n");
        writeln!(code, "impl {n} {{").unwrap();
        let list = e.values.iter().map(|(v, _)| format!("Self::{v}")).collect::<Vec<_>>().join(", ");
        writeln!(
            code,
            "    /// Every value the spec knows, in spec order.\n    pub const KNOWN: &'static [Self] = &[{list}];"
        )
        .unwrap();
        code.push_str(
            "    /// The exact string sent on the wire.\n    pub fn as_str(&self) -> &str {\n        match self {\n",
        );
        for (v, wire) in &e.values {
            writeln!(code, "            Self::{v} => {wire:?},").unwrap();
        }
        code.push_str("            Self::Unknown(u) => u.as_str(),\n        }\n    }\n");
        code.push_str("    /// Whether this is a value the spec knows.\n    pub fn is_known(&self) -> bool {\n        !matches!(self, Self::Unknown(_))\n    }\n");
        code.push_str(
            "    /// Parses a wire string; never fails.\n    pub fn from_wire(s: &str) -> Self {\n        match s {\n",
        );
        for (v, wire) in &e.values {
            writeln!(code, "            {wire:?} => Self::{v},").unwrap();
        }
        code.push_str("            other => Self::Unknown(UnknownValue(other.into())),\n        }\n    }\n}\n");
        writeln!(code, "wire_enum_impls!({n});\n").unwrap();
    }
    code
}
