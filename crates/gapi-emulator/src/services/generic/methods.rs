//! The standard methods on the generic store. Storage keys are resource paths (after the
//! API's `servicePath`); a collection's members are the keys one segment below its path.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gapi_discovery::model::JsonSchema;
use serde_json::{Map, Value, json};

use crate::framework::api_error::{ApiError, json_ok};
use crate::framework::body::Params;
use crate::framework::caller::Caller;
use crate::framework::fields;
use crate::framework::random::{sha256_hex, token};
use crate::framework::time::{now_ms, rfc3339};

use super::catalog::{Method, Segment};
use super::{GenericSvc, Matched, schema};

const DEFAULT_PAGE_SIZE: usize = 100;
const MAX_PAGE_SIZE: usize = 1000;
/// Most resources one API keeps (a runaway client must not exhaust memory).
const MAX_RESOURCES: usize = 100_000;

/// Which standard method a method is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    List,
    Get,
    Insert,
    Create,
    Patch,
    Update,
    Delete,
}

impl Kind {
    /// `None` for custom methods (and any standard name on a `:verb` path).
    pub(crate) fn of(method: &Method) -> Option<Self> {
        if method.flat.verb.is_some() {
            return None;
        }
        Some(match (method.name.as_str(), method.http_method.as_str()) {
            ("list", "GET") => Self::List,
            ("get", "GET") => Self::Get,
            ("insert", "POST") => Self::Insert,
            ("create", "POST" | "PUT") => Self::Create,
            ("patch", "PATCH") => Self::Patch,
            ("update", "PUT" | "PATCH") => Self::Update,
            ("delete", "DELETE") => Self::Delete,
            _ => return None,
        })
    }
}

/// Runs a standard method.
pub(crate) fn run(
    svc: &GenericSvc,
    m: &Matched,
    kind: Kind,
    caller: &Caller,
    params: &Params,
    body: Option<Value>,
) -> Result<Response, ApiError> {
    let key = normalise(&m.rel, &caller.email);
    let ctx = Ctx {
        svc,
        m,
        params,
        key,
    };
    match kind {
        Kind::List => ctx.list(),
        Kind::Get => ctx.get(),
        Kind::Insert | Kind::Create => ctx.create(body, kind),
        Kind::Patch => ctx.change(body, true),
        Kind::Update => ctx.change(body, false),
        Kind::Delete => ctx.delete(),
    }
}

/// The resource path with the caller's aliases resolved (`users/@me/lists`,
/// `calendars/primary/events` → the caller's own).
fn normalise(rel: &str, email: &str) -> String {
    rel.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            // A `%2F` stays one segment.
            let decoded = percent_decode(s).replace('/', "%2F");
            match decoded.as_str() {
                "@me" | "me" | "primary" => email.to_owned(),
                _ => decoded,
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn percent_decode(s: &str) -> String {
    form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_owned())
}

struct Ctx<'a> {
    svc: &'a GenericSvc,
    m: &'a Matched,
    params: &'a Params,
    key: String,
}

fn not_found(what: &str, resource_style: bool) -> ApiError {
    if resource_style {
        ApiError::new(
            404,
            "NOT_FOUND",
            "notFound",
            format!("Resource not found (resource={what})."),
        )
    } else {
        ApiError::new(404, "NOT_FOUND", "notFound", "Not Found")
    }
}

