//! Puts the services together: every service's routes, the shared batch endpoint, answers for
//! paths nobody serves, and the layers every request passes (the context extension, the
//! loopback guard of `/__emulator/`, saving changed state after each request).

use axum::extract::{Request, State};
use axum::http::{Method, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};

use std::cell::Cell;

use super::Ctx;
use super::api_error::ApiError;
use super::service::Service;
use super::store::REQUEST_CHANGE;
use crate::framework::conn::ConnInfo;

/// Builds the emulator's router from its services.
pub(crate) fn build(core: &Ctx, services: Vec<Service>) -> Router {
    let mut router = super::batch::routes();
    let mut wraps = Vec::new();
    let mut fallback_service = None;
    for service in services {
        tracing::debug!("serving {}", service.name);
        for api in &service.apis {
            core.own_api(api, service.name);
        }
        for verify in service.token_verifiers {
            core.accept_tokens_of(verify);
        }
        router = router.merge(service.routes);
        wraps.extend(service.wrap);
        if service.fallback.is_some() {
            fallback_service = service.fallback;
        }
    }
    let router = router.method_not_allowed_fallback(method_not_allowed);
    let router = match fallback_service {
        Some(f) => router.fallback_service(f),
        None => router.fallback(fallback),
    };
    // Saving sits inside the services' wraps, so the request log sees a 503 it turns into.
    let mut router = router.layer(axum::middleware::from_fn_with_state(
        core.clone(),
        save_after,
    ));
    for wrap in wraps {
        router = wrap(router);
    }
    router
        .layer(axum::middleware::from_fn(loopback_only))
        .layer(Extension(core.clone()))
}

/// The control API (`/__emulator/...`) answers loopback peers only.
async fn loopback_only(request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/__emulator/") {
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
    }
    next.run(request).await
}

/// Saves what a request changed before its answer goes out (off the async workers: the save
/// writes and fsyncs). Requests that changed nothing persistent never wait. A change that
/// could not be saved was undone: the answer is then a 503, never the handler's success.
async fn save_after(State(core): State<Ctx>, request: Request, next: Next) -> Response {
    let (response, changed) = REQUEST_CHANGE
        .scope(Cell::new((0, 0)), async {
            let response = next.run(request).await;
            (response, REQUEST_CHANGE.with(Cell::get))
        })
        .await;
    if changed.1 > 0 && core.is_persistent() {
        let saver = core.clone();
        let saved = match tokio::task::spawn_blocking(move || saver.save_through(changed)).await {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(e) => Err(format!("the save did not finish: {e}")),
        };
        if let Err(why) = saved {
            return ApiError::new(
                503,
                "UNAVAILABLE",
                "backendError",
                "The service is currently unavailable.",
            )
            .help(format!(
                "The emulator could not save this request's changes to its data directory, so it did not make them: {why}. Free space (or fix the directory) and retry."
            ))
            .into_response();
        }
    }
    response
}

async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    ApiError::new(
        405,
        "UNIMPLEMENTED",
        "httpMethodNotAllowed",
        format!("{method} is not allowed on {}.", uri.path()),
    )
    .into_response()
}

async fn fallback(method: Method, uri: Uri) -> Response {
    ApiError::no_route(method.as_str(), uri.path()).into_response()
}
