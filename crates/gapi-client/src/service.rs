//! A [`Service`]: one API version made from its Discovery document, with the transport that
//! sends its calls. Cheap to clone; find methods with [`Service::method`].

use std::sync::Arc;

use gapi_discovery::{LookupError, RestDescription, RestMethod, Target};

use crate::auth::{Authenticator, NoAuth};
use crate::discovery_fetch::DiscoveryFetcher;
use crate::error::Error;
use crate::method_call::MethodCall;
use crate::params::closest;
use crate::policy::Policy;
use crate::retry::RetryPolicy;
use crate::route::RouteTable;
use crate::transport::Transport;

/// A Google API (one version) ready to be called.
#[derive(Clone)]
pub struct Service {
    inner: Arc<ServiceInner>,
}

struct ServiceInner {
    doc: Arc<RestDescription>,
    root_url: String,
    transport: Transport,
    /// What every request of this service must obey (checked by `MethodCall::prepare`).
    policy: Policy,
    /// The path templates, built on first use by a policy check.
    routes: std::sync::OnceLock<RouteTable>,
    /// Methods already looked up, shared by every call of them (a lookup then costs no clone).
    methods: std::sync::Mutex<std::collections::HashMap<String, Arc<RestMethod>>>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("api", &self.inner.doc.name)
            .field("version", &self.inner.doc.version)
            .field("root_url", &self.inner.root_url)
            .finish_non_exhaustive()
    }
}

/// The environment variable naming the root URL that every service made by [`build`],
/// [`discover`] and [`build_from_document`] sends to instead of the document's (an emulator's
/// `http://127.0.0.1:8642/`, a proxy), so an unchanged program can be pointed elsewhere from
/// outside; ignored when unset or blank. The `gapi` CLI reads the same variable (`--endpoint`).
/// [`ServiceBuilder`] reads it only when asked ([`ServiceBuilder::endpoint_from_env`]).
pub const ENDPOINT_VAR: &str = "GAPI_ENDPOINT";

/// Builds a service for an API document compiled into this build (no network):
/// `build("drive", "v3", auth)`, Python's `googleapiclient.discovery.build`.
///
/// The version may be empty to take the directory's preferred version. Which documents are
/// compiled in is a cargo feature choice (gapi's `drive`, `gmail`, ..., `all-apis`); for any
/// other, [`discover`] fetches it. Sends to `GAPI_ENDPOINT` when it is set ([`ENDPOINT_VAR`]);
/// use [`Service::builder`] for every other choice.
pub fn build(api: &str, version: &str, auth: impl Authenticator) -> Result<Service, Error> {
    Service::builder()
        .bundled(api, version)
        .auth(auth)
        .endpoint_from_env()
        .build()
}

/// Builds a service like [`build`], but fetches the document from Google's Discovery service
/// when this build does not embed it (cached on disk, revalidated by ETag: see
/// [`DiscoveryFetcher`]); with the document embedded, no network is used. Honours
/// [`ENDPOINT_VAR`] as [`build`] does.
pub async fn discover(
    api: &str,
    version: &str,
    auth: impl Authenticator,
) -> Result<Service, Error> {
    Service::builder()
        .bundled(api, version)
        .auth(auth)
        .endpoint_from_env()
        .build_async()
        .await
}

/// Builds a service from a Discovery document given as JSON text or as a parsed model (always
/// works, whatever the features). Honours [`ENDPOINT_VAR`] as [`build`] does.
pub fn build_from_document(
    doc: impl Into<DocumentSource>,
    auth: impl Authenticator,
) -> Result<Service, Error> {
    Service::builder()
        .document(doc)
        .auth(auth)
        .endpoint_from_env()
        .build()
}

/// Where a service's document comes from.
#[derive(Debug, Clone)]
pub enum DocumentSource {
    /// JSON text.
    Json(String),
    /// An already parsed document.
    Parsed(Arc<RestDescription>),
    /// The bundled document of an API and version (empty version = preferred).
    Bundled {
        /// API name, `drive`.
        api: String,
        /// API version, `v3`.
        version: String,
    },
}

