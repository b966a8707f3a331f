//! RS256 ID tokens for `openid` / `email` / `profile` grants, the keys that verify them
//! (`/oauth2/v3/certs` as a JWK Set, `/oauth2/v1/certs` as PEM X.509 certificates) and the
//! OpenID discovery document, so Google's own verifiers (google-auth-library's
//! `verifyIdToken`, google-auth's `id_token.verify_token`) accept them with the emulator as
//! issuer. Signed with the emulator's fixed public TEST key (`framework::crypto`).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Shared;
use crate::framework::api_error::json_body;
use crate::framework::crypto::test_key;
use crate::framework::time::now_ms;
use crate::world::users::TestUser;

/// The long form of the `email` scope.
pub(crate) const EMAIL: &str = "https://www.googleapis.com/auth/userinfo.email";
/// The long form of the `profile` scope.
pub(crate) const PROFILE: &str = "https://www.googleapis.com/auth/userinfo.profile";

/// Whether the granted scopes ask for identity (so an ID token is returned).
pub(crate) fn wants_identity(scopes: &[String]) -> bool {
    scopes
        .iter()
        .any(|s| s == "openid" || s == EMAIL || s == PROFILE)
}

/// Given and family name of a test user ("Alice Example" → "Alice", "Example").
pub(crate) fn name_parts(user: &TestUser) -> (&'static str, &'static str) {
    user.name.split_once(' ').unwrap_or((user.name, ""))
}

/// The avatar URL userinfo and ID tokens name (an image URL, as Google's `picture`).
pub(crate) fn picture(issuer: &str, user: &TestUser) -> String {
    format!("{issuer}/avatars/{}.png", user.id)
}

/// The `iss` of ID tokens: the configured issuer, else the emulator's base URL.
pub(crate) fn issuer(core: &crate::framework::Core) -> &str {
    core.config
        .id_token_issuer
        .as_deref()
        .unwrap_or(&core.base_url)
}

/// An RS256 ID token for `user`, issued by `issuer` to `client_id`, with Google's claims for
/// the granted scopes (`base`, the emulator's URL, serves the picture).
pub(crate) fn make(
    base: &str,
    issuer: &str,
    client_id: &str,
    user: &TestUser,
    scopes: &[String],
    lifetime_secs: u64,
) -> String {
    let iat = now_ms() / 1000;
    let mut claims = json!({
        "iss": issuer,
        "azp": client_id,
        "aud": client_id,
        "sub": user.id,
        "iat": iat,
        "exp": iat + lifetime_secs,
    });
    if scopes.iter().any(|s| s == EMAIL) {
        claims["email"] = json!(user.email);
        claims["email_verified"] = json!(true);
    }
    if scopes.iter().any(|s| s == PROFILE) {
        let (given, family) = name_parts(user);
        claims["name"] = json!(user.name);
        claims["given_name"] = json!(given);
        claims["family_name"] = json!(family);
        claims["picture"] = json!(picture(base, user));
    }
    test_key().sign_jwt(&claims)
}

/// A JSON answer that clients may cache for a while (Google serves its keys so).
fn cacheable(value: &Value) -> Response {
    let mut response = json_body(value).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("public, max-age=3600, must-revalidate, no-transform"),
    );
    response
}

/// `GET /oauth2/v1/certs`: `{kid: PEM certificate}`.
pub(crate) async fn pem_certs() -> Response {
    cacheable(&test_key().pem_certificates())
}

/// `GET /oauth2/v3/certs`: the JWK Set.
pub(crate) async fn jwks() -> Response {
    cacheable(&test_key().jwks())
}

/// `GET /.well-known/openid-configuration`: where everything is, with the emulator as issuer.
pub(crate) async fn openid_configuration(State(state): State<Shared>) -> Response {
    let base = &state.core.base_url;
    cacheable(&json!({
        "issuer": issuer(&state.core),
        "authorization_endpoint": format!("{base}/o/oauth2/v2/auth"),
        "device_authorization_endpoint": format!("{base}/device/code"),
        "token_endpoint": format!("{base}/token"),
        "userinfo_endpoint": format!("{base}/oauth2/v3/userinfo"),
        "revocation_endpoint": format!("{base}/revoke"),
        "jwks_uri": format!("{base}/oauth2/v3/certs"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "claims_supported": ["aud", "email", "email_verified", "exp", "family_name", "given_name", "iat", "iss", "name", "picture", "sub"],
        "code_challenge_methods_supported": ["plain", "S256"],
        "grant_types_supported": ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"],
    }))
}
