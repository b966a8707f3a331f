//! The loopback-only control API under `/__emulator/`: faults, token expiry and revocation,
//! direct token minting, the request log, device approval and reset. See README.md.

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use crate::api_error::{ApiError, ApiResult, json_ok};
use crate::body::{SMALL_BODY_LIMIT, json_object, read_limited};
use crate::faults::{FaultRule, FaultSpec};
use crate::oauth::tokens;
use crate::server::ConnInfo;
use crate::state::{Data, Shared};
use crate::time::now_ms;
use crate::users::{find_user, test_users};

/// Routes of the control API (guarded: loopback peers only).
pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/__emulator/faults",
            post(add_fault).get(list_faults).delete(clear_faults),
        )
        .route("/__emulator/tokens/expire", post(expire_tokens))
        .route("/__emulator/tokens/revoke", post(revoke_tokens))
        .route("/__emulator/tokens/issue", post(issue_token))
        .route(
            "/__emulator/requests",
            get(list_requests).delete(clear_requests),
        )
        .route("/__emulator/reset", post(reset))
        .route("/__emulator/device/approve", post(approve_device))
        .route("/__emulator/users", get(users))
        .route("/__emulator/status", get(status))
        .layer(axum::middleware::from_fn(loopback_only))
}

async fn loopback_only(request: Request, next: Next) -> Response {
    let loopback = request
        .extensions()
        .get::<ConnInfo>()
        .is_some_and(|c| c.peer.ip().is_loopback());
    if !loopback {
        return ApiError::new(
            403,
            "PERMISSION_DENIED",
            "forbidden",
            "The emulator's control API only answers requests from loopback addresses.",
        )
        .into_response();
    }
    next.run(request).await
}

async fn body_object(
    body: axum::body::Body,
) -> Result<serde_json::Map<String, serde_json::Value>, ApiError> {
    let bytes = read_limited(body, SMALL_BODY_LIMIT).await?;
    json_object(&bytes)
}

fn string_field<'a>(
    map: &'a serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Result<Option<&'a str>, ApiError> {
    match map.get(key) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::bad_request(format!("{key} must be a string"))),
    }
}

async fn add_fault(State(state): State<Shared>, body: axum::body::Body) -> ApiResult {
    let bytes = read_limited(body, SMALL_BODY_LIMIT).await?;
    let spec: FaultSpec = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("Invalid fault rule: {e}")))?;
    spec.validate()
        .map_err(|e| ApiError::bad_request(format!("Invalid fault rule: {e}")))?;
    let mut inner = state.lock();
    let id = inner.next_fault_id;
    inner.next_fault_id += 1;
    let remaining = spec.times;
    inner.faults.push(FaultRule {
        id,
        spec,
        remaining,
    });
    Ok(json_ok(&json!({"id": id})))
}

async fn list_faults(State(state): State<Shared>) -> Response {
    let inner = state.lock();
    json_ok(&json!({"faults": inner.faults}))
}

async fn clear_faults(State(state): State<Shared>) -> Response {
    let mut inner = state.lock();
    let n = inner.faults.len();
    inner.faults.clear();
    json_ok(&json!({"cleared": n}))
}

/// `{}` expires every access token; `{"access_token": "..."}` just that one.
async fn expire_tokens(State(state): State<Shared>, body: axum::body::Body) -> ApiResult {
    let map = body_object(body).await?;
    let only = string_field(&map, "access_token")?;
    let past = now_ms().saturating_sub(1000);
    let mut inner = state.lock();
    let mut count = 0;
    for (token, record) in inner.data.access_tokens.iter_mut() {
        if only.is_none_or(|t| t == token) {
            record.expires_ms = record.expires_ms.min(past);
            count += 1;
        }
    }
    if only.is_some() && count == 0 {
        return Err(ApiError::new(
            404,
            "NOT_FOUND",
            "notFound",
            "Unknown access token.",
        ));
    }
    inner.dirty = true;
    Ok(json_ok(&json!({"expired": count})))
}