impl From<&str> for DocumentSource {
    fn from(s: &str) -> Self {
        DocumentSource::Json(s.to_string())
    }
}
impl From<String> for DocumentSource {
    fn from(s: String) -> Self {
        DocumentSource::Json(s)
    }
}
impl From<RestDescription> for DocumentSource {
    fn from(d: RestDescription) -> Self {
        DocumentSource::Parsed(Arc::new(d))
    }
}
impl From<Arc<RestDescription>> for DocumentSource {
    fn from(d: Arc<RestDescription>) -> Self {
        DocumentSource::Parsed(d)
    }
}

/// How many parsed bundled documents the process keeps, so building the same API again costs
/// a map lookup instead of decompressing and parsing (documents are immutable and shared).
const DOC_CACHE_SIZE: usize = 16;

/// Loads a bundled document through a small process-wide cache of parsed documents.
pub fn cached_bundled_document(api: &str, version: &str) -> Result<Arc<RestDescription>, Error> {
    cached(api, version, false)
}

/// Loads a bundled API's method index (see [`bundled_method_index`]) through the same cache:
/// what [`ServiceBuilder::bundled`] and [`build`] use.
pub fn cached_method_index(api: &str, version: &str) -> Result<Arc<RestDescription>, Error> {
    cached(api, version, true)
}

fn cached(api: &str, version: &str, index: bool) -> Result<Arc<RestDescription>, Error> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Cache = Mutex<HashMap<(String, String, bool), Arc<RestDescription>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (api.to_string(), version.to_string(), index);
    if let Some(d) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(d.clone());
    }
    let doc = Arc::new(if index {
        bundled_method_index(api, version)?
    } else {
        bundled_document(api, version)?
    });
    let mut guard = cache.lock().unwrap_or_else(|e| e.into_inner());
    if guard.len() >= DOC_CACHE_SIZE
        && let Some(k) = guard.keys().next().cloned()
    {
        guard.remove(&k);
    }
    guard.insert(key, doc.clone());
    Ok(doc)
}

/// Loads a bundled API from its method index (digested at build time): every method,
/// parameter, scope and media detail as in the document, without descriptions, its schemas
/// read from the full document on first use. A quarter of the parsing of
/// [`bundled_document`], and no decompression of the full document for a call; use
/// [`bundled_document`] to show descriptions. An empty version means the preferred one.
pub fn bundled_method_index(api: &str, version: &str) -> Result<RestDescription, Error> {
    let version = resolve_version(api, version)?;
    match gapi_discovery::method_index::load(api, &version) {
        Ok(Some(doc)) => Ok(doc),
        Ok(None) => bundled_document(api, &version),
        Err(e) => Err(Error::discovery(e.to_string())),
    }
}

/// The version to load: the named one, else the preferred one, else the last bundled.
fn resolve_version(api: &str, version: &str) -> Result<String, Error> {
    if !version.is_empty() {
        return Ok(version.to_string());
    }
    gapi_discovery::bundle::preferred_version(api)
        .map(str::to_string)
        .or_else(|| {
            gapi_discovery::bundle::versions(api)
                .last()
                .map(str::to_string)
        })
        .ok_or_else(|| unknown_api(api))
}

/// Loads and parses a bundled document; an empty version means the preferred one.
pub fn bundled_document(api: &str, version: &str) -> Result<RestDescription, Error> {
    let version = resolve_version(api, version)?;
    let json = gapi_discovery::bundle::document_json(api, &version)
        .map_err(|e| Error::discovery(e.to_string()))?
        .ok_or_else(|| {
            if let Some(entry) = gapi_discovery::bundle::entry(api, &version) {
                return Error::discovery(format!(
                    "the Discovery document of {api}:{version} is not compiled into this build: \
                     enable the `{}` cargo feature of gapi (or gapi-discovery), or build the \
                     service with `discover` / `ServiceBuilder::build_async`, which fetch it",
                    entry.feature()
                ));
            }
            let versions: Vec<&str> = gapi_discovery::bundle::versions(api).collect();
            if versions.is_empty() {
                unknown_api(api)
            } else {
                Error::discovery(format!(
                    "{api} has no bundled version {version:?}; bundled versions: {} (a newer document can be fetched from the discovery service)",
                    versions.join(", ")
                ))
            }
        })?;
    RestDescription::from_json(&json).map_err(|e| {
        Error::discovery(format!(
            "bundled document {api}:{version} does not parse: {e}"
        ))
    })
}

