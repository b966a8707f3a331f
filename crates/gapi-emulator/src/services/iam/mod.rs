//! The IAM Credentials API (`iamcredentials.googleapis.com/v1`) for the seeded service account
//! `robot@gapi-emulator.iam.gserviceaccount.com`: generateAccessToken, generateIdToken,
//! signJwt and signBlob, each behind the Token Creator role check on the target (and along the
//! `delegates` chain), and self-signed JWTs of the robot as bearer tokens ([`self_signed`],
//! registered with the framework as a token verifier). The robot, its key and the bindings on
//! it are part of the seeded world (`crate::world::project`, `crate::world::robot_key`).
//!
//! The routes share their path shape (`/v1/projects/*/serviceAccounts/*`) with the generic
//! service's `iam` API, so this service intercepts only `POST ...:<verb>` for its four verbs
//! (and only when the request is not routed to another API), leaving the rest to the router.

pub(crate) mod credentials;
pub(crate) mod self_signed;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::framework::Ctx;
use crate::framework::dispatch::ApiRoute;
use crate::framework::service::Service;

/// The IAM Credentials service.
pub(crate) fn service(core: &Ctx) -> Service {
    let state = core.clone();
    Service::new("iam", Router::new())
        .owning_api("iamcredentials")
        .with_token_verifier(self_signed::caller)
        .with_wrap(move |router| {
            router.layer(axum::middleware::from_fn_with_state(state, intercept))
        })
}

/// One of ours: `POST /v1/projects/{project}/serviceAccounts/{email}:{verb}`.
fn ours(request: &Request) -> Option<(String, String)> {
    if request.method() != axum::http::Method::POST {
        return None;
    }
    if let Some(route) = request.extensions().get::<ApiRoute>()
        && route.api != "iamcredentials"
    {
        return None;
    }
    let path = request.uri().path();
    let rest = path.strip_prefix("/v1/projects/")?;
    let (_project, rest) = rest.split_once("/serviceAccounts/")?;
    let (account, verb) = rest.rsplit_once(':')?;
    let account = percent_decode(account);
    if account.is_empty() || account.contains('/') {
        return None;
    }
    matches!(
        verb,
        "generateAccessToken" | "generateIdToken" | "signJwt" | "signBlob"
    )
    .then(|| (account, verb.to_owned()))
}

fn percent_decode(s: &str) -> String {
    form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

async fn intercept(State(core): State<Ctx>, request: Request, next: Next) -> Response {
    match ours(&request) {
        Some((account, verb)) => credentials::handle(&core, &account, &verb, request).await,
        None => next.run(request).await,
    }
}
