//! One handler per API area. Handlers are cheap clones of the [`Client`].

mod account;
mod analyze;
mod free;
mod images;
mod post_production;
mod scripts;
mod videos;
mod webhooks;

pub use account::Account;
pub use analyze::Analyze;
pub use free::Free;
pub use images::Images;
pub use post_production::PostProduction;
pub use scripts::Scripts;
pub use videos::Videos;
pub use webhooks::Webhooks;

use futures_util::{Stream, StreamExt, stream};
use serde::de::DeserializeOwned;

use crate::models::account::{CreditTransaction, ListCreditTransactionsRequest, ListCreditTransactionsResponse};
use crate::models::videos::{ListVideosRequest, ListVideosResponse, VideoSummary};
use crate::models::webhooks::{ListWebhookDeliveriesRequest, ListWebhookDeliveriesResponse, WebhookDelivery};
use crate::spec::Operation;
use crate::{ApiRequest, Call, Client};

/// A list request that pages with an opaque cursor.
pub(crate) trait CursorRequest: ApiRequest + Clone {
    /// The page this request answers.
    type Page: CursorPage;
    fn set_cursor(&mut self, cursor: String);
}

/// One page of a cursor-paged list.
pub(crate) trait CursorPage: DeserializeOwned + Send + 'static {
    type Item: Send + 'static;
    /// The items and, when more pages follow, the cursor of the next one.
    fn into_page(self) -> (Vec<Self::Item>, Option<String>);
}

macro_rules! cursor_paged {
    ($req:ty, $page:ty, $item:ty) => {
        impl CursorRequest for $req {
            type Page = $page;
            fn set_cursor(&mut self, cursor: String) {
                self.cursor = Some(cursor);
            }
        }
        impl CursorPage for $page {
            type Item = $item;
            fn into_page(self) -> (Vec<$item>, Option<String>) {
                (self.items, self.next_cursor.filter(|_| self.has_more))
            }
        }
    };
}

cursor_paged!(ListVideosRequest, ListVideosResponse, VideoSummary);
cursor_paged!(ListCreditTransactionsRequest, ListCreditTransactionsResponse, CreditTransaction);
cursor_paged!(ListWebhookDeliveriesRequest, ListWebhookDeliveriesResponse, WebhookDelivery);

/// Every item of a cursor-paged list operation, page after page, as a stream that
/// ends after the last page or at the first error.
pub(crate) fn paginate<Req: CursorRequest>(
    client: Client,
    op: &'static Operation,
    first: Req,
) -> impl Stream<Item = crate::Result<<Req::Page as CursorPage>::Item>> + Send + 'static {
    stream::try_unfold((Some(first), None::<String>), move |(next, used)| {
        let client = client.clone();
        async move {
            let Some(req) = next else { return Ok(None) };
            let (items, cursor) = Call::<Req, Req::Page>::new(client, op, req.clone()).await?.into_inner().into_page();
            // A server that hands back the cursor it was given would loop forever.
            let cursor = cursor.filter(|c| used.as_ref() != Some(c));
            let next = cursor.clone().map(|c| {
                let mut r = req;
                r.set_cursor(c);
                r
            });
            Ok(Some((stream::iter(items.into_iter().map(Ok)), (next, cursor))))
        }
    })
    .map(|page: crate::Result<_>| match page {
        Ok(items) => items.left_stream(),
        Err(e) => stream::once(async move { Err(e) }).right_stream(),
    })
    .flatten()
}
