//! Gmail v1: messages (send as `raw` JSON or through the upload endpoint, get in every format,
//! list with `q`, trash/untrash/delete, modify, attachments), drafts, threads, labels,
//! history and the profile, per user (the token's), with a copy of each message delivered to
//! every seeded user it is addressed to. Scopes come from the Discovery document, plus
//! Gmail's own rules for the `gmail.metadata` scope.

pub(crate) mod drafts;
pub(crate) mod history;
pub(crate) mod labels;
pub(crate) mod mailbox;
pub(crate) mod messages;
pub(crate) mod mime;
pub(crate) mod model;
pub(crate) mod query;
pub(crate) mod render;
pub(crate) mod send;
pub(crate) mod threads;
pub(crate) mod upload;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use crate::framework::Ctx;
use crate::framework::api_error::ApiError;
use crate::framework::caller::Caller;
use crate::framework::method_scopes::require_method;
use crate::framework::service::Service;
use crate::framework::store::Store;
use crate::world::users::find_user;

use model::{Mailbox, UploadSession};

/// Gmail's saved state.
#[derive(Serialize, Deserialize, Default)]
pub(crate) struct GmailData {
    /// By lower-case email.
    pub mailboxes: BTreeMap<String, Mailbox>,
    /// Open resumable uploads, by upload id.
    pub uploads: HashMap<String, UploadSession>,
    /// Numbers message and draft ids.
    pub seq: u64,
}

/// What Gmail's handlers reach.
pub(crate) struct GmailSvc {
    pub core: Ctx,
    pub data: Arc<Store<GmailData>>,
}

/// Handle passed to Gmail's handlers.
pub(crate) type Shared = Arc<GmailSvc>;

/// `gmail.googleapis.com`, for the ErrorInfo of scope errors.
pub(crate) const SERVICE: &str = "gmail.googleapis.com";

/// The Gmail service.
pub(crate) fn service(core: &Ctx) -> Service {
    let state = Arc::new(GmailSvc {
        core: core.clone(),
        data: core.persistent("gmail", GmailData::seeded),
    });
    Service::new(
        "gmail",
        routes()
            .route_layer(axum::middleware::from_fn(
                crate::framework::fields::partial_response,
            ))
            .route_layer(axum::middleware::from_fn(crate::framework::body::buffered))
            .with_state(state),
    )
}

fn routes() -> Router<Shared> {
    const U: &str = "/gmail/v1/users/{user_id}";
    Router::new()
        .route(&format!("{U}/profile"), get(messages::profile))
        .route(&format!("{U}/messages"), get(messages::list))
        .route(&format!("{U}/messages/send"), post(send::send))
        .route(
            &format!("{U}/messages/{{id}}"),
            get(messages::get).delete(messages::delete),
        )
        .route(&format!("{U}/messages/{{id}}/trash"), post(messages::trash))
        .route(
            &format!("{U}/messages/{{id}}/untrash"),
            post(messages::untrash),
        )
        .route(
            &format!("{U}/messages/{{id}}/modify"),
            post(messages::modify),
        )
        .route(
            &format!("{U}/messages/{{message_id}}/attachments/{{id}}"),
            get(messages::attachment),
        )
        .route(
            &format!("{U}/drafts"),
            get(drafts::list).post(drafts::create),
        )
        .route(&format!("{U}/drafts/send"), post(drafts::send))
        .route(
            &format!("{U}/drafts/{{id}}"),
            get(drafts::get).put(drafts::update).delete(drafts::delete),
        )
        .route(&format!("{U}/threads"), get(threads::list))
        .route(&format!("{U}/threads/{{id}}"), get(threads::get))
        .route(
            &format!("{U}/labels"),
            get(labels::list).post(labels::create),
        )
        .route(&format!("{U}/labels/{{id}}"), get(labels::get))
        .route(&format!("{U}/history"), get(history::list))
        .route(
            "/upload/gmail/v1/users/{user_id}/messages/send",
            post(upload::send).put(upload::resume),
        )
        .route(
            "/upload/gmail/v1/users/{user_id}/drafts",
            post(upload::draft).put(upload::resume),
        )
        .route("/__emulator/gmail/history/expire", post(history::expire))
}

/// The mailbox owner a request may act on: `me` or the caller's own address. Another
/// user's address is Google's 403 `Delegation denied`; a token that is not a seeded user's
/// (the service account itself) is Gmail's 400 `Precondition check failed.`.
pub(crate) fn mailbox_owner(caller: &Caller, user_id: &str) -> Result<String, ApiError> {
    if caller.email.starts_with("principal://") || find_user(&caller.email).is_none() {
        return Err(ApiError::new(
            400,
            "FAILED_PRECONDITION",
            "failedPrecondition",
            "Precondition check failed.",
        )
        .help("Gmail serves users' mailboxes: a service account needs domain-wide delegation (a token with `sub`) to reach one."));
    }
    if user_id == "me" || user_id.eq_ignore_ascii_case(&caller.email) {
        Ok(caller.email.to_ascii_lowercase())
    } else {
        Err(ApiError::new(
            403,
            "PERMISSION_DENIED",
            "forbidden",
            format!("Delegation denied for {}", caller.email),
        ))
    }
}

/// Google's 403 unless the token has one of the scopes the Discovery document lists for
/// `gmail.<method>` (e.g. `users.messages.send`).
pub(crate) fn require(caller: &Caller, method: &str) -> Result<(), ApiError> {
    require_method(caller, "gmail", "v1", &format!("gmail.{method}"), SERVICE)
}

/// Whether the token's only Gmail access is `gmail.metadata` (no bodies, no `q`).
pub(crate) fn metadata_only(caller: &Caller) -> bool {
    const READ_BODIES: &[&str] = &[
        "https://mail.google.com/",
        "https://www.googleapis.com/auth/gmail.modify",
        "https://www.googleapis.com/auth/gmail.readonly",
        "https://www.googleapis.com/auth/gmail.compose",
        "https://www.googleapis.com/auth/gmail.addons.current.message.readonly",
        "https://www.googleapis.com/auth/gmail.addons.current.message.action",
    ];
    caller.has("https://www.googleapis.com/auth/gmail.metadata")
        && !READ_BODIES.iter().any(|s| caller.has(s))
}

/// Gmail's 404 for an id that is not in the mailbox.
pub(crate) fn not_found() -> ApiError {
    ApiError::new(
        404,
        "NOT_FOUND",
        "notFound",
        "Requested entity was not found.",
    )
}

/// Gmail's 400 `invalidArgument`.
pub(crate) fn invalid_argument(message: impl Into<String>) -> ApiError {
    ApiError::new(400, "INVALID_ARGUMENT", "invalidArgument", message)
}

/// `maxResults` within `1..=max` (default `default`).
pub(crate) fn max_results(
    params: &crate::framework::body::Params,
    default: usize,
    max: usize,
) -> Result<usize, ApiError> {
    match params.get("maxResults") {
        None => Ok(default),
        Some(t) => t
            .parse::<usize>()
            .ok()
            .map(|n| n.clamp(1, max))
            .ok_or_else(|| {
                ApiError::invalid_param("maxResults", format!("Invalid value for maxResults: {t}"))
            }),
    }
}
