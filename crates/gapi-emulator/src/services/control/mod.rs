//! The loopback-only control API under `/__emulator/`: faults, token expiry, the request log,
//! reset, a simulated full disk, users and status (OAuth adds its token and device shortcuts). See README.md.

pub(crate) mod faults;
pub(crate) mod request_log;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::json;

use crate::framework::Ctx;
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::{SMALL_BODY_LIMIT, body_object, read_limited, string_field};
use crate::framework::service::Service;
use crate::framework::store::Store;
use crate::framework::time::now_ms;
use crate::world::users::test_users;

use faults::{FaultRule, FaultSpec, Faults};
use request_log::RequestLog;

/// What the control API's handlers and middleware reach.
pub(crate) struct ControlSvc {
    pub core: Ctx,
    pub faults: Arc<Store<Faults>>,
    pub log: Arc<Store<RequestLog>>,
}

/// Handle passed to the control API's handlers.
pub(crate) type Shared = Arc<ControlSvc>;

/// The control service: its routes, and fault injection + the request log around every
/// request (the framework keeps `/__emulator/` to loopback peers).
pub(crate) fn service(core: &Ctx) -> Service {
    let state = Arc::new(ControlSvc {
        core: core.clone(),
        faults: core.volatile(Faults::default),
        log: core.volatile(RequestLog::default),
    });
    let wrapper = state.clone();
    Service::new("control", routes().with_state(state)).with_wrap(move |router: Router| {
        router
            .layer(axum::middleware::from_fn_with_state(
                wrapper.clone(),
                faults::inject,
            ))
            .layer(axum::middleware::from_fn_with_state(
                wrapper,
                request_log::record,
            ))
    })
}

/// Routes of the control API.
fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/__emulator/faults",
            post(add_fault).get(list_faults).delete(clear_faults),
        )
        .route("/__emulator/tokens/expire", post(expire_tokens))
        .route(
            "/__emulator/requests",
            get(list_requests).delete(clear_requests),
        )
        .route("/__emulator/reset", post(reset))
        .route("/__emulator/disk", post(disk))
        .route("/__emulator/users", get(users))
        .route("/__emulator/status", get(status))
}

async fn add_fault(State(state): State<Shared>, body: axum::body::Body) -> ApiResult {
    let bytes = read_limited(body, SMALL_BODY_LIMIT).await?;
    let spec: FaultSpec = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("Invalid fault rule: {e}")))?;
    spec.validate()
        .map_err(|e| ApiError::bad_request(format!("Invalid fault rule: {e}")))?;
    let mut faults = state.faults.write();
    let id = faults.next_id;
    faults.next_id += 1;
    let remaining = spec.times;
    faults.rules.push(FaultRule {
        id,
        spec,
        remaining,
        seen: 0,
    });
    Ok(json_ok(&json!({"id": id})))
}

async fn list_faults(State(state): State<Shared>) -> Response {
    let faults = state.faults.read();
    json_ok(&json!({"faults": faults.rules}))
}

async fn clear_faults(State(state): State<Shared>) -> Response {
    let mut faults = state.faults.write();
    let n = faults.rules.len();
    faults.rules.clear();
    json_ok(&json!({"cleared": n}))
}

/// `{}` expires every access token; `{"access_token": "..."}` just that one.
async fn expire_tokens(State(state): State<Shared>, body: axum::body::Body) -> ApiResult {
    let map = body_object(body).await?;
    let only = string_field(&map, "access_token")?;
    let past = now_ms().saturating_sub(1000);
    let mut tokens = state.core.tokens.write();
    let mut count = 0;
    for (token, record) in tokens.0.iter_mut() {
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
    Ok(json_ok(&json!({"expired": count})))
}

async fn list_requests(State(state): State<Shared>) -> Response {
    let log = state.log.read();
    json_ok(&json!({"requests": log.entries}))
}

async fn clear_requests(State(state): State<Shared>) -> Response {
    let mut log = state.log.write();
    let n = log.entries.len();
    log.entries.clear();
    json_ok(&json!({"cleared": n}))
}

/// `{"full": true}` makes the data directory's writes fail as on a full disk (changes are then
/// answered 503 and undone), `{"full": false}` ends it. Needs a data directory.
async fn disk(State(state): State<Shared>, body: axum::body::Body) -> ApiResult {
    let map = body_object(body).await?;
    let Some(full) = map.get("full").and_then(serde_json::Value::as_bool) else {
        return Err(ApiError::bad_request("full must be true or false"));
    };
    if !state.core.simulate_full_disk(full) {
        return Err(ApiError::bad_request(
            "the emulator keeps no data directory (start it with --data DIR)",
        ));
    }
    Ok(json_ok(&json!({"full": full})))
}

/// Back to the seeded state: every service's store (files re-seeded; tokens, consent
/// requests, faults and the log cleared).
async fn reset(State(state): State<Shared>) -> Response {
    state.core.reset_all();
    json_ok(&json!({"reset": true}))
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
        "base_url": state.core.base_url,
        "auto_approve": state.core.config.auto_approve,
        "persistent": state.core.is_persistent(),
        "token_lifetime_secs": state.core.config.token_lifetime.as_secs(),
        "refresh_token_lifetime_secs": state.core.config.refresh_token_lifetime.map(|d| d.as_secs()),
    }))
}
