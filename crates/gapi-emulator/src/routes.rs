//! The whole HTTP surface in one place: which module serves which path, and the layers
//! (request log, fault injection) around them.

use axum::Router;
use axum::http::{Method, Uri};
use axum::response::{IntoResponse, Response};

use crate::api_error::ApiError;
use crate::state::Shared;

/// Builds the router with its state and layers.
pub(crate) fn router(state: Shared) -> Router {
    Router::new()
        .merge(crate::oauth::routes())
        .merge(crate::discovery::routes())
        .merge(crate::drive::routes())
        .merge(crate::control::routes())
        .fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::faults::inject,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::request_log::record,
        ))
        .with_state(state)
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
