//! People v1: the user's contacts, `people.connections.list` (with `personFields`, paging and
//! sync tokens: `requestSyncToken`, then `syncToken` for the changes only, deleted contacts
//! with `metadata.deleted`; an expired token is Google's 400 with ErrorInfo reason
//! `EXPIRED_SYNC_TOKEN`), `people.createContact` and `people.deleteContact`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::framework::Ctx;
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::{Params, body_object, string_field};
use crate::framework::caller::Caller;
use crate::framework::method_scopes::require_method;
use crate::framework::service::Service;
use crate::framework::store::Store;

/// One contact.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Contact {
    /// The Person resource (without `resourceName`/`etag`).
    pub person: Map<String, Value>,
    /// The book's change number at the last change.
    pub seq: u64,
    pub deleted: bool,
}

/// One user's contacts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Book {
    /// By id (`c1234...`, the part after `people/`).
    pub contacts: BTreeMap<String, Contact>,
    pub seq: u64,
    /// Sync tokens of earlier epochs are expired.
    pub epoch: u64,
}

/// People's saved state, by user.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct PeopleData {
    pub books: BTreeMap<String, Book>,
}

/// What People's handlers reach.
pub(crate) struct PeopleSvc {
    pub data: Arc<Store<PeopleData>>,
}

type Shared = Arc<PeopleSvc>;

const SERVICE: &str = "people.googleapis.com";

/// The People service (contact books start empty).
pub(crate) fn service(core: &Ctx) -> Service {
    let state = Arc::new(PeopleSvc {
        data: core.persistent("people", PeopleData::default),
    });
    Service::new(
        "people",
        routes()
            .route_layer(axum::middleware::from_fn(crate::framework::body::buffered))
            .with_state(state),
    )
}

fn routes() -> Router<Shared> {
    Router::new()
        .route("/v1/people/me/connections", get(connections))
        .route("/v1/people:createContact", post(create))
        .route(
            "/v1/people/{id}",
            axum::routing::delete(delete).get(not_served),
        )
        .route("/__emulator/people/sync/expire", post(expire))
}

fn require(caller: &Caller, method: &str) -> Result<(), ApiError> {
    require_method(
        caller,
        "people",
        "v1",
        &format!("people.people.{method}"),
        SERVICE,
    )
}

fn book<'a>(data: &'a mut PeopleData, caller: &Caller) -> &'a mut Book {
    data.books
        .entry(caller.email.to_ascii_lowercase())
        .or_insert_with(|| Book {
            epoch: 1,
            ..Default::default()
        })
}

/// `personFields` (required, as Google), as a list of top-level member names.
fn person_fields(params: &Params, name: &str) -> Result<Vec<String>, ApiError> {
    let text = params.non_empty(name).ok_or_else(|| {
        ApiError::new(
            400,
            "INVALID_ARGUMENT",
            "badRequest",
            "personFields mask is required. Please specify one or more valid paths. Valid paths are documented at https://developers.google.com/people/api/rest/v1/people/get.",
        )
    })?;
    Ok(text
        .split(',')
        .map(|s| s.trim().split('.').next().unwrap_or("").to_owned())
        .filter(|s| !s.is_empty())
        .collect())
}

fn etag(id: &str, seq: u64) -> String {
    format!("%Eg{}", URL_SAFE_NO_PAD.encode(format!("{id}:{seq}")))
}

fn render(id: &str, c: &Contact, fields: &[String]) -> Value {
    let mut v = json!({"resourceName": format!("people/{id}"), "etag": etag(id, c.seq)});
    if c.deleted {
        v["metadata"] = json!({"deleted": true});
        return v;
    }
    for (k, val) in &c.person {
        if fields.iter().any(|f| f == k) {
            v[k] = val.clone();
        }
    }
    if fields.iter().any(|f| f == "metadata") {
        v["metadata"] = json!({"sources": [{"type": "CONTACT", "id": id, "etag": etag(id, c.seq)}], "objectType": "PERSON"});
    }
    v
}

fn sync_token(email: &str, b: &Book) -> String {
    URL_SAFE_NO_PAD.encode(format!("people-sync:{email}:{}:{}", b.epoch, b.seq))
}

fn expired() -> ApiError {
    ApiError::new(
        400,
        "FAILED_PRECONDITION",
        "failedPrecondition",
        "Sync token is expired. Clear local cache and retry call without the sync token.",
    )
    .with_error_info("EXPIRED_SYNC_TOKEN", SERVICE)
}

fn read_sync_token(email: &str, b: &Book, token: &str) -> Result<u64, ApiError> {
    let text = URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|t| String::from_utf8(t).ok())
        .ok_or_else(|| ApiError::invalid_param("syncToken", "Invalid sync token."))?;
    let mut parts = text.rsplitn(3, ':');
    let seq: u64 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(expired)?;
    let epoch: u64 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(expired)?;
    if parts.next() != Some(&format!("people-sync:{email}")) || epoch != b.epoch || seq > b.seq {
        return Err(expired());
    }
    Ok(seq)
}

