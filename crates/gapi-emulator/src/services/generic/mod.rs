//! The generic store: the standard methods (`list`, `get`, `insert`/`create`, `patch`/`update`,
//! `delete`) of every bundled API, served from its Discovery document, with state kept like any
//! other service's (in memory, and under `--data`).
//!
//! It answers whatever no other service routes (the router's fallback): it finds the API (from
//! the `/_/<api>/` prefix or the host, see `framework::dispatch`, else from the first path
//! segments `<api>/<version>/`), then the method whose path template and HTTP method match.
//! Custom methods (`:verb`, and any other name) answer 501, as do the methods of APIs that a
//! dedicated service (Drive) owns but does not implement.

mod catalog;
mod methods;
pub(crate) mod schema;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::framework::Ctx;
use crate::framework::api_error::ApiError;
use crate::framework::body::Params;
use crate::framework::caller::authenticate;
use crate::framework::dispatch::ApiRoute;
use crate::framework::service::Service;
use crate::framework::store::Store;

use catalog::{ApiDoc, Catalog, Method};

/// Resources of every API, by API name, then by storage key (the resource's path after the
/// API's `servicePath`, with `@me`/`me`/`primary` replaced by the caller's email).
#[derive(Serialize, Deserialize, Default)]
pub(crate) struct GenericData {
    pub apis: BTreeMap<String, BTreeMap<String, Value>>,
}

/// What the generic handler reaches.
pub(crate) struct GenericSvc {
    core: Ctx,
    catalog: Catalog,
    data: Arc<Store<GenericData>>,
}

type Shared = Arc<GenericSvc>;

/// The generic service: no routes of its own, the router's fallback.
pub(crate) fn service(core: &Ctx) -> Service {
    let state = Arc::new(GenericSvc {
        core: core.clone(),
        catalog: Catalog::default(),
        data: core.persistent("generic", GenericData::default),
    });
    Service::new("generic", Router::new())
        .with_fallback(Router::new().fallback(handle).with_state(state))
}

/// A request matched to a method.
pub(crate) struct Matched {
    pub doc: Arc<ApiDoc>,
    pub method: Method,
    /// The path after `servicePath`, without a custom verb.
    pub rel: String,
}

enum Lookup {
    Found(Box<Matched>),
    /// The API is known, the path too, but not with this HTTP method.
    WrongMethod,
    NotFound,
}

impl GenericSvc {
    /// Finds the API and method of `method path`.
    fn lookup(&self, hint: Option<&str>, http_method: &str, path: &str) -> Lookup {
        let path = path.trim_start_matches('/');
        let mut candidates: Vec<(String, &'static str)> = Vec::new();
        match hint {
            Some(api) => {
                for v in self.catalog.versions(api) {
                    candidates.push((api.to_owned(), v));
                }
            }
            None => {
                let mut segs = path.split('/');
                if let (Some(api), Some(version)) = (segs.next(), segs.next())
                    && let Some(v) = self
                        .catalog
                        .versions(api)
                        .into_iter()
                        .find(|v| *v == version)
                {
                    candidates.push((api.to_owned(), v));
                }
            }
        }
        let mut wrong_method = false;
        for (api, version) in candidates {
            let Some(doc) = self.catalog.get(&api, version) else {
                continue;
            };
            let Some(rel) = path.strip_prefix(doc.service_path.as_str()) else {
                continue;
            };
            match doc.find(http_method, rel) {
                Ok((m, _)) => {
                    let (rel_path, _) = catalog::split_verb(rel);
                    return Lookup::Found(Box::new(Matched {
                        method: m.clone(),
                        rel: rel_path.to_owned(),
                        doc: doc.clone(),
                    }));
                }
                Err(known) => wrong_method |= known,
            }
        }
        if wrong_method {
            Lookup::WrongMethod
        } else {
            Lookup::NotFound
        }
    }
}

async fn handle(State(svc): State<Shared>, request: Request) -> Response {
    match serve(&svc, request).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn serve(svc: &Shared, request: Request) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    let hint = parts.extensions.get::<ApiRoute>().map(|r| r.api.clone());
    let path = parts.uri.path().to_owned();
    let http_method = parts.method.as_str().to_owned();
    let matched = match svc.lookup(hint.as_deref(), &http_method, &path) {
        Lookup::Found(m) => m,
        Lookup::WrongMethod => {
            return Err(ApiError::new(
                405,
                "UNIMPLEMENTED",
                "httpMethodNotAllowed",
                format!("{http_method} is not allowed on {path}."),
            ));
        }
        Lookup::NotFound => {
            let mut e = ApiError::no_route(&http_method, &path);
            if hint.is_none() && path.starts_with("/v") {
                e.message.push_str(
                    " Cloud APIs share paths like /v1/projects/...: reach them under /_/<api>/ \
                     (the rootUrl of the emulator's Discovery documents), or send \
                     X-Forwarded-Host: <api>.googleapis.com.",
                );
            }
            return Err(e);
        }
    };
    let id = &matched.method.id;
    if let Some(owner) = svc.core.api_owner(&matched.doc.name) {
        return Err(not_implemented(format!(
            "The emulator's {owner} service does not implement {id}."
        )));
    }
    let kind = methods::Kind::of(&matched.method);
    let Some(kind) = kind else {
        return Err(not_implemented(format!(
            "The emulator does not implement {id}: it serves the standard methods (list, get, \
             insert/create, patch/update, delete) of every bundled API, and custom methods only \
             where a service implements them."
        )));
    };
    let params = Params::from_parts(&parts);
    let caller = authenticate(&svc.core, &parts.headers, &params)?;
    let scopes: Vec<&str> = matched.method.scopes.iter().map(String::as_str).collect();
    if !scopes.is_empty() {
        caller.require_any(&scopes)?;
    }
    let body = read_json(body).await?;
    methods::run(svc, &matched, kind, &caller, &params, body)
}

fn not_implemented(message: String) -> ApiError {
    ApiError::new(501, "UNIMPLEMENTED", "notImplemented", message)
}

async fn read_json(body: Body) -> Result<Option<Value>, ApiError> {
    let bytes =
        crate::framework::body::read_limited(body, crate::framework::body::SMALL_BODY_LIMIT)
            .await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| ApiError::bad_request(format!("Invalid JSON payload received. {e}.")))
}
