//! The media upload endpoints of `messages.send` and `drafts.create`
//! (`/upload/gmail/v1/users/{userId}/...`): `uploadType=media` (the body is the
//! `message/rfc822`), `multipart` (JSON metadata, then the message) and `resumable` (session
//! URI in `Location`, then one or more PUTs with `Content-Range`). Messages over 35 MiB are
//! refused before they are stored.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use serde_json::{Map, Value};

use super::drafts::create_draft;
use super::model::{UploadSession, UploadTarget};
use super::send::{MAX_MESSAGE, send_raw, too_large};
use super::{GmailData, Shared, invalid_argument, mailbox_owner, require};
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::{Params, SMALL_BODY_LIMIT, json_object, read_limited};
use crate::framework::caller::{Caller, authenticate};
use crate::framework::{multipart, random};
use crate::services::drive::upload::{CHUNK_GRANULARITY, ChunkRange, parse_content_range};

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Gmail takes `message/*` media only.
fn check_media_type(media_type: Option<&str>) -> Result<(), ApiError> {
    let t = media_type.unwrap_or("").trim();
    let base = t
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if base.starts_with("message/") {
        Ok(())
    } else {
        Err(invalid_argument(format!(
            "Media type '{t}' is not supported. Valid media types: [message/*]"
        )))
    }
}

async fn read_message(body: axum::body::Body) -> Result<Bytes, ApiError> {
    read_limited(body, MAX_MESSAGE)
        .await
        .map_err(|e| if e.code == 413 { too_large() } else { e })
}

/// Sends or stores `raw` as the upload's target says.
fn finish(
    data: &mut GmailData,
    me: &str,
    target: UploadTarget,
    meta: &Map<String, Value>,
    raw: Bytes,
) -> Result<Value, ApiError> {
    match target {
        UploadTarget::Send => {
            let thread = meta.get("threadId").and_then(Value::as_str);
            send_raw(data, me, raw, thread, None)
        }
        UploadTarget::DraftCreate => {
            let thread = meta
                .get("message")
                .and_then(|m| m.get("threadId"))
                .and_then(Value::as_str);
            create_draft(data, me, raw, thread)
        }
    }
}

