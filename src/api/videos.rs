//! `client.videos()`: start, status, fetch, cancel, list.

use futures_util::Stream;

use crate::Client;
use crate::models::videos::*;
use crate::spec;
use crate::transport::Call;

/// Video renders. Get one with [`Client::videos`].
#[derive(Debug, Clone)]
pub struct Videos {
    client: Client,
}

impl Videos {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `proxyStartVideoGeneration`: starts a render; credits are deducted now.
    pub fn start(&self, req: StartVideoRequest) -> Call<StartVideoRequest, StartVideoResponse> {
        Call::new(self.client.clone(), spec::PROXY_START_VIDEO_GENERATION, req)
    }

    /// `proxyCheckVideoStatus`: progress of a render.
    pub fn status(&self, req: VideoStatusRequest) -> Call<VideoStatusRequest, VideoStatusResponse> {
        Call::new(self.client.clone(), spec::PROXY_CHECK_VIDEO_STATUS, req)
    }

    /// `proxyFetchVideo`: a signed MP4 URL for a completed render.
    pub fn fetch(&self, req: FetchVideoRequest) -> Call<FetchVideoRequest, FetchVideoResponse> {
        Call::new(self.client.clone(), spec::PROXY_FETCH_VIDEO, req)
    }

    /// `proxyCancelVideoGeneration`: cancels (and refunds) a render not yet rendering.
    pub fn cancel(&self, req: CancelVideoRequest) -> Call<CancelVideoRequest, CancelVideoResponse> {
        Call::new(self.client.clone(), spec::PROXY_CANCEL_VIDEO_GENERATION, req)
    }

    /// `proxyListVideoGenerations`: one page of renders, newest first.
    pub fn list(&self, req: ListVideosRequest) -> Call<ListVideosRequest, ListVideosResponse> {
        Call::new(self.client.clone(), spec::PROXY_LIST_VIDEO_GENERATIONS, req)
    }

    /// Every render matching `req`, page after page, as a stream.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use ugc_video::{models::videos::ListVideosRequest, types::VideoStatus};
    ///
    /// # async fn demo(client: ugc_video::Client) -> ugc_video::Result<()> {
    /// let failed: Vec<_> = client
    ///     .videos()
    ///     .list_all(ListVideosRequest::builder().status(VideoStatus::Failed).build())
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn list_all(&self, req: ListVideosRequest) -> impl Stream<Item = crate::Result<VideoSummary>> + Send + 'static {
        crate::api::paginate(self.client.clone(), spec::PROXY_LIST_VIDEO_GENERATIONS, req)
    }
}