fn unknown_api(api: &str) -> Error {
    let mut names: Vec<&str> = gapi_discovery::bundle::entries()
        .iter()
        .map(|e| e.name)
        .collect();
    names.dedup();
    let close = closest(api, names.into_iter());
    let hint = if close.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", close.join(", "))
    };
    Error::unknown_api(format!("unknown API {api:?}{hint}"))
}

/// Options for a [`Service`]: the document, credentials, endpoint override and transport.
/// Cloneable, so a typed hub can make the same service for another endpoint.
#[derive(Clone)]
#[must_use = "builder methods return the changed value; use it"]
pub struct ServiceBuilder {
    doc: Option<DocumentSource>,
    auth: Arc<dyn Authenticator>,
    endpoint: Option<String>,
    quota_project: Option<String>,
    http: Option<crate::HttpClient>,
    retry: Option<RetryPolicy>,
    user_agent: Option<String>,
    transport: Option<Transport>,
    policy: Policy,
    /// Where `build_async` fetches a document this build does not embed.
    fetcher: Option<DiscoveryFetcher>,
    /// Whether `build_async` uses an embedded document when there is one.
    static_discovery: bool,
}

impl std::fmt::Debug for ServiceBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceBuilder")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl ServiceBuilder {
    /// Uses the bundled document of `api` `version` (empty version = preferred), loaded from
    /// its method index ([`bundled_method_index`]: no descriptions, schemas on first use).
    pub fn bundled(mut self, api: &str, version: &str) -> Self {
        self.doc = Some(DocumentSource::Bundled {
            api: api.to_string(),
            version: version.to_string(),
        });
        self
    }
    /// Uses this document (JSON text or parsed).
    pub fn document(mut self, doc: impl Into<DocumentSource>) -> Self {
        self.doc = Some(doc.into());
        self
    }
    /// Uses these credentials (default: none).
    pub fn auth(mut self, auth: impl Authenticator) -> Self {
        self.auth = Arc::new(auth);
        self
    }
    /// Uses these shared credentials.
    pub fn auth_arc(mut self, auth: Arc<dyn Authenticator>) -> Self {
        self.auth = auth;
        self
    }
    /// Replaces the document's `rootUrl` for every URL (plain, upload, download, batch): the
    /// way to reach an emulator or a regional endpoint. A missing trailing `/` is added.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        let mut u = url.into();
        if !u.ends_with('/') {
            u.push('/');
        }
        self.endpoint = Some(u);
        self
    }
    /// Sends to the URL in `GAPI_ENDPOINT` ([`ENDPOINT_VAR`]) when it is set and not blank, as
    /// [`build`], [`discover`] and [`build_from_document`] do; otherwise leaves the endpoint as
    /// it is. The variable is read here, once.
    pub fn endpoint_from_env(self) -> Self {
        match std::env::var(ENDPOINT_VAR) {
            Ok(url) if !url.trim().is_empty() => self.endpoint(url.trim()),
            _ => self,
        }
    }
    /// Bills quota to this project (`x-goog-user-project`).
    pub fn quota_project(mut self, project: impl Into<String>) -> Self {
        self.quota_project = Some(project.into());
        self
    }
    /// Sends through this HTTP client.
    pub fn http_client(mut self, http: crate::HttpClient) -> Self {
        self.http = Some(http);
        self
    }
    /// Retries as this policy says.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
    /// Sets the `User-Agent` header.
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }
    /// Shares an existing transport (its credentials, client and policy win over the above).
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = Some(transport);
        self
    }
    /// Refuses, before anything is sent, every request the policy does not allow: judged on
    /// the URL and verb each prepared request would send (see [`crate::policy`]).
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// Where [`build_async`](Self::build_async) fetches a document that this build does not
    /// embed (default: `DiscoveryFetcher::new()`, Google's Discovery service with the disk
    /// cache; `.base_url(emulator)` fetches from the emulator).
    pub fn discovery(mut self, fetcher: DiscoveryFetcher) -> Self {
        self.fetcher = Some(fetcher);
        self
    }
    /// `false`: [`build_async`](Self::build_async) fetches the named document even when this
    /// build embeds it (the current revision, like Python's `static_discovery=False`).
    /// Default `true`.
    pub fn static_discovery(mut self, use_embedded: bool) -> Self {
        self.static_discovery = use_embedded;
        self
    }

    /// Makes the service like [`build`](Self::build), first fetching the document named by
    /// [`bundled`](Self::bundled) when this build does not embed it (or
    /// [`static_discovery`](Self::static_discovery) is off), through the
    /// [`discovery`](Self::discovery) fetcher. An API gapi does not know by name is fetched
    /// too when a version is named (a new API). Other document sources need no I/O.
    pub async fn build_async(mut self) -> Result<Service, Error> {
        if let Some(DocumentSource::Bundled { api, version }) = &self.doc {
            let known = gapi_discovery::bundle::versions(api).next().is_some();
            let version = if known || version.is_empty() {
                resolve_version(api, version)?
            } else {
                version.clone()
            };
            let embedded =
                gapi_discovery::bundle::entry(api, &version).is_some_and(|e| e.embedded());
            if !embedded || !self.static_discovery {
                let fetcher = match self.fetcher.take() {
                    Some(f) => f,
                    None => match &self.http {
                        Some(h) => DiscoveryFetcher::new().http_client(h.clone()),
                        None => DiscoveryFetcher::new(),
                    },
                };
                let doc = fetcher.fetch(api, &version).await?;
                self.doc = Some(DocumentSource::Parsed(Arc::new(doc)));
            }
        }
        self.build()
    }

    /// Loads the document and makes the service (no network I/O).
    pub fn build(self) -> Result<Service, Error> {
        let doc = match self.doc {
            None => {
                return Err(Error::invalid_argument(
                    "no Discovery document given to Service::builder()",
                ));
            }
            Some(DocumentSource::Parsed(d)) => d,
            Some(DocumentSource::Json(j)) => {
                Arc::new(RestDescription::from_json(&j).map_err(|e| {
                    Error::discovery(format!("the Discovery document does not parse: {e}"))
                })?)
            }
            Some(DocumentSource::Bundled { api, version }) => cached_method_index(&api, &version)?,
        };
        // An endpoint on a loopback http address is a local emulator: tell it which host the
        // document names, so it can route APIs that share paths.
        let forwarded_host = self
            .endpoint
            .as_deref()
            .filter(|e| is_loopback_http(e))
            .and_then(|_| url::Url::parse(&doc.root_url).ok())
            .and_then(|u| u.host_str().map(str::to_owned));
        let root_url = match self.endpoint {
            Some(e) => e,
            None if doc.root_url.is_empty() => {
                return Err(Error::discovery(format!(
                    "the document of {}:{} has no rootUrl",
                    doc.name, doc.version
                )));
            }
            None => doc.root_url.clone(),
        };
        let transport = match self.transport {
            Some(t) => t,
            None => {
                let plain = root_url.starts_with("http://");
                let mut tb = Transport::builder()
                    .plain_http(plain)
                    .auth(self.auth)
                    .quota_project(self.quota_project)
                    .forwarded_host(forwarded_host);
                if let Some(h) = self.http {
                    tb = tb.http_client(h);
                }
                if let Some(r) = self.retry {
                    tb = tb.retry_policy(r);
                }
                if let Some(ua) = self.user_agent {
                    tb = tb.user_agent(ua);
                }
                tb.build()?
            }
        };
        Ok(Service {
            inner: Arc::new(ServiceInner {
                doc,
                root_url,
                transport,
                policy: self.policy,
                routes: Default::default(),
                methods: Default::default(),
            }),
        })
    }
}