impl Ctx<'_> {
    fn schema(&self, name: &str) -> Option<&JsonSchema> {
        self.m.doc.schemas.get(name)
    }

    /// The schema of the resource itself (what `get` answers).
    fn resource_schema(&self) -> Option<&str> {
        match self.kind_response() {
            Some(r) if !is_operation(r) && r != "Empty" => Some(r),
            _ => self.m.method.request.as_deref(),
        }
    }

    fn kind_response(&self) -> Option<&str> {
        self.m.method.response.as_deref()
    }

    /// Resource-oriented APIs name resources (`name`), older ones give them an `id`.
    fn resource_style(&self) -> bool {
        self.resource_schema()
            .and_then(|s| self.schema(s))
            .is_some_and(|s| s.properties.contains_key("name") && !s.properties.contains_key("id"))
    }

    fn fields(&self, value: Value) -> Result<Value, ApiError> {
        match self.params.non_empty("fields") {
            None => Ok(value),
            Some(text) => Ok(fields::apply(&value, &fields::parse(text)?)),
        }
    }

    fn answer(&self, value: Value) -> Result<Response, ApiError> {
        let value = match self.kind_response() {
            Some(r) if is_operation(r) => json!({
                "name": format!("operations/{}", token(12)),
                "done": true,
                "response": value,
            }),
            _ => value,
        };
        Ok(json_ok(&self.fields(value)?))
    }

    fn get(&self) -> Result<Response, ApiError> {
        let data = self.svc.data.read();
        let found = data
            .apis
            .get(&self.m.doc.name)
            .and_then(|r| r.get(&self.key))
            .cloned();
        drop(data);
        match found {
            Some(v) => self.answer(v),
            None => Err(not_found(last(&self.key), self.resource_style())),
        }
    }

    fn list(&self) -> Result<Response, ApiError> {
        let size_param = ["maxResults", "pageSize"]
            .into_iter()
            .find(|p| self.m.method.query_params.iter().any(|(n, _)| n == p));
        let page_size = match size_param.and_then(|p| self.params.non_empty(p).map(|v| (p, v))) {
            None => DEFAULT_PAGE_SIZE,
            Some((p, v)) => match v.parse::<usize>() {
                Ok(0) => DEFAULT_PAGE_SIZE,
                Ok(n) => n.min(MAX_PAGE_SIZE),
                Err(_) => {
                    return Err(ApiError::invalid_param(
                        p,
                        format!("Invalid value '{v}' for {p}: expected a number."),
                    ));
                }
            },
        };
        let prefix = format!("{}/", self.key);
        let offset = match self.params.non_empty("pageToken") {
            None => 0,
            Some(t) => decode_token(t, &self.key)?,
        };
        let data = self.svc.data.read();
        let members: Vec<Value> = data
            .apis
            .get(&self.m.doc.name)
            .map(|r| {
                r.range(prefix.clone()..)
                    .take_while(|(k, _)| k.starts_with(&prefix))
                    .filter(|(k, _)| !k[prefix.len()..].contains('/'))
                    .map(|(_, v)| v.clone())
                    .collect()
            })
            .unwrap_or_default();
        drop(data);
        let end = offset.saturating_add(page_size).min(members.len());
        let page = members.get(offset.min(members.len())..end).unwrap_or(&[]);
        let list_schema = self.kind_response().and_then(|r| self.schema(r));
        let items_name = list_schema
            .and_then(|s| {
                let arrays = || {
                    s.properties
                        .iter()
                        .filter(|(_, p)| p.type_name() == "array")
                };
                arrays()
                    .find(|(n, _)| *n == "items")
                    .or_else(|| {
                        arrays()
                            .find(|(_, p)| p.items.as_ref().is_some_and(|i| i.reference.is_some()))
                    })
                    .or_else(|| arrays().next())
                    .map(|(n, _)| n.to_owned())
            })
            .unwrap_or_else(|| "items".to_owned());
        let mut out = Map::new();
        if let Some(kind) = list_schema.and_then(kind_default) {
            out.insert("kind".into(), json!(kind));
        }
        if !page.is_empty() || !self.resource_style() {
            out.insert(items_name, Value::Array(page.to_vec()));
        }
        if end < members.len() {
            out.insert("nextPageToken".into(), json!(encode_token(end, &self.key)));
        }
        Ok(json_ok(&self.fields(Value::Object(out))?))
    }

    /// The body as the resource: checked against the request schema, unwrapped when the
    /// request is a wrapper (`{"topic": {...}, "updateMask": "..."}`).
    fn body_resource(
        &self,
        body: Option<Value>,
    ) -> Result<(Map<String, Value>, Option<String>), ApiError> {
        let body = body.unwrap_or_else(|| json!({}));
        let Value::Object(map) = body else {
            return Err(ApiError::bad_request(
                "Invalid JSON payload received. The request body must be a JSON object.",
            ));
        };
        let request = self.m.method.request.as_deref();
        if let Some(s) = request.and_then(|r| self.schema(r)) {
            schema::check(&Value::Object(map.clone()), s, &self.m.doc.schemas)
                .map_err(ApiError::bad_request)?;
        }
        let resource = self
            .kind_response()
            .filter(|r| !is_operation(r) && *r != "Empty");
        if let (Some(req), Some(res)) = (request, resource)
            && req != res
            && let Some(wrapper) = self.schema(req)
            && let Some((member, _)) = wrapper
                .properties
                .iter()
                .find(|(_, p)| p.reference.as_deref() == Some(res))
        {
            let mask = map
                .get("updateMask")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let inner = match map.get(member) {
                Some(Value::Object(o)) => o.clone(),
                _ => Map::new(),
            };
            return Ok((inner, mask));
        }
        Ok((map, None))
    }

    fn create(&self, body: Option<Value>, kind: Kind) -> Result<Response, ApiError> {
        let (mut resource, _) = self.body_resource(body)?;
        let method = &self.m.method;
        let last_is_var = matches!(method.flat.segments.last(), Some(Segment::Var { .. }));
        let id_param = method
            .query_params
            .iter()
            .find(|(n, _)| n.ends_with("Id") && n != "requestId")
            .map(|(n, p)| (n.as_str(), p.required));
        let key = if kind == Kind::Create && last_is_var {
            // `PUT v1/{+name}`: the client chose the name, in the path.
            self.key.clone()
        } else {
            let chosen = match id_param {
                Some((p, required)) => match self.params.non_empty(p) {
                    Some(v) => Some(v.to_owned()),
                    None if required => {
                        return Err(ApiError::invalid_param(
                            p,
                            format!("Missing required parameter: {p}"),
                        ));
                    }
                    None => None,
                },
                None => resource
                    .get("id")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            };
            let id = match chosen {
                Some(id) if id.is_empty() || id.contains('/') => {
                    return Err(ApiError::bad_request(format!(
                        "Invalid resource id '{id}'."
                    )));
                }
                Some(id) => id,
                None => new_id(),
            };
            format!("{}/{id}", self.key)
        };
        let style = self.resource_style();
        let schema = self.resource_schema().and_then(|s| self.schema(s));
        let now = rfc3339(now_ms());
        if let Some(s) = schema {
            let props = &s.properties;
            if props.contains_key("id") {
                resource.insert("id".into(), json!(last(&key)));
            }
            if props.contains_key("name") && style {
                resource.insert("name".into(), json!(self.name_of(&key)));
            }
            if let Some(k) = kind_default(s) {
                resource.insert("kind".into(), json!(k));
            }
            for stamp in ["created", "updated", "createTime", "updateTime"] {
                if props.contains_key(stamp) {
                    resource.insert(stamp.into(), json!(now));
                }
            }
            if props.contains_key("selfLink") {
                resource.insert(
                    "selfLink".into(),
                    json!(format!(
                        "{}/_/{}/{}{}",
                        self.svc.core.base_url, self.m.doc.name, self.m.doc.service_path, key
                    )),
                );
            }
        }
        let mut data = self.svc.data.write();
        let api = data.apis.entry(self.m.doc.name.clone()).or_default();
        if api.contains_key(&key) {
            return Err(if style {
                ApiError::new(
                    409,
                    "ALREADY_EXISTS",
                    "alreadyExists",
                    format!(
                        "Resource already exists in the project (resource={}).",
                        last(&key)
                    ),
                )
            } else {
                ApiError::new(
                    409,
                    "ALREADY_EXISTS",
                    "duplicate",
                    "The requested identifier already exists.",
                )
            });
        }
        if api.len() >= MAX_RESOURCES {
            return Err(ApiError::new(
                429,
                "RESOURCE_EXHAUSTED",
                "quotaExceeded",
                format!("The emulator keeps at most {MAX_RESOURCES} resources per API."),
            ));
        }
        let mut value = Value::Object(resource);
        set_etag(&mut value, schema);
        api.insert(key, value.clone());
        drop(data);
        self.answer(value)
    }

    /// `patch` (merge, honouring `updateMask`) or `update` (replace).
    fn change(&self, body: Option<Value>, merge: bool) -> Result<Response, ApiError> {
        let (incoming, body_mask) = self.body_resource(body)?;
        let mask = self
            .params
            .non_empty("updateMask")
            .map(str::to_owned)
            .or(body_mask)
            .filter(|m| !m.trim().is_empty());
        let schema = self.resource_schema().and_then(|s| self.schema(s));
        let style = self.resource_style();
        let mut data = self.svc.data.write();
        let Some(Value::Object(stored)) = data
            .apis
            .get_mut(&self.m.doc.name)
            .and_then(|r| r.get_mut(&self.key))
        else {
            return Err(not_found(last(&self.key), style));
        };
        const KEPT: [&str; 6] = ["id", "name", "kind", "created", "createTime", "selfLink"];
        match (&mask, merge) {
            (Some(mask), _) => {
                for path in mask.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    let top = path.split('.').next().unwrap_or(path);
                    match incoming.get(top) {
                        Some(v) => {
                            stored.insert(top.to_owned(), v.clone());
                        }
                        None => {
                            stored.remove(top);
                        }
                    }
                }
            }
            (None, true) => merge_patch(stored, &incoming),
            (None, false) => {
                let kept: Map<String, Value> = stored
                    .iter()
                    .filter(|(k, _)| KEPT.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                *stored = incoming;
                stored.extend(kept);
            }
        }
        let now = rfc3339(now_ms());
        for stamp in ["updated", "updateTime"] {
            if schema.is_some_and(|s| s.properties.contains_key(stamp)) {
                stored.insert(stamp.into(), json!(now));
            }
        }
        let mut value = Value::Object(stored.clone());
        set_etag(&mut value, schema);
        if let Some(v) = data
            .apis
            .get_mut(&self.m.doc.name)
            .and_then(|r| r.get_mut(&self.key))
        {
            *v = value.clone();
        }
        drop(data);
        self.answer(value)
    }

    fn delete(&self) -> Result<Response, ApiError> {
        let style = self.resource_style();
        let mut data = self.svc.data.write();
        let api = data.apis.entry(self.m.doc.name.clone()).or_default();
        if api.remove(&self.key).is_none() {
            return Err(not_found(last(&self.key), style));
        }
        let children = format!("{}/", self.key);
        api.retain(|k, _| !k.starts_with(&children));
        drop(data);
        match self.kind_response() {
            None => Ok(StatusCode::NO_CONTENT.into_response()),
            Some(r) if is_operation(r) => self.answer(json!({})),
            Some(_) => Ok(json_ok(&json!({}))),
        }
    }

    /// A resource's `name`: its key without the literal prefix before the first variable
    /// of the method's `path` (`v1/projects/p/topics/t` → `projects/p/topics/t`).
    fn name_of(&self, key: &str) -> String {
        let prefix = self
            .m
            .method
            .path
            .segments
            .iter()
            .take_while(|s| matches!(s, Segment::Literal(_)))
            .count();
        key.split('/').skip(prefix).collect::<Vec<_>>().join("/")
    }
}

