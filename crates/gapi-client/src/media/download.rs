//! Downloads (`alt=media`) streamed to disk or to a writer, chunk by chunk, and checked.
//!
//! A file download goes to a partial file `<target>.<random>.part`, created exclusively, and
//! gets its final name when complete and checked. A `<target>.part.meta` sidecar records the
//! partial file's name and which object it holds the start of (URL, ETag, version, checksums).
//! A later run continues the partial file only when it is this user's own regular file (see
//! `partfile`: no link, FIFO or another user's file is ever opened) and that object is provably
//! the one still served: the facts agree with the object's metadata now, or the server honours
//! `If-Range` with the recorded strong ETag (a `206` with a matching `Content-Range` appends;
//! a `200` restarts from zero). Anything else starts over. A connection dropped mid-body is
//! resumed the same way, under the transport's retry policy.
//!
//! When the server states a checksum (in the metadata, see [`DownloadOptions::metadata_url`],
//! or in `x-goog-hash`) the bytes received are hashed as they arrive and compared at the end:
//! a mismatch is an error and leaves no file that looks complete. The target is never
//! overwritten unless asked.

use std::io::SeekFrom;
use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use reqwest::header::{ACCEPT_ENCODING, CONTENT_LENGTH, CONTENT_RANGE, IF_RANGE, RANGE};
use reqwest::{Response, StatusCode};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWrite, AsyncWriteExt};
use url::Url;

use super::integrity::{Hasher, ObjectFacts, Sidecar};
use super::partfile;
use super::{MediaClient, Progress, io_error_for};
use crate::error::{Error, redact_url};

/// Options of a download.
#[derive(Debug, Clone)]
#[must_use = "builder methods return the changed value; use it"]
pub struct DownloadOptions {
    /// Replace the target if it exists (default: refuse).
    pub overwrite: bool,
    /// Continue the partial file an earlier run left (named by `<target>.part.meta`) when it is
    /// this user's and provably of the same object (default: true).
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
    /// Enables or disables continuing an earlier run's partial file.
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
    /// The offset the download started from (non-zero when a partial file was resumed).
    pub resumed_from: u64,
    /// The checksum the bytes were verified against (`sha256`, `md5`, `crc32c`), if the
    /// server stated one.
    pub verified: Option<&'static str>,
}

/// The partial file an interrupted download of `target` left, as its sidecar
/// (`<target>.part.meta`) names it: where a later run would continue from. `None` when there is
/// no sidecar of this user's or it names no partial file.
pub async fn partial_download(target: &Path) -> Option<PathBuf> {
    let side = Sidecar::load(target).await?;
    partfile::part_named(target, side.part.as_deref()?)
}

