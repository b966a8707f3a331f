//! One call of one method: collect parameters and a body, then [`MethodCall::prepare`] (no
//! I/O), [`MethodCall::execute`], or page through results with [`MethodCall::pages`].

use std::borrow::Cow;

use futures_util::future::BoxFuture;
use gapi_discovery::{JsonSchema, RestMethod};
use http::Method;
use http::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;

use crate::error::Error;
use crate::pagination::TokenPlace;
use crate::params::{ParamValue, cast, closest};
use crate::service::Service;
use crate::uri_template;
pub use crate::wire::{MAX_URL_LENGTH, WireRequest};

/// Global parameters that must never be set by hand: they would put a token in the URL.
const FORBIDDEN_PARAMS: &[&str] = &["access_token", "oauth_token"];

/// A call being put together. Cheap to clone (so a page stream can reuse it).
#[derive(Debug, Clone)]
#[must_use = "a call does nothing until `.execute().await` (or `.pages()`, `.send()`)"]
pub struct MethodCall {
    service: Service,
    dotted: String,
    method: std::sync::Arc<RestMethod>,
    params: Vec<(String, ParamValue)>,
    body: Option<Value>,
    /// Why the value given to [`MethodCall::json`] could not be serialized (said by `prepare`).
    body_error: Option<String>,
    /// Whether `prepare` checks the body against the method's request schema.
    validate: bool,
    headers: Vec<(String, String)>,
}

/// A fully built request, ready to send or to print (`--dry-run`); built without any I/O.
#[derive(Debug, Clone)]
pub struct PreparedRequest {
    /// The HTTP method.
    pub method: Method,
    /// The full URL with the query string (no credentials in it).
    pub url: url::Url,
    /// Request-specific headers (`X-Goog-Api-Version`, the caller's, `Content-Type` with a body);
    /// the transport adds User-Agent, x-goog-api-client, quota project and credentials.
    pub headers: HeaderMap,
    /// The JSON body, if any.
    pub body: Option<Value>,
    /// The method id, `drive.files.list`.
    pub method_id: String,
    /// Whether sending twice is harmless (false for POST and PATCH).
    pub idempotent: bool,
    /// Upload URLs of the method, when it takes media.
    pub media_upload: Option<MediaUploadTarget>,
    /// Whether the method can return media (`alt=media`).
    pub supports_media_download: bool,
    /// The URL for a media download: the method's own URL with `alt=media`, as the Python
    /// client sends it (Google also serves `download/` paths for `useMediaDownloadService`
    /// methods, but every server that serves media serves it here), when the method supports
    /// media download.
    pub download_url: Option<url::Url>,
    /// The URL of the object's metadata for a media download: the method's own URL with
    /// `alt=json` and `fields=` naming the integrity fields its response schema has (size,
    /// version or generation, `sha256Checksum`, `md5Checksum`, `crc32c`, `md5Hash`), so a
    /// download can prove a resume and check its bytes. `None` when the schema states none.
    pub download_metadata_url: Option<url::Url>,
}

/// Where a media upload goes, with the call's path and query parameters already applied
/// (`uploadType` is left to the media code).
#[derive(Debug, Clone)]
pub struct MediaUploadTarget {
    /// URL for `uploadType=media` / `multipart`, when the simple protocol is offered.
    pub simple_url: Option<url::Url>,
    /// Whether the simple protocol accepts metadata (multipart).
    pub simple_multipart: bool,
    /// URL for `uploadType=resumable`, when offered.
    pub resumable_url: Option<url::Url>,
    /// Accepted MIME ranges.
    pub accept: Vec<String>,
    /// Maximum size in bytes, when the document states one.
    pub max_size: Option<u64>,
}

