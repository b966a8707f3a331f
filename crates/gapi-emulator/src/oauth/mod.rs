//! The OAuth 2.0 endpoints: authorization (consent page), token, revoke, tokeninfo, device flow.

pub(crate) mod authorize;
pub(crate) mod consent_page;
pub(crate) mod device;
pub(crate) mod error;
pub(crate) mod id_token;
pub(crate) mod model;
pub(crate) mod pkce;
pub(crate) mod revoke;
pub(crate) mod scopes;
pub(crate) mod token;
pub(crate) mod tokens;

use axum::Router;
use axum::routing::{get, post};

use crate::state::Shared;

/// Routes of the OAuth endpoints (paths as Google's, minus the host).
pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/o/oauth2/v2/auth", get(authorize::authorize))
        .route("/o/oauth2/auth", get(authorize::authorize))
        .route("/o/oauth2/approve", post(authorize::approve))
        .route("/token", post(token::token))
        .route("/revoke", post(revoke::revoke).get(revoke::revoke))
        .route("/tokeninfo", get(revoke::tokeninfo).post(revoke::tokeninfo))
        .route(
            "/oauth2/v3/tokeninfo",
            get(revoke::tokeninfo).post(revoke::tokeninfo),
        )
        .route("/oauth2/v1/certs", get(revoke::certs))
        .route("/oauth2/v3/userinfo", get(id_token::userinfo))
        .route("/oauth2/v2/userinfo", get(id_token::userinfo))
        .route("/device/code", post(device::device_code))
        .route(
            "/device",
            get(device::device_page).post(device::device_submit),
        )
}
