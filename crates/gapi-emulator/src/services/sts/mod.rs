//! The Security Token Service (`sts.googleapis.com/v1`): workload identity federation.
//! `POST /v1/token` trades a subject token for a federated access token (RFC 8693 token
//! exchange, [`exchange`]); `POST /v1/introspect` says whom a token stands for
//! ([`introspect`]). The seeded workload identity pools
//! (`crate::world::federation`) trust an OIDC issuer the
//! emulator runs itself ([`issuer`], at `/oidc`), whose subject tokens the control API mints
//! (`/__emulator/oidc/token`). A federated token acts as
//! `principal://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/subject/S`:
//! it calls the emulator's APIs as that principal, and the seeded pool's principal set holds
//! Workload Identity User on the robot service account, so `generateAccessToken` (a file's
//! `service_account_impersonation_url`) answers the robot's token.

pub(crate) mod aws;
pub(crate) mod exchange;
pub(crate) mod introspect;
pub(crate) mod issuer;

use std::sync::Arc;

use axum::Router;
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::json;

use crate::framework::Ctx;
use crate::framework::api_error::json_ok;
use crate::framework::service::Service;
use crate::world::federation;

/// What the STS handlers reach.
pub(crate) struct StsSvc {
    pub core: Ctx,
}

/// Handle passed to the handlers.
pub(crate) type Shared = Arc<StsSvc>;

/// The STS service (and its OIDC issuer).
pub(crate) fn service(core: &Ctx) -> Service {
    let state = Arc::new(StsSvc { core: core.clone() });
    Service::new("sts", routes().with_state(state))
}

fn routes() -> Router<Shared> {
    Router::new()
        .route("/v1/token", post(exchange::token))
        .route("/v1/introspect", post(introspect::introspect))
        .route(
            "/oidc/.well-known/openid-configuration",
            get(issuer::openid_configuration),
        )
        .route("/oidc/jwks", get(issuer::jwks))
        .route(
            "/__emulator/oidc/token",
            post(issuer::mint_post).get(issuer::mint_get),
        )
        .route("/__emulator/sts/providers", get(providers))
}

/// `GET /__emulator/sts/providers`: the seeded providers, the `audience` an external_account
/// file names for each, the issuer they trust and which principal sets may act as whom.
async fn providers(axum::extract::State(state): axum::extract::State<Shared>) -> Response {
    let list: Vec<_> = federation::all()
        .iter()
        .map(|p| {
            json!({
                "name": p.name(),
                "audience": p.sts_audience(),
                "subject_token_audience": p.default_token_audience(),
                "issuer": issuer::issuer_url(&state.core),
                "principal_set": federation::principal_set(p.pool),
            })
        })
        .collect();
    let keys: Vec<_> = federation::AWS_KEYS
        .iter()
        .map(|k| {
            json!({
                "access_key_id": k.access_key_id,
                "secret_access_key": k.secret_access_key,
                "session_token": k.session_token,
                "arn": k.arn,
            })
        })
        .collect();
    json_ok(&json!({
        "providers": list,
        "aws_keys": keys,
        "bindings": [{
            "role": "roles/iam.workloadIdentityUser",
            "member": federation::principal_set(federation::POOL),
            "service_account": crate::world::project::ROBOT,
        }],
    }))
}
