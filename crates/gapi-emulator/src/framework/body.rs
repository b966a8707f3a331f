//! Reading request bodies and query strings without trusting them: size limits, lenient
//! decoding, and errors in Google's shape instead of panics or plain-text rejections.

use axum::body::Body;
use bytes::Bytes;

use crate::framework::api_error::ApiError;

/// Limit for JSON and form bodies.
pub(crate) const SMALL_BODY_LIMIT: usize = 1024 * 1024;
/// Limit for one upload request body (simple, multipart, or one resumable chunk).
pub(crate) const UPLOAD_LIMIT: usize = 256 * 1024 * 1024;

/// Collects at most `limit` bytes, else 413.
pub(crate) async fn read_limited(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    use http_body_util::BodyExt;
    match http_body_util::Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(ApiError::too_large(limit)),
        Err(e) => Err(ApiError::bad_request(format!(
            "Could not read the request body: {e}"
        ))),
    }
}

/// Query or form parameters in order, percent-decoded (invalid UTF-8 replaced).
#[derive(Debug, Default, Clone)]
pub(crate) struct Params(pub Vec<(String, String)>);

impl Params {
    /// Parses `a=1&b=2` leniently.
    pub(crate) fn parse(text: &[u8]) -> Self {
        Self(
            form_urlencoded::parse(text)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The query parameters of a request: its URI's, or the body's of a POST overridden to
    /// GET (see `framework::dispatch`).
    pub(crate) fn from_parts(parts: &axum::http::request::Parts) -> Self {
        match parts.extensions.get::<super::dispatch::FullQuery>() {
            Some(q) => Self::parse(q.0.as_bytes()),
            None => Self::from_query(&parts.uri),
        }
    }

    /// Parses the query of a URI.
    pub(crate) fn from_query(uri: &axum::http::Uri) -> Self {
        Self::parse(uri.query().unwrap_or("").as_bytes())
    }

    /// First value of `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// First non-empty value of `key`.
    pub(crate) fn non_empty(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|v| !v.is_empty())
    }

    /// Parses a boolean parameter (`true`/`false`, as Google accepts).
    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(v) => Err(ApiError::invalid_param(
                key,
                format!("Invalid value '{v}' for boolean parameter {key}: expected true or false."),
            )),
        }
    }

    /// Adds the pairs of `other` (e.g. a form body after the query).
    pub(crate) fn extend(&mut self, other: Params) {
        self.0.extend(other.0);
    }
}

/// Parses a JSON object body; empty body means `{}`.
pub(crate) fn json_object(
    bytes: &[u8],
) -> Result<serde_json::Map<String, serde_json::Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::Map::new());
    }
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(serde_json::Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request(
            "Invalid JSON payload received. The request body must be a JSON object.",
        )),
        Err(e) => Err(ApiError::bad_request(format!(
            "Invalid JSON payload received. {e}."
        ))),
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Params {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::from_parts(parts))
    }
}

/// Reads a small JSON object body (control API requests).
pub(crate) async fn body_object(
    body: Body,
) -> Result<serde_json::Map<String, serde_json::Value>, ApiError> {
    let bytes = read_limited(body, SMALL_BODY_LIMIT).await?;
    json_object(&bytes)
}

/// An optional string member of a JSON object; 400 if it has another type.
pub(crate) fn string_field<'a>(
    map: &'a serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Result<Option<&'a str>, ApiError> {
    match map.get(key) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::bad_request(format!("{key} must be a string"))),
    }
}

/// Largest body [`buffered`] reads (Gmail's 35 MiB messages plus their encoding).
pub(crate) const BUFFER_LIMIT: usize = 64 * 1024 * 1024;

/// Middleware for a service's routes: reads the whole request body before the handler runs,
/// so a request refused early (401, 403, a bad parameter) still has its body consumed and
/// the client's keep-alive connection stays usable, as with Google's front end.
pub(crate) async fn buffered(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (parts, body) = request.into_parts();
    match read_limited(body, BUFFER_LIMIT).await {
        Ok(bytes) => {
            next.run(axum::extract::Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(e) => e.into_response(),
    }
}
