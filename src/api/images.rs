//! `client.images()`: scene images.

use crate::Client;
use crate::models::images::*;
use crate::spec;
use crate::transport::Call;

/// Scene images. Get one with [`Client::images`]. Calls share the `image`
/// rate-limit bucket (40 per minute).
#[derive(Debug, Clone)]
pub struct Images {
    client: Client,
}

impl Images {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// `proxyGenerateSceneImage`: generates a scene image and answers its HTTPS URL.
    /// Charges 1 credit at standard quality, 2 at HQ. Mutating: sent with an
    /// `Idempotency-Key`, so a retry replays the first answer instead of charging again.
    ///
    /// ```no_run
    /// use ugc_video::models::images::GenerateSceneImageRequest;
    ///
    /// # async fn demo(client: ugc_video::Client) -> ugc_video::Result<()> {
    /// let url: String = client
    ///     .images()
    ///     .generate_scene(GenerateSceneImageRequest::builder().visual_prompt("A bottle on a beach towel").build())
    ///     .await?
    ///     .into_inner();
    /// # Ok(()) }
    /// ```
    pub fn generate_scene(&self, req: GenerateSceneImageRequest) -> Call<GenerateSceneImageRequest, String> {
        Call::new(self.client.clone(), spec::PROXY_GENERATE_SCENE_IMAGE, req)
    }
}
