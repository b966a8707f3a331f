//! The media forms of a typed [`Call`]: [`Upload`] and [`Download`] (the `media` feature).

use std::marker::PhantomData;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::media::{DownloadReport, MediaSource, Progress, UploadProtocol};
use crate::media_call::{DownloadCall, UploadCall};
use crate::method_call::MethodCall;

use super::call::{Call, failed};

impl<T> Call<T> {
    /// Uploads `media` as this call's content (the body, if any, is its metadata): from a
    /// file ([`MediaSource::path`]), bytes or an async reader.
    pub fn upload(self, media: impl Into<MediaSource>) -> Upload<T> {
        let media = media.into();
        let what = self
            .call
            .as_ref()
            .map(|c| c.method().id.clone())
            .unwrap_or_default();
        Upload {
            call: self.call.map(|c| c.upload(media)),
            what,
            answer: PhantomData,
        }
    }

    /// Downloads this call's media (`alt=media`), checked against the server's checksum.
    pub fn download(self) -> Download {
        Download {
            call: self.call.map(MethodCall::download),
        }
    }
}

/// An upload being put together (see [`Call::upload`]), answered as `T`.
pub struct Upload<T> {
    call: Result<UploadCall, String>,
    what: String,
    answer: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Upload<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Upload").field(&self.call).finish()
    }
}

impl<T> Upload<T> {
    fn map(mut self, f: impl FnOnce(UploadCall) -> UploadCall) -> Self {
        self.call = self.call.map(f);
        self
    }
    /// The media's MIME type (default `application/octet-stream`).
    pub fn content_type(self, mime: impl Into<String>) -> Self {
        let mime = mime.into();
        self.map(|c| c.content_type(mime))
    }
    /// Forces a protocol (default: resumable above 5 MiB or of unknown size, else multipart
    /// with metadata, else simple).
    pub fn protocol(self, protocol: UploadProtocol) -> Self {
        self.map(|c| c.protocol(protocol))
    }
    /// The resumable chunk size (rounded up to a multiple of 256 KiB).
    pub fn chunk_size(self, bytes: usize) -> Self {
        self.map(|c| c.chunk_size(bytes))
    }
    /// Reports progress as bytes are sent.
    pub fn progress(self, progress: Progress) -> Self {
        self.map(|c| c.progress(progress))
    }
    /// Keeps the resumable session in this file, so a later run can resume it.
    pub fn session_file(self, path: impl Into<std::path::PathBuf>) -> Self {
        let path = path.into();
        self.map(|c| c.session_file(path))
    }
}

impl<T: DeserializeOwned> Upload<T> {
    /// Sends the media and decodes the method's answer.
    pub async fn execute(self) -> Result<T, Error> {
        let value = self.call.map_err(|e| failed(&e))?.send().await?;
        crate::decode::from_value(&self.what, "", &value)
    }
}

/// A media download being put together (see [`Call::download`]).
#[derive(Debug, Clone)]
pub struct Download {
    call: Result<DownloadCall, String>,
}

impl Download {
    fn map(mut self, f: impl FnOnce(DownloadCall) -> DownloadCall) -> Self {
        self.call = self.call.map(f);
        self
    }
    /// Allows replacing an existing target file (default: refuse).
    pub fn overwrite(self, yes: bool) -> Self {
        self.map(|c| c.overwrite(yes))
    }
    /// Continues an earlier partial download of the same object (default: on).
    pub fn resume(self, yes: bool) -> Self {
        self.map(|c| c.resume(yes))
    }
    /// Reports progress as bytes arrive.
    pub fn progress(self, progress: Progress) -> Self {
        self.map(|c| c.progress(progress))
    }
    /// Downloads to the file `target`, through a partial file renamed once complete and checked.
    pub async fn to_file(self, target: impl AsRef<Path>) -> Result<DownloadReport, Error> {
        self.call.map_err(|e| failed(&e))?.to_file(target).await
    }
    /// Streams into `writer`; checked against the server's checksum at the end (on a mismatch
    /// the error says so and what was written must not be used).
    pub async fn to_writer<W>(self, writer: &mut W) -> Result<DownloadReport, Error>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        self.call.map_err(|e| failed(&e))?.to_writer(writer).await
    }
    /// The whole media in memory (checked like [`Download::to_writer`]).
    pub async fn to_bytes(self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        self.to_writer(&mut out).await?;
        Ok(out)
    }
}

impl From<std::path::PathBuf> for MediaSource {
    fn from(path: std::path::PathBuf) -> Self {
        MediaSource::Path(path)
    }
}

impl From<&Path> for MediaSource {
    fn from(path: &Path) -> Self {
        MediaSource::Path(path.to_path_buf())
    }
}

impl From<Vec<u8>> for MediaSource {
    fn from(bytes: Vec<u8>) -> Self {
        MediaSource::Bytes(bytes.into())
    }
}

impl From<bytes::Bytes> for MediaSource {
    fn from(bytes: bytes::Bytes) -> Self {
        MediaSource::Bytes(bytes)
    }
}
