//! `POST /revoke`, `GET|POST /tokeninfo`, and the (empty) certificate endpoint.

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::Shared;
use crate::framework::api_error::json_ok;
use crate::framework::body::{Params, SMALL_BODY_LIMIT, read_limited};
use crate::framework::time::now_ms;
use crate::framework::users::find_user;

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

/// `GET|POST /tokeninfo?access_token=`.
pub(crate) async fn tokeninfo(
    State(state): State<Shared>,
    uri: Uri,
    body: axum::body::Body,
) -> Response {
    let params = match params(&uri, body).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let Some(token) = params.non_empty("access_token") else {
        return OAuthError::invalid_request("Missing required parameter: access_token")
            .into_response();
    };
    let now = now_ms();
    let tokens = state.core.tokens.read();
    let Some(record) = tokens.0.get(token).filter(|t| t.expires_ms > now) else {
        return OAuthError::new(400, "invalid_token", "Invalid Value").into_response();
    };
    let expires_in = (record.expires_ms - now) / 1000;
    let mut info = json!({
        "azp": record.client_id,
        "aud": record.client_id,
        "scope": record.scopes.join(" "),
        "exp": (record.expires_ms / 1000).to_string(),
        "expires_in": expires_in.to_string(),
        "access_type": if record.offline { "offline" } else { "online" },
    });
    if let Some(user) = find_user(&record.email) {
        info["sub"] = json!(user.id);
        info["email"] = json!(user.email);
        info["email_verified"] = json!("true");
    }
    json_ok(&info)
}

/// `GET /oauth2/v1/certs`: the emulator signs no ID tokens, so the key set is empty.
pub(crate) async fn certs() -> Response {
    json_ok(&json!({"keys": []}))
}
