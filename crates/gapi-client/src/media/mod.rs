//! Media: uploads (simple, multipart, resumable) and downloads (`alt=media`).
//!
//! This layer takes plain inputs (a [`Transport`] for credentials, headers
//! and the retry policy, a URL, metadata JSON, a [`MediaSource`]) and knows
//! nothing about Discovery documents, so a service method, the CLI or a
//! hand-built URL can all use it:
//!
//! ```no_run
//! # async fn demo(transport: gapi_client::Transport) -> gapi_client::Result<()> {
//! use gapi_client::media::{MediaClient, MediaSource, UploadOptions, UploadProtocol};
//! let media = MediaClient::new(&transport)?;
//! let url = url::Url::parse("https://www.googleapis.com/upload/drive/v3/files").unwrap();
//! let file = media
//!     .upload(
//!         reqwest::Method::POST,
//!         url,
//!         UploadProtocol::Resumable,
//!         Some(&serde_json::json!({"name": "report.pdf"})),
//!         MediaSource::path("report.pdf"),
//!         &UploadOptions::new("application/pdf"),
//!     )
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! Bytes are never altered: the multipart body is the metadata part and the
//! source bytes verbatim between random boundaries, and downloads are asked
//! for without content encoding so ranges line up with the stored object.

pub(crate) mod download;
pub mod integrity;
mod partfile;
mod progress;
pub(crate) mod resumable;
pub(crate) mod upload;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use bytes::Bytes;
use http::header::HeaderValue;
use reqwest::{RequestBuilder, Response};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt};
use url::Url;

use crate::auth::Authorization;
use crate::error::{ApiError, Error};
use crate::headers::USER_AGENT;
use crate::transport::Transport;

pub use download::{DownloadOptions, DownloadReport, partial_download};
pub use integrity::{ChecksumKind, ObjectFacts};
pub use progress::Progress;
pub use resumable::{ResumableSession, ResumableUpload, UploadStatus};

/// The smallest unit of a resumable chunk: every chunk but the last must be
/// a multiple of 256 KiB.
pub const CHUNK_GRANULARITY: usize = 256 * 1024;
/// The default resumable chunk size (8 MiB), like Google's client libraries.
pub const DEFAULT_CHUNK_SIZE: usize = 8 * 1024 * 1024;

/// Which upload protocol to use (`uploadType=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadProtocol {
    /// `uploadType=media`: the body is the bytes, no metadata.
    Simple,
    /// `uploadType=multipart`: a `multipart/related` body with a JSON metadata part and the bytes.
    Multipart,
    /// `uploadType=resumable`: a session, then chunks that survive dropped connections.
    Resumable,
}

impl UploadProtocol {
    /// The value of the `uploadType` query parameter.
    pub fn upload_type(self) -> &'static str {
        match self {
            UploadProtocol::Simple => "media",
            UploadProtocol::Multipart => "multipart",
            UploadProtocol::Resumable => "resumable",
        }
    }

    /// Parses an `uploadType` value (`media`, `multipart`, `resumable`).
    pub fn from_upload_type(value: &str) -> Option<Self> {
        match value {
            "media" | "simple" => Some(UploadProtocol::Simple),
            "multipart" => Some(UploadProtocol::Multipart),
            "resumable" => Some(UploadProtocol::Resumable),
            _ => None,
        }
    }
}

/// Where the bytes of an upload come from.
pub enum MediaSource {
    /// A file; re-opened and seeked as needed, so retries and resumes never buffer it whole.
    Path(PathBuf),
    /// The process's standard input (length unknown).
    Stdin,
    /// Any async reader, with its length when known.
    Reader {
        /// The bytes.
        reader: Box<dyn AsyncRead + Send + Unpin>,
        /// The number of bytes the reader will yield, if known.
        size: Option<u64>,
    },
    /// Bytes already in memory.
    Bytes(Bytes),
}