impl Service {
    /// Starts configuring a service.
    pub fn builder() -> ServiceBuilder {
        ServiceBuilder {
            doc: None,
            auth: Arc::new(NoAuth),
            endpoint: None,
            quota_project: None,
            http: None,
            retry: None,
            user_agent: None,
            transport: None,
            policy: Policy::default(),
            fetcher: None,
            static_discovery: true,
        }
    }

    /// The Discovery document.
    pub fn document(&self) -> &Arc<RestDescription> {
        &self.inner.doc
    }

    /// The effective root URL (the endpoint override, else the document's `rootUrl`).
    pub fn root_url(&self) -> &str {
        &self.inner.root_url
    }

    /// `rootUrl + servicePath`: the base of method paths.
    pub fn base_url(&self) -> String {
        format!("{}{}", self.inner.root_url, self.inner.doc.service_path)
    }

    /// `rootUrl + batchPath`, when the API has a batch endpoint.
    pub fn batch_url(&self) -> Option<String> {
        let bp = &self.inner.doc.batch_path;
        if bp.is_empty() {
            None
        } else {
            Some(format!(
                "{}{}",
                self.inner.root_url,
                bp.trim_start_matches('/')
            ))
        }
    }

    /// The policy every request of this service obeys (open by default).
    pub fn policy(&self) -> &Policy {
        &self.inner.policy
    }