impl PreparedRequest {
    /// The request as one JSON object for `--dry-run`: method, url, headers, body.
    /// Standard headers are included; credentials are not.
    pub fn to_dry_run_json(&self, service: &Service) -> Value {
        let mut headers = serde_json::Map::new();
        headers.insert(
            "user-agent".into(),
            Value::String(crate::headers::USER_AGENT.into()),
        );
        headers.insert(
            "x-goog-api-client".into(),
            Value::String(crate::headers::API_CLIENT_HEADER.into()),
        );
        if cfg!(feature = "gzip") {
            headers.insert("accept-encoding".into(), Value::String("gzip".into()));
        }
        if let Some(p) = service.transport().quota_project() {
            headers.insert("x-goog-user-project".into(), Value::String(p.into()));
        }
        let wire = self.wire().ok();
        let wire_headers = wire.as_ref().map_or(&self.headers, |w| &w.headers);
        for (k, v) in wire_headers {
            headers.insert(
                k.as_str().into(),
                Value::String(v.to_str().unwrap_or("").into()),
            );
        }
        match wire.filter(|w| w.method != self.method) {
            // An overridden long GET: show what is sent, the form body as text.
            Some(w) => serde_json::json!({
                "method": w.method.as_str(),
                "url": w.url.as_str(),
                "headers": headers,
                "body": String::from_utf8_lossy(w.body.as_deref().unwrap_or_default()),
            }),
            None => serde_json::json!({
                "method": self.method.as_str(),
                "url": self.url.as_str(),
                "headers": headers,
                "body": self.body.clone().unwrap_or(Value::Null),
            }),
        }
    }
}

impl MethodCall {
    pub(crate) fn new(
        service: Service,
        dotted: String,
        method: std::sync::Arc<RestMethod>,
    ) -> MethodCall {
        MethodCall {
            service,
            dotted,
            method,
            params: Vec::new(),
            body: None,
            body_error: None,
            validate: true,
            headers: Vec::new(),
        }
    }

    /// The method's description from the document.
    pub fn method(&self) -> &RestMethod {
        &self.method
    }

    /// The dotted path this call was made from (`files.list`).
    pub fn name(&self) -> &str {
        &self.dotted
    }

    /// The service this call belongs to.
    pub fn service(&self) -> &Service {
        &self.service
    }

    /// The OAuth scopes any one of which allows this method.
    pub fn scopes(&self) -> &[String] {
        &self.method.scopes
    }

    /// Sets a parameter (path, query or global). Giving a repeated parameter again adds a
    /// value; giving another parameter again replaces it. Checked by [`MethodCall::prepare`].
    pub fn param(mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> Self {
        let name = name.into();
        let value = value.into();
        let repeated = self
            .lookup_param(&name)
            .map(|s| s.repeated)
            .unwrap_or(false);
        if let Some(slot) = self.params.iter_mut().find(|(n, _)| *n == name) {
            if repeated {
                let mut items = match std::mem::replace(&mut slot.1, ParamValue::List(vec![])) {
                    ParamValue::List(l) => l,
                    v => vec![v],
                };
                match value {
                    ParamValue::List(l) => items.extend(l),
                    v => items.push(v),
                }
                slot.1 = ParamValue::List(items);
            } else {
                slot.1 = value;
            }
        } else {
            self.params.push((name, value));
        }
        self
    }

    /// Sets parameters from a JSON object (`{"pageSize": 5, "q": "..."}`).
    pub fn params_json(mut self, params: &Value) -> Result<Self, Error> {
        let obj = params.as_object().ok_or_else(|| {
            Error::invalid_argument("parameters must be a JSON object like {\"pageSize\": 5}")
        })?;
        for (k, v) in obj {
            let pv = ParamValue::from_json(k, v)?;
            self = self.param(k.clone(), pv);
        }
        Ok(self)
    }

    /// Sets parameters from `name=value` texts, as a command line gives them (`gapi`'s `-p`):
    /// split at the first `=`; a name given several times makes a list, which a repeated
    /// parameter takes and any other refuses when the call is prepared ("takes one value");
    /// values are cast, and path (`{name}`, `{+name}`), query and unknown names told apart, by
    /// [`MethodCall::prepare`] alone. So a command line and a program giving the same values
    /// get the same URL.
    ///
    /// ```
    /// # fn main() -> Result<(), gapi_client::Error> {
    /// let drive = gapi_client::build("drive", "v3", gapi_client::NoAuth)?;
    /// let req = drive.method("files.list")?.params_from_args(["pageSize=5", "q=name = 'a=b'"])?.prepare()?;
    /// assert!(req.url.as_str().contains("pageSize=5&q=name+%3D+%27a%3Db%27"));
    /// assert!(drive.method("files.list")?.params_from_args(["pageSize"]).is_err());
    /// # Ok(()) }
    /// ```
    pub fn params_from_args<I, S>(mut self, args: I) -> Result<Self, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut grouped: Vec<(String, Vec<ParamValue>)> = Vec::new();
        for arg in args {
            let arg = arg.as_ref();
            let Some((name, value)) = arg.split_once('=') else {
                return Err(Error::invalid_argument(format!(
                    "parameter {arg:?} must be name=value"
                )));
            };
            let value = ParamValue::Str(value.to_string());
            match grouped.iter_mut().find(|(n, _)| n == name) {
                Some((_, values)) => values.push(value),
                None => grouped.push((name.to_string(), vec![value])),
            }
        }
        for (name, mut values) in grouped {
            self = if values.len() == 1 {
                self.param(name, values.remove(0))
            } else {
                self.param(name, ParamValue::List(values))
            };
        }
        Ok(self)
    }

