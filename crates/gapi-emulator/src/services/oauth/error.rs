//! Token-endpoint errors: `{"error": ..., "error_description": ...}` with Google's codes.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An OAuth error answered as JSON.
#[derive(Debug, Clone)]
pub(crate) struct OAuthError {
    pub http: u16,
    pub error: &'static str,
    pub description: String,
    /// Extra members Google adds to some errors (`error_subtype`, `error_uri`).
    pub extra: Vec<(&'static str, &'static str)>,
}

impl OAuthError {
    pub(crate) fn new(http: u16, error: &'static str, description: impl Into<String>) -> Self {
        Self {
            http,
            error,
            description: description.into(),
            extra: Vec::new(),
        }
    }

    /// `invalid_grant` for a refresh token that is gone (revoked, expired under a "Testing"
    /// consent screen, pushed out by the 100-token limit): Google says the same for each.
    pub(crate) fn token_expired_or_revoked() -> Self {
        Self::invalid_grant("Token has been expired or revoked.")
    }

    /// `invalid_grant` + `error_subtype: invalid_rapt`: an admin's re-authentication policy
    /// wants the user to sign in again (Google's wording).
    pub(crate) fn invalid_rapt() -> Self {
        let mut e = Self::invalid_grant("reauth related error (invalid_rapt)");
        e.extra = vec![
            ("error_uri", "https://support.google.com/a/answer/9368756"),
            ("error_subtype", "invalid_rapt"),
        ];
        e
    }

    /// 400 `invalid_request`.
    pub(crate) fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(400, "invalid_request", description)
    }

    /// 400 `invalid_grant`.
    pub(crate) fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(400, "invalid_grant", description)
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.http).unwrap_or(StatusCode::BAD_REQUEST);
        let mut body = json!({"error": self.error, "error_description": self.description});
        for (key, value) in &self.extra {
            body[*key] = json!(value);
        }
        (
            status,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json; charset=utf-8"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            body.to_string(),
        )
            .into_response()
    }
}
