//! Downloads (`alt=media`) streamed to disk or to a writer, chunk by chunk.
//!
//! A file download goes to `<target>.part` and is renamed when complete; an
//! existing `.part` is resumed with `Range: bytes=N-` (a `206` with a
//! matching `Content-Range` appends, a `200` restarts from zero). A
//! connection dropped mid-body is resumed the same way, under the
//! transport's retry policy. The target is never overwritten unless asked.

use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use reqwest::header::{ACCEPT_ENCODING, CONTENT_LENGTH, CONTENT_RANGE, RANGE};
use reqwest::{Response, StatusCode};
use tokio::io::{AsyncWrite, AsyncWriteExt};
use url::Url;

use super::{MediaClient, Progress, io_error_for};
use crate::error::Error;

/// Options of a file download.
#[derive(Debug, Clone)]
pub struct DownloadOptions {
    /// Replace the target if it exists (default: refuse).
    pub overwrite: bool,
    /// Continue from an existing `<target>.part` (default: true).
    pub resume: bool,
    /// Called as bytes arrive.
    pub progress: Progress,
}

impl Default for DownloadOptions {
    fn default() -> Self {
        DownloadOptions {
            overwrite: false,
            resume: true,
            progress: Progress::none(),
        }
    }
}

impl DownloadOptions {
    /// Allows replacing an existing target.
    pub fn overwrite(mut self, yes: bool) -> Self {
        self.overwrite = yes;
        self
    }
    /// Enables or disables resuming from `<target>.part`.
    pub fn resume(mut self, yes: bool) -> Self {
        self.resume = yes;
        self
    }
    /// Sets the progress callback.
    pub fn progress(mut self, progress: Progress) -> Self {
        self.progress = progress;
        self
    }
}

/// What a finished download did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DownloadReport {
    /// The size of the downloaded file.
    pub bytes: u64,
    /// The offset the download started from (non-zero when a `.part` was resumed).
    pub resumed_from: u64,
}

/// `<target>.part`.
pub fn part_path(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(".part");
    PathBuf::from(name)
}

/// How a response lines up with what is already written.
enum Start {
    /// Append to the existing bytes; the total size if known.
    Append(Option<u64>),
    /// The server sent the whole object: start over; the total size if known.
    Restart(Option<u64>),
}

fn classify(resp: &Response, offset: u64) -> Result<Start, Error> {
    let content_range = resp
        .headers()
        .get(CONTENT_RANGE)
        .and_then(|v| v.to_str().ok());
    match resp.status() {
        StatusCode::PARTIAL_CONTENT => {
            let (start, total) = content_range.and_then(parse_content_range).ok_or_else(|| {
                Error::upload("the server answered 206 without a readable Content-Range header")
            })?;
            if start != offset {
                return Err(Error::upload(format!(
                    "asked for bytes from {offset}, the server sent bytes from {start}"
                )));
            }
            Ok(Start::Append(total))
        }
        _ => Ok(Start::Restart(content_length(resp))),
    }
}