/// `POST /upload/gmail/v1/users/{userId}/messages/send`.
pub(crate) async fn send(
    State(state): State<Shared>,
    Path(user_id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult {
    start(state, user_id, UploadTarget::Send, uri, headers, body).await
}

/// `POST /upload/gmail/v1/users/{userId}/drafts`.
pub(crate) async fn draft(
    State(state): State<Shared>,
    Path(user_id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult {
    start(
        state,
        user_id,
        UploadTarget::DraftCreate,
        uri,
        headers,
        body,
    )
    .await
}

async fn start(
    state: Shared,
    user_id: String,
    target: UploadTarget,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult {
    let params = Params::from_query(&uri);
    if params.get("upload_id").is_some() {
        return chunk(state, params, headers, body).await;
    }
    let caller = authenticate(&state.core, &headers, &params)?;
    let method = match target {
        UploadTarget::Send => "users.messages.send",
        UploadTarget::DraftCreate => "users.drafts.create",
    };
    require(&caller, method)?;
    let me = mailbox_owner(&caller, &user_id)?;
    match params.get("uploadType") {
        Some("media") => {
            check_media_type(header_str(&headers, "content-type"))?;
            let raw = read_message(body).await?;
            let mut data = state.data.write();
            Ok(json_ok(&finish(&mut data, &me, target, &Map::new(), raw)?))
        }
        Some("multipart") | Some("related") => {
            let ct = header_str(&headers, "content-type")
                .unwrap_or("")
                .to_owned();
            let Some(boundary) = multipart::boundary(&ct).filter(|_| ct.starts_with("multipart/"))
            else {
                return Err(ApiError::bad_request(
                    "Multipart uploads need Content-Type: multipart/related; boundary=...",
                )
                .at("Content-Type", "header"));
            };
            let bytes = read_limited(body, MAX_MESSAGE + SMALL_BODY_LIMIT)
                .await
                .map_err(|e| if e.code == 413 { too_large() } else { e })?;
            let parts = multipart::parse(&bytes, &boundary, 2)
                .map_err(|e| ApiError::bad_request(format!("Malformed multipart body: {e}")))?;
            let [meta_part, media_part] = parts.as_slice() else {
                return Err(ApiError::bad_request(format!(
                    "A multipart upload has exactly two parts (metadata, then media); got {}.",
                    parts.len()
                )));
            };
            let meta = json_object(&meta_part.body)?;
            check_media_type(media_part.header("content-type"))?;
            if media_part.body.len() > MAX_MESSAGE {
                return Err(too_large());
            }
            let mut data = state.data.write();
            Ok(json_ok(&finish(
                &mut data,
                &me,
                target,
                &meta,
                media_part.body.clone(),
            )?))
        }
        Some("resumable") => {
            let meta = json_object(&read_limited(body, SMALL_BODY_LIMIT).await?)?;
            if let Some(t) = header_str(&headers, "x-upload-content-type") {
                check_media_type(Some(t))?;
            }
            let total = match header_str(&headers, "x-upload-content-length") {
                None => None,
                Some(v) => Some(v.trim().parse::<u64>().map_err(|_| {
                    ApiError::bad_request(format!("Invalid X-Upload-Content-Length: {v}"))
                        .at("X-Upload-Content-Length", "header")
                })?),
            };
            if total.is_some_and(|t| t > MAX_MESSAGE as u64) {
                return Err(too_large());
            }
            let id = random::token(32);
            state.data.write().uploads.insert(
                id.clone(),
                UploadSession {
                    email: me.clone(),
                    scopes: caller.scopes.clone(),
                    client_id: caller.client_id.clone(),
                    target,
                    metadata: meta,
                    total,
                    received: Bytes::new(),
                    done: None,
                },
            );
            let path = uri.path();
            let location = format!(
                "{}{path}?uploadType=resumable&upload_id={id}",
                state.core.base_url
            );
            let mut response = StatusCode::OK.into_response();
            if let Ok(v) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, v);
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

/// `PUT <session URI>`.
pub(crate) async fn resume(
    State(state): State<Shared>,
    Path(_user_id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult {
    chunk(state, Params::from_query(&uri), headers, body).await
}

fn incomplete(received: u64) -> Response {
    let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
    if received > 0
        && let Ok(v) = HeaderValue::from_str(&format!("bytes=0-{}", received - 1))
    {
        response.headers_mut().insert(header::RANGE, v);
    }
    response
}

async fn chunk(
    state: Shared,
    params: Params,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult {
    let upload_id = params.non_empty("upload_id").unwrap_or("").to_owned();
    let range = parse_content_range(header_str(&headers, "content-range"))?;
    let bytes = read_message(body).await?;
    let session = state.data.read().uploads.get(&upload_id).cloned();
    let Some(mut session) = session else {
        return Err(ApiError::new(
            404,
            "NOT_FOUND",
            "notFound",
            "No upload session with this upload_id.",
        )
        .at("upload_id", "parameter"));
    };
    if let Some(done) = &session.done {
        return Ok(json_ok(done));
    }
    let have = session.received.len() as u64;
    let content = match range {
        ChunkRange::Whole => bytes,
        ChunkRange::Query { total } => {
            if total == Some(have) {
                session.received.clone()
            } else {
                return Ok(incomplete(have));
            }
        }
        ChunkRange::Bytes { first, last, total } => {
            if first > have {
                return Err(ApiError::bad_request(format!(
                    "The chunk starts at byte {first} but the server has received only {have} bytes."
                ))
                .at("Content-Range", "header"));
            }
            let is_last = total.is_some_and(|t| last.saturating_add(1) == t);
            let len = last.saturating_sub(first).saturating_add(1);
            if bytes.len() as u64 != len || (!is_last && len % CHUNK_GRANULARITY != 0) {
                return Err(ApiError::bad_request(format!(
                    "Invalid chunk: Content-Range announces {len} bytes, the body has {}; every chunk but the last is a multiple of {CHUNK_GRANULARITY} bytes.",
                    bytes.len()
                ))
                .at("Content-Range", "header"));
            }
            let skip = usize::try_from(have - first).unwrap_or(usize::MAX);
            let mut joined = BytesMut::from(&session.received[..]);
            joined.extend_from_slice(&bytes[skip.min(bytes.len())..]);
            if joined.len() > MAX_MESSAGE {
                return Err(too_large());
            }
            let joined = joined.freeze();
            if is_last {
                joined
            } else {
                let n = joined.len() as u64;
                session.received = joined;
                state.data.write().uploads.insert(upload_id, session);
                return Ok(incomplete(n));
            }
        }
    };
    let caller = Caller {
        email: session.email.clone(),
        client_id: session.client_id.clone(),
        scopes: session.scopes.clone(),
    };
    let mut data = state.data.write();
    let reply = finish(
        &mut data,
        &caller.email,
        session.target,
        &session.metadata,
        content,
    )?;
    if let Some(s) = data.uploads.get_mut(&upload_id) {
        s.done = Some(reply.clone());
        s.received = Bytes::new();
    }
    Ok(json_ok(&reply))
}
