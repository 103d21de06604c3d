//! Response generators for content operations.
//!
//! Pure functions of the (validated) request and the mock's seeded RNG, so the same
//! seed and requests give the same answers. For free operations the value returned is
//! the inner object; the pipeline wraps it in `{"data": …}`.

use serde_json::{Value, json};

use super::state::hex;
use crate::spec::Operation;

const TREND_TITLES: &[&str] =
    &["Before/after reveal", "Day-in-the-life", "Unboxing ASMR", "Myth vs fact", "Three-second hook test"];
const HOOK_OPENERS: &[&str] = &[
    "Stop scrolling if you",
    "Nobody talks about how",
    "I tested this so you don't have to:",
    "POV: you finally found",
];
const NAMES: &[&str] = &["Maya Chen", "Jordan Reyes", "Priya Nair", "Sam Okafor", "Lena Brandt"];

fn text<'a>(body: &'a Value, name: &str) -> &'a str {
    body.get(name).and_then(Value::as_str).unwrap_or("")
}

fn pick<'a>(rng: &mut fastrand::Rng, list: &[&'a str]) -> &'a str {
    list[rng.usize(..list.len())]
}

fn short(s: &str, max: usize) -> String {
    s.chars().take(max).collect::<String>().trim().to_owned()
}

fn script(rng: &mut fastrand::Rng, product: &str, scenes: usize) -> Value {
    let product = short(product, 80);
    let scenes: Vec<Value> = (0..scenes)
        .map(|i| {
            json!({
                "visualPrompt": format!("Scene {}: a creator showing {product}, natural light, handheld vertical video", i + 1),
                "scriptText": format!("{} {product}.", pick(rng, HOOK_OPENERS)),
                "durationSec": 4,
            })
        })
        .collect();
    json!({
        "hooks": [format!("{} {product}", pick(rng, HOOK_OPENERS))],
        "scenes": scenes,
        "callsToAction": ["Tap the link to get yours before it sells out."],
    })
}

/// The 200 body of a content operation once the pipeline has validated, limited and
/// charged the call; `None` for an operation this module does not generate.
pub(crate) fn respond(op: &'static Operation, body: &Value, rng: &mut fastrand::Rng, base_url: &str) -> Option<Value> {
    let value = match op.name {
        "freeTrendAnalyzer" => {
            let industry = text(body, "industry");
            let trends: Vec<Value> = (0..3)
                .map(|_| json!({"title": pick(rng, TREND_TITLES), "description": format!("Short-form {industry} videos built around this format are outperforming.")}))
                .collect();
            let tag: String = industry.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
            json!({"industry": industry, "trends": trends, "hashtags": [format!("#{tag}"), format!("#{tag}tok"), "#ugc"]})
        }
        "freeGenerateHooks" => {
            let product = short(text(body, "productDescription"), 60);
            let hooks: Vec<String> = (0..3).map(|_| format!("{} {product}", pick(rng, HOOK_OPENERS))).collect();
            json!({ "hooks": hooks })
        }
        "freeGenerateCreatorPersona" => json!({"persona": {
            "name": pick(rng, NAMES),
            "age": 22 + rng.u32(..15),
            "bio": format!("Creates {} content for {}.", text(body, "niche"), short(text(body, "targetAudience"), 80)),
            "style": "Warm, practical, natural light, quick cuts",
            "talkingPoints": [format!("Honest {} reviews", text(body, "niche")), "What is worth the money"],
        }}),
        "freeGenerateScript" => json!({ "script": script(rng, text(body, "productDescription"), 2) }),
        "proxyFetchTopSellingProducts" => {
            let industry = text(body, "industry");
            let products: Vec<Value> = (1..=3)
                .map(|i| {
                    json!({
                        "name": format!("{industry} bestseller #{i}"),
                        "category": industry,
                        "priceRange": "$20-$60",
                        "whyItSells": "An easy visual demo and an impulse-friendly price.",
                        "estimatedMonthlySales": 1000 * (1 + rng.u32(..100)),
                    })
                })
                .collect();
            json!({ "topSellingProducts": products })
        }
        "proxyFetchFullMarketAnalysis" => {
            let industry = text(body, "industry");
            json!({
                "trends": [{"title": pick(rng, TREND_TITLES), "description": format!("Rising in {industry}.")}],
                "personas": [{"name": "Busy professional", "description": format!("Wants {industry} results without the research.")}],
                "topKeywords": [industry, format!("best {industry}"), format!("{industry} routine")],
                "viralHooks": [format!("{} {industry}", pick(rng, HOOK_OPENERS))],
                "strategyRecommendations": ["Lead with the result in the first second.", "Post three variants and keep the winner."],
            })
        }
        "proxyGenerateViralScript" => {
            let secs = body.get("targetDurationSec").and_then(Value::as_u64).unwrap_or(12);
            script(rng, text(body, "productDescription"), secs.div_ceil(4).clamp(1, 8) as usize)
        }
        "proxyParseOwnScript" => {
            let lines: Vec<&str> =
                text(body, "rawScript").split(['\n', '.', '!', '?']).map(str::trim).filter(|l| !l.is_empty()).collect();
            let scenes: Vec<Value> = lines
                .iter()
                .map(|l| json!({"visualPrompt": format!("A creator on camera saying: {l}"), "scriptText": l, "durationSec": 4}))
                .collect();
            json!({"hooks": [lines.first().copied().unwrap_or_default()], "scenes": scenes, "callsToAction": [lines.last().copied().unwrap_or_default()]})
        }
        "proxyGenerateSceneImage" => json!(format!("{base_url}/media/img_{}.png", hex(rng, 8))),
        "proxyApplyTextOverlay" => json!({"overlayVideoUrl": format!("{base_url}/media/overlay_{}.mp4", hex(rng, 8))}),
        "proxyStitchVideos" => {
            let mut v =
                json!({"videoUrl": format!("{base_url}/media/stitch_{}.mp4", hex(rng, 8)), "mimeType": "video/mp4"});
            if body.get("captions").and_then(Value::as_bool) == Some(true) {
                v["warning"] = json!("Captions are not burned in by the sandbox");
            }
            v
        }
        _ => return None,
    };
    Some(value)
}
