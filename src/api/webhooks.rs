//! `client.webhooks()`: webhook endpoint management and delivery history. (Verifying
//! incoming events is [`crate::webhooks`].)

use futures_util::Stream;

use crate::Client;
use crate::models::EmptyRequest;
use crate::models::webhooks::*;
use crate::spec;
use crate::transport::Call;

/// Webhook endpoints and deliveries. Get one with [`Client::webhooks`]. Calls charge
/// no credits.
#[derive(Debug, Clone)]
pub struct Webhooks {
    client: Client,
}

impl Webhooks {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `proxyCreateWebhookEndpoint`: registers an endpoint and answers its signing
    /// secret (shown only here). At most five per account. Charges no credits.
    /// Mutating: sent with an `Idempotency-Key`, so a retry never creates a second
    /// endpoint.
    ///
    /// ```no_run
    /// use ugc_video::models::webhooks::CreateWebhookEndpointRequest;
    ///
    /// # async fn demo(client: ugc_video::Client) -> ugc_video::Result<()> {
    /// let created = client
    ///     .webhooks()
    ///     .create_endpoint(CreateWebhookEndpointRequest::builder().url("https://hooks.example.com/ugc").build())
    ///     .await?;
    /// // Store created.secret in your secret manager; Debug output never shows it.
    /// println!("{created:?}");
    /// # Ok(()) }
    /// ```
    pub fn create_endpoint(
        &self,
        req: CreateWebhookEndpointRequest,
    ) -> Call<CreateWebhookEndpointRequest, CreateWebhookEndpointResponse> {
        Call::new(self.client.clone(), spec::PROXY_CREATE_WEBHOOK_ENDPOINT, req)
    }

    /// `proxyListWebhookEndpoints`: every endpoint of the account (without secrets).
    /// Charges no credits; read-only (safe to retry, no idempotency key).
    pub fn list_endpoints(&self) -> Call<EmptyRequest, ListWebhookEndpointsResponse> {
        Call::new(self.client.clone(), spec::PROXY_LIST_WEBHOOK_ENDPOINTS, EmptyRequest::new())
    }

    /// `proxyDeleteWebhookEndpoint`: removes an endpoint. Charges no credits.
    /// Mutating: sent with an `Idempotency-Key`, so a retry replays the first answer.
    pub fn delete_endpoint(
        &self,
        req: DeleteWebhookEndpointRequest,
    ) -> Call<DeleteWebhookEndpointRequest, DeleteWebhookEndpointResponse> {
        Call::new(self.client.clone(), spec::PROXY_DELETE_WEBHOOK_ENDPOINT, req)
    }

    /// `proxyRotateWebhookSecret`: replaces an endpoint's signing secret; the old one
    /// stops working at once. Charges no credits. Mutating: sent with an
    /// `Idempotency-Key`, so a retry answers the same new secret instead of rotating twice.
    pub fn rotate_secret(
        &self,
        req: RotateWebhookSecretRequest,
    ) -> Call<RotateWebhookSecretRequest, RotateWebhookSecretResponse> {
        Call::new(self.client.clone(), spec::PROXY_ROTATE_WEBHOOK_SECRET, req)
    }

    /// `proxySendTestWebhook`: sends a `webhook.test` event to an endpoint. Charges no
    /// credits. Mutating: sent with an `Idempotency-Key`, so a retry sends one event, not two.
    pub fn send_test(&self, req: SendTestWebhookRequest) -> Call<SendTestWebhookRequest, QueuedDelivery> {
        Call::new(self.client.clone(), spec::PROXY_SEND_TEST_WEBHOOK, req)
    }

    /// `proxyListWebhookDeliveries`: one page of deliveries, newest first. Charges no
    /// credits; read-only (safe to retry, no idempotency key).
    pub fn list_deliveries(
        &self,
        req: ListWebhookDeliveriesRequest,
    ) -> Call<ListWebhookDeliveriesRequest, ListWebhookDeliveriesResponse> {
        Call::new(self.client.clone(), spec::PROXY_LIST_WEBHOOK_DELIVERIES, req)
    }

    /// Every delivery matching `req`, page after page, as a stream.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use ugc_video::{models::webhooks::ListWebhookDeliveriesRequest, types::DeliveryStatus};
    ///
    /// # async fn demo(client: ugc_video::Client) -> ugc_video::Result<()> {
    /// let failed: Vec<_> = client
    ///     .webhooks()
    ///     .list_deliveries_all(ListWebhookDeliveriesRequest::builder().status(DeliveryStatus::Failed).build())
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn list_deliveries_all(
        &self,
        req: ListWebhookDeliveriesRequest,
    ) -> impl Stream<Item = crate::Result<WebhookDelivery>> + Send + 'static {
        crate::api::paginate(self.client.clone(), spec::PROXY_LIST_WEBHOOK_DELIVERIES, req)
    }

    /// `proxyRedeliverWebhook`: sends a delivery's event again as a new delivery.
    /// Charges no credits. Mutating: sent with an `Idempotency-Key`, so a retry
    /// queues one redelivery, not two.
    pub fn redeliver(&self, req: RedeliverWebhookRequest) -> Call<RedeliverWebhookRequest, QueuedDelivery> {
        Call::new(self.client.clone(), spec::PROXY_REDELIVER_WEBHOOK, req)
    }
}