impl MediaSource {
    /// A file source.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        MediaSource::Path(path.into())
    }

    /// An async reader source; `size` is its length when known.
    pub fn reader(reader: impl AsyncRead + Send + Unpin + 'static, size: Option<u64>) -> Self {
        MediaSource::Reader {
            reader: Box::new(reader),
            size,
        }
    }

    /// An in-memory source.
    pub fn bytes(data: impl Into<Bytes>) -> Self {
        MediaSource::Bytes(data.into())
    }

    /// The length of the source, when it can be known without reading it.
    pub fn size(&self) -> Result<Option<u64>, Error> {
        match self {
            MediaSource::Path(p) => std::fs::metadata(p)
                .map(|m| Some(m.len()))
                .map_err(|e| io_error_for(p, e)),
            MediaSource::Stdin => Ok(None),
            MediaSource::Reader { size, .. } => Ok(*size),
            MediaSource::Bytes(b) => Ok(Some(b.len() as u64)),
        }
    }

    /// Reads a non-file source completely into memory (used by the simple and
    /// multipart protocols, which must be able to send the body again on retry).
    async fn into_bytes(self) -> Result<Bytes, Error> {
        match self {
            MediaSource::Bytes(b) => Ok(b),
            MediaSource::Path(p) => tokio::fs::read(&p)
                .await
                .map(Bytes::from)
                .map_err(|e| io_error_for(&p, e)),
            MediaSource::Stdin => {
                let mut out = Vec::new();
                tokio::io::stdin().read_to_end(&mut out).await?;
                Ok(out.into())
            }
            MediaSource::Reader { mut reader, .. } => {
                let mut out = Vec::new();
                reader.read_to_end(&mut out).await?;
                Ok(out.into())
            }
        }
    }
}

impl fmt::Debug for MediaSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MediaSource::Path(p) => f.debug_tuple("Path").field(p).finish(),
            MediaSource::Stdin => f.write_str("Stdin"),
            MediaSource::Reader { size, .. } => f
                .debug_struct("Reader")
                .field("size", size)
                .finish_non_exhaustive(),
            MediaSource::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
        }
    }
}

/// Options of one upload.
#[derive(Debug, Clone)]
#[must_use = "builder methods return the changed value; use it"]
pub struct UploadOptions {
    /// The media's MIME type (default `application/octet-stream`).
    pub content_type: String,
    /// Resumable chunk size, rounded up to a multiple of 256 KiB (default 8 MiB).
    pub chunk_size: usize,
    /// Called as bytes are sent (resumable: as the server confirms them).
    pub progress: Progress,
    /// Resumable only: write the session here as soon as it exists, so a later
    /// process can resume with [`ResumableSession::load`] and [`ResumableUpload::resume`].
    pub session_file: Option<PathBuf>,
}

impl Default for UploadOptions {
    fn default() -> Self {
        UploadOptions::new("application/octet-stream")
    }
}

impl UploadOptions {
    /// Options for media of this MIME type, with default chunk size and no progress callback.
    pub fn new(content_type: impl Into<String>) -> Self {
        UploadOptions {
            content_type: content_type.into(),
            chunk_size: DEFAULT_CHUNK_SIZE,
            progress: Progress::none(),
            session_file: None,
        }
    }

    /// Sets the resumable chunk size (rounded up to a multiple of 256 KiB, at least 256 KiB).
    pub fn chunk_size(mut self, bytes: usize) -> Self {
        self.chunk_size = round_chunk_size(bytes);
        self
    }

    /// Sets the progress callback.
    pub fn progress(mut self, progress: Progress) -> Self {
        self.progress = progress;
        self
    }

    /// Saves the resumable session to this file as soon as it is created.
    pub fn session_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.session_file = Some(path.into());
        self
    }
}

/// Rounds a chunk size up to a positive multiple of 256 KiB.
pub fn round_chunk_size(bytes: usize) -> usize {
    let units = bytes.div_ceil(CHUNK_GRANULARITY).max(1);
    units.saturating_mul(CHUNK_GRANULARITY)
}

/// Sends uploads and downloads for one [`Transport`]: its credentials,
/// standard headers and retry policy, over an HTTP client that never
/// follows redirects (a resumable upload's `308` means "continue", not
/// "go elsewhere"). Cheap to clone.
#[derive(Clone, Debug)]
pub struct MediaClient {
    transport: Transport,
    http: reqwest::Client,
}

impl MediaClient {
    /// A media client for this transport, using a shared redirect-free HTTP client.
    pub fn new(transport: &Transport) -> Result<Self, Error> {
        Ok(MediaClient {
            transport: transport.clone(),
            http: shared_no_redirect_client()?.clone(),
        })
    }

