//! What happens to a request before routing, as Google's front end does it:
//! - `/_/<api>/...` (the per-API base the emulator's Discovery documents name as `rootUrl`) is
//!   stripped to `/...` and the API remembered in an [`ApiRoute`] extension, so Cloud APIs that
//!   share paths (`/v1/projects/...`) can be told apart;
//! - without that prefix, the API comes from `X-Forwarded-Host` (gapi sends the document's
//!   host there when `--endpoint` points at a loopback emulator) or `Host`, when it names a
//!   `*.googleapis.com` host other than `www`;
//! - `POST` with `X-HTTP-Method-Override: X` is handled as method X; for `GET`, a form body
//!   (`application/x-www-form-urlencoded`) is the query, appended to the URL's own.

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, Uri, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;

use super::api_error::ApiError;
use super::body::read_limited;

/// Largest form body moved into the query of an overridden GET (Google's URL limit is far
/// lower; a client sends a POST precisely because the query is long).
const OVERRIDE_LIMIT: usize = 8 * 1024 * 1024;

/// The API a request is for, when the request says so (prefix or host); path-based guessing is
/// left to the generic service.
#[derive(Debug, Clone)]
pub(crate) struct ApiRoute {
    /// Discovery name (`pubsub`, `calendar`).
    pub api: String,
}

/// The query of a request whose query came in its body (`X-HTTP-Method-Override: GET`),
/// which may be longer than a URI can hold.
#[derive(Debug, Clone)]
pub(crate) struct FullQuery(pub String);

/// Prepares `request` (see the module docs) and runs it through `router`.
pub(crate) async fn dispatch(router: Router, request: Request) -> Response {
    let request = match prepare(request).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    match router.oneshot(request).await {
        Ok(r) => r,
        Err(never) => match never {},
    }
}

async fn prepare(mut request: Request) -> Result<Request, ApiError> {
    if let Some((api, uri)) = strip_api_prefix(request.uri()) {
        *request.uri_mut() = uri;
        request.extensions_mut().insert(ApiRoute { api });
    } else if let Some(api) = api_from_host(&request) {
        request.extensions_mut().insert(ApiRoute { api });
    }
    method_override(request).await
}

/// `/_/<api>/<rest>?q` → (`api`, `/<rest>?q`).
fn strip_api_prefix(uri: &Uri) -> Option<(String, Uri)> {
    let rest = uri.path().strip_prefix("/_/")?;
    let (api, tail) = rest.split_once('/').unwrap_or((rest, ""));
    if api.is_empty()
        || !api
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return None;
    }
    let path_and_query = match uri.query() {
        Some(q) => format!("/{tail}?{q}"),
        None => format!("/{tail}"),
    };
    let uri = Uri::builder().path_and_query(path_and_query).build().ok()?;
    Some((api.to_owned(), uri))
}

/// `pubsub.googleapis.com` (from `X-Forwarded-Host`, else `Host`) → `pubsub`.
fn api_from_host(request: &Request) -> Option<String> {
    let headers = request.headers();
    let host = headers
        .get("x-forwarded-host")
        .or_else(|| headers.get(header::HOST))?
        .to_str()
        .ok()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    let name = host.strip_suffix(".googleapis.com")?;
    if name.is_empty() || name == "www" || name.contains('.') {
        return None;
    }
    Some(name.to_owned())
}

async fn method_override(request: Request) -> Result<Request, ApiError> {
    if request.method() != Method::POST {
        return Ok(request);
    }
    let Some(target) = request
        .headers()
        .get("x-http-method-override")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_ascii_uppercase())
    else {
        return Ok(request);
    };
    let method = Method::from_bytes(target.as_bytes()).map_err(|_| {
        ApiError::bad_request(format!(
            "X-HTTP-Method-Override names an unknown method '{target}'."
        ))
        .at("X-HTTP-Method-Override", "header")
    })?;
    let (mut parts, body) = request.into_parts();
    parts.headers.remove("x-http-method-override");
    parts.method = method.clone();
    if method != Method::GET {
        return Ok(Request::from_parts(parts, body));
    }
    let form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    let bytes = read_limited(body, OVERRIDE_LIMIT).await?;
    if !form && !bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(
            "A POST overridden to GET carries its query as an application/x-www-form-urlencoded body.",
        )
        .at("Content-Type", "header"));
    }
    // Re-encoded, so that whatever the client sent is a valid query.
    let extra = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form_urlencoded::parse(bytes.trim_ascii()))
        .finish();
    let extra = extra.as_str();
    let query = match (
        parts.uri.query().filter(|q| !q.is_empty()),
        extra.is_empty(),
    ) {
        (Some(q), false) => format!("{q}&{extra}"),
        (Some(q), true) => q.to_owned(),
        (None, false) => extra.to_owned(),
        (None, true) => String::new(),
    };
    // A URI holds at most 64 KiB: the whole query also travels as an extension, which the
    // `Params` extractor reads first.
    let path = parts.uri.path().to_owned();
    if query.len() < 60 * 1024
        && let Ok(uri) = Uri::builder()
            .path_and_query(format!("{path}?{query}"))
            .build()
    {
        parts.uri = uri;
    } else if let Ok(uri) = Uri::builder().path_and_query(path).build() {
        parts.uri = uri;
    }
    parts.extensions.insert(FullQuery(query));
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::TRANSFER_ENCODING);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
    Ok(Request::from_parts(parts, Body::empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_prefix_is_stripped() {
        let uri: Uri = "/_/pubsub/v1/projects/p/topics/t?alt=json".parse().unwrap();
        let (api, rest) = strip_api_prefix(&uri).unwrap();
        assert_eq!(api, "pubsub");
        assert_eq!(rest.to_string(), "/v1/projects/p/topics/t?alt=json");
        assert!(strip_api_prefix(&"/_/".parse().unwrap()).is_none());
        assert!(strip_api_prefix(&"/drive/v3/files".parse().unwrap()).is_none());
        let (api, rest) = strip_api_prefix(&"/_/drive".parse().unwrap()).unwrap();
        assert_eq!((api.as_str(), rest.path()), ("drive", "/"));
    }
}