/// RFC 7386: members replace, `null` removes, objects merge.
fn merge_patch(target: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (k, v) in patch {
        match (target.get_mut(k), v) {
            (_, Value::Null) => {
                target.remove(k);
            }
            (Some(Value::Object(t)), Value::Object(p)) => merge_patch(t, p),
            _ => {
                target.insert(k.clone(), v.clone());
            }
        }
    }
}

fn is_operation(schema: &str) -> bool {
    schema == "Operation" || schema == "GoogleLongrunningOperation"
}

/// The `kind` a schema declares: its `default` (`"calendar#event"`), else the value its
/// description quotes (`This is always "tasks#taskList".`).
fn kind_default(schema: &JsonSchema) -> Option<String> {
    let kind = schema.properties.get("kind")?;
    if let Some(d) = &kind.default {
        return Some(d.clone());
    }
    let text = kind.description.as_deref()?;
    text.split('"')
        .skip(1)
        .step_by(2)
        .find(|w| {
            w.split_once('#').is_some_and(|(a, b)| {
                !a.is_empty()
                    && !b.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '#' || c == '_')
            })
        })
        .map(str::to_owned)
}

fn set_etag(value: &mut Value, schema: Option<&JsonSchema>) {
    if !schema.is_some_and(|s| s.properties.contains_key("etag")) {
        return;
    }
    if let Value::Object(map) = value {
        map.remove("etag");
        let text = serde_json::to_string(map).unwrap_or_default();
        map.insert(
            "etag".into(),
            json!(format!("\"{}\"", &sha256_hex(text.as_bytes())[..20])),
        );
    }
}

