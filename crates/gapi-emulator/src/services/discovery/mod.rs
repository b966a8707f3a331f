//! The Discovery service: `GET /discovery/v1/apis` and `/discovery/v1/apis/{api}/{version}/rest`,
//! served from the documents bundled in `gapi-discovery`, with `rootUrl` (and `mtlsRootUrl`,
//! `baseUrl`, `discoveryRestUrl`) rewritten to point at the emulator.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use serde_json::Value;

use crate::framework::Ctx;
use crate::framework::api_error::ApiError;
use crate::framework::body::Params;
use crate::framework::random::sha256_hex;
use crate::framework::service::Service;

/// What the Discovery handlers reach.
pub(crate) struct DiscoverySvc {
    base_url: String,
    docs: DocCache,
}

type Shared = Arc<DiscoverySvc>;

/// The Discovery service.
pub(crate) fn service(core: &Ctx) -> Service {
    let state = Arc::new(DiscoverySvc {
        base_url: core.base_url.clone(),
        docs: DocCache::default(),
    });
    Service::new("discovery", routes().with_state(state))
}

/// A rewritten document, ready to send.
pub(crate) struct Rendered {
    body: Bytes,
    etag: String,
}

/// Rewritten documents, built on first request (documents are decompressed one at a time).
#[derive(Default)]
pub(crate) struct DocCache {
    docs: Mutex<HashMap<(String, String), Arc<Rendered>>>,
    directory: Mutex<Option<Arc<Value>>>,
}

/// Routes of the Discovery service.
fn routes() -> Router<Shared> {
    Router::new()
        .route("/discovery/v1/apis", get(directory))
        .route("/discovery/v1/apis/{api}/{version}/rest", get(document))
}

fn render(value: &Value) -> Rendered {
    let text = serde_json::to_vec(value).unwrap_or_default();
    let etag = format!("\"{}\"", &sha256_hex(&text)[..32]);
    Rendered {
        body: Bytes::from(text),
        etag,
    }
}

fn send(rendered: &Rendered, headers: &HeaderMap) -> Response {
    let etag = HeaderValue::from_str(&rendered.etag).unwrap_or(HeaderValue::from_static("\"0\""));
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == rendered.etag || t.trim() == "*")
        });
    if not_modified {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=UTF-8"),
            ),
            (header::ETAG, etag),
        ],
        rendered.body.clone(),
    )
        .into_response()
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        500,
        "INTERNAL",
        "backendError",
        format!("The bundled discovery data could not be read: {e}"),
    )
}

async fn directory(State(state): State<Shared>, uri: Uri, headers: HeaderMap) -> Response {
    let dir = {
        let mut cached = state
            .docs
            .directory
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        match cached.as_ref() {
            Some(d) => d.clone(),
            None => {
                let parsed = gapi_discovery::bundle::directory_json()
                    .map_err(internal)
                    .and_then(|t| serde_json::from_str::<Value>(&t).map_err(internal));
                match parsed {
                    Ok(mut v) => {
                        rewrite_directory(&mut v, &state.base_url);
                        let d = Arc::new(v);
                        *cached = Some(d.clone());
                        d
                    }
                    Err(e) => return e.into_response(),
                }
            }
        }
    };
    let params = Params::from_query(&uri);
    let name = params.non_empty("name");
    let preferred = match params.bool("preferred") {
        Ok(p) => p.unwrap_or(false),
        Err(e) => return e.into_response(),
    };
    if name.is_none() && !preferred {
        return send(&render(&dir), &headers);
    }
    let mut filtered = (*dir).clone();
    if let Some(items) = filtered.get_mut("items").and_then(Value::as_array_mut) {
        items.retain(|item| {
            name.is_none_or(|n| item.get("name").and_then(Value::as_str) == Some(n))
                && (!preferred || item.get("preferred").and_then(Value::as_bool) == Some(true))
        });
    }
    send(&render(&filtered), &headers)
}

fn rewrite_directory(dir: &mut Value, base: &str) {
    let Some(items) = dir.get_mut("items").and_then(Value::as_array_mut) else {
        return;
    };
    for item in items {
        let (Some(name), Some(version)) = (
            item.get("name").and_then(Value::as_str).map(str::to_owned),
            item.get("version")
                .and_then(Value::as_str)
                .map(str::to_owned),
        ) else {
            continue;
        };
        item["discoveryRestUrl"] =
            Value::String(format!("{base}/discovery/v1/apis/{name}/{version}/rest"));
    }
}

async fn document(
    State(state): State<Shared>,
    Path((api, version)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let key = (api.clone(), version.clone());
    let cached = state
        .docs
        .docs
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
        .cloned();
    if let Some(r) = cached {
        return send(&r, &headers);
    }
    let text = match gapi_discovery::bundle::document_json(&api, &version) {
        Ok(Some(t)) => t,
        Ok(None) => {
            return ApiError::new(
                404,
                "NOT_FOUND",
                "notFound",
                format!(
                    "Requested entity was not found: no discovery document for {api} {version}."
                ),
            )
            .into_response();
        }
        Err(e) => return internal(e).into_response(),
    };
    let mut doc: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => return internal(e).into_response(),
    };
    // Each API gets a base of its own, so APIs that share paths (Cloud APIs under `/v1/`)
    // are told apart; `framework::dispatch` strips the prefix again.
    let root = format!("{}/_/{api}/", state.base_url);
    let service_path = doc
        .get("servicePath")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    doc["rootUrl"] = Value::String(root.clone());
    if doc.get("mtlsRootUrl").is_some() {
        doc["mtlsRootUrl"] = Value::String(root.clone());
    }
    doc["baseUrl"] = Value::String(format!("{root}{service_path}"));
    let rendered = Arc::new(render(&doc));
    state
        .docs
        .docs
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, rendered.clone());
    send(&rendered, &headers)
}
