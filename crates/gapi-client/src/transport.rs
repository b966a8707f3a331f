//! Sending requests: one reused HTTP client, credentials, standard headers; retries and the one
//! token refresh after a 401 are the retry engine's (`engine.rs`).

use std::sync::Arc;

use http::Method;
use http::header::{HeaderName, HeaderValue};
use reqwest::RequestBuilder;

use crate::auth::{Authenticator, Authorization, NoAuth};
use crate::error::Error;
use crate::http_client::{HttpClient, Response};
use crate::retry::RetryPolicy;
use crate::wire::WireRequest;

pub use crate::headers::{API_CLIENT_HEADER, USER_AGENT};

/// Sends requests for a service: cheap to clone (an `Arc` inside), shared by every call,
/// media transfer and batch made from one [`crate::Service`].
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    http: Option<HttpClient>,
    plain_http: bool,
    auth: Arc<dyn Authenticator>,
    quota_project: Option<String>,
    retry: RetryPolicy,
    user_agent: String,
    forwarded_host: Option<HeaderValue>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("quota_project", &self.inner.quota_project)
            .field("retry", &self.inner.retry)
            .field("user_agent", &self.inner.user_agent)
            .finish_non_exhaustive()
    }
}

/// Options for a [`Transport`].
#[must_use = "builder methods return the changed value; use it"]
pub struct TransportBuilder {
    http: Option<HttpClient>,
    plain_http: bool,
    auth: Arc<dyn Authenticator>,
    quota_project: Option<String>,
    retry: RetryPolicy,
    user_agent: String,
    forwarded_host: Option<String>,
}

impl std::fmt::Debug for TransportBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransportBuilder").finish_non_exhaustive()
    }
}

impl Default for TransportBuilder {
    fn default() -> Self {
        TransportBuilder {
            http: None,
            plain_http: false,
            auth: Arc::new(NoAuth),
            quota_project: None,
            retry: RetryPolicy::default(),
            user_agent: USER_AGENT.to_string(),
            forwarded_host: None,
        }
    }
}

impl TransportBuilder {
    /// Uses this HTTP client instead of the default one (proxies, custom TLS, timeouts).
    pub fn http_client(mut self, http: HttpClient) -> Self {
        self.http = Some(http);
        self
    }
    /// Declares that every URL is plain `http://` (an emulator): the default client is then
    /// made without loading the system certificate store.
    pub fn plain_http(mut self, plain: bool) -> Self {
        self.plain_http = plain;
        self
    }
    /// Uses these credentials.
    pub fn auth(mut self, auth: Arc<dyn Authenticator>) -> Self {
        self.auth = auth;
        self
    }
    /// Bills quota to this project (`x-goog-user-project`), overriding the credentials' own.
    pub fn quota_project(mut self, project: Option<String>) -> Self {
        self.quota_project = project;
        self
    }
    /// Sets the retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }
    /// Sets the `User-Agent` (e.g. `myapp/1.0 gapi/0.1.0`).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }
    /// Sends `X-Forwarded-Host: host` with every request: the host the document names, when
    /// the requests go to a local emulator instead (`gapi-emulator` routes by it, since Cloud
    /// APIs share paths such as `/v1/projects/...`).
    pub fn forwarded_host(mut self, host: Option<String>) -> Self {
        self.forwarded_host = host;
        self
    }
    /// Builds the transport (creating the default HTTP client if none was given).
    pub fn build(self) -> Result<Transport, Error> {
        let http = self.http;
        let quota_project = self.quota_project.or_else(|| self.auth.quota_project());
        Ok(Transport {
            inner: Arc::new(Inner {
                http,
                plain_http: self.plain_http,
                auth: self.auth,
                quota_project,
                retry: self.retry,
                user_agent: self.user_agent,
                forwarded_host: self
                    .forwarded_host
                    .and_then(|h| HeaderValue::from_str(&h).ok()),
            }),
        })
    }
}

impl Transport {
    /// Starts configuring a transport.
    pub fn builder() -> TransportBuilder {
        TransportBuilder::default()
    }

    /// A transport with the default HTTP client and these credentials.
    pub fn new(auth: Arc<dyn Authenticator>) -> Result<Transport, Error> {
        Transport::builder().auth(auth).build()
    }

    /// The underlying HTTP client (shared connection pool), for media and batch code; called
    /// only after [`Transport::try_http`] succeeded.
    pub(crate) fn http(&self) -> &reqwest::Client {
        match self.try_http() {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        }
    }

    /// The underlying HTTP client, or why the default one could not be created.
    ///
    /// Without a client of the caller's, all services of the process share one default client,
    /// created on first use (so building a service costs no TLS set-up).
    pub(crate) fn try_http(&self) -> Result<&reqwest::Client, Error> {
        if let Some(c) = &self.inner.http {
            return Ok(c.reqwest_client());
        }
        use crate::http_client::HttpClientError;
        type Shared = std::sync::OnceLock<Result<HttpClient, String>>;
        static SHARED: Shared = std::sync::OnceLock::new();
        static SHARED_PLAIN: Shared = std::sync::OnceLock::new();
        let (slot, make): (&Shared, fn() -> Result<HttpClient, HttpClientError>) =
            if self.inner.plain_http {
                (&SHARED_PLAIN, HttpClient::plain_http)
            } else {
                (&SHARED, HttpClient::new)
            };
        slot.get_or_init(|| make().map_err(|e| e.to_string()))
            .as_ref()
            .map(HttpClient::reqwest_client)
            .map_err(|e| Error::invalid_argument(format!("could not create the HTTP client: {e}")))
    }

    /// The credentials in use.
    pub fn authenticator(&self) -> &Arc<dyn Authenticator> {
        &self.inner.auth
    }

