//! Downloads of rendered MP4s: to a file (atomically) or into memory, with progress.

use std::path::{Path, PathBuf};

use tokio::io::AsyncWriteExt;

use crate::Client;

/// Why a download failed. A failed download never leaves a file at the destination.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DownloadError {
    /// The server answered with an error status.
    #[error("download answered HTTP {status}")]
    Status {
        /// HTTP status.
        status: u16,
    },
    /// The connection broke or timed out.
    #[error("download connection failed")]
    Transport(#[source] reqwest::Error),
    /// Fewer (or more) bytes arrived than `Content-Length` announced.
    #[error("download cut short: {received} of {expected} bytes")]
    Truncated {
        /// Bytes announced.
        expected: u64,
        /// Bytes received.
        received: u64,
    },
    /// Writing the file failed.
    #[error("writing {path} failed")]
    Io {
        /// The file being written.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The URL is not http(s) or not valid.
    #[error("not a downloadable URL")]
    InvalidUrl,
}

/// reqwest errors name the URL, whose query is a credential.
fn transport(e: reqwest::Error) -> DownloadError {
    DownloadError::Transport(e.without_url())
}

/// Bytes received so far and the total, when announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DownloadProgress {
    /// Bytes received.
    pub received: u64,
    /// `Content-Length`, when sent.
    pub total: Option<u64>,
}

type ProgressFn = Box<dyn FnMut(DownloadProgress) + Send>;

/// A pending download; finish it with [`to_file`](Download::to_file) or
/// [`to_bytes`](Download::to_bytes).
#[must_use = "nothing is downloaded until to_file or to_bytes is awaited"]
pub struct Download {
    client: Client,
    url: String,
    timeout: std::time::Duration,
    on_progress: Option<ProgressFn>,
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Signed URLs carry credentials in the query: show only scheme, host and path.
        let shown = reqwest::Url::parse(&self.url)
            .map(|u| format!("{}://{}{}", u.scheme(), u.host_str().unwrap_or(""), u.path()));
        f.debug_struct("Download").field("url", &shown.unwrap_or_default()).finish_non_exhaustive()
    }
}

impl Client {
    /// Downloads a rendered video's signed URL (`RenderedVideo::video_url` or
    /// `FetchVideoResponse::video_url`). The API key is never sent to it.
    ///
    /// ```no_run
    /// # async fn demo(client: ugc_video::Client, video: ugc_video::RenderedVideo) -> ugc_video::Result<()> {
    /// let bytes = client
    ///     .download(&video.video_url)
    ///     .on_progress(|p| eprintln!("{} / {:?}", p.received, p.total))
    ///     .to_file("out/video.mp4")
    ///     .await?;
    /// # let _ = bytes; Ok(()) }
    /// ```
    pub fn download(&self, url: impl Into<String>) -> Download {
        Download { client: self.clone(), url: url.into(), timeout: DEFAULT_TIMEOUT, on_progress: None }
    }
}

/// Downloads get their own budget: the API's per-call timeout would cut a large MP4.
const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// A signed URL's query is a credential: keep scheme, host and path only.
pub(crate) fn redact_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(u) => format!("{}://{}{}", u.scheme(), u.host_str().unwrap_or(""), u.path()),
        Err(_) => "<invalid url>".to_owned(),
    }
}

/// Removes a temporary file unless disarmed, also when the download future is
/// dropped half-way.
struct TempFile<'a> {
    path: &'a Path,
    armed: bool,
}

impl Drop for TempFile<'_> {
    fn drop(&mut self) {
        if self.armed {
            // One unlink of a file we created; failing to remove it is harmless
            // because the name never looks like a finished video.
            let _ = std::fs::remove_file(self.path);
        }
    }
}

impl Download {
    /// Total time allowed for the download (default 30 minutes), instead of the
    /// client's per-call timeout.
    pub fn timeout(mut self, d: std::time::Duration) -> Self {
        self.timeout = d;
        self
    }

    /// Called after every chunk.
    pub fn on_progress(mut self, f: impl FnMut(DownloadProgress) + Send + 'static) -> Self {
        self.on_progress = Some(Box::new(f));
        self
    }

    /// Streams into `path`, through a temporary file beside it that is renamed only
    /// once complete and of the announced length. Returns the bytes written.
    pub async fn to_file(self, path: impl AsRef<Path>) -> crate::Result<u64> {
        let path = path.as_ref().to_path_buf();
        let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        name.push(format!(".{}.part", uuid::Uuid::new_v4().simple()));
        let tmp = path.with_file_name(name);
        let mut guard = TempFile { path: &tmp, armed: true };
        let n = self.stream_to_file(&tmp).await?;
        tokio::fs::rename(&tmp, &path).await.map_err(|source| DownloadError::Io { path: path.clone(), source })?;
        guard.armed = false;
        Ok(n)
    }

    async fn stream_to_file(self, tmp: &Path) -> crate::Result<u64> {
        let io = |source| DownloadError::Io { path: tmp.to_path_buf(), source };
        let mut file = tokio::fs::File::create(tmp).await.map_err(io)?;
        let n = self.stream(&mut file, tmp).await?;
        file.flush().await.map_err(io)?;
        file.sync_all().await.map_err(io)?;
        Ok(n)
    }

    /// Downloads into memory, checking the announced length.
    pub async fn to_bytes(self) -> crate::Result<Vec<u8>> {
        let mut buf = Vec::new();
        self.stream(&mut buf, Path::new("memory")).await?;
        Ok(buf)
    }

    async fn stream<W: tokio::io::AsyncWrite + Unpin>(mut self, out: &mut W, path: &Path) -> crate::Result<u64> {
        let url = reqwest::Url::parse(&self.url).map_err(|_| DownloadError::InvalidUrl)?;
        if !matches!(url.scheme(), "https" | "http") {
            return Err(DownloadError::InvalidUrl.into());
        }
        let mut resp = self.client.inner.http.get(url).timeout(self.timeout).send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(DownloadError::Status { status }.into());
        }
        let total = resp.content_length();
        let mut received = 0u64;
        while let Some(chunk) = resp.chunk().await.map_err(transport)? {
            out.write_all(&chunk).await.map_err(|source| DownloadError::Io { path: path.to_path_buf(), source })?;
            received += chunk.len() as u64;
            if let Some(cb) = self.on_progress.as_mut() {
                cb(DownloadProgress { received, total });
            }
        }
        if let Some(expected) = total
            && expected != received
        {
            return Err(DownloadError::Truncated { expected, received }.into());
        }
        Ok(received)
    }
}
