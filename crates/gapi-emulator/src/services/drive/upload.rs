//! Uploads to `/upload/drive/v3/files`: `uploadType=media`, `multipart` and `resumable` (session
//! URI in `Location`, chunks with `Content-Range`, 308 + `Range` until complete, `bytes */N`
//! status queries, `X-GUploader-No-308: yes`).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use serde_json::{Map, Value};

use super::Shared;
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::{Params, SMALL_BODY_LIMIT, UPLOAD_LIMIT, json_object, read_limited};
use crate::framework::random;

use super::files::{blank_file, update_metadata};
use super::metadata::{self, Mode};
use super::model::UploadSession;
use super::scopes::{DriveScopes, Need};
use super::{drive_mut, owner, render_file};
use crate::framework::caller::{Caller, authenticate};
use crate::framework::multipart;

/// Resumable chunks other than the last must be multiples of this (as Google requires).
pub(crate) const CHUNK_GRANULARITY: u64 = 256 * 1024;
/// Largest total size of a resumable upload held in memory.
const MAX_RESUMABLE: u64 = 1024 * 1024 * 1024;

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn content_type(headers: &HeaderMap) -> Option<String> {
    header_str(headers, "content-type").map(|s| s.trim().to_owned())
}

/// `POST /upload/drive/v3/files`.
pub(crate) async fn create(
    State(state): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult {
    start(state, None, uri, headers, body).await
}

/// `PATCH /upload/drive/v3/files/{fileId}`: new content (and metadata) for a file.
pub(crate) async fn update(
    State(state): State<Shared>,
    Path(file_id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult {
    start(state, Some(file_id), uri, headers, body).await
}

async fn start(
    state: Shared,
    target: Option<String>,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult {
    let params = Params::from_query(&uri);
    if params.get("upload_id").is_some() {
        // Some clients POST (or PATCH) chunks to the session URI.
        return chunk(state, params, headers, body).await;
    }
    let caller = authenticate(&state.core, &headers, &params)?;
    caller.require(Need::Write)?;
    super::files::alt_media(&params, false)?;
    match params.get("uploadType") {
        Some("media") => {
            let bytes = read_limited(body, UPLOAD_LIMIT).await?;
            finish(
                &state,
                &caller,
                target.as_deref(),
                &params,
                Map::new(),
                bytes,
                content_type(&headers),
                params.get("fields"),
            )
        }
        Some("multipart") | Some("related") => {
            let ct = content_type(&headers).unwrap_or_default();
            let Some(boundary) = multipart::boundary(&ct).filter(|_| ct.starts_with("multipart/"))
            else {
                return Err(ApiError::bad_request(
                    "Multipart uploads need Content-Type: multipart/related; boundary=...",
                )
                .at("Content-Type", "header"));
            };
            let bytes = read_limited(body, UPLOAD_LIMIT).await?;
            let parts = multipart::parse(&bytes, &boundary, 2)
                .map_err(|e| ApiError::bad_request(format!("Malformed multipart body: {e}")))?;
            let [meta_part, media_part] = parts.as_slice() else {
                return Err(ApiError::bad_request(format!(
                    "A multipart upload has exactly two parts (metadata, then media); got {}.",
                    parts.len()
                )));
            };
            let meta = json_object(&meta_part.body)?;
            let media_type = media_part.header("content-type").map(str::to_owned);
            finish(
                &state,
                &caller,
                target.as_deref(),
                &params,
                meta,
                media_part.body.clone(),
                media_type,
                params.get("fields"),
            )
        }
        Some("resumable") => {
            let meta = json_object(&read_limited(body, SMALL_BODY_LIMIT).await?)?;
            let total = match header_str(&headers, "x-upload-content-length") {
                None => None,
                Some(v) => Some(v.trim().parse::<u64>().map_err(|_| {
                    ApiError::bad_request(format!("Invalid X-Upload-Content-Length: {v}"))
                        .at("X-Upload-Content-Length", "header")
                })?),
            };
            if total.is_some_and(|t| t > MAX_RESUMABLE) {
                return Err(ApiError::too_large(MAX_RESUMABLE as usize));
            }
            {
                // Validate the metadata now, so errors surface before any bytes are sent.
                let mut inner = state.data.write();
                let drive = drive_mut(&mut inner, &caller.email);
                match &target {
                    Some(id) => {
                        let file = drive
                            .files
                            .get(id)
                            .ok_or_else(|| ApiError::file_not_found(id))?;
                        caller.check(Need::Write, file)?;
                    }
                    None => {
                        let mut probe = blank_file(&caller, &drive.root_id);
                        metadata::apply(&mut probe, &meta, Mode::Create, drive, &caller)?;
                    }
                }
            }
            let id = random::token(32);
            let session = UploadSession {
                email: caller.email.clone(),
                client_id: caller.client_id.clone(),
                scopes: caller.scopes.clone(),
                target: target.clone(),
                metadata: meta,
                mime_type: header_str(&headers, "x-upload-content-type").map(str::to_owned),
                total,
                received: None,
                fields: params.get("fields").map(str::to_owned),
                done: None,
            };
            {
                let mut inner = state.data.write();
                inner.uploads.insert(id.clone(), session);
            }
            let path = match &target {
                Some(t) => format!("/upload/drive/v3/files/{t}"),
                None => "/upload/drive/v3/files".to_owned(),
            };
            let location = format!(
                "{}{path}?uploadType=resumable&upload_id={id}",
                state.core.base_url
            );
            let mut response = StatusCode::OK.into_response();
            let h = response.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&location) {
                h.insert(header::LOCATION, v);
            }
            if let Ok(v) = HeaderValue::from_str(&id) {
                h.insert("x-guploader-uploadid", v);
            }
            Ok(response)
        }
        None => Err(ApiError::invalid_param(
            "uploadType",
            "Upload requests must specify an uploadType (media, multipart or resumable).",
        )),
        Some(other) => Err(ApiError::invalid_param(
            "uploadType",
            format!("Invalid uploadType '{other}' (use media, multipart or resumable)."),
        )),
    }
}

/// Stores the uploaded file (new or updated) and answers with its resource.
#[allow(clippy::too_many_arguments)]
fn finish(
    state: &Shared,
    caller: &Caller,
    target: Option<&str>,
    params: &Params,
    meta: Map<String, Value>,
    bytes: Bytes,
    media_type: Option<String>,
    fields: Option<&str>,
) -> ApiResult {
    let user = owner(&caller.email)?;
    let media_type = media_type.filter(|m| !m.is_empty() && !m.starts_with("multipart/"));
    let mut inner = state.data.write();
    let file = match target {
        Some(id) => update_metadata(
            &mut inner,
            caller,
            id,
            params,
            &meta,
            Some((bytes, media_type)),
        )?,
        None => {
            let drive = drive_mut(&mut inner, &caller.email);
            let mut file = blank_file(caller, &drive.root_id);
            if let Some(m) = media_type {
                file.mime_type = m;
            }
            metadata::apply(&mut file, &meta, Mode::Create, drive, caller)?;
            if file.is_google_type() {
                return Err(ApiError::bad_request(
                    "Converting uploads to Google Docs types is not supported by the emulator.",
                ));
            }
            file.content = Some(bytes);
            drive.generated_ids.remove(&file.id);
            drive.files.insert(file.id.clone(), file.clone());
            file
        }
    };
    Ok(json_ok(&render_file(
        &file,
        user,
        &state.core.base_url,
        fields,
    )?))
}

/// `PUT /upload/drive/v3/files?upload_id=...`: a chunk or a status query.
pub(crate) async fn resume(
    State(state): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult {
    chunk(state, Params::from_query(&uri), headers, body).await
}

/// `PUT /upload/drive/v3/files/{fileId}?upload_id=...`.
pub(crate) async fn resume_update(
    State(state): State<Shared>,
    Path(_file_id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult {
    chunk(state, Params::from_query(&uri), headers, body).await
}

/// `Content-Range` of a chunk.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ChunkRange {
    /// No header: the body is the whole content.
    Whole,
    /// `bytes */N` or `bytes */*`.
    Query { total: Option<u64> },
    /// `bytes a-b/N` or `bytes a-b/*`.
    Bytes {
        first: u64,
        last: u64,
        total: Option<u64>,
    },
}

pub(crate) fn parse_content_range(value: Option<&str>) -> Result<ChunkRange, ApiError> {
    let Some(value) = value else {
        return Ok(ChunkRange::Whole);
    };
    let bad = || {
        ApiError::bad_request(format!(
            "Invalid Content-Range '{value}' (use bytes FIRST-LAST/TOTAL, bytes FIRST-LAST/* or bytes */TOTAL)"
        ))
        .at("Content-Range", "header")
    };
    let spec = value.trim().strip_prefix("bytes ").ok_or_else(bad)?;
    let (range, total) = spec.split_once('/').ok_or_else(bad)?;
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse::<u64>().map_err(|_| bad())?),
    };
    if range.trim() == "*" {
        return Ok(ChunkRange::Query { total });
    }
    let (first, last) = range.split_once('-').ok_or_else(bad)?;
    let first = first.trim().parse::<u64>().map_err(|_| bad())?;
    let last = last.trim().parse::<u64>().map_err(|_| bad())?;
    if last < first || total.is_some_and(|t| last >= t) {
        return Err(bad());
    }
    Ok(ChunkRange::Bytes { first, last, total })
}

/// 308 Resume Incomplete with the received range (or 200 + override header on request).
fn incomplete(received: u64, headers: &HeaderMap) -> Response {
    let no_308 =
        header_str(headers, "x-guploader-no-308").is_some_and(|v| v.eq_ignore_ascii_case("yes"));
    let status = if no_308 {
        StatusCode::OK
    } else {
        StatusCode::PERMANENT_REDIRECT
    };
    let mut response = status.into_response();
    let h = response.headers_mut();
    if received > 0
        && let Ok(v) = HeaderValue::from_str(&format!("bytes=0-{}", received - 1))
    {
        h.insert(header::RANGE, v);
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(0));
    if no_308 {
        h.insert(
            "x-http-status-code-override",
            HeaderValue::from_static("308"),
        );
    }
    response
}

async fn chunk(
    state: Shared,
    params: Params,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult {
    let Some(upload_id) = params.non_empty("upload_id").map(str::to_owned) else {
        return Err(ApiError::invalid_param(
            "upload_id",
            "PUT to /upload/drive/v3/files needs the upload_id of a resumable session.",
        ));
    };
    let range = parse_content_range(header_str(&headers, "content-range"))?;
    let bytes = read_limited(body, UPLOAD_LIMIT).await?;
    let session = state.data.read().uploads.get(&upload_id).cloned();
    let Some(mut session) = session else {
        return Err(ApiError::new(
            404,
            "NOT_FOUND",
            "notFound",
            "No upload session with this upload_id (it never existed, or the emulator was reset).",
        )
        .at("upload_id", "parameter"));
    };
    let caller = Caller {
        email: session.email.clone(),
        client_id: session.client_id.clone(),
        scopes: session.scopes.clone(),
    };
    if let Some(done) = &session.done {
        // The upload finished earlier: answer with the file again, as Google does.
        let user = owner(&caller.email)?;
        let inner = state.data.read();
        let file = inner
            .drives
            .get(&caller.email)
            .and_then(|d| d.files.get(done))
            .ok_or_else(|| ApiError::file_not_found(done))?;
        return Ok(json_ok(&render_file(
            file,
            user,
            &state.core.base_url,
            session.fields.as_deref(),
        )?));
    }
    let received = session.received.clone().unwrap_or_default();
    let have = received.len() as u64;
    let check_total = |t: Option<u64>| -> Result<Option<u64>, ApiError> {
        match (session.total, t) {
            (Some(a), Some(b)) if a != b => Err(ApiError::bad_request(format!(
                "The total size {b} in Content-Range differs from X-Upload-Content-Length {a}."
            ))
            .at("Content-Range", "header")),
            (a, b) => Ok(b.or(a)),
        }
    };
    let content = match range {
        ChunkRange::Whole => {
            if let Some(t) = session.total
                && t != bytes.len() as u64
            {
                return Err(ApiError::bad_request(format!(
                    "The body has {} bytes but X-Upload-Content-Length announced {t}.",
                    bytes.len()
                )));
            }
            bytes
        }
        ChunkRange::Query { total } => {
            let total = check_total(total)?;
            if total == Some(have) {
                received
            } else {
                return Ok(incomplete(have, &headers));
            }
        }
        ChunkRange::Bytes { first, last, total } => {
            let total = check_total(total)?;
            let len = last.saturating_sub(first).saturating_add(1);
            if bytes.len() as u64 != len {
                return Err(ApiError::bad_request(format!(
                    "The chunk has {} bytes but Content-Range announces {len}.",
                    bytes.len()
                ))
                .at("Content-Range", "header"));
            }
            if first > have {
                return Err(ApiError::bad_request(format!(
                    "The chunk starts at byte {first} but the server has received only {have} bytes: query the status with Content-Range: bytes */TOTAL and resume from there."
                ))
                .at("Content-Range", "header"));
            }
            let is_last = total.is_some_and(|t| last.saturating_add(1) == t);
            if !is_last && len % CHUNK_GRANULARITY != 0 {
                return Err(ApiError::bad_request(format!(
                    "Invalid chunk size {len}: every chunk but the last must be a multiple of {CHUNK_GRANULARITY} bytes."
                ))
                .at("Content-Range", "header"));
            }
            let skip = usize::try_from(have - first).unwrap_or(usize::MAX);
            let fresh = &bytes[skip.min(bytes.len())..];
            if have.saturating_add(fresh.len() as u64) > MAX_RESUMABLE {
                return Err(ApiError::too_large(MAX_RESUMABLE as usize));
            }
            // Grow the stored bytes in place: take them out of the shared state (then this is
            // the only handle and no copy is made), so an upload of N chunks costs O(size), not
            // O(size * N).
            drop(received);
            session.received = None;
            let stored = state
                .data
                .write()
                .uploads
                .get_mut(&upload_id)
                .and_then(|s| s.received.take());
            let mut joined = match stored {
                Some(b) => b.try_into_mut().unwrap_or_else(|b| BytesMut::from(&b[..])),
                None => BytesMut::new(),
            };
            joined.extend_from_slice(fresh);
            let joined = joined.freeze();
            if is_last {
                joined
            } else {
                session.received = Some(joined.clone());
                let now_have = joined.len() as u64;
                let mut inner = state.data.write();
                inner.uploads.insert(upload_id.clone(), session);
                return Ok(incomplete(now_have, &headers));
            }
        }
    };
    let response = finish(
        &state,
        &caller,
        session.target.as_deref(),
        &Params::default(),
        session.metadata.clone(),
        content,
        session.mime_type.clone(),
        session.fields.as_deref(),
    )?;
    // Remember the outcome so a repeated PUT (lost response) gets the file again.
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    let id = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_owned));
    let done_id = match (id, &session.target) {
        (Some(id), _) => Some(id),
        (None, Some(t)) => Some(t.clone()),
        (None, None) => {
            // `fields` excluded the id: find the newest file created by this session instead.
            let inner = state.data.read();
            inner.drives.get(&caller.email).and_then(|d| {
                d.files
                    .values()
                    .max_by_key(|f| (f.created_ms, f.id.clone()))
                    .map(|f| f.id.clone())
            })
        }
    };
    {
        let mut inner = state.data.write();
        if let Some(s) = inner.uploads.get_mut(&upload_id) {
            s.done = done_id;
            s.received = None;
        }
    }
    Ok((
        [(header::CONTENT_TYPE, "application/json; charset=UTF-8")],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges() {
        assert_eq!(parse_content_range(None).unwrap(), ChunkRange::Whole);
        assert_eq!(
            parse_content_range(Some("bytes */100")).unwrap(),
            ChunkRange::Query { total: Some(100) }
        );
        assert_eq!(
            parse_content_range(Some("bytes 0-9/*")).unwrap(),
            ChunkRange::Bytes {
                first: 0,
                last: 9,
                total: None
            }
        );
        assert!(parse_content_range(Some("bytes 5-1/10")).is_err());
        assert!(parse_content_range(Some("bytes 0-10/10")).is_err());
        assert!(parse_content_range(Some("items 0-1/2")).is_err());
        assert!(parse_content_range(Some("bytes 0-18446744073709551615/*")).is_ok());
    }

    #[test]
    fn random_headers_never_panic() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let alphabet = b"bytes */-0123456789 ,x";
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 24) as usize;
            let text: String = (0..len)
                .map(|i| alphabet[((seed >> (i % 8 * 8)) as usize + i) % alphabet.len()] as char)
                .collect();
            let _ = parse_content_range(Some(&text));
        }
    }
}
