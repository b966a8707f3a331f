//! Batch requests for every service (`POST /batch/drive/v3`, `POST /batch`): a
//! `multipart/mixed` body of `application/http` parts, each run through the same router as a
//! normal request, answered as `multipart/mixed` with `Content-ID: response-<id>` parts in the
//! same order.

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};

use crate::framework::api_error::{ApiError, ApiResult};
use crate::framework::body::{SMALL_BODY_LIMIT, read_limited};
use crate::framework::conn::{ConnInfo, RootRouter};

use super::multipart;

/// The batch endpoints.
pub(crate) fn routes() -> Router {
    Router::new()
        .route("/batch/drive/v3", axum::routing::post(batch))
        .route("/batch", axum::routing::post(batch))
        .route("/batch/{*api}", axum::routing::post(batch))
}

/// Google accepts at most 100 calls per batch.
const MAX_PARTS: usize = 100;
/// Limit of the whole batch body.
const BATCH_LIMIT: usize = 8 * SMALL_BODY_LIMIT;

/// Marks a request that is one part of a batch (fault rules can target parts only).
#[derive(Debug, Clone, Copy)]
pub(crate) struct BatchPart;

/// One parsed inner request.
pub(crate) struct InnerRequest {
    content_id: Option<String>,
    method: Method,
    target: String,
    headers: Vec<(String, String)>,
    body: bytes::Bytes,
}

pub(crate) fn parse_part(part: &multipart::Part) -> Result<InnerRequest, String> {
    let ct = part.header("content-type").unwrap_or("");
    if !ct.starts_with("application/http") {
        return Err(format!(
            "each part must be Content-Type: application/http (got '{ct}')"
        ));
    }
    let raw = &part.body;
    let (head_end, body_start) = match (find(raw, b"\r\n\r\n"), find(raw, b"\n\n")) {
        (Some(a), Some(b)) if b < a => (b, b + 2),
        (Some(a), _) => (a, a + 4),
        (None, Some(b)) => (b, b + 2),
        (None, None) => (raw.len(), raw.len()),
    };
    let head = String::from_utf8_lossy(&raw[..head_end]);
    let mut lines = head
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty());
    let request_line = lines.next().ok_or("a part has no request line")?;
    let mut words = request_line.split_whitespace();
    let method = words
        .next()
        .and_then(|m| Method::from_bytes(m.as_bytes()).ok())
        .ok_or_else(|| format!("bad request line '{request_line}'"))?;
    let target = words
        .next()
        .ok_or_else(|| format!("bad request line '{request_line}'"))?;
    // Absolute URLs keep only their path and query.
    let target = match url::Url::parse(target) {
        Ok(u) => match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_owned(),
        },
        Err(_) => target.to_owned(),
    };
    if !target.starts_with('/') {
        return Err(format!("bad request target '{target}'"));
    }
    let mut headers = Vec::new();
    for line in lines {
        let (k, v) = line
            .split_once(':')
            .ok_or_else(|| format!("bad header line '{line}'"))?;
        headers.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    Ok(InnerRequest {
        content_id: part
            .header("content-id")
            .map(|s| s.trim_matches(['<', '>']).to_owned()),
        method,
        target,
        headers,
        body: raw.slice(body_start.min(raw.len())..),
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `POST /batch/...`.
async fn batch(request: Request) -> ApiResult {
    let (parts, body) = request.into_parts();
    let ct = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let boundary = multipart::boundary(&ct)
        .filter(|_| ct.starts_with("multipart/mixed"))
        .ok_or_else(|| {
            ApiError::bad_request(
                "A batch request needs Content-Type: multipart/mixed; boundary=...",
            )
            .at("Content-Type", "header")
        })?;
    let bytes = read_limited(body, BATCH_LIMIT).await?;
    let items = multipart::parse(&bytes, &boundary, MAX_PARTS).map_err(|e| {
        ApiError::bad_request(format!(
            "Malformed batch body: {e} (Drive allows at most {MAX_PARTS} calls)"
        ))
    })?;
    let conn = parts.extensions.get::<ConnInfo>().cloned();
    let router = parts
        .extensions
        .get::<RootRouter>()
        .map(|r| r.0.clone())
        .ok_or_else(|| {
            ApiError::new(
                500,
                "INTERNAL",
                "backendError",
                "The emulator's router is missing.",
            )
        })?;
    let out_boundary = format!("batch_{}", crate::framework::random::token(12));
    let mut out: Vec<u8> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let parsed = parse_part(item);
        let content_id = parsed
            .as_ref()
            .ok()
            .and_then(|p| p.content_id.clone())
            .unwrap_or_else(|| (index + 1).to_string());
        let response = match parsed {
            Err(e) => {
                ApiError::bad_request(format!("Batch part {}: {e}", index + 1)).into_response()
            }
            Ok(inner)
                if inner.target.starts_with("/upload/") || inner.target.starts_with("/batch/") =>
            {
                ApiError::bad_request(
                    "Media uploads and nested batches are not allowed in a batch request.",
                )
                .into_response()
            }
            Ok(inner) => {
                let mut builder = http::Request::builder()
                    .method(inner.method)
                    .uri(&inner.target);
                // Outer headers apply to every part unless the part sets them (Google's rule);
                // Content-* headers are the part's own.
                for (name, value) in parts.headers.iter() {
                    let n = name.as_str();
                    if n.starts_with("content-")
                        || inner.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(n))
                    {
                        continue;
                    }
                    builder = builder.header(name, value);
                }
                for (k, v) in &inner.headers {
                    if let (Ok(name), Ok(value)) = (
                        HeaderName::from_bytes(k.as_bytes()),
                        HeaderValue::from_str(v),
                    ) {
                        builder = builder.header(name, value);
                    }
                }
                match builder.body(Body::from(inner.body)) {
                    Ok(mut req) => {
                        if let Some(c) = &conn {
                            req.extensions_mut().insert(c.clone());
                        }
                        req.extensions_mut().insert(BatchPart);
                        super::dispatch::dispatch(router.clone(), req).await
                    }
                    Err(e) => ApiError::bad_request(format!("Batch part {}: {e}", index + 1))
                        .into_response(),
                }
            }
        };
        append_part(&mut out, &out_boundary, &content_id, response).await;
    }
    out.extend_from_slice(format!("--{out_boundary}--\r\n").as_bytes());
    let content_type = HeaderValue::from_str(&format!("multipart/mixed; boundary={out_boundary}"))
        .unwrap_or(HeaderValue::from_static("multipart/mixed"));
    Ok(([(header::CONTENT_TYPE, content_type)], out).into_response())
}

async fn append_part(out: &mut Vec<u8>, boundary: &str, content_id: &str, response: Response) {
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    out.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Type: application/http\r\nContent-ID: <response-{content_id}>\r\n\r\nHTTP/1.1 {} {}\r\n",
            parts.status.as_u16(),
            parts.status.canonical_reason().unwrap_or("")
        )
        .as_bytes(),
    );
    for (name, value) in &parts.headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(&body);
    out.extend_from_slice(b"\r\n");
}