/// `GET /v1/people/me/connections`.
async fn connections(State(state): State<Shared>, caller: Caller, params: Params) -> ApiResult {
    require(&caller, "connections.list")?;
    let fields = person_fields(&params, "personFields")?;
    let size = match params.get("pageSize") {
        None => 100,
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| {
                ApiError::invalid_param("pageSize", format!("Invalid pageSize: {t} (1-1000)"))
            })?,
    };
    let want_token = params.bool("requestSyncToken")?.unwrap_or(false);
    let email = caller.email.to_ascii_lowercase();
    let mut data = state.data.write();
    let b = book(&mut data, &caller);
    let since = match params.non_empty("syncToken") {
        Some(t) => Some(read_sync_token(&email, b, t)?),
        None => None,
    };
    let offset: usize = match params.non_empty("pageToken") {
        Some(t) => t
            .parse()
            .map_err(|_| ApiError::invalid_param("pageToken", "Invalid page token."))?,
        None => 0,
    };
    let mut items: Vec<(&String, &Contact)> = b
        .contacts
        .iter()
        .filter(|(_, c)| match since {
            Some(s) => c.seq > s,
            None => !c.deleted,
        })
        .collect();
    items.sort_by_key(|(_, c)| c.seq);
    let total = b.contacts.values().filter(|c| !c.deleted).count();
    let page: Vec<Value> = items
        .iter()
        .skip(offset)
        .take(size)
        .map(|(id, c)| render(id, c, &fields))
        .collect();
    let mut v = json!({"totalPeople": total, "totalItems": total});
    if !page.is_empty() {
        v["connections"] = json!(page);
    }
    if offset + size < items.len() {
        v["nextPageToken"] = json!((offset + size).to_string());
    } else if want_token || since.is_some() {
        v["nextSyncToken"] = json!(sync_token(&email, b));
    }
    Ok(json_ok(&v))
}

/// Fills `displayName` (and its last-first form) of each name, as Google does.
fn complete_names(person: &mut Map<String, Value>) {
    if let Some(Value::Array(names)) = person.get_mut("names") {
        for n in names {
            let given = n["givenName"].as_str().unwrap_or("").to_owned();
            let family = n["familyName"].as_str().unwrap_or("").to_owned();
            if n.get("displayName").is_none() {
                n["displayName"] = json!(format!("{given} {family}").trim().to_owned());
            }
            if n.get("displayNameLastFirst").is_none() {
                let lf = match (given.is_empty(), family.is_empty()) {
                    (false, false) => format!("{family}, {given}"),
                    _ => format!("{family}{given}"),
                };
                n["displayNameLastFirst"] = json!(lf);
            }
        }
    }
}

/// `POST /v1/people:createContact`.
async fn create(
    State(state): State<Shared>,
    caller: Caller,
    params: Params,
    body: axum::body::Body,
) -> ApiResult {
    require(&caller, "createContact")?;
    let fields = match params.non_empty("personFields") {
        Some(_) => person_fields(&params, "personFields")?,
        None => vec![
            "names".into(),
            "emailAddresses".into(),
            "phoneNumbers".into(),
        ],
    };
    let mut person = body_object(body).await?;
    for read_only in ["resourceName", "etag", "metadata"] {
        person.remove(read_only);
    }
    if person.is_empty() {
        return Err(ApiError::bad_request("Request person is empty."));
    }
    complete_names(&mut person);
    let mut data = state.data.write();
    let b = book(&mut data, &caller);
    b.seq += 1;
    let id = format!("c{}", 7_000_000_000_000_000_000u64 + b.seq * 104_729);
    let contact = Contact {
        person,
        seq: b.seq,
        deleted: false,
    };
    let mut all_fields: Vec<String> = contact.person.keys().cloned().collect();
    all_fields.retain(|f| fields.contains(f));
    all_fields.push("metadata".into());
    let v = render(&id, &contact, &all_fields);
    b.contacts.insert(id, contact);
    Ok(json_ok(&v))
}

/// `DELETE /v1/people/{id}:deleteContact`.
async fn delete(State(state): State<Shared>, Path(id): Path<String>, caller: Caller) -> ApiResult {
    let Some(id) = id.strip_suffix(":deleteContact") else {
        return Err(ApiError::new(
            501,
            "UNIMPLEMENTED",
            "notImplemented",
            "The emulator's people service serves DELETE only for people.deleteContact.",
        ));
    };
    require(&caller, "deleteContact")?;
    let mut data = state.data.write();
    let b = book(&mut data, &caller);
    b.seq += 1;
    let seq = b.seq;
    match b.contacts.get_mut(id) {
        Some(c) if !c.deleted => {
            c.deleted = true;
            c.seq = seq;
            c.person.clear();
            Ok(json_ok(&json!({})))
        }
        _ => Err(ApiError::new(
            404,
            "NOT_FOUND",
            "notFound",
            "Requested entity was not found.",
        )),
    }
}

async fn not_served(Path(id): Path<String>) -> ApiResult {
    Err(ApiError::new(
        501,
        "UNIMPLEMENTED",
        "notImplemented",
        format!("The emulator's people service does not implement people.get (people/{id})."),
    ))
}

/// `POST /__emulator/people/sync/expire` `{"email"?}`: every sync token of that user (or
/// everyone) is expired (Google's tokens expire 7 days after the full sync).
async fn expire(State(state): State<Shared>, body: axum::body::Body) -> ApiResult {
    let map = body_object(body).await?;
    let only = string_field(&map, "email")?.map(str::to_ascii_lowercase);
    let mut data = state.data.write();
    let mut n = 0;
    for (email, b) in data.books.iter_mut() {
        if only.as_deref().is_none_or(|o| o == email) {
            b.epoch += 1;
            n += 1;
        }
    }
    Ok(json_ok(&json!({"expired": n})))
}
