//! The files behind the URLs the mock hands out: a real, tiny, playable MP4 for every
//! video and a 1×1 PNG for every scene image.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::clock::EPOCH_UNIX_SECS;
use super::renders;
use super::state::Shared;

/// H.264 + AAC, 22 KB.
pub(crate) const SAMPLE_MP4: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/sample.mp4"));

/// A valid 1×1 PNG.
const PIXEL_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x04, 0x00, 0x00, 0x00, 0xb5, 0x1c, 0x0c, 0x02, 0x00, 0x00, 0x00, 0x0b, 0x49,
    0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0x00, 0x00, 0x00, 0x06, 0x00, 0x02, 0x30, 0x81, 0xd0, 0x2f, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// `GET /media/{file}`. Render videos need the signature and expiry `proxyFetchVideo`
/// issued; post-production outputs and images are served as named.
pub(crate) async fn serve(
    State(shared): State<Arc<Shared>>,
    Path(file): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if file.starts_with("img_") && file.ends_with(".png") {
        return bytes(PIXEL_PNG, "image/png", &headers);
    }
    let Some(id) = file.strip_suffix(".mp4") else { return StatusCode::NOT_FOUND.into_response() };
    let render = {
        let state = shared.lock();
        renders::is_render_video(&state, id).then(|| state.media_key)
    };
    match render {
        Some(key) => {
            let expires = query.get("expires").and_then(|e| e.parse::<u64>().ok()).unwrap_or(0);
            let valid_sig = query.get("sig").is_some_and(|s| *s == renders::media_signature(&key, id, expires));
            if !valid_sig || expires < EPOCH_UNIX_SECS + shared.now().as_secs() {
                return (StatusCode::FORBIDDEN, "invalid or expired signature").into_response();
            }
            bytes(SAMPLE_MP4, "video/mp4", &headers)
        }
        None if id.starts_with("overlay_") || id.starts_with("stitch_") => bytes(SAMPLE_MP4, "video/mp4", &headers),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The whole file, or the single byte range asked for.
fn bytes(data: &'static [u8], mime: &'static str, headers: &HeaderMap) -> Response {
    let len = data.len();
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok()).and_then(|r| r.strip_prefix("bytes="));
    let Some(range) = range else {
        return (
            [
                (header::CONTENT_TYPE, mime.to_owned()),
                (header::ACCEPT_RANGES, "bytes".to_owned()),
                (header::CONTENT_LENGTH, len.to_string()),
            ],
            Body::from(data),
        )
            .into_response();
    };
    let parsed = range.split_once('-').and_then(|(a, b)| match (a.trim(), b.trim()) {
        ("", suffix) => suffix.parse::<usize>().ok().filter(|n| *n > 0).map(|n| (len.saturating_sub(n), len - 1)),
        (start, "") => start.parse().ok().map(|s| (s, len - 1)),
        (start, end) => Some((start.parse().ok()?, end.parse::<usize>().ok()?.min(len - 1))),
    });
    match parsed {
        Some((start, end)) if start <= end && start < len => (
            StatusCode::PARTIAL_CONTENT,
            [
                (header::CONTENT_TYPE, mime.to_owned()),
                (header::ACCEPT_RANGES, "bytes".to_owned()),
                (header::CONTENT_RANGE, format!("bytes {start}-{end}/{len}")),
                (header::CONTENT_LENGTH, (end - start + 1).to_string()),
            ],
            Body::from(&data[start..=end]),
        )
            .into_response(),
        _ => (StatusCode::RANGE_NOT_SATISFIABLE, [(header::CONTENT_RANGE, format!("bytes */{len}"))]).into_response(),
    }
}
