//! Downloads (`alt=media`) streamed to disk or to a writer, chunk by chunk, and checked.
//!
//! A file download goes to `<target>.part` and is renamed when complete and checked. Beside
//! the `.part` a `<target>.part.meta` sidecar records which object it holds the start of (URL,
//! ETag, version, checksums). A later run resumes the `.part` only when that object is provably
//! the one still served: the facts agree with the object's metadata now, or the server honours
//! `If-Range` with the recorded strong ETag (a `206` with a matching `Content-Range` appends;
//! a `200` restarts from zero). Anything else starts over. A connection dropped mid-body is
//! resumed the same way, under the transport's retry policy.
//!
//! When the server states a checksum (in the metadata, see [`DownloadOptions::metadata_url`],
//! or in `x-goog-hash`) the bytes received are hashed as they arrive and compared at the end:
//! a mismatch is an error and leaves no file that looks complete. The target is never
//! overwritten unless asked.

use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use reqwest::header::{ACCEPT_ENCODING, CONTENT_LENGTH, CONTENT_RANGE, IF_RANGE, RANGE};
use reqwest::{Response, StatusCode};
use tokio::io::{AsyncReadExt, AsyncWrite, AsyncWriteExt};
use url::Url;

use super::integrity::{Hasher, ObjectFacts, Sidecar, meta_path};
use super::{MediaClient, Progress, io_error_for};
use crate::error::{Error, redact_url};

/// Options of a download.
#[derive(Debug, Clone)]
pub struct DownloadOptions {
    /// Replace the target if it exists (default: refuse).
    pub overwrite: bool,
    /// Continue from an existing `<target>.part` when it is provably of the same object
    /// (default: true).
    pub resume: bool,
    /// Called as bytes arrive.
    pub progress: Progress,
    /// The object's metadata URL (the same method without `alt=media`, asking for the
    /// integrity fields), read before the download to prove a resume and check the bytes.
    pub metadata_url: Option<Url>,
}

impl Default for DownloadOptions {
    fn default() -> Self {
        DownloadOptions {
            overwrite: false,
            resume: true,
            progress: Progress::none(),
            metadata_url: None,
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
    /// Reads the object's metadata (size, version, checksums) from this URL first; see
    /// [`crate::PreparedRequest::download_metadata_url`].
    pub fn metadata_url(mut self, url: Option<Url>) -> Self {
        self.metadata_url = url;
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
    /// The checksum the bytes were verified against (`sha256`, `md5`, `crc32c`), if the
    /// server stated one.
    pub verified: Option<&'static str>,
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

/// One media request: from `offset` (with `If-Range` when an ETag is known).
async fn request(
    client: &MediaClient,
    url: &Url,
    offset: u64,
    etag: Option<&str>,
) -> Result<Response, Error> {
    client
        .send(
            |http| {
                let mut rb = http.get(url.clone()).header(ACCEPT_ENCODING, "identity");
                if offset > 0 {
                    rb = rb.header(RANGE, format!("bytes={offset}-"));
                    if let Some(tag) = etag {
                        rb = rb.header(IF_RANGE, super::header(tag)?);
                    }
                }
                Ok(rb)
            },
            true,
        )
        .await
}

/// Reads the object's facts from its metadata URL, when one was given.
async fn metadata(client: &MediaClient, opts: &DownloadOptions) -> Result<ObjectFacts, Error> {
    let Some(url) = &opts.metadata_url else {
        return Ok(ObjectFacts::default());
    };
    let resp = client.send(|http| Ok(http.get(url.clone())), true).await?;
    let v = super::json_body(resp).await?;
    Ok(ObjectFacts::from_metadata(&v))
}

/// Whether bytes already received (`offset` of them, of an object described by `known`) may
/// be continued: with `If-Range` (an ETag), or when a checksum will check the whole at the end.
fn can_continue(known: &ObjectFacts) -> bool {
    known.etag.is_some() || known.checksum().is_some()
}

/// Checks the received bytes against what the server stated; `None` when it stated nothing.
fn verify(
    known: &ObjectFacts,
    hasher: Option<Hasher>,
    bytes: u64,
    what: &dyn Fn() -> String,
) -> Result<Option<&'static str>, Error> {
    if let Some(size) = known.size
        && size != bytes
    {
        return Err(Error::integrity(format!(
            "{} ended at {bytes} bytes, the server states {size}",
            what()
        )));
    }
    match (known.checksum(), hasher) {
        (Some((kind, want)), Some(h)) => {
            let got = h.finish();
            if got != want {
                return Err(Error::integrity(format!(
                    "the bytes of {} do not match the server's {} checksum (expected {want}, got {got})",
                    what(),
                    kind.name()
                )));
            }
            Ok(Some(kind.name()))
        }
        _ => Ok(None),
    }
}

/// Hashes the first `len` bytes of a file.
async fn hash_prefix(path: &Path, len: u64, hasher: &mut Hasher) -> Result<(), Error> {
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|e| io_error_for(path, e))?;
    let mut reader = file.take(len);
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = reader
            .read(&mut buf)
            .await
            .map_err(|e| io_error_for(path, e))?;
        if n == 0 {
            return Ok(());
        }
        hasher.update(&buf[..n]);
    }
}

async fn remove_if_exists(path: &Path) -> Result<(), Error> {
    match tokio::fs::remove_file(path).await {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error_for(path, e)),
    }
}

