//! The two one-request upload protocols: simple (`uploadType=media`) and
//! multipart (`uploadType=multipart`, a `multipart/related` body).
//!
//! A file source is streamed from disk for each attempt (never held whole
//! in memory); other sources are read into memory first so a retry can send
//! the same bytes again (use the resumable protocol for large streams).

use bytes::Bytes;
use futures_util::{StreamExt, stream};
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
use serde_json::Value;
use tokio_util::io::ReaderStream;
use url::Url;

use super::{MediaClient, MediaSource, Progress, UploadOptions, header, io_error_for, json_body};
use crate::error::Error;
use crate::retry::is_idempotent_method;

/// The body of a one-request upload: framing bytes around the media.
struct Body {
    prefix: Bytes,
    media: Media,
    suffix: Bytes,
}

enum Media {
    File {
        path: std::path::PathBuf,
        size: u64,
    },
    /// The whole body (framing included), built once and cheaply re-sent on retry.
    Memory {
        whole: Bytes,
        media_len: u64,
    },
}

impl Body {
    async fn new(source: MediaSource, prefix: Bytes, suffix: Bytes) -> Result<Body, Error> {
        let media = match source {
            MediaSource::Path(path) => {
                let size = std::fs::metadata(&path)
                    .map_err(|e| io_error_for(&path, e))?
                    .len();
                Media::File { path, size }
            }
            other => {
                let data = other.into_bytes().await?;
                let mut whole = Vec::with_capacity(prefix.len() + data.len() + suffix.len());
                whole.extend_from_slice(&prefix);
                whole.extend_from_slice(&data);
                whole.extend_from_slice(&suffix);
                Media::Memory {
                    whole: whole.into(),
                    media_len: data.len() as u64,
                }
            }
        };
        Ok(Body {
            prefix,
            media,
            suffix,
        })
    }

    fn media_len(&self) -> u64 {
        match &self.media {
            Media::File { size, .. } => *size,
            Media::Memory { media_len, .. } => *media_len,
        }
    }

    fn len(&self) -> u64 {
        self.prefix.len() as u64 + self.media_len() + self.suffix.len() as u64
    }

    /// A fresh request body (re-opens the file), reporting media bytes to `progress`.
    fn to_reqwest(&self, progress: &Progress) -> Result<reqwest::Body, Error> {
        match &self.media {
            Media::Memory { whole, .. } => Ok(reqwest::Body::from(whole.clone())),
            Media::File { path, size } => {
                let file = std::fs::File::open(path).map_err(|e| io_error_for(path, e))?;
                let file = tokio::fs::File::from_std(file);
                let total = Some(*size);
                let progress = progress.clone();
                let mut done = 0u64;
                let media = ReaderStream::with_capacity(file, 256 * 1024).map(move |chunk| {
                    if let Ok(c) = &chunk {
                        done += c.len() as u64;
                        progress.report(done, total);
                    }
                    chunk
                });
                let head = stream::once(std::future::ready(Ok::<Bytes, std::io::Error>(
                    self.prefix.clone(),
                )));
                let tail = stream::once(std::future::ready(Ok::<Bytes, std::io::Error>(
                    self.suffix.clone(),
                )));
                Ok(reqwest::Body::wrap_stream(head.chain(media).chain(tail)))
            }
        }
    }
}

/// `uploadType=media`: the body is exactly the source bytes.
pub(super) async fn simple(
    client: &MediaClient,
    method: reqwest::Method,
    url: Url,
    source: MediaSource,
    opts: &UploadOptions,
) -> Result<Value, Error> {
    let body = Body::new(source, Bytes::new(), Bytes::new()).await?;
    send(client, method, url, &body, &opts.content_type, opts).await
}

/// `uploadType=multipart`: metadata JSON part, then the media part, between random boundaries.
pub(super) async fn multipart(
    client: &MediaClient,
    method: reqwest::Method,
    url: Url,
    metadata: Option<&Value>,
    source: MediaSource,
    opts: &UploadOptions,
) -> Result<Value, Error> {
    let metadata = match metadata {
        Some(m) if !m.is_null() => serde_json::to_vec(m)?,
        _ => b"{}".to_vec(),
    };
    let mut boundary = random_boundary();
    if let MediaSource::Bytes(data) = &source {
        // In-memory data can be checked; for files a 192-bit random boundary suffices.
        while contains(data, boundary.as_bytes()) || contains(&metadata, boundary.as_bytes()) {
            boundary = random_boundary();
        }
    }
    let (prefix, suffix) = multipart_framing(&boundary, &metadata, &opts.content_type);
    let body = Body::new(source, prefix, suffix).await?;
    let content_type = format!("multipart/related; boundary={boundary}");
    send(client, method, url, &body, &content_type, opts).await
}

async fn send(
    client: &MediaClient,
    method: reqwest::Method,
    url: Url,
    body: &Body,
    content_type: &str,
    opts: &UploadOptions,
) -> Result<Value, Error> {
    let content_type = header(content_type)?;
    let len = body.len();
    let total = Some(body.media_len());
    let idempotent = is_idempotent_method(method.as_str());
    let resp = client
        .send(
            |http| {
                Ok(http
                    .request(method.clone(), url.clone())
                    .header(CONTENT_TYPE, content_type.clone())
                    .header(CONTENT_LENGTH, len)
                    .body(body.to_reqwest(&opts.progress)?))
            },
            idempotent,
        )
        .await?;
    opts.progress.report(body.media_len(), total);
    json_body(resp).await
}

/// The bytes before and after the media in a `multipart/related` body.
pub(crate) fn multipart_framing(
    boundary: &str,
    metadata: &[u8],
    media_type: &str,
) -> (Bytes, Bytes) {
    let mut prefix = Vec::with_capacity(metadata.len() + 200);
    prefix.extend_from_slice(
        format!("--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n").as_bytes(),
    );
    prefix.extend_from_slice(metadata);
    prefix.extend_from_slice(
        format!("\r\n--{boundary}\r\nContent-Type: {media_type}\r\n\r\n").as_bytes(),
    );
    let suffix = format!("\r\n--{boundary}--\r\n");
    (prefix.into(), Bytes::from(suffix))
}

fn random_boundary() -> String {
    let mut raw = [0u8; 24];
    if getrandom::fill(&mut raw).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        raw[..16].copy_from_slice(&t.to_le_bytes());
    }
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    format!("gapi_boundary_{hex}")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_wraps_metadata_and_media() {
        let (p, s) = multipart_framing("B", br#"{"name":"x"}"#, "text/plain");
        assert_eq!(
            &p[..],
            b"--B\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{\"name\":\"x\"}\r\n--B\r\nContent-Type: text/plain\r\n\r\n"
        );
        assert_eq!(&s[..], b"\r\n--B--\r\n");
    }

    #[test]
    fn boundaries_are_random_and_token_safe() {
        let a = random_boundary();
        let b = random_boundary();
        assert_ne!(a, b);
        assert!(a.len() <= 70 && a.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_'));
    }

    #[test]
    fn contains_finds_subslices() {
        assert!(contains(b"abc--Bxyz", b"--B"));
        assert!(!contains(b"abc", b"abcd"));
        assert!(!contains(b"abc", b""));
    }
}