    /// Uses this HTTP client instead (it should not follow redirects: build it with
    /// [`crate::HttpClientBuilder::follow_redirects`]`(false)`).
    pub fn with_http_client(mut self, http: crate::HttpClient) -> Self {
        self.http = http.reqwest_client().clone();
        self
    }

    /// The transport whose credentials and retry policy are used.
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// Uploads `source` to `url` (an upload URL such as
    /// `<root>upload/drive/v3/files`, with the method's query parameters
    /// already in it; `uploadType` is set here) with `method` (the API
    /// method's HTTP method, e.g. POST for create, PATCH for update), and
    /// returns the JSON the server answers (`{}` for an empty body).
    ///
    /// `metadata` is the request body of the method (e.g. `{"name": ...}`);
    /// the simple protocol cannot carry it and refuses it.
    pub async fn upload(
        &self,
        method: http::Method,
        url: Url,
        protocol: UploadProtocol,
        metadata: Option<&Value>,
        source: MediaSource,
        opts: &UploadOptions,
    ) -> Result<Value, Error> {
        let url = with_upload_type(url, protocol);
        match protocol {
            UploadProtocol::Simple => {
                if metadata.is_some_and(|m| !m.is_null()) {
                    return Err(Error::invalid_argument(
                        "uploadType=media cannot carry metadata (a request body); use the multipart or resumable protocol",
                    ));
                }
                upload::simple(self, method, url, source, opts).await
            }
            UploadProtocol::Multipart => {
                upload::multipart(self, method, url, metadata, source, opts).await
            }
            UploadProtocol::Resumable => {
                let total = source.size()?;
                let session =
                    ResumableUpload::start(self, method, url, metadata, total, opts).await?;
                if let (MediaSource::Path(p), Some(file)) = (&source, &opts.session_file) {
                    let mut saved = session.session().clone();
                    saved.source_path = Some(p.clone());
                    saved.save(file)?;
                }
                session.upload(source, opts).await
            }
        }
    }

    /// Downloads `url` (with `alt=media`) to `target`, streaming to a partial file
    /// (`<target>.<random>.part`) given its final name on completion; see [`DownloadOptions`].
    pub async fn download_to_file(
        &self,
        url: Url,
        target: &Path,
        opts: &DownloadOptions,
    ) -> Result<DownloadReport, Error> {
        download::to_file(self, url, target, opts).await
    }

    /// Streams `url` (with `alt=media`) into `writer` (e.g. stdout), chunk by chunk.
    /// Returns the number of bytes written.
    pub async fn download_to_writer<W>(
        &self,
        url: Url,
        writer: &mut W,
        progress: &Progress,
    ) -> Result<u64, Error>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        let opts = DownloadOptions::default().progress(progress.clone());
        Ok(download::to_writer(self, url, writer, &opts).await?.bytes)
    }

    /// Streams `url` into `writer` with these options (the metadata URL, progress), and
    /// checks the bytes against the server's checksum at the end: a mismatch is an error
    /// (the bytes already written cannot be taken back, so the caller must not use them).
    pub async fn download_to_writer_with<W>(
        &self,
        url: Url,
        writer: &mut W,
        opts: &DownloadOptions,
    ) -> Result<DownloadReport, Error>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        download::to_writer(self, url, writer, opts).await
    }

    /// Sends one request built by `build` (called again for each attempt),
    /// with credentials and standard headers, through the transport's one retry engine
    /// (a token refresh after a 401, retries as the transport's [`crate::RetryPolicy`] says).
    /// Returns responses with a status below 400 (308 included).
    pub(crate) async fn send<F>(&self, build: F, idempotent: bool) -> Result<Response, Error>
    where
        F: Fn(&reqwest::Client) -> Result<RequestBuilder, Error>,
    {
        self.transport
            .execute(
                &self.http,
                build,
                idempotent,
                |resp| async move { Ok(resp) },
            )
            .await
    }

    /// One attempt, no retries: credentials (refreshed once after a 401) and headers.
    /// Used by the resumable upload, which has its own recovery. The outer error
    /// is a credential failure; the inner one a transport failure.
    pub(crate) async fn send_once<F>(
        &self,
        build: F,
    ) -> Result<Result<Response, reqwest::Error>, Error>
    where
        F: Fn(&reqwest::Client) -> RequestBuilder,
    {
        let auth = self.transport.authorize(false).await?;
        let resp = match self
            .transport
            .decorate(build(&self.http), &auth)
            .send()
            .await
        {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        if resp.status().as_u16() == 401 && matches!(auth, Authorization::Bearer(_)) {
            let auth = self.transport.authorize(true).await?;
            return Ok(self
                .transport
                .decorate(build(&self.http), &auth)
                .send()
                .await);
        }
        Ok(Ok(resp))
    }
}

