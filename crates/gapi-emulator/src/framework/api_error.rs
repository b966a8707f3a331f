//! Google's JSON error body for API calls:
//! `{"error":{"code","message","status","errors":[{"reason","message","domain",...}]}}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An API error answered in Google's shape.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub code: u16,
    pub status: &'static str,
    pub reason: &'static str,
    pub message: String,
    /// `(location, locationType)`, e.g. `("pageSize", "parameter")`.
    pub location: Option<(String, &'static str)>,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub(crate) fn new(
        code: u16,
        status: &'static str,
        reason: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            code,
            status,
            reason,
            message: message.into(),
            location: None,
            retry_after: None,
        }
    }

    /// Names the offending parameter (or header).
    pub(crate) fn at(mut self, location: impl Into<String>, kind: &'static str) -> Self {
        self.location = Some((location.into(), kind));
        self
    }

    /// 400 `invalid`: a parameter has a bad value.
    pub(crate) fn invalid_param(param: &str, message: impl Into<String>) -> Self {
        Self::new(400, "INVALID_ARGUMENT", "invalid", message).at(param, "parameter")
    }

    /// 400 `badRequest`: the request as a whole is malformed.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "INVALID_ARGUMENT", "badRequest", message)
    }

    /// 401: missing, invalid, expired or revoked credentials.
    pub(crate) fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(401, "UNAUTHENTICATED", "authError", message).at("Authorization", "header")
    }

    /// 403 for a token without a scope that allows the call.
    pub(crate) fn insufficient_scope() -> Self {
        Self::new(
            403,
            "PERMISSION_DENIED",
            "insufficientPermissions",
            "Request had insufficient authentication scopes.",
        )
    }

    /// 404 for a file the user cannot see.
    pub(crate) fn file_not_found(id: &str) -> Self {
        Self::new(
            404,
            "NOT_FOUND",
            "notFound",
            format!("File not found: {id}."),
        )
        .at("fileId", "parameter")
    }

    /// 404 for a path the emulator does not serve.
    pub(crate) fn no_route(method: &str, path: &str) -> Self {
        Self::new(
            404,
            "NOT_FOUND",
            "notFound",
            format!("The emulator does not serve {method} {path}."),
        )
    }

    /// 413 for bodies over the limit.
    pub(crate) fn too_large(limit: usize) -> Self {
        Self::new(
            413,
            "INVALID_ARGUMENT",
            "uploadTooLarge",
            format!("The request body is larger than the emulator's limit of {limit} bytes."),
        )
    }

    /// An injected fault with the given status.
    pub(crate) fn injected(code: u16, retry_after: Option<u64>) -> Self {
        let (status, reason, message) = match code {
            429 => (
                "RESOURCE_EXHAUSTED",
                "rateLimitExceeded",
                "Rate Limit Exceeded (injected by the emulator)",
            ),
            500 => (
                "INTERNAL",
                "backendError",
                "Backend Error (injected by the emulator)",
            ),
            502 => (
                "UNAVAILABLE",
                "backendError",
                "Bad Gateway (injected by the emulator)",
            ),
            503 => (
                "UNAVAILABLE",
                "backendError",
                "The service is currently unavailable (injected by the emulator).",
            ),
            504 => (
                "DEADLINE_EXCEEDED",
                "backendError",
                "Deadline exceeded (injected by the emulator).",
            ),
            403 => (
                "PERMISSION_DENIED",
                "userRateLimitExceeded",
                "User Rate Limit Exceeded (injected by the emulator)",
            ),
            401 => (
                "UNAUTHENTICATED",
                "authError",
                "Invalid Credentials (injected by the emulator)",
            ),
            _ => ("UNKNOWN", "injectedFault", "Injected fault"),
        };
        let mut e = Self::new(code, status, reason, message);
        e.retry_after = retry_after;
        e
    }

    /// The JSON body.
    pub(crate) fn body(&self) -> serde_json::Value {
        let mut item = json!({
            "message": self.message,
            "domain": "global",
            "reason": self.reason,
        });
        if let Some((location, kind)) = &self.location {
            item["location"] = json!(location);
            item["locationType"] = json!(kind);
        }
        json!({"error": {
            "code": self.code,
            "message": self.message,
            "errors": [item],
            "status": self.status,
        }})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, json_body(&self.body())).into_response();
        let headers = response.headers_mut();
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.code == 401 {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(
                    "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"",
                ),
            );
        }
        if self.code == 403 && self.reason == "insufficientPermissions" {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(
                    "Bearer realm=\"https://accounts.google.com/\", error=\"insufficient_scope\"",
                ),
            );
        }
        response
    }
}

/// A JSON response body with Google's content type.
pub(crate) fn json_body(value: &serde_json::Value) -> impl IntoResponse + use<> {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_owned());
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=UTF-8"),
        )],
        text,
    )
}

/// 200 with a JSON body.
pub(crate) fn json_ok(value: &serde_json::Value) -> Response {
    json_body(value).into_response()
}

/// Result type of API handlers.
pub(crate) type ApiResult = Result<Response, ApiError>;