/// A partial file held open by this run, with its name for the sidecar.
struct Part {
    name: String,
    path: PathBuf,
    file: tokio::fs::File,
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> std::io::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(std::io::Error::other)?
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

/// Hashes the first `len` bytes of the partial file (through the descriptor already open, never
/// by its name again).
async fn hash_prefix(part: &mut Part, len: u64, hasher: &mut Hasher) -> Result<(), Error> {
    let path = &part.path;
    part.file.flush().await.map_err(|e| io_error_for(path, e))?;
    let mut reader = part
        .file
        .try_clone()
        .await
        .map_err(|e| io_error_for(path, e))?;
    // The handle appends: the shared position moved here does not move where bytes are written.
    reader
        .seek(SeekFrom::Start(0))
        .await
        .map_err(|e| io_error_for(path, e))?;
    let mut reader = reader.take(len);
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

/// What a previous run left for `target`: this user's partial file named by its sidecar, opened
/// (to append) with the checks of `partfile`, and its sidecar; `None` when there is none or it
/// may not be used.
async fn existing_part(target: &Path) -> Option<(Part, Sidecar)> {
    let side = Sidecar::load(target).await?;
    let name = side.part.clone()?;
    let path = partfile::part_named(target, &name)?;
    let opened = {
        let path = path.clone();
        blocking(move || partfile::open_own(&path, true)).await
    };
    match opened {
        Ok(file) => Some((
            Part {
                name,
                path,
                file: tokio::fs::File::from_std(file),
            },
            side,
        )),
        Err(e) => {
            tracing::debug!("not continuing a partial download: {e}");
            None
        }
    }
}

/// Where a file download starts: the partial file's length when it is provably of this object
/// (returning the facts recorded with it), else 0. A partial file of this user's that is not
/// continued is still reused (emptied) rather than left behind.
async fn resume_point(
    existing: Option<(Part, Sidecar)>,
    url_text: &str,
    now: &ObjectFacts,
    opts: &DownloadOptions,
) -> (Option<Part>, u64, ObjectFacts) {
    let Some((part, side)) = existing else {
        return (None, 0, ObjectFacts::default());
    };
    let start_over = |part: Part, why: &str| {
        tracing::debug!("{}: {why}: starting over", part.path.display());
        (Some(part), 0, ObjectFacts::default())
    };
    if !opts.resume {
        return start_over(part, "resuming is off");
    }
    if side.url != url_text {
        return start_over(part, "of another URL");
    }
    let proved = match side.facts.same_content(now) {
        Some(same) => same,
        // Nothing to compare now: only If-Range with the recorded ETag can prove it.
        None => side.facts.etag.is_some(),
    };
    if !proved {
        return start_over(part, "of another version");
    }
    let len = match part.file.metadata().await {
        Ok(m) => m.len(),
        Err(e) => return start_over(part, &e.to_string()),
    };
    (Some(part), len, side.facts)
}

fn exists_error(target: &Path) -> Error {
    Error::invalid_argument(format!(
        "{} already exists; choose another name or allow overwriting",
        target.display()
    ))
}

pub(super) async fn to_file(
    client: &MediaClient,
    url: Url,
    target: &Path,
    opts: &DownloadOptions,
) -> Result<DownloadReport, Error> {
    // Anything at the name counts, a dangling link included: it is never written through.
    if !opts.overwrite && std::fs::symlink_metadata(target).is_ok() {
        return Err(exists_error(target));
    }
    let url_text = redact_url(&url);
    let now = metadata(client, opts).await?;
    let existing = existing_part(target).await;
    let (mut part, mut offset, recorded) = resume_point(existing, &url_text, &now, opts).await;
    // What is known of the object: its metadata now, then what the partial file was started
    // with (its ETag for If-Range), then the first response's headers.
    let mut known = now.clone().merge(recorded);
    let resumed_from = offset;
    let what = || target.display().to_string();
    let policy = *client.transport().retry_policy();
    let mut failures = 0u32;
    let mut hasher: Option<Hasher> = None;
    let result: Result<(), Error> = async {
        loop {
            let resp = match request(client, &url, offset, known.etag.as_deref()).await {
                Ok(r) => r,
                Err(e) if e.http_status() == Some(416) && offset > 0 => {
                    // The partial file is as long as the object or longer (stale): start over.
                    offset = 0;
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
            // Made once the server has answered, so a refused download leaves no file behind.
            let p = match &mut part {
                Some(p) => p,
                None => {
                    let t = target.to_path_buf();
                    let (name, path, file) = blocking(move || partfile::create_part(&t))
                        .await
                        .map_err(|e| io_error_for(target, e))?;
                    part.insert(Part {
                        name,
                        path,
                        file: tokio::fs::File::from_std(file),
                    })
                }
            };
            if offset == 0 {
                p.file
                    .set_len(0)
                    .await
                    .map_err(|e| io_error_for(&p.path, e))?;
                Sidecar {
                    url: url_text.clone(),
                    facts: known.clone(),
                    part: Some(p.name.clone()),
                }
                .save(target)
                .await
                .map_err(|e| io_error_for(&partfile::sidecar_path(target), e))?;
            }
            if hasher.is_none() || offset == 0 {
                hasher = known.checksum().map(|(kind, _)| Hasher::new(kind));
                if let Some(h) = hasher.as_mut().filter(|_| offset > 0) {
                    hash_prefix(p, offset, h).await?;
                }
            }
            opts.progress.report(offset, total);
            let mut body = resp.bytes_stream();
            let mut broken: Option<Error> = None;
            while let Some(chunk) = body.next().await {
                match chunk {
                    Ok(bytes) => {
                        p.file
                            .write_all(&bytes)
                            .await
                            .map_err(|e| io_error_for(&p.path, e))?;
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
                    p.file.flush().await.map_err(|e| io_error_for(&p.path, e))?;
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
    let meta = partfile::sidecar_path(target);
    if let Err(e) = result {
        // A refused request leaves no partial file and no sidecar naming none; a partial one
        // stays, with its sidecar, for a later run to resume.
        if part.is_none() {
            partfile::remove_quietly(&meta);
        }
        return Err(e);
    }
    let Some(Part {
        path: part_path,
        mut file,
        ..
    }) = part
    else {
        return Err(Error::upload("the download produced no response"));
    };
    file.flush()
        .await
        .map_err(|e| io_error_for(&part_path, e))?;
    file.sync_all()
        .await
        .map_err(|e| io_error_for(&part_path, e))?;
    drop(file);
    let verified = match verify(&known, hasher, offset, &what) {
        Ok(v) => v,
        Err(e) => {
            // Bad bytes are never kept, and never resumed from.
            partfile::remove_quietly(&part_path);
            partfile::remove_quietly(&meta);
            return Err(e);
        }
    };
    let published = {
        let (part_path, target, overwrite) =
            (part_path.clone(), target.to_path_buf(), opts.overwrite);
        blocking(move || partfile::publish(&part_path, &target, overwrite)).await
    };
    match published {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::invalid_argument(format!(
                "{} appeared while downloading; the data is in {}",
                target.display(),
                part_path.display()
            )));
        }
        Err(e) => return Err(io_error_for(target, e)),
    }
    partfile::remove_quietly(&meta);
    Ok(DownloadReport {
        bytes: offset,
        resumed_from,
        verified,
    })
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
}