fn last(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

/// Server-chosen ids sort in creation order and use only `[0-9a-v]` (valid base32hex, as
/// Calendar requires of event ids).
fn new_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static LAST: AtomicU64 = AtomicU64::new(0);
    let now = now_ms().saturating_mul(1000);
    // Strictly increasing, even for ids made in the same millisecond.
    let micros = LAST
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |last| {
            Some(now.max(last + 1))
        })
        .map(|last| now.max(last + 1))
        .unwrap_or(now);
    let random: String = sha256_hex(token(16).as_bytes())[..10].to_owned();
    format!("{micros:014x}{random}")
}

fn encode_token(offset: usize, key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("g1:{offset}:{}", &sha256_hex(key.as_bytes())[..16]))
}

fn decode_token(text: &str, key: &str) -> Result<usize, ApiError> {
    let bad = || {
        ApiError::invalid_param(
            "pageToken",
            "Invalid page token: it is malformed or belongs to another collection.",
        )
    };
    let decoded = URL_SAFE_NO_PAD
        .decode(text.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(bad)?;
    let mut parts = decoded.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("g1"), Some(offset), Some(h)) if h == &sha256_hex(key.as_bytes())[..16] => {
            offset.parse().map_err(|_| bad())
        }
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_to_the_caller() {
        assert_eq!(
            normalise("users/@me/lists/abc", "a@example.com"),
            "users/a@example.com/lists/abc"
        );
        assert_eq!(
            normalise("calendars/primary/events", "a@example.com"),
            "calendars/a@example.com/events"
        );
        assert_eq!(
            normalise("v1/projects/p/topics/t%2Fx", "a"),
            "v1/projects/p/topics/t%2Fx"
        );
    }

    #[test]
    fn page_tokens_are_bound_to_their_collection() {
        let t = encode_token(5, "a/b");
        assert_eq!(decode_token(&t, "a/b").unwrap(), 5);
        assert!(decode_token(&t, "a/c").is_err());
        assert!(decode_token("junk", "a/b").is_err());
    }

    #[test]
    fn server_ids_are_base32hex_and_ordered() {
        let a = new_id();
        assert!(
            a.chars()
                .all(|c| c.is_ascii_digit() || ('a'..='v').contains(&c)),
            "{a}"
        );
        assert!(a.len() >= 20);
    }
}