    /// Removes a parameter.
    pub fn remove_param(mut self, name: &str) -> Self {
        self.params.retain(|(n, _)| n != name);
        self
    }

    /// The value given for a parameter, if any.
    pub fn get_param(&self, name: &str) -> Option<&ParamValue> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Sets the JSON request body.
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self.body_error = None;
        self
    }

    /// Sets the request body from any serializable value (your own struct, a generated type).
    /// A value that cannot be serialized (a map with non-string keys) is reported by
    /// [`MethodCall::prepare`], like a bad parameter.
    ///
    /// ```
    /// # fn main() -> Result<(), gapi_client::Error> {
    /// #[derive(serde::Serialize)]
    /// struct NewFile { name: String, parents: Vec<String> }
    /// let drive = gapi_client::build("drive", "v3", gapi_client::NoAuth)?;
    /// let req = drive
    ///     .method("files.create")?
    ///     .json(&NewFile { name: "a.txt".into(), parents: vec!["root".into()] })
    ///     .prepare()?;
    /// assert_eq!(req.body.unwrap()["name"], "a.txt");
    /// # Ok(()) }
    /// ```
    pub fn json<T: serde::Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_value(body) {
            Ok(v) => {
                self.body = Some(v);
                self.body_error = None;
            }
            Err(e) => {
                self.body = None;
                self.body_error = Some(e.to_string());
            }
        }
        self
    }

    /// Whether [`MethodCall::prepare`] checks the body against the method's request schema
    /// (default: yes). Each problem is named by its JSON path (`body.parents[0]`: unknown
    /// property, wrong type, read-only field, value outside an enum); turn it off when the
    /// API accepts more than its Discovery document says.
    pub fn validate(mut self, yes: bool) -> Self {
        self.validate = yes;
        self
    }

    /// The JSON body, if any.
    pub fn get_body(&self) -> Option<&Value> {
        self.body.as_ref()
    }

    /// Adds a request header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Asks for a partial response (`fields=`).
    pub fn fields(self, mask: impl Into<String>) -> Self {
        self.param("fields", mask.into())
    }

    fn lookup_param(&self, name: &str) -> Option<&JsonSchema> {
        self.method
            .parameters
            .get(name)
            .or_else(|| self.service.document().parameters.get(name))
    }

    /// Casts and validates everything and builds the request, without any I/O.
    pub fn prepare(&self) -> Result<PreparedRequest, Error> {
        let doc = self.service.document();
        let m = &self.method;
        let mut path_values: Vec<(&str, String)> = Vec::new();
        let mut query: Vec<(String, String)> = Vec::new();
        let mut saw_alt = false;
        let mut saw_pretty = false;
        for (name, value) in &self.params {
            if FORBIDDEN_PARAMS.contains(&name.as_str()) {
                return Err(Error::invalid_argument(format!(
                    "parameter '{name}' would put a token in the URL; credentials are sent in the Authorization header"
                )));
            }
            let Some(schema) = self.lookup_param(name) else {
                let close = closest(name, m.parameters.keys().chain(doc.parameters.keys()));
                let hint = if close.is_empty() {
                    String::new()
                } else {
                    format!(" (did you mean {}?)", close.join(", "))
                };
                let mut known: Vec<&str> = m.parameters.keys().collect();
                known.sort_unstable();
                return Err(Error::invalid_argument(format!(
                    "{} has no parameter '{name}'{hint}; its parameters: {}",
                    m.id,
                    if known.is_empty() {
                        "(none)".to_string()
                    } else {
                        known.join(", ")
                    }
                )));
            };
            let values = cast(name, schema, value)?;
            if schema.location.as_deref() == Some("path") {
                // An empty path segment would silently address another method
                // (`files/{fileId}` with "" is `files`, the list).
                if values.iter().all(String::is_empty) {
                    return Err(Error::invalid_argument(format!(
                        "path parameter '{name}' of {} is empty",
                        m.id
                    )));
                }
                path_values.push((name.as_str(), values.join(",")));
            } else {
                saw_alt |= name == "alt";
                saw_pretty |= name == "prettyPrint";
                for v in values {
                    query.push((name.clone(), v));
                }
            }
        }
        // Required parameters.
        let mut missing = Vec::new();
        for (name, schema) in m.parameters.iter() {
            if schema.required && !self.params.iter().any(|(n, _)| n == name) {
                missing.push(format!(
                    "'{name}' ({}, {})",
                    schema.type_name(),
                    schema.location.as_deref().unwrap_or("query")
                ));
            }
        }
        if !missing.is_empty() {
            return Err(Error::invalid_argument(format!(
                "{} needs {}",
                m.id,
                missing.join(", ")
            )));
        }
        if !saw_alt {
            query.push(("alt".into(), "json".into()));
        }
        if !saw_pretty {
            query.push(("prettyPrint".into(), "false".into()));
        }
        let lookup = |n: &str| {
            path_values
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| Cow::Owned(v.clone()))
        };
        let path = uri_template::expand(&m.path, lookup)
            .map_err(|e| Error::invalid_argument(format!("{}: {e}", m.id)))?;
        let root = self.service.root_url();
        let url = build_url(&format!("{root}{}{path}", doc.service_path), &query)?;

        let http_method = Method::from_bytes(m.http_method_or_get().as_bytes()).map_err(|_| {
            Error::discovery(format!(
                "{} has an invalid httpMethod {:?}",
                m.id, m.http_method
            ))
        })?;
        if let Some(e) = &self.body_error {
            return Err(Error::invalid_argument(format!(
                "the request body of {} cannot be serialized as JSON: {e}",
                m.id
            )));
        }
        if self.body.is_some() && m.request.is_none() {
            return Err(Error::invalid_argument(format!(
                "{} takes no request body",
                m.id
            )));
        }
        if let (true, Some(body)) = (self.validate, &self.body) {
            crate::schema_check::check_request(doc, m, body)?;
        }
        let mut headers = HeaderMap::new();
        if let Some(v) = &m.api_version
            && let Ok(hv) = HeaderValue::from_str(v)
        {
            headers.insert(HeaderName::from_static("x-goog-api-version"), hv);
        }
        for (k, v) in &self.headers {
            let name = HeaderName::from_bytes(k.as_bytes())
                .map_err(|_| Error::invalid_argument(format!("invalid header name {k:?}")))?;
            let value = HeaderValue::from_str(v)
                .map_err(|_| Error::invalid_argument(format!("invalid value for header {k}")))?;
            headers.append(name, value);
        }
        if self.body.is_some() && !headers.contains_key(CONTENT_TYPE) {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        // The policy judges the URL built here, which every URL below shares the path of. An
        // open policy judges nothing, so the route table (every method of the API, parsed and
        // compiled) is built only for a policy that needs it.
        let policy = self.service.policy();
        if !policy.is_open() {
            policy.check_request(
                self.service.routes(),
                m,
                &path_values,
                http_method.as_str(),
                &url,
                &headers,
            )?;
        }

        let media_upload = if m.supports_media_upload || m.media_upload.is_some() {
            let mu = m.media_upload.clone().unwrap_or_default();
            // Every protocol uses rootUrl + "upload/" + servicePath + path (as Python and Go do);
            // `protocols` only says which are offered. (Their `path`s agree, except that some
            // resumable ones carry a legacy "/resumable" prefix that emulators do not serve.)
            let expand_upload = |_proto_path: Option<&str>| -> Result<url::Url, Error> {
                build_url(&format!("{root}upload/{}{path}", doc.service_path), &query)
            };
            let simple = mu.protocols.simple.as_ref();
            let resumable = mu.protocols.resumable.as_ref();
            let (simple_url, resumable_url) = if simple.is_none() && resumable.is_none() {
                (Some(expand_upload(None)?), None)
            } else {
                (
                    simple.map(|p| expand_upload(Some(&p.path))).transpose()?,
                    resumable
                        .map(|p| expand_upload(Some(&p.path)))
                        .transpose()?,
                )
            };
            Some(MediaUploadTarget {
                simple_url,
                simple_multipart: simple.map(|p| p.multipart).unwrap_or(true),
                resumable_url,
                accept: mu.accept.clone(),
                max_size: mu.max_size.as_deref().and_then(parse_size),
            })
        } else {
            None
        };
        let download_url = if m.supports_media_download {
            let mut q: Vec<(String, String)> =
                query.iter().filter(|(k, _)| k != "alt").cloned().collect();
            q.push(("alt".into(), "media".into()));
            Some(build_url(&format!("{root}{}{path}", doc.service_path), &q)?)
        } else {
            None
        };
        let download_metadata_url = match (&download_url, &m.response) {
            (Some(_), Some(resp)) => {
                let fields: Vec<&str> = match doc.schema(&resp.reference) {
                    Some(schema) => gapi_discovery::INTEGRITY_FIELDS
                        .iter()
                        .copied()
                        .filter(|f| schema.properties.contains_key(f))
                        .collect(),
                    None => Vec::new(),
                };
                if fields.iter().any(|f| *f != "size") {
                    let mut q: Vec<(String, String)> = query
                        .iter()
                        .filter(|(k, _)| k != "alt" && k != "fields")
                        .cloned()
                        .collect();
                    q.push(("alt".into(), "json".into()));
                    q.push(("fields".into(), fields.join(",")));
                    Some(build_url(&format!("{root}{}{path}", doc.service_path), &q)?)
                } else {
                    None
                }
            }
            _ => None,
        };
        Ok(PreparedRequest {
            idempotent: crate::retry::is_idempotent_method(http_method.as_str()),
            method: http_method,
            url,
            headers,
            body: self.body.clone(),
            method_id: m.id.clone(),
            media_upload,
            supports_media_download: m.supports_media_download,
            download_url,
            download_metadata_url,
        })
    }

    /// Sends the call and returns the JSON response (`{}` for an empty body).
    ///
    /// A boxed future rather than an `async fn`: the body of an `async fn` is compiled into
    /// the crate that awaits it, in each of its codegen units that does, while this one is
    /// compiled once, here (the same for [`MethodCall::send`]). `.await` it all the same.
    pub fn execute(&self) -> BoxFuture<'_, Result<Value, Error>> {
        Box::pin(async move {
            let prepared = self.prepare()?;
            execute_prepared(&self.service, &prepared).await
        })
    }

    /// Sends the call and decodes the JSON response into your own type. When it does not fit,
    /// the error names the field and what was wrong there
    /// (`files[3].size: expected u64, got string "16"`, see [`Error::json_path`]); an empty
    /// response decodes as `{}`.
    pub async fn execute_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        let (method_id, bytes) = self.execute_bytes().await?;
        crate::decode::from_slice(&method_id, &bytes)
    }

    /// The method id and the whole response body ([`MethodCall::execute_as`]'s part that
    /// does not depend on `T`, so it is compiled once).
    fn execute_bytes(&self) -> BoxFuture<'_, Result<(String, bytes::Bytes), Error>> {
        Box::pin(async move {
            let prepared = self.prepare()?;
            let bytes = execute_prepared_bytes(&self.service, &prepared).await?;
            Ok((prepared.method_id, bytes))
        })
    }

    /// Sends the call and returns the response with its body unread (for custom decoding).
    pub fn send(&self) -> BoxFuture<'_, Result<crate::Response, Error>> {
        Box::pin(async move {
            let prepared = self.prepare()?;
            send_prepared(&self.service, &prepared).await
        })
    }

    /// Pages through the results, following `nextPageToken` (query `pageToken`, or the body's
    /// `pageToken` when the method takes it there). See [`crate::pagination`].
    pub fn pages(&self) -> crate::Pages {
        crate::Pages::new(crate::pagination::pages(self.clone()))
    }

    /// The items of every page: the array `field` of each page (`files`, `items`), one by one.
    pub fn items(&self, field: impl Into<String>) -> crate::Items {
        crate::Items::new(crate::pagination::items(self.clone(), field.into()))
    }
}

