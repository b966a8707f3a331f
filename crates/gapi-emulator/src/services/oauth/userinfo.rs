//! The signed-in user, in the two shapes Google serves: `GET /oauth2/v2/userinfo` and
//! `/userinfo/v2/me` answer the oauth2 v2 document's `Userinfo` schema (`id`,
//! `verified_email`, ...); `/oauth2/v3/userinfo` (and `/v1/userinfo`, the OpenID endpoint)
//! answer OpenID Connect claims (`sub`, `email_verified`, ...).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Shared;
use super::id_token::{EMAIL, PROFILE, name_parts, picture, wants_identity};
use crate::framework::api_error::{ApiError, json_ok};
use crate::framework::caller::Caller;
use crate::world::users::{TestUser, find_user};

const IDENTITY_SCOPES: &[&str] = &["openid", EMAIL, PROFILE];

/// The caller's user, if the token may read who they are.
fn identify(caller: Result<Caller, ApiError>) -> Result<(Caller, &'static TestUser), ApiError> {
    let caller = caller?;
    if !wants_identity(&caller.scopes) {
        return Err(ApiError::insufficient_scope_for(
            IDENTITY_SCOPES,
            Some("oauth2.googleapis.com"),
        ));
    }
    let user = find_user(&caller.email).ok_or_else(|| {
        ApiError::invalid_credentials(
            "ACCESS_TOKEN_TYPE_UNSUPPORTED",
            Some("oauth2.googleapis.com"),
            "The token's user is not a test user.",
        )
    })?;
    Ok((caller, user))
}

/// `GET /oauth2/v2/userinfo`, `GET /userinfo/v2/me`: the v2 shape.
pub(crate) async fn v2(State(state): State<Shared>, caller: Result<Caller, ApiError>) -> Response {
    let (caller, user) = match identify(caller) {
        Ok(found) => found,
        Err(e) => return e.into_response(),
    };
    let mut info = json!({"id": user.id});
    if caller.has(EMAIL) {
        info["email"] = json!(user.email);
        info["verified_email"] = json!(true);
    }
    add_profile(&mut info, &caller, user, &state.core.base_url);
    json_ok(&info)
}

/// `GET /oauth2/v3/userinfo`, `GET /v1/userinfo`: OpenID Connect claims.
pub(crate) async fn v3(State(state): State<Shared>, caller: Result<Caller, ApiError>) -> Response {
    let (caller, user) = match identify(caller) {
        Ok(found) => found,
        Err(e) => return e.into_response(),
    };
    let mut info = json!({"sub": user.id});
    add_profile(&mut info, &caller, user, &state.core.base_url);
    if caller.has(EMAIL) {
        info["email"] = json!(user.email);
        info["email_verified"] = json!(true);
    }
    json_ok(&info)
}

fn add_profile(info: &mut Value, caller: &Caller, user: &TestUser, base: &str) {
    if caller.has(PROFILE) {
        let (given, family) = name_parts(user);
        info["name"] = json!(user.name);
        info["given_name"] = json!(given);
        info["family_name"] = json!(family);
        info["picture"] = json!(picture(base, user));
    }
}
