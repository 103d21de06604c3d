//! `client.post_production()`: text overlays and stitching.

use crate::Client;
use crate::models::post_production::*;
use crate::spec;
use crate::transport::Call;

/// Post-production of rendered videos. Get one with [`Client::post_production`].
#[derive(Debug, Clone)]
pub struct PostProduction {
    client: Client,
}

impl PostProduction {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `proxyApplyTextOverlay`: burns timed captions into a video. Charges 1 credit.
    /// Mutating: sent with an `Idempotency-Key`, so a retry never charges twice.
    pub fn apply_text_overlay(&self, req: TextOverlayRequest) -> Call<TextOverlayRequest, TextOverlayResponse> {
        Call::new(self.client.clone(), spec::PROXY_APPLY_TEXT_OVERLAY, req)
    }

    /// `proxyStitchVideos`: joins clips into one video. Charges no credits.
    /// Mutating: sent with an `Idempotency-Key`, so a retry replays the first result.
    pub fn stitch(&self, req: StitchVideosRequest) -> Call<StitchVideosRequest, StitchVideosResponse> {
        Call::new(self.client.clone(), spec::PROXY_STITCH_VIDEOS, req)
    }
}
