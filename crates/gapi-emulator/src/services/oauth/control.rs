//! OAuth's part of the loopback-only control API: revoke grants, mint tokens without a
//! browser, answer a device authorization without the page (see README.md).

use axum::extract::State;
use serde_json::json;

use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::{body_object, string_field};
use crate::world::users::{find_user, test_users};

use super::{Shared, tokens};

/// `{}` revokes every grant; `{"token": "..."}` the grant that token belongs to.
pub(crate) async fn revoke_tokens(
    State(state): State<Shared>,
    body: axum::body::Body,
) -> ApiResult {
    let map = body_object(body).await?;
    let only = string_field(&map, "token")?;
    let mut inner = state.data.write();
    let count = match only {
        Some(token) => tokens::revoke_token(&state.core, &mut inner, token)
            .ok_or_else(|| ApiError::new(404, "NOT_FOUND", "notFound", "Unknown token."))?,
        None => {
            let mut access = state.core.tokens.write();
            let n = access.0.len() + inner.refresh_tokens.len();
            access.0.clear();
            inner.refresh_tokens.clear();
            inner.grants.clear();
            n
        }
    };
    Ok(json_ok(&json!({"revoked": count})))
}

/// `{"token": "..."}` (a refresh or access token) or `{}` (every grant): refreshing answers
/// `invalid_grant` with `error_subtype: invalid_rapt`, as when an admin's re-authentication
/// (session length) policy applies, until the user signs in again.
pub(crate) async fn require_reauth(
    State(state): State<Shared>,
    body: axum::body::Body,
) -> ApiResult {
    let map = body_object(body).await?;
    let only = string_field(&map, "token")?;
    let mut inner = state.data.write();
    let keys: Vec<String> = match only {
        Some(token) => {
            let access_owner = state
                .core
                .tokens
                .read()
                .0
                .get(token)
                .map(|t| (t.client_id.clone(), t.email.clone()));
            let owner = access_owner
                .or_else(|| {
                    inner
                        .refresh_tokens
                        .get(token)
                        .map(|t| (t.client_id.clone(), t.email.clone()))
                })
                .ok_or_else(|| ApiError::new(404, "NOT_FOUND", "notFound", "Unknown token."))?;
            vec![super::model::grant_key(&owner.0, &owner.1)]
        }
        None => inner.grants.keys().cloned().collect(),
    };
    let mut count = 0;
    for key in keys {
        if let Some(grant) = inner.grants.get_mut(&key) {
            grant.reauth_required = true;
            count += 1;
        }
    }
    Ok(json_ok(&json!({"grants": count})))
}

/// Mints tokens without a browser: `{"email", "scopes": [...] | "scope": "a b",
/// "client_id"?, "offline"?}`.
pub(crate) async fn issue_token(State(state): State<Shared>, body: axum::body::Body) -> ApiResult {
    let map = body_object(body).await?;
    let email = string_field(&map, "email")?.unwrap_or(test_users()[0].email);
    let user = find_user(email)
        .ok_or_else(|| ApiError::bad_request(format!("Unknown test user {email}")))?;
    let client_id =
        string_field(&map, "client_id")?.unwrap_or(crate::world::clients::DEFAULT_CLIENT_ID);
    if crate::world::clients::find_client(client_id).is_none() {
        return Err(ApiError::bad_request(format!("Unknown client {client_id}")));
    }
    let scopes: Vec<String> = match (map.get("scopes"), string_field(&map, "scope")?) {
        (Some(serde_json::Value::Array(items)), _) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        (_, Some(s)) => super::scopes::split(s),
        _ => vec!["https://www.googleapis.com/auth/drive".to_owned()],
    };
    if scopes.is_empty() {
        return Err(ApiError::bad_request("scopes must not be empty"));
    }
    // `email` and `profile` become the URLs Google reports, as at the authorization endpoint.
    let scopes: Vec<String> = scopes.iter().map(|s| super::scopes::normalise(s)).collect();
    let offline = map.get("offline").and_then(|v| v.as_bool()).unwrap_or(true);
    let lifetime_ms =
        u64::try_from(state.core.config.token_lifetime.as_millis()).unwrap_or(u64::MAX);
    let mut inner = state.data.write();
    tokens::signed_in(&mut inner, client_id, user.email);
    let issued = tokens::issue(
        &state.core,
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

/// `{"user_code", "email"?, "deny"?}`: answers a device authorization without the page.
pub(crate) async fn approve_device(
    State(state): State<Shared>,
    body: axum::body::Body,
) -> ApiResult {
    let map = body_object(body).await?;
    let code = string_field(&map, "user_code")?
        .ok_or_else(|| ApiError::bad_request("user_code is required"))?;
    let email = string_field(&map, "email")?.unwrap_or(test_users()[0].email);
    let user = find_user(email)
        .ok_or_else(|| ApiError::bad_request(format!("Unknown test user {email}")))?;
    let deny = map.get("deny").and_then(|v| v.as_bool()).unwrap_or(false);
    let mut inner = state.data.write();
    super::device::decide(&mut inner, code, user.email, !deny).map_err(ApiError::bad_request)?;
    Ok(json_ok(&json!({"user_code": code, "approved": !deny})))
}
