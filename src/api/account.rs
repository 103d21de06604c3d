//! `client.account()`: credits, the credit ledger, the engine catalog.

use futures_util::Stream;

use crate::Client;
use crate::models::EmptyRequest;
use crate::models::account::*;
use crate::spec;
use crate::transport::Call;

/// The account: balance, transactions and engines. Get one with [`Client::account`].
/// Every call is read-only and charges no credits.
#[derive(Debug, Clone)]
pub struct Account {
    client: Client,
}

impl Account {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `proxyGetCredits`: balance, plan tier, concurrency cap and renders in flight.
    /// Charges no credits; read-only (safe to retry, no idempotency key).
    ///
    /// ```no_run
    /// # async fn demo(client: ugc_video::Client) -> ugc_video::Result<()> {
    /// let credits = client.account().credits().await?;
    /// println!("{} credits, {} free render slots", credits.balance, credits.available_slots());
    /// # Ok(()) }
    /// ```
    pub fn credits(&self) -> Call<EmptyRequest, CreditsResponse> {
        Call::new(self.client.clone(), spec::PROXY_GET_CREDITS, EmptyRequest::new())
    }

    /// `proxyListCreditTransactions`: one page of the credit ledger, newest first.
    /// Charges no credits; read-only (safe to retry, no idempotency key).
    pub fn transactions(
        &self,
        req: ListCreditTransactionsRequest,
    ) -> Call<ListCreditTransactionsRequest, ListCreditTransactionsResponse> {
        Call::new(self.client.clone(), spec::PROXY_LIST_CREDIT_TRANSACTIONS, req)
    }

    /// Every transaction matching `req`, page after page, as a stream.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use ugc_video::{models::account::ListCreditTransactionsRequest, types::TransactionKind};
    ///
    /// # async fn demo(client: ugc_video::Client) -> ugc_video::Result<()> {
    /// let refunded: i64 = client
    ///     .account()
    ///     .transactions_all(ListCreditTransactionsRequest::builder().kind(TransactionKind::Refund).build())
    ///     .try_fold(0, |sum, t| async move { Ok(sum + t.amount) })
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn transactions_all(
        &self,
        req: ListCreditTransactionsRequest,
    ) -> impl Stream<Item = crate::Result<CreditTransaction>> + Send + 'static {
        crate::api::paginate(self.client.clone(), spec::PROXY_LIST_CREDIT_TRANSACTIONS, req)
    }

    /// `proxyListEngines`: the engines available now, with models, durations,
    /// qualities, aspect ratios and prices. Charges no credits; read-only (safe to
    /// retry, no idempotency key).
    pub fn engines(&self) -> Call<EmptyRequest, ListEnginesResponse> {
        Call::new(self.client.clone(), spec::PROXY_LIST_ENGINES, EmptyRequest::new())
    }
}
