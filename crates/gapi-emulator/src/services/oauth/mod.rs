//! The OAuth 2.0 endpoints: authorization (consent page), token, revoke, tokeninfo, device flow,
//! and the control API's token and device shortcuts (`/__emulator/tokens/...`).

pub(crate) mod authorize;
pub(crate) mod consent_page;
pub(crate) mod control;
pub(crate) mod device;
pub(crate) mod error;
pub(crate) mod id_token;
pub(crate) mod jwt_bearer;
pub(crate) mod known_scopes;
pub(crate) mod model;
pub(crate) mod pkce;
pub(crate) mod revoke;
pub(crate) mod scopes;
pub(crate) mod token;
pub(crate) mod tokeninfo;
pub(crate) mod tokens;
pub(crate) mod userinfo;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use crate::framework::Ctx;
use crate::framework::service::Service;
use crate::framework::store::Store;

use model::{AuthCode, DeviceAuth, Grant, PendingAuth, RefreshToken};

/// OAuth's saved state (access tokens live in the shared table, `Core::tokens`).
#[derive(Serialize, Deserialize, Default)]
pub(crate) struct OAuthData {
    pub codes: HashMap<String, AuthCode>,
    pub refresh_tokens: HashMap<String, RefreshToken>,
    pub grants: HashMap<String, Grant>,
    pub devices: HashMap<String, DeviceAuth>,
    /// Serial of the last refresh token issued (their issue order).
    #[serde(default)]
    pub refresh_serial: u64,
}

/// What OAuth's handlers reach.
pub(crate) struct OAuthSvc {
    pub core: Ctx,
    pub data: Arc<Store<OAuthData>>,
    /// Consent pages shown and not yet answered, by request id (memory only).
    pub pending: Arc<Store<HashMap<String, PendingAuth>>>,
}

/// Handle passed to OAuth's handlers.
pub(crate) type Shared = Arc<OAuthSvc>;

/// The OAuth 2.0 service.
pub(crate) fn service(core: &Ctx) -> Service {
    let state = Arc::new(OAuthSvc {
        core: core.clone(),
        data: core.persistent("oauth", OAuthData::default),
        pending: core.volatile(HashMap::new),
    });
    Service::new("oauth", routes().with_state(state)).owning_api("oauth2")
}

/// Routes of the OAuth endpoints (paths as Google's, minus the host).
fn routes() -> Router<Shared> {
    Router::new()
        .route("/o/oauth2/v2/auth", get(authorize::authorize))
        .route("/o/oauth2/auth", get(authorize::authorize))
        .route("/o/oauth2/approve", post(authorize::approve))
        .route("/token", post(token::token))
        .route("/revoke", post(revoke::revoke).get(revoke::revoke))
        .route("/tokeninfo", get(tokeninfo::v3).post(tokeninfo::v3))
        .route(
            "/oauth2/v3/tokeninfo",
            get(tokeninfo::v3).post(tokeninfo::v3),
        )
        .route(
            "/oauth2/v2/tokeninfo",
            get(tokeninfo::v2).post(tokeninfo::v2),
        )
        .route(
            "/oauth2/v1/tokeninfo",
            get(tokeninfo::v2).post(tokeninfo::v2),
        )
        .route("/oauth2/v1/certs", get(id_token::pem_certs))
        .route("/oauth2/v3/certs", get(id_token::jwks))
        .route(
            "/.well-known/openid-configuration",
            get(id_token::openid_configuration),
        )
        .route("/oauth2/v3/userinfo", get(userinfo::v3))
        .route("/v1/userinfo", get(userinfo::v3))
        .route("/oauth2/v2/userinfo", get(userinfo::v2))
        .route("/userinfo/v2/me", get(userinfo::v2))
        .route("/device/code", post(device::device_code))
        .route(
            "/device",
            get(device::device_page).post(device::device_submit),
        )
        .route("/__emulator/tokens/revoke", post(control::revoke_tokens))
        .route("/__emulator/tokens/issue", post(control::issue_token))
        .route("/__emulator/tokens/reauth", post(control::require_reauth))
        .route("/__emulator/device/approve", post(control::approve_device))
}
