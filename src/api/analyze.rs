//! `client.analyze()`: market analysis.

use crate::Client;
use crate::models::analyze::*;
use crate::spec;
use crate::transport::Call;

/// Market analysis. Get one with [`Client::analyze`]. Calls charge no credits and
/// share the `analysis` rate-limit bucket (10 per minute).
#[derive(Debug, Clone)]
pub struct Analyze {
    client: Client,
}

impl Analyze {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `proxyFetchTopSellingProducts`: the best-selling products of an industry.
    /// Charges no credits; read-only (safe to retry, no idempotency key).
    pub fn top_selling_products(
        &self,
        req: TopSellingProductsRequest,
    ) -> Call<TopSellingProductsRequest, TopSellingProductsResponse> {
        Call::new(self.client.clone(), spec::PROXY_FETCH_TOP_SELLING_PRODUCTS, req)
    }

    /// `proxyFetchFullMarketAnalysis`: trends, personas, keywords, hooks and strategy
    /// for an industry. Charges no credits; read-only (safe to retry, no idempotency key).
    pub fn full_market_analysis(
        &self,
        req: MarketAnalysisRequest,
    ) -> Call<MarketAnalysisRequest, MarketAnalysisResponse> {
        Call::new(self.client.clone(), spec::PROXY_FETCH_FULL_MARKET_ANALYSIS, req)
    }
}