impl PreparedRequest {
    /// The request as sent ([`WireRequest::for_json`]): a GET whose URL passes
    /// [`MAX_URL_LENGTH`] goes as a POST with `X-HTTP-Method-Override: GET` and the query in
    /// a form body. Anything else is sent as prepared.
    pub fn wire(&self) -> Result<WireRequest, Error> {
        WireRequest::for_json(&self.method, &self.url, &self.headers, self.body.as_ref())
    }
}

impl crate::pagination::PageCall for MethodCall {
    fn fetch(&self) -> impl std::future::Future<Output = Result<Value, Error>> + Send {
        self.execute()
    }

    fn method_id(&self) -> &str {
        &self.method.id
    }

    fn token_place(&self) -> TokenPlace {
        let m = self.method();
        if m.parameters.contains_key("pageToken") {
            return TokenPlace::Query;
        }
        if let Some(req) = &m.request
            && let Some(schema) = self.service().document().schema(&req.reference)
            && schema.properties.contains_key("pageToken")
        {
            return TokenPlace::Body;
        }
        TokenPlace::None
    }

    fn with_page_token(self, token: String) -> Self {
        if self.token_place() == TokenPlace::Query {
            return self.param("pageToken", token);
        }
        let mut body = self
            .get_body()
            .cloned()
            .unwrap_or_else(|| Value::Object(Default::default()));
        if let Some(o) = body.as_object_mut() {
            o.insert("pageToken".into(), Value::String(token));
        }
        self.body(body)
    }
}