/// `{}` revokes every grant; `{"token": "..."}` the grant that token belongs to.
async fn revoke_tokens(State(state): State<Shared>, body: axum::body::Body) -> ApiResult {
    let map = body_object(body).await?;
    let only = string_field(&map, "token")?;
    let mut inner = state.lock();
    let count = match only {
        Some(token) => tokens::revoke_token(&mut inner.data, token)
            .ok_or_else(|| ApiError::new(404, "NOT_FOUND", "notFound", "Unknown token."))?,
        None => {
            let n = inner.data.access_tokens.len() + inner.data.refresh_tokens.len();
            inner.data.access_tokens.clear();
            inner.data.refresh_tokens.clear();
            inner.data.grants.clear();
            n
        }
    };
    inner.dirty = true;
    Ok(json_ok(&json!({"revoked": count})))
}

/// Mints tokens without a browser: `{"email", "scopes": [...] | "scope": "a b",
/// "client_id"?, "offline"?}`.
async fn issue_token(State(state): State<Shared>, body: axum::body::Body) -> ApiResult {
    let map = body_object(body).await?;
    let email = string_field(&map, "email")?.unwrap_or(test_users()[0].email);
    let user = find_user(email)
        .ok_or_else(|| ApiError::bad_request(format!("Unknown test user {email}")))?;
    let client_id = string_field(&map, "client_id")?.unwrap_or(crate::clients::DEFAULT_CLIENT_ID);
    if crate::clients::find_client(client_id).is_none() {
        return Err(ApiError::bad_request(format!("Unknown client {client_id}")));
    }
    let scopes: Vec<String> = match (map.get("scopes"), string_field(&map, "scope")?) {
        (Some(serde_json::Value::Array(items)), _) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        (_, Some(s)) => crate::oauth::scopes::split(s),
        _ => vec!["https://www.googleapis.com/auth/drive".to_owned()],
    };
    if scopes.is_empty() {
        return Err(ApiError::bad_request("scopes must not be empty"));
    }
    let offline = map.get("offline").and_then(|v| v.as_bool()).unwrap_or(true);
    let lifetime_ms = u64::try_from(state.config.token_lifetime.as_millis()).unwrap_or(u64::MAX);
    let mut inner = state.lock();
    let issued = tokens::issue(
        &mut inner,
        lifetime_ms,
        client_id,
        user.email,
        &scopes,
        offline,
        offline,
    );
    Ok(json_ok(&issued.to_json()))
}

async fn list_requests(State(state): State<Shared>) -> Response {
    let inner = state.lock();
    json_ok(&json!({"requests": inner.log}))
}

async fn clear_requests(State(state): State<Shared>) -> Response {
    let mut inner = state.lock();
    let n = inner.log.len();
    inner.log.clear();
    json_ok(&json!({"cleared": n}))
}

/// Back to the seeded state: files re-seeded, tokens, faults and the log cleared.
async fn reset(State(state): State<Shared>) -> Response {
    let mut inner = state.lock();
    inner.data = Data::seeded();
    inner.pending.clear();
    inner.faults.clear();
    inner.log.clear();
    inner.dirty = true;
    json_ok(&json!({"reset": true}))
}

/// `{"user_code", "email"?, "deny"?}`: answers a device authorization without the page.
async fn approve_device(State(state): State<Shared>, body: axum::body::Body) -> ApiResult {
    let map = body_object(body).await?;
    let code = string_field(&map, "user_code")?
        .ok_or_else(|| ApiError::bad_request("user_code is required"))?;
    let email = string_field(&map, "email")?.unwrap_or(test_users()[0].email);
    let user = find_user(email)
        .ok_or_else(|| ApiError::bad_request(format!("Unknown test user {email}")))?;
    let deny = map.get("deny").and_then(|v| v.as_bool()).unwrap_or(false);
    let mut inner = state.lock();
    crate::oauth::device::decide(&mut inner, code, user.email, !deny)
        .map_err(ApiError::bad_request)?;
    Ok(json_ok(&json!({"user_code": code, "approved": !deny})))
}

async fn users() -> Response {
    let list: Vec<_> = test_users()
        .iter()
        .map(|u| json!({"email": u.email, "name": u.name, "id": u.id}))
        .collect();
    json_ok(&json!({"users": list}))
}

async fn status(State(state): State<Shared>) -> Response {
    json_ok(&json!({
        "base_url": state.base_url,
        "auto_approve": state.config.auto_approve,
        "persistent": state.persister.is_some(),
        "token_lifetime_secs": state.config.token_lifetime.as_secs(),
    }))
}