/// Uploads with a [`MediaClient`] for `transport`; see [`MediaClient::upload`].
pub async fn upload(
    transport: &Transport,
    method: http::Method,
    url: Url,
    protocol: UploadProtocol,
    metadata: Option<&Value>,
    source: MediaSource,
    opts: &UploadOptions,
) -> Result<Value, Error> {
    MediaClient::new(transport)?
        .upload(method, url, protocol, metadata, source, opts)
        .await
}

/// Downloads to a file with a [`MediaClient`] for `transport`; see [`MediaClient::download_to_file`].
pub async fn download_to_file(
    transport: &Transport,
    url: Url,
    target: &Path,
    opts: &DownloadOptions,
) -> Result<DownloadReport, Error> {
    MediaClient::new(transport)?
        .download_to_file(url, target, opts)
        .await
}

/// Reads an error response into Google's error model (with `Retry-After`).
pub(crate) async fn api_error(resp: Response) -> ApiError {
    crate::engine::api_error(resp).await
}

/// Parses a successful response body as JSON (`{}` when empty, like plain calls).
pub(crate) async fn json_body(resp: Response) -> Result<Value, Error> {
    let body = resp.bytes().await?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_slice(&body).map_err(Error::from)
}

/// Sets `uploadType` on an upload URL, replacing any value already there.
pub fn with_upload_type(mut url: Url, protocol: UploadProtocol) -> Url {
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "uploadType")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    {
        let mut q = url.query_pairs_mut();
        q.clear();
        for (k, v) in &pairs {
            q.append_pair(k, v);
        }
        q.append_pair("uploadType", protocol.upload_type());
    }
    url
}

/// An I/O error that names the file involved.
pub(crate) fn io_error_for(path: &Path, e: std::io::Error) -> Error {
    Error::from(std::io::Error::new(
        e.kind(),
        format!("{}: {e}", path.display()),
    ))
}

/// A header value from a string we built ourselves (always valid ASCII).
pub(crate) fn header(value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value)
        .map_err(|_| Error::invalid_argument(format!("invalid header value {value:?}")))
}

fn shared_no_redirect_client() -> Result<&'static reqwest::Client, Error> {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    if let Some(c) = CLIENT.get() {
        return Ok(c);
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(20))
        .read_timeout(Duration::from_secs(300))
        .tcp_nodelay(true)
        .build()?;
    Ok(CLIENT.get_or_init(|| client))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_type_is_set_once() {
        let u = Url::parse("http://h/upload/x?uploadType=multipart&fields=id").unwrap();
        let u = with_upload_type(u, UploadProtocol::Resumable);
        assert_eq!(u.query(), Some("fields=id&uploadType=resumable"));
    }

    #[test]
    fn chunk_sizes_are_multiples_of_256k() {
        assert_eq!(round_chunk_size(0), CHUNK_GRANULARITY);
        assert_eq!(round_chunk_size(1), CHUNK_GRANULARITY);
        assert_eq!(
            round_chunk_size(CHUNK_GRANULARITY + 1),
            2 * CHUNK_GRANULARITY
        );
        assert_eq!(round_chunk_size(DEFAULT_CHUNK_SIZE), DEFAULT_CHUNK_SIZE);
    }

    #[test]
    fn protocols_round_trip() {
        for p in [
            UploadProtocol::Simple,
            UploadProtocol::Multipart,
            UploadProtocol::Resumable,
        ] {
            assert_eq!(UploadProtocol::from_upload_type(p.upload_type()), Some(p));
        }
        assert_eq!(UploadProtocol::from_upload_type("nope"), None);
    }
}
