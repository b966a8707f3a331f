//! `POST /v1/introspect` (RFC 7662, as Google's STS serves it): whom an access token stands for.
//! Form or JSON body with `token` (`token_type_hint` ignored), read as `/v1/token` reads its
//! body. An unknown or expired token is `{"active": false}`; a live one says `active`,
//! `scope`, `client_id`, `exp`, `iat`?, `username` (an email, or the federated
//! `principal://...`) and `sub` (the user's id, or the federated `google.subject`).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Shared;
use super::exchange::StsRequest;
use crate::framework::api_error::json_ok;
use crate::framework::body::{SMALL_BODY_LIMIT, read_limited};
use crate::framework::time::now_ms;
use crate::services::oauth::error::OAuthError;
use crate::world::users::find_account;

/// `POST /v1/introspect`.
pub(crate) async fn introspect(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Response {
    let Ok(bytes) = read_limited(body, SMALL_BODY_LIMIT).await else {
        return OAuthError::invalid_request("The request body is too large.").into_response();
    };
    let token = match StsRequest::parse(&headers, &bytes)
        .and_then(|request| request.required("token").map(str::to_owned))
    {
        Ok(token) => token,
        Err(e) => return e.into_response(),
    };
    json_ok(&describe(&state, &token))
}

fn describe(state: &Shared, token: &str) -> Value {
    let now = now_ms();
    let tokens = state.core.tokens.read();
    let Some(record) = tokens.0.get(token).filter(|t| t.expires_ms > now) else {
        return json!({"active": false});
    };
    let sub = match record.email.split_once("/subject/") {
        Some((_, subject)) if record.email.starts_with("principal://") => subject.to_owned(),
        _ => find_account(&record.email)
            .map(|u| u.id.to_owned())
            .unwrap_or_default(),
    };
    json!({
        "active": true,
        "scope": record.scopes.join(" "),
        "client_id": record.client_id,
        "username": record.email,
        "sub": sub,
        "exp": record.expires_ms / 1000,
    })
}
