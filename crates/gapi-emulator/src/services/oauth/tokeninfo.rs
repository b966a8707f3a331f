//! tokeninfo: what an access token (or one of the emulator's ID tokens) says, on every path
//! Google serves it. The token comes from `access_token=` (query or form body) or the
//! `Authorization: Bearer` header (google-auth-library's `getTokenInfo()` sends an empty POST
//! with the header). `/tokeninfo` and `/oauth2/v3/tokeninfo` answer the v3 shape (strings);
//! `/oauth2/v2/tokeninfo` and `/oauth2/v1/tokeninfo` the oauth2 v2 document's `Tokeninfo`
//! schema (`issued_to`, `audience`, numbers and booleans).

use axum::extract::State;
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Shared;
use super::error::OAuthError;
use crate::framework::api_error::json_ok;
use crate::framework::body::{Params, SMALL_BODY_LIMIT, read_limited};
use crate::framework::crypto::test_key;
use crate::framework::time::now_ms;
use crate::world::users::find_user;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    V2,
    V3,
}

/// `GET|POST /tokeninfo`, `/oauth2/v3/tokeninfo`.
pub(crate) async fn v3(
    State(state): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Response {
    answer(&state, Shape::V3, &uri, &headers, body).await
}

/// `GET|POST /oauth2/v2/tokeninfo`, `/oauth2/v1/tokeninfo`.
pub(crate) async fn v2(
    State(state): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Response {
    answer(&state, Shape::V2, &uri, &headers, body).await
}

async fn answer(
    state: &Shared,
    shape: Shape,
    uri: &Uri,
    headers: &HeaderMap,
    body: axum::body::Body,
) -> Response {
    let mut params = Params::from_query(uri);
    match read_limited(body, SMALL_BODY_LIMIT).await {
        Ok(bytes) => params.extend(Params::parse(&bytes)),
        Err(_) => {
            return OAuthError::invalid_request("The request body is too large.").into_response();
        }
    }
    if let Some(id_token) = params.non_empty("id_token") {
        return id_token_info(id_token);
    }
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let Some(token) = params.non_empty("access_token").or(bearer) else {
        return OAuthError::invalid_request(
            "Missing access token: send access_token= or Authorization: Bearer.",
        )
        .into_response();
    };
    match access_token_info(state, shape, token) {
        Some(info) => json_ok(&info),
        None => OAuthError::new(400, "invalid_token", "Invalid Value").into_response(),
    }
}

fn access_token_info(state: &Shared, shape: Shape, token: &str) -> Option<Value> {
    let now = now_ms();
    let tokens = state.core.tokens.read();
    let record = tokens.0.get(token).filter(|t| t.expires_ms > now)?;
    let expires_in = (record.expires_ms - now) / 1000;
    let access_type = if record.offline { "offline" } else { "online" };
    let user = find_user(&record.email);
    let mut info = match shape {
        Shape::V3 => json!({
            "azp": record.client_id,
            "aud": record.client_id,
            "scope": record.scopes.join(" "),
            "exp": (record.expires_ms / 1000).to_string(),
            "expires_in": expires_in.to_string(),
            "access_type": access_type,
        }),
        Shape::V2 => json!({
            "issued_to": record.client_id,
            "audience": record.client_id,
            "scope": record.scopes.join(" "),
            "expires_in": expires_in,
            "access_type": access_type,
        }),
    };
    if let Some(user) = user {
        match shape {
            Shape::V3 => {
                info["sub"] = json!(user.id);
                info["email"] = json!(user.email);
                info["email_verified"] = json!("true");
            }
            Shape::V2 => {
                info["user_id"] = json!(user.id);
                info["email"] = json!(user.email);
                info["verified_email"] = json!(true);
            }
        }
    }
    Some(info)
}

/// An ID token signed by the emulator: its header and claims, every value a string (as
/// Google's tokeninfo answers them).
fn id_token_info(id_token: &str) -> Response {
    let key = test_key();
    let Ok(claims) = key.verify_jwt(id_token) else {
        return OAuthError::new(400, "invalid_token", "Invalid Value").into_response();
    };
    if claims["exp"]
        .as_u64()
        .is_some_and(|exp| exp * 1000 <= now_ms())
    {
        return OAuthError::new(400, "invalid_token", "Token expired.").into_response();
    }
    let mut info = json!({"alg": "RS256", "kid": key.kid(), "typ": "JWT"});
    if let Some(map) = claims.as_object() {
        for (k, v) in map {
            info[k] = match v {
                Value::String(s) => json!(s),
                other => json!(other.to_string()),
            };
        }
    }
    json_ok(&info)
}