/// Sends a prepared request through the service's transport (the body is left unread).
pub async fn send_prepared(
    service: &Service,
    prepared: &PreparedRequest,
) -> Result<crate::Response, Error> {
    let wire = prepared.wire()?;
    service.transport().send(&wire, prepared.idempotent).await
}

/// Sends a prepared request and decodes its JSON response (`{}` for an empty body). The body
/// is read inside the retry loop: a response cut off mid-body is retried like a dropped
/// connection (for idempotent methods), never decoded half.
pub async fn execute_prepared(
    service: &Service,
    prepared: &PreparedRequest,
) -> Result<Value, Error> {
    let bytes = execute_prepared_bytes(service, prepared).await?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::discovery(format!(
            "{}: the response is not JSON ({e}); use alt=media for media",
            prepared.method_id
        ))
    })
}

/// Sends a prepared request and returns its whole body (read inside the retry loop).
pub(crate) async fn execute_prepared_bytes(
    service: &Service,
    prepared: &PreparedRequest,
) -> Result<bytes::Bytes, Error> {
    let wire = prepared.wire()?;
    let resp = service
        .transport()
        .send_read(&wire, prepared.idempotent)
        .await?;
    Ok(resp.body)
}

fn build_url(base: &str, query: &[(String, String)]) -> Result<url::Url, Error> {
    let mut url = parse_base(base)
        .map_err(|e| Error::invalid_argument(format!("invalid URL {base:?}: {e}")))?;
    if !query.is_empty() {
        let mut q = url.query_pairs_mut();
        for (k, v) in query {
            q.append_pair(k, v);
        }
    }
    Ok(url)
}

