//! `POST /revoke`: revokes the whole grant a token belongs to.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::Shared;
use crate::framework::api_error::json_ok;
use crate::framework::body::{Params, SMALL_BODY_LIMIT, read_limited};

use super::error::OAuthError;
use super::tokens;

/// Query parameters plus a form body, if any.
async fn params(uri: &Uri, body: axum::body::Body) -> Result<Params, OAuthError> {
    let mut params = Params::from_query(uri);
    let bytes = read_limited(body, SMALL_BODY_LIMIT)
        .await
        .map_err(|_| OAuthError::invalid_request("The request body is too large."))?;
    params.extend(Params::parse(&bytes));
    Ok(params)
}

/// `POST /revoke` with `token=` (form or query): revokes the whole grant.
pub(crate) async fn revoke(
    State(state): State<Shared>,
    uri: Uri,
    body: axum::body::Body,
) -> Response {
    let params = match params(&uri, body).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let Some(token) = params.non_empty("token") else {
        return OAuthError::invalid_request("Missing required parameter: token").into_response();
    };
    let mut inner = state.data.write();
    match tokens::revoke_token(&state.core, &mut inner, token) {
        Some(_) => json_ok(&json!({})),
        None => OAuthError::new(400, "invalid_token", "Token expired or revoked").into_response(),
    }
}