    /// The path templates of the API under this service's root URL, to tell which methods a
    /// URL reaches (built on first use).
    pub fn routes(&self) -> &RouteTable {
        self.inner
            .routes
            .get_or_init(|| RouteTable::new(&self.inner.doc, &self.inner.root_url))
    }

    /// The transport that sends this service's calls.
    pub fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// Finds a method by dotted path (`files.list`, `projects.locations.instances.get`) and
    /// starts a call. Unknown names give an error listing the closest valid ones.
    pub fn method(&self, dotted: &str) -> Result<MethodCall, Error> {
        let cached = self
            .inner
            .methods
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(dotted)
            .cloned();
        let m = match cached {
            Some(m) => m,
            None => {
                let m = Arc::new(self.find_method(dotted)?.clone());
                let mut guard = self.inner.methods.lock().unwrap_or_else(|e| e.into_inner());
                guard.insert(dotted.to_string(), m.clone());
                m
            }
        };
        Ok(MethodCall::new(self.clone(), dotted.to_string(), m))
    }

    /// Looks a method up without starting a call (the walk is
    /// [`gapi_discovery::RestDescription::lookup`], shared with the CLI's words).
    pub fn find_method(&self, dotted: &str) -> Result<&RestMethod, Error> {
        let doc = &self.inner.doc;
        let parts: Vec<&str> = dotted.split('.').collect();
        let api = format!("{}:{}", doc.name, doc.version);
        let where_ = |walked: &str| {
            if walked.is_empty() {
                api.clone()
            } else {
                format!("{api} {walked}")
            }
        };
        match doc.lookup(&parts) {
            Ok(found) => match found.target {
                Target::Method(m) => Ok(m),
                Target::Api => Err(Error::invalid_argument("empty method name")),
                Target::Resource(r) => {
                    let known: Vec<&str> = r.methods.keys().collect();
                    Err(Error::invalid_argument(format!(
                        "{} is a resource, not a method; its methods: {}",
                        where_(&found.dotted),
                        if known.is_empty() {
                            "(none; pick a sub-resource)".to_string()
                        } else {
                            known.join(", ")
                        }
                    )))
                }
            },
            Err(LookupError::Empty) => Err(Error::invalid_argument("empty method name")),
            Err(LookupError::AfterMethod { method, word }) => {
                Err(Error::invalid_argument(format!(
                    "{} is a method; it has no {word:?} below it",
                    where_(&method)
                )))
            }
            Err(LookupError::NotFound {
                parent,
                word,
                resources,
                methods,
            }) => {
                let close = closest(
                    &word,
                    methods.iter().chain(resources.iter()).map(String::as_str),
                );
                let is_last = parts.last() == Some(&word.as_str())
                    && parts.len() == parent.split('.').filter(|p| !p.is_empty()).count() + 1;
                let (kind, known) = if is_last {
                    (
                        "method",
                        methods.iter().take(20).cloned().collect::<Vec<_>>(),
                    )
                } else {
                    ("resource", resources.iter().take(20).cloned().collect())
                };
                Err(Error::invalid_argument(format!(
                    "{} has no {kind} {word:?}{}; {kind}s: {}",
                    where_(&parent),
                    hint(&close),
                    if known.is_empty() {
                        "(none)".to_string()
                    } else {
                        known.join(", ")
                    }
                )))
            }
        }
    }
}

fn hint(close: &[String]) -> String {
    if close.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", close.join(", "))
    }
}

/// `http://127.0.0.1...`, `http://[::1]...`, `http://localhost...`.
fn is_loopback_http(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    u.scheme() == "http"
        && match u.host() {
            Some(url::Host::Ipv4(a)) => a.is_loopback(),
            Some(url::Host::Ipv6(a)) => a.is_loopback(),
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            None => false,
        }
}