/// Where a file download starts: the `.part`'s length when it is provably of this object
/// (returning the facts recorded with it), else 0.
async fn resume_point(
    part: &Path,
    meta: &Path,
    url_text: &str,
    now: &ObjectFacts,
    opts: &DownloadOptions,
) -> (u64, ObjectFacts) {
    if !opts.resume {
        return (0, ObjectFacts::default());
    }
    let Ok(m) = tokio::fs::metadata(part).await else {
        return (0, ObjectFacts::default());
    };
    let Some(side) = Sidecar::load(meta).await else {
        tracing::debug!("{} has no readable sidecar: starting over", part.display());
        return (0, ObjectFacts::default());
    };
    if side.url != url_text {
        tracing::debug!("{} is of another URL: starting over", part.display());
        return (0, ObjectFacts::default());
    }
    let proved = match side.facts.same_content(now) {
        Some(same) => same,
        // Nothing to compare now: only If-Range with the recorded ETag can prove it.
        None => side.facts.etag.is_some(),
    };
    if !proved {
        tracing::debug!("{} is of another version: starting over", part.display());
        return (0, ObjectFacts::default());
    }
    (m.len(), side.facts)
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
    let meta = meta_path(&part);
    let url_text = redact_url(&url);
    let now = metadata(client, opts).await?;
    let (mut offset, recorded) = resume_point(&part, &meta, &url_text, &now, opts).await;
    // What is known of the object: its metadata now, then what the .part was started with
    // (its ETag for If-Range), then the first response's headers.
    let mut known = now.clone().merge(recorded);
    let resumed_from = offset;
    let what = || target.display().to_string();
    let policy = *client.transport().retry_policy();
    let mut failures = 0u32;
    // Opened once the server has answered, so a refused download leaves no file behind.
    let mut file: Option<tokio::fs::File> = None;
    let mut hasher: Option<Hasher> = None;
    let result: Result<(), Error> = async {
        loop {
            let resp = match request(client, &url, offset, known.etag.as_deref()).await {
                Ok(r) => r,
                Err(e) if e.http_status() == Some(416) && offset > 0 => {
                    // The .part is as long as the object or longer (stale): start over cleanly.
                    offset = 0;
                    truncate(&mut file, &part).await?;
                    continue;
                }
                Err(e) => return Err(e),
            };
            let headers = ObjectFacts::from_headers(resp.headers());
            let total = match classify(&resp, offset)? {
                Start::Append(t) => t,
                Start::Restart(t) => {
                    offset = 0;
                    t
                }
            };
            if offset == 0 {
                // A new start: what the server says now is what the bytes must match.
                known = now.clone().merge(headers);
            } else if headers.etag.is_some() && headers.etag != known.etag {
                return Err(Error::integrity(format!(
                    "{} changed on the server while downloading (ETag {:?}, was {:?}); run it again",
                    what(),
                    headers.etag,
                    known.etag
                )));
            }
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
                Sidecar {
                    url: url_text.clone(),
                    facts: known.clone(),
                }
                .save(&meta)
                .await
                .map_err(|e| io_error_for(&meta, e))?;
            }
            if hasher.is_none() || offset == 0 {
                hasher = known.checksum().map(|(kind, _)| Hasher::new(kind));
                if let Some(h) = hasher.as_mut().filter(|_| offset > 0) {
                    f.flush().await.map_err(|e| io_error_for(&part, e))?;
                    hash_prefix(&part, offset, h).await?;
                }
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
                        if let Some(h) = &mut hasher {
                            h.update(&bytes);
                        }
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
                            what()
                        )));
                    }
                    return Ok(());
                }
                Some(err) => {
                    failures += 1;
                    f.flush().await.map_err(|e| io_error_for(&part, e))?;
                    if !can_continue(&known) {
                        // Nothing proves the next bytes are of the same version: start over.
                        offset = 0;
                    }
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
    }
    .await;
    if let Err(e) = result {
        // A refused request leaves no empty .part behind; a partial one stays, with its
        // sidecar, for a later run to resume.
        if file.is_none() && resumed_from == 0 {
            remove_if_exists(&meta).await?;
        }
        return Err(e);
    }
    let mut file = match file {
        Some(f) => f,
        None => return Err(Error::upload("the download produced no response")),
    };
    file.flush().await.map_err(|e| io_error_for(&part, e))?;
    file.sync_all().await.map_err(|e| io_error_for(&part, e))?;
    drop(file);
    let verified = match verify(&known, hasher, offset, &what) {
        Ok(v) => v,
        Err(e) => {
            // Bad bytes are never kept, and never resumed from.
            remove_if_exists(&part).await?;
            remove_if_exists(&meta).await?;
            return Err(e);
        }
    };
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
    remove_if_exists(&meta).await?;
    Ok(DownloadReport {
        bytes: offset,
        resumed_from,
        verified,
    })
}

