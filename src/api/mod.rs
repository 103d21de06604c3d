//! One handler per API area. Handlers are cheap clones of the [`Client`](crate::Client).

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

use std::future::Future;

use futures_util::{Stream, StreamExt, stream};

/// Turns a cursor-paged list call into a stream of items.
pub(crate) fn paginate<Req, Item, F, Fut, S>(
    first: Req,
    fetch: F,
    set_cursor: S,
) -> impl Stream<Item = crate::Result<Item>> + Send + 'static
where
    Req: Clone + Send + 'static,
    Item: Send + 'static,
    F: Fn(Req) -> Fut + Send + 'static,
    Fut: Future<Output = crate::Result<(Vec<Item>, Option<String>)>> + Send + 'static,
    S: Fn(&mut Req, String) + Send + 'static,
{
    stream::try_unfold((Some(first), fetch, set_cursor), |(next, fetch, set_cursor)| async move {
        let Some(req) = next else { return Ok(None) };
        let (items, cursor) = fetch(req.clone()).await?;
        let next = cursor.map(|c| {
            let mut r = req;
            set_cursor(&mut r, c);
            r
        });
        Ok(Some((stream::iter(items.into_iter().map(Ok)), (next, fetch, set_cursor))))
    })
    .map(|page: crate::Result<_>| match page {
        Ok(items) => items.left_stream(),
        Err(e) => stream::once(async move { Err(e) }).right_stream(),
    })
    .flatten()
}
