//! Docs v1: `documents.create` (a title), `documents.get` (paragraphs, text runs and their
//! styles, named paragraph styles, bullets and lists, UTF-16 indices) and
//! `documents.batchUpdate` for the text, style and bullet requests (see `edit`).
//! Documents belong to the user who created them.

pub(crate) mod edit;
pub(crate) mod model;
pub(crate) mod render;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::framework::Ctx;
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::body_object;
use crate::framework::caller::Caller;
use crate::framework::method_scopes::require_method;
use crate::framework::random;
use crate::framework::service::Service;
use crate::framework::store::Store;

use model::{DocsData, Document};

/// What Docs' handlers reach.
pub(crate) struct DocsSvc {
    pub data: Arc<Store<DocsData>>,
}

type Shared = Arc<DocsSvc>;

const SERVICE: &str = "docs.googleapis.com";

/// The Docs service (no seeded documents).
pub(crate) fn service(core: &Ctx) -> Service {
    let state = Arc::new(DocsSvc {
        data: core.persistent("docs", DocsData::default),
    });
    Service::new(
        "docs",
        Router::new()
            .route("/v1/documents", post(create))
            .route("/v1/documents/{id}", get(get_document).post(batch_update))
            .route_layer(axum::middleware::from_fn(
                crate::framework::fields::partial_response,
            ))
            .route_layer(axum::middleware::from_fn(crate::framework::body::buffered))
            .with_state(state),
    )
}

fn require(caller: &Caller, method: &str) -> Result<(), ApiError> {
    require_method(
        caller,
        "docs",
        "v1",
        &format!("docs.documents.{method}"),
        SERVICE,
    )
}

fn document_mut<'a>(
    data: &'a mut DocsData,
    caller: &Caller,
    id: &str,
) -> Result<&'a mut Document, ApiError> {
    let doc = data.documents.get_mut(id).ok_or_else(|| {
        ApiError::new(
            404,
            "NOT_FOUND",
            "notFound",
            "Requested entity was not found.",
        )
    })?;
    if doc.owner != caller.email.to_ascii_lowercase() {
        return Err(ApiError::new(
            403,
            "PERMISSION_DENIED",
            "forbidden",
            "The caller does not have permission",
        ));
    }
    Ok(doc)
}

fn revision() -> String {
    format!("ALm37B{}", random::token(30))
}

/// `POST /v1/documents` (`title`; any body content is ignored, as Docs does).
async fn create(State(state): State<Shared>, caller: Caller, body: axum::body::Body) -> ApiResult {
    require(&caller, "create")?;
    let body = body_object(body).await?;
    let title = body
        .get("title")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .unwrap_or("Untitled document")
        .to_owned();
    let id = format!("1{}", &random::token(33)[..43]);
    let doc = Document {
        id: id.clone(),
        owner: caller.email.to_ascii_lowercase(),
        title,
        revision: revision(),
        paragraphs: model::empty_body(),
        lists: Default::default(),
    };
    let v = render::document_json(&doc);
    state.data.write().documents.insert(id, doc);
    Ok(json_ok(&v))
}

/// `GET /v1/documents/{id}`.
async fn get_document(
    State(state): State<Shared>,
    Path(id): Path<String>,
    caller: Caller,
) -> ApiResult {
    require(&caller, "get")?;
    let mut data = state.data.write();
    let doc = document_mut(&mut data, &caller, &id)?;
    Ok(json_ok(&render::document_json(doc)))
}

/// `POST /v1/documents/{id}:batchUpdate`.
async fn batch_update(
    State(state): State<Shared>,
    Path(id): Path<String>,
    caller: Caller,
    body: axum::body::Body,
) -> ApiResult {
    let Some(id) = id.strip_suffix(":batchUpdate") else {
        return Err(ApiError::new(
            405,
            "UNIMPLEMENTED",
            "httpMethodNotAllowed",
            "POST is not allowed here.",
        ));
    };
    require(&caller, "batchUpdate")?;
    let body = body_object(body).await?;
    let requests = body
        .get("requests")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut data = state.data.write();
    let doc = document_mut(&mut data, &caller, id)?;
    if let Some(required) = body
        .get("writeControl")
        .and_then(|w| w.get("requiredRevisionId"))
        .and_then(Value::as_str)
        && required != doc.revision
    {
        return Err(ApiError::bad_request(
            "The required revision ID does not match the latest revision.",
        ));
    }
    let (mut updated, replies) = edit::apply(doc, &requests)?;
    if !requests.is_empty() {
        updated.revision = revision();
    }
    let answer = json!({
        "documentId": updated.id,
        "replies": replies,
        "writeControl": {"requiredRevisionId": updated.revision},
    });
    *doc = updated;
    Ok(json_ok(&answer))
}