async fn truncate(file: &mut Option<tokio::fs::File>, part: &Path) -> Result<(), Error> {
    match file {
        Some(f) => f.set_len(0).await.map_err(|e| io_error_for(part, e)),
        None => remove_if_exists(part).await,
    }
}

pub(super) async fn to_writer<W>(
    client: &MediaClient,
    url: Url,
    writer: &mut W,
    opts: &DownloadOptions,
) -> Result<DownloadReport, Error>
where
    W: AsyncWrite + Unpin + ?Sized,
{
    let policy = *client.transport().retry_policy();
    let now = metadata(client, opts).await?;
    let mut known = now.clone();
    let mut hasher: Option<Hasher> = None;
    let mut written = 0u64;
    let mut failures = 0u32;
    let what = || "the download".to_string();
    loop {
        let resp = request(client, &url, written, known.etag.as_deref()).await?;
        let headers = ObjectFacts::from_headers(resp.headers());
        let total = match classify(&resp, written)? {
            Start::Append(t) => t,
            Start::Restart(t) if written == 0 => t,
            Start::Restart(_) => {
                return Err(Error::upload(
                    "the download was interrupted and the server does not support resuming it (no range support, or the object changed)",
                ));
            }
        };
        if written == 0 {
            known = now.clone().merge(headers);
            hasher = known.checksum().map(|(kind, _)| Hasher::new(kind));
        } else if headers.etag.is_some() && headers.etag != known.etag {
            return Err(Error::integrity(
                "the object changed on the server while downloading; run it again",
            ));
        }
        let mut body = resp.bytes_stream();
        let mut broken = None;
        while let Some(chunk) = body.next().await {
            match chunk {
                Ok(bytes) => {
                    writer.write_all(&bytes).await?;
                    if let Some(h) = &mut hasher {
                        h.update(&bytes);
                    }
                    written += bytes.len() as u64;
                    failures = 0;
                    opts.progress.report(written, total);
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
                if !can_continue(&known) {
                    // Bytes already written cannot be taken back, and nothing proves the
                    // rest would be of the same version.
                    return Err(err);
                }
                match policy.decide(failures, None, None, None, true) {
                    Some(wait) => tokio::time::sleep(wait).await,
                    None => return Err(err),
                }
            }
        }
    }
    writer.flush().await?;
    let verified = verify(&known, hasher, written, &what)?;
    Ok(DownloadReport {
        bytes: written,
        resumed_from: 0,
        verified,
    })
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