/// `url::Url::parse(base)`, remembering the last base parsed on this thread: a call repeated
/// (a loop, pages of a list) builds the same base every time, and parsing it was 6.6 k of the
/// ~21 k instructions gapi adds to a call (a clone is a copy of the string). Same input, same
/// result: only a cached parse of the identical text is returned.
fn parse_base(base: &str) -> Result<url::Url, url::ParseError> {
    use std::cell::RefCell;
    thread_local! {
        static LAST: RefCell<Option<(String, url::Url)>> = const { RefCell::new(None) };
    }
    LAST.with(|last| {
        if let Some((text, url)) = &*last.borrow()
            && text == base
        {
            return Ok(url.clone());
        }
        let url = url::Url::parse(base)?;
        *last.borrow_mut() = Some((base.to_string(), url.clone()));
        Ok(url)
    })
}

/// Parses `5120GB`, `10MB`, `1024` into bytes.
fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n: u64 = s[..split].parse().ok()?;
    let mult: u64 = match s[split..].trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "KB" => 1 << 10,
        "MB" => 1 << 20,
        "GB" => 1 << 30,
        "TB" => 1 << 40,
        _ => return None,
    };
    n.checked_mul(mult)
}

#[cfg(test)]
mod tests {
    use super::{build_url, parse_base, parse_size};
    use crate::{NoAuth, build};

