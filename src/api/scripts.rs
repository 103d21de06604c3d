//! `client.scripts()`: script generation and parsing.

use crate::Client;
use crate::models::scripts::*;
use crate::spec;
use crate::transport::Call;

/// Script generation and parsing. Get one with [`Client::scripts`]. Calls charge no
/// credits and share the `script` rate-limit bucket (20 per minute).
#[derive(Debug, Clone)]
pub struct Scripts {
    client: Client,
}

impl Scripts {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `proxyGenerateViralScript`: writes hooks, scenes and calls to action for a
    /// product. Charges no credits; read-only (safe to retry, no idempotency key).
    pub fn generate_viral(&self, req: GenerateViralScriptRequest) -> Call<GenerateViralScriptRequest, Script> {
        Call::new(self.client.clone(), spec::PROXY_GENERATE_VIRAL_SCRIPT, req)
    }

    /// `proxyParseOwnScript`: splits your own script into hooks, scenes and calls to
    /// action. Charges no credits; read-only (safe to retry, no idempotency key).
    pub fn parse_own(&self, req: ParseOwnScriptRequest) -> Call<ParseOwnScriptRequest, Script> {
        Call::new(self.client.clone(), spec::PROXY_PARSE_OWN_SCRIPT, req)
    }
}