    /// The retry policy in use.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The quota project sent as `x-goog-user-project`, if any.
    pub fn quota_project(&self) -> Option<&str> {
        self.inner.quota_project.as_deref()
    }

    /// Asks the credentials for an authorization (`force` after a 401).
    pub async fn authorize(&self, force: bool) -> Result<Authorization, Error> {
        self.inner.auth.authorize(force).await
    }

    /// Adds gapi's standard headers and the given authorization to a request.
    pub(crate) fn decorate(&self, mut rb: RequestBuilder, auth: &Authorization) -> RequestBuilder {
        rb = rb
            .header(reqwest::header::USER_AGENT, &self.inner.user_agent)
            .header(
                HeaderName::from_static("x-goog-api-client"),
                HeaderValue::from_static(API_CLIENT_HEADER),
            );
        if let Some(p) = &self.inner.quota_project {
            rb = rb.header(HeaderName::from_static("x-goog-user-project"), p.as_str());
        }
        if let Some(h) = &self.inner.forwarded_host {
            rb = rb.header(HeaderName::from_static("x-forwarded-host"), h.clone());
        }
        match auth {
            Authorization::Bearer(tok) => {
                match HeaderValue::from_str(&format!("Bearer {}", tok.secret())) {
                    Ok(mut v) => {
                        v.set_sensitive(true);
                        rb.header(reqwest::header::AUTHORIZATION, v)
                    }
                    Err(_) => rb,
                }
            }
            // In a header, as google-auth's api_key.Credentials does: keys stay out of URLs
            // (and so out of logs and proxies).
            Authorization::ApiKey(key) => match HeaderValue::from_str(key.secret()) {
                Ok(mut v) => {
                    v.set_sensitive(true);
                    rb.header("x-goog-api-key", v)
                }
                Err(_) => rb,
            },
            Authorization::None => rb,
        }
    }

    /// Sends `request` (sent again for every attempt): authorizes it, adds the standard
    /// headers, refreshes the token once after a 401, and retries as the [`RetryPolicy`] says
    /// (`idempotent` = false for POST/PATCH).
    ///
    /// Returns the response for 1xx/2xx/3xx statuses (a resumable upload's 308 included);
    /// 4xx/5xx become API errors ([`Error::api`]). The body is not read here: a caller that
    /// needs it whole should use [`Transport::send_read`], which retries a body cut off
    /// mid-way too.
    pub async fn send(&self, request: &WireRequest, idempotent: bool) -> Result<Response, Error> {
        self.send_with(|| self.request_builder(request), idempotent)
            .await
            .map(Response::new)
    }

    /// Like [`Transport::send`], and reads the whole body inside the same retry loop: a
    /// connection dropped mid-body is a transport error, retried (for idempotent requests)
    /// within the same attempt budget, so a caller never sees half a response.
    pub async fn send_read(
        &self,
        request: &WireRequest,
        idempotent: bool,
    ) -> Result<FullResponse, Error> {
        let http = self.try_http()?;
        self.execute(
            http,
            |_| Ok(self.request_builder(request)),
            idempotent,
            read_full,
        )
        .await
    }

    /// [`Transport::send`] for a request built by `build` (called again for every attempt).
    pub(crate) async fn send_with(
        &self,
        build: impl Fn() -> RequestBuilder,
        idempotent: bool,
    ) -> Result<reqwest::Response, Error> {
        let http = self.try_http()?;
        self.execute(
            http,
            |_| Ok(build()),
            idempotent,
            |resp| async move { Ok(resp) },
        )
        .await
    }

    /// A wire request as a request of the underlying client (no credentials yet).
    fn request_builder(&self, wire: &WireRequest) -> RequestBuilder {
        let mut rb = self
            .http()
            .request(wire.method.clone(), wire.url.clone())
            .headers(wire.headers.clone());
        if let Some(b) = &wire.body {
            rb = rb.body(b.clone());
        } else if matches!(wire.method, Method::POST | Method::PUT | Method::PATCH) {
            rb = rb.header(http::header::CONTENT_LENGTH, "0");
        }
        rb
    }

    /// Runs a request through the one retry engine (`crate::engine`) on `http`.
    pub(crate) async fn execute<T, B, F, Fut>(
        &self,
        http: &reqwest::Client,
        build: B,
        idempotent: bool,
        finish: F,
    ) -> Result<T, Error>
    where
        B: Fn(&reqwest::Client) -> Result<RequestBuilder, Error>,
        F: Fn(reqwest::Response) -> Fut,
        Fut: std::future::Future<Output = Result<T, Error>>,
    {
        crate::engine::execute(self, http, build, idempotent, finish).await
    }
}

impl crate::engine::Sender for Transport {
    fn authorize(
        &self,
        force: bool,
    ) -> impl std::future::Future<Output = Result<Authorization, Error>> + Send {
        Transport::authorize(self, force)
    }

    fn decorate(&self, rb: RequestBuilder, auth: &Authorization) -> RequestBuilder {
        Transport::decorate(self, rb, auth)
    }

    fn retry_policy(&self) -> &RetryPolicy {
        Transport::retry_policy(self)
    }
}

/// A response read in full: what [`Transport::send_read`] returns.
#[derive(Debug, Clone)]
pub struct FullResponse {
    /// The HTTP status (below 400).
    pub status: http::StatusCode,
    /// The response headers.
    pub headers: http::HeaderMap,
    /// The whole body.
    pub body: bytes::Bytes,
}

async fn read_full(resp: reqwest::Response) -> Result<FullResponse, Error> {
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.bytes().await?;
    Ok(FullResponse {
        status,
        headers,
        body,
    })
}