    /// The remembered parse of the last base is that base's parse: alternating, repeating and
    /// bad bases give exactly what `Url::parse` gives, and the query goes on the right URL.
    #[test]
    fn remembered_bases_parse_as_fresh_ones() {
        let bases = [
            "https://www.googleapis.com/drive/v3/files",
            "https://www.googleapis.com/drive/v3/files",
            "http://127.0.0.1:8080/upload/drive/v3/files",
            "https://www.googleapis.com/drive/v3/files/a%20b",
            "not a url",
            "https://www.googleapis.com/drive/v3/files",
            "not a url",
        ];
        for base in bases {
            assert_eq!(
                parse_base(base).map(|u| u.to_string()),
                url::Url::parse(base).map(|u| u.to_string()),
                "{base}"
            );
        }
        let q = [("pageSize".to_string(), "5".to_string())];
        let a = build_url("https://example.com/v1/a", &q).unwrap();
        let b = build_url("https://example.com/v1/b", &[]).unwrap();
        let a2 = build_url("https://example.com/v1/a", &[]).unwrap();
        assert_eq!(a.as_str(), "https://example.com/v1/a?pageSize=5");
        assert_eq!(b.as_str(), "https://example.com/v1/b");
        assert_eq!(a2.as_str(), "https://example.com/v1/a");
    }

    /// Preparing one call parses only what that call needs: with an open policy no other
    /// resource of the document is parsed (the route table, which reads every method, is
    /// built only for a policy that judges routes).
    #[test]
    fn an_open_policy_prepares_without_reading_other_resources() {
        let drive = build("drive", "v3", NoAuth).unwrap();
        drive
            .method("files.list")
            .unwrap()
            .param("pageSize", 5)
            .prepare()
            .unwrap();
        let doc = drive.document();
        assert!(doc.resources.get("files").unwrap().is_parsed());
        for other in ["about", "changes", "comments", "permissions", "revisions"] {
            assert!(
                !doc.resources.get(other).unwrap().is_parsed(),
                "{other} was parsed to prepare files.list"
            );
        }
        // A policy that judges routes reads them all, and still prepares the call.
        let guarded = crate::Service::builder()
            .bundled("drive", "v3")
            .policy(crate::Policy::new().read_only(true))
            .build()
            .unwrap();
        guarded.method("files.list").unwrap().prepare().unwrap();
        assert!(
            guarded
                .document()
                .resources
                .get("about")
                .unwrap()
                .is_parsed()
        );
    }