fn content_length(resp: &Response) -> Option<u64> {
    // reqwest's `content_length()` reports the body size hint; the header is the object's size.
    resp.headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// `bytes a-b/total` → (a, total).
pub(crate) fn parse_content_range(value: &str) -> Option<(u64, Option<u64>)> {
    let spec = value.trim().strip_prefix("bytes ")?;
    let (range, total) = spec.split_once('/')?;
    let (start, _end) = range.split_once('-')?;
    let total = if total.trim() == "*" {
        None
    } else {
        Some(total.trim().parse().ok()?)
    };
    Some((start.trim().parse().ok()?, total))
}

async fn request(client: &MediaClient, url: &Url, offset: u64) -> Result<Response, Error> {
    client
        .send(
            |http| {
                let mut rb = http.get(url.clone()).header(ACCEPT_ENCODING, "identity");
                if offset > 0 {
                    rb = rb.header(RANGE, format!("bytes={offset}-"));
                }
                Ok(rb)
            },
            true,
        )
        .await
}

pub(super) async fn to_file(
    client: &MediaClient,
    url: Url,
    target: &Path,
    opts: &DownloadOptions,
) -> Result<DownloadReport, Error> {
    if !opts.overwrite && target.exists() {
        return Err(Error::invalid_argument(format!(
            "{} already exists; choose another name or allow overwriting",
            target.display()
        )));
    }
    let part = part_path(target);
    let mut offset = if opts.resume {
        match tokio::fs::metadata(&part).await {
            Ok(m) => m.len(),
            Err(_) => 0,
        }
    } else {
        0
    };
    let resumed_from = offset;
    let policy = client.transport().retry_policy().clone();
    let mut failures = 0u32;
    // Opened once the server has answered, so a refused download leaves no file behind.
    let mut file: Option<tokio::fs::File> = None;
    loop {
        let resp = match request(client, &url, offset).await {
            Ok(r) => r,
            Err(e) if e.http_status() == Some(416) && offset > 0 => {
                // The .part is as long as the object or longer (stale): start over cleanly.
                offset = 0;
                truncate(&mut file, &part).await?;
                continue;
            }
            Err(e) => return Err(e),
        };
        let total = match classify(&resp, offset)? {
            Start::Append(t) => t,
            Start::Restart(t) => {
                offset = 0;
                t
            }
        };
        let f = match &mut file {
            Some(f) => f,
            None => {
                let f = tokio::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&part)
                    .await
                    .map_err(|e| io_error_for(&part, e))?;
                file.insert(f)
            }
        };
        if offset == 0 {
            f.set_len(0).await.map_err(|e| io_error_for(&part, e))?;
        }
        opts.progress.report(offset, total);
        let mut body = resp.bytes_stream();
        let mut broken: Option<Error> = None;
        while let Some(chunk) = body.next().await {
            match chunk {
                Ok(bytes) => {
                    f.write_all(&bytes)
                        .await
                        .map_err(|e| io_error_for(&part, e))?;
                    offset += bytes.len() as u64;
                    failures = 0;
                    opts.progress.report(offset, total);
                }
                Err(e) => {
                    broken = Some(Error::from(e));
                    break;
                }
            }
        }
        match broken {
            None => {
                if let Some(t) = total
                    && offset != t
                {
                    return Err(Error::upload(format!(
                        "download of {} ended at {offset} bytes, expected {t}; run it again to resume",
                        target.display()
                    )));
                }
                break;
            }
            Some(err) => {
                failures += 1;
                f.flush().await.map_err(|e| io_error_for(&part, e))?;
                match policy.decide(failures, None, None, None, true) {
                    Some(wait) => {
                        tracing::debug!(
                            offset,
                            ?wait,
                            "download interrupted, resuming with a Range request: {err}"
                        );
                        tokio::time::sleep(wait).await;
                    }
                    None => return Err(err),
                }
            }
        }
    }
    let mut file = match file {
        Some(f) => f,
        None => return Err(Error::upload("the download produced no response")),
    };
    file.flush().await.map_err(|e| io_error_for(&part, e))?;
    file.sync_all().await.map_err(|e| io_error_for(&part, e))?;
    drop(file);
    if !opts.overwrite && target.exists() {
        return Err(Error::invalid_argument(format!(
            "{} appeared while downloading; the data is in {}",
            target.display(),
            part.display()
        )));
    }
    tokio::fs::rename(&part, target)
        .await
        .map_err(|e| io_error_for(target, e))?;
    Ok(DownloadReport {
        bytes: offset,
        resumed_from,
    })
}

async fn truncate(file: &mut Option<tokio::fs::File>, part: &Path) -> Result<(), Error> {
    match file {
        Some(f) => f.set_len(0).await.map_err(|e| io_error_for(part, e)),
        None => match tokio::fs::remove_file(part).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error_for(part, e)),
        },
    }
}

pub(super) async fn to_writer<W>(
    client: &MediaClient,
    url: Url,
    writer: &mut W,
    progress: &Progress,
) -> Result<u64, Error>
where
    W: AsyncWrite + Unpin + ?Sized,
{
    let policy = client.transport().retry_policy().clone();
    let mut written = 0u64;
    let mut failures = 0u32;
    loop {
        let resp = request(client, &url, written).await?;
        let total = match classify(&resp, written)? {
            Start::Append(t) => t,
            Start::Restart(t) if written == 0 => t,
            Start::Restart(_) => {
                return Err(Error::upload(
                    "the download was interrupted and the server does not support resuming it (no range support)",
                ));
            }
        };
        let mut body = resp.bytes_stream();
        let mut broken = None;
        while let Some(chunk) = body.next().await {
            match chunk {
                Ok(bytes) => {
                    writer.write_all(&bytes).await?;
                    written += bytes.len() as u64;
                    failures = 0;
                    progress.report(written, total);
                }
                Err(e) => {
                    broken = Some(Error::from(e));
                    break;
                }
            }
        }
        match broken {
            None => break,
            Some(err) => {
                failures += 1;
                match policy.decide(failures, None, None, None, true) {
                    Some(wait) => tokio::time::sleep(wait).await,
                    None => return Err(err),
                }
            }
        }
    }
    writer.flush().await?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_content_range() {
        assert_eq!(
            parse_content_range("bytes 10-19/100"),
            Some((10, Some(100)))
        );
        assert_eq!(parse_content_range("bytes 0-0/*"), Some((0, None)));
        assert_eq!(parse_content_range("items 0-1/2"), None);
    }

    #[test]
    fn part_file_name() {
        assert_eq!(
            part_path(Path::new("/tmp/a.bin")),
            PathBuf::from("/tmp/a.bin.part")
        );
    }
}
