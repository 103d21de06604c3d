//! `client.free()`: the free marketing tools (no API key, limited per IP per day).

use crate::Client;
use crate::models::free::*;
use crate::spec;
use crate::transport::Call;

/// The free marketing tools. Get one with [`Client::free`]. They need no API key
/// and charge nothing, but each is limited per client IP per day (3–5 calls); past
/// it the service answers `429 resource-exhausted` with a `retryAfter` of hours,
/// which the client hands back instead of waiting.
#[derive(Debug, Clone)]
pub struct Free {
    client: Client,
}

impl Free {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `freeTrendAnalyzer`: trends and hashtags of an industry. Free (no key, no
    /// credits); 5 calls per day per IP. Read-only.
    pub fn trend_analyzer(&self, req: TrendAnalyzerRequest) -> Call<TrendAnalyzerRequest, TrendAnalyzerResponse> {
        Call::new(self.client.clone(), spec::FREE_TREND_ANALYZER, req)
    }

    /// `freeGenerateHooks`: opening hooks for a product. Free (no key, no credits);
    /// 5 calls per day per IP. Read-only.
    pub fn generate_hooks(&self, req: GenerateHooksRequest) -> Call<GenerateHooksRequest, GenerateHooksResponse> {
        Call::new(self.client.clone(), spec::FREE_GENERATE_HOOKS, req)
    }

    /// `freeGenerateCreatorPersona`: a creator persona for a niche. Free (no key, no
    /// credits); 3 calls per day per IP. Read-only.
    pub fn generate_creator_persona(
        &self,
        req: CreatorPersonaRequest,
    ) -> Call<CreatorPersonaRequest, CreatorPersonaResponse> {
        Call::new(self.client.clone(), spec::FREE_GENERATE_CREATOR_PERSONA, req)
    }

    /// `freeGenerateScript`: a short script for a product. Free (no key, no
    /// credits); 3 calls per day per IP. Read-only.
    pub fn generate_script(&self, req: FreeScriptRequest) -> Call<FreeScriptRequest, FreeScriptResponse> {
        Call::new(self.client.clone(), spec::FREE_GENERATE_SCRIPT, req)
    }
}