    #[test]
    fn prepare_builds_urls_and_rejects_bad_calls() {
        let drive = build("drive", "v3", NoAuth).unwrap();
        let r = drive
            .method("files.get")
            .unwrap()
            .param("fileId", "a/b c")
            .prepare()
            .unwrap();
        assert_eq!(r.method, http::Method::GET);
        assert_eq!(r.url.path(), "/drive/v3/files/a%2Fb%20c");
        assert!(r.url.query().unwrap().contains("alt=json"));
        assert!(r.url.query().unwrap().contains("prettyPrint=false"));
        assert!(
            r.download_url
                .unwrap()
                .query()
                .unwrap()
                .contains("alt=media")
        );
        let up = drive
            .method("files.create")
            .unwrap()
            .prepare()
            .unwrap()
            .media_upload
            .unwrap();
        assert_eq!(up.resumable_url.unwrap().path(), "/upload/drive/v3/files");
        for bad in [
            drive.method("files.get").unwrap().param("fileId", ""),
            drive.method("files.get").unwrap(),
            drive.method("files.list").unwrap().param("pageSize", "12x"),
            drive.method("files.list").unwrap().param("pagesize", 5),
            drive
                .method("files.list")
                .unwrap()
                .param("supportsAllDrives", "False"),
            drive
                .method("files.list")
                .unwrap()
                .param("corpus", "everything"),
            drive
                .method("files.list")
                .unwrap()
                .param("access_token", "ya29.x"),
            drive
                .method("files.list")
                .unwrap()
                .body(serde_json::json!({})),
        ]
        .into_iter()
        .enumerate()
        {
            assert!(bad.1.prepare().is_err(), "case {} was accepted", bad.0);
        }
        let err = drive
            .method("files.list")
            .unwrap()
            .param("pagesize", 5)
            .prepare()
            .unwrap_err();
        assert!(err.to_string().contains("did you mean pageSize"), "{err}");
    }

    #[test]
    fn bodies_are_checked_against_the_request_schema_unless_turned_off() {
        let drive = build("drive", "v3", NoAuth).unwrap();
        let bad = serde_json::json!({"nmae": "a.txt", "parents": "root"});
        let err = drive
            .method("files.create")
            .unwrap()
            .body(bad.clone())
            .prepare()
            .unwrap_err();
        assert!(err.is_invalid_argument(), "{err}");
        let text = err.to_string();
        assert!(
            text.contains("body.nmae: unknown property (did you mean `name`?)"),
            "{text}"
        );
        assert!(text.contains("body.parents: expected an array"), "{text}");
        let sent = drive
            .method("files.create")
            .unwrap()
            .body(bad.clone())
            .validate(false)
            .prepare()
            .expect("validate(false) sends the body as given");
        assert_eq!(sent.body, Some(bad));
        let good = drive
            .method("files.create")
            .unwrap()
            .body(serde_json::json!({"name": "a.txt", "parents": ["root"]}))
            .prepare();
        assert!(good.is_ok(), "{good:?}");
    }

    #[test]
    fn json_serializes_any_body_and_reports_what_cannot_be() {
        #[derive(serde::Serialize)]
        struct NewFile<'a> {
            name: &'a str,
            #[serde(rename = "mimeType")]
            mime_type: &'a str,
        }
        let drive = build("drive", "v3", NoAuth).unwrap();
        let req = drive
            .method("files.create")
            .unwrap()
            .json(&NewFile {
                name: "a",
                mime_type: "text/plain",
            })
            .prepare()
            .unwrap();
        assert_eq!(
            req.body.unwrap(),
            serde_json::json!({"name": "a", "mimeType": "text/plain"})
        );
        // A map with non-string keys cannot be JSON: said when the call is prepared.
        let mut odd = std::collections::BTreeMap::new();
        odd.insert((1, 2), "x");
        let err = drive
            .method("files.create")
            .unwrap()
            .json(&odd)
            .prepare()
            .unwrap_err();
        assert!(err.to_string().contains("cannot be serialized"), "{err}");
    }

    #[test]
    fn unknown_api_hint_is_data_not_cli_text() {
        let err = build("drvie", "v3", NoAuth).unwrap_err();
        assert_eq!(err.hint(), Some(crate::Hint::ListApis));
        assert!(err.to_string().contains("did you mean drive"), "{err}");
        assert!(
            !err.to_string().contains("gapi "),
            "no CLI command in {err}"
        );
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("5120GB"), Some(5120 << 30));
        assert_eq!(parse_size("10MB"), Some(10 << 20));
        assert_eq!(parse_size("x"), None);
    }
}
