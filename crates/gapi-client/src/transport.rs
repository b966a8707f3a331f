//! Sending requests: one reused HTTP client, credentials, standard headers, retries, and one
//! token refresh after a 401.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{RequestBuilder, Response};

use crate::auth::{Authenticator, Authorization, NoAuth};
use crate::error::{ApiError, Error, redact_url};
use crate::retry::{RetryPolicy, retry_after_from_headers};

/// The `User-Agent` gapi sends.
pub const USER_AGENT: &str = concat!("gapi/", env!("CARGO_PKG_VERSION"));
/// The `x-goog-api-client` header gapi sends (language and library versions, for Google's metrics).
pub const API_CLIENT_HEADER: &str = concat!(
    "gl-rust/",
    env!("GAPI_RUSTC_VERSION"),
    " gdcl/",
    env!("CARGO_PKG_VERSION")
);

/// Sends requests for a service: cheap to clone (an `Arc` inside), shared by every call,
/// media transfer and batch made from one [`crate::Service`].
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    http: Option<reqwest::Client>,
    plain_http: bool,
    auth: Arc<dyn Authenticator>,
    quota_project: Option<String>,
    retry: RetryPolicy,
    user_agent: String,
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

/// Builds the default HTTP client: gzip, HTTP/2 when offered, a connect timeout, keep-alive.
///
/// Installs rustls' ring crypto provider as the process default if none is installed yet.
pub fn default_http_client() -> Result<reqwest::Client, Error> {
    http_client_builder().build().map_err(Error::from)
}

/// Builds a client for plain-HTTP endpoints (an emulator, a local server): no certificate
/// store is loaded (that costs milliseconds at start-up), so HTTPS URLs fail verification.
pub fn plain_http_client() -> Result<reqwest::Client, Error> {
    http_client_builder()
        .tls_certs_only(std::iter::empty())
        .build()
        .map_err(Error::from)
}

fn http_client_builder() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .gzip(true)
        .connect_timeout(Duration::from_secs(20))
        .read_timeout(Duration::from_secs(120))
        .tcp_nodelay(true)
        .pool_idle_timeout(Duration::from_secs(60))
}

/// Options for a [`Transport`].
pub struct TransportBuilder {
    http: Option<reqwest::Client>,
    plain_http: bool,
    auth: Arc<dyn Authenticator>,
    quota_project: Option<String>,
    retry: RetryPolicy,
    user_agent: String,
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
        }
    }
}

impl TransportBuilder {
    /// Uses this HTTP client instead of the default one (proxies, custom TLS, timeouts).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
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

    /// The underlying HTTP client (shared connection pool), for media and batch code.
    ///
    /// Without a client of the caller's, all services of the process share one default client,
    /// created on first use (so building a service costs no TLS set-up).
    ///
    /// # Panics
    /// Only if the default client cannot be created at all (no usable TLS provider); use
    /// [`Transport::try_http`] to get that as an error.
    pub fn http(&self) -> &reqwest::Client {
        match self.try_http() {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        }
    }

    /// The underlying HTTP client, or why the default one could not be created.
    pub fn try_http(&self) -> Result<&reqwest::Client, Error> {
        if let Some(c) = &self.inner.http {
            return Ok(c);
        }
        type Shared = std::sync::OnceLock<Result<reqwest::Client, String>>;
        static SHARED: Shared = std::sync::OnceLock::new();
        static SHARED_PLAIN: Shared = std::sync::OnceLock::new();
        let (slot, make): (&Shared, fn() -> Result<reqwest::Client, Error>) =
            if self.inner.plain_http {
                (&SHARED_PLAIN, plain_http_client)
            } else {
                (&SHARED, default_http_client)
            };
        slot.get_or_init(|| make().map_err(|e| e.to_string()))
            .as_ref()
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
    pub fn decorate(&self, mut rb: RequestBuilder, auth: &Authorization) -> RequestBuilder {
        rb = rb
            .header(reqwest::header::USER_AGENT, &self.inner.user_agent)
            .header(
                HeaderName::from_static("x-goog-api-client"),
                HeaderValue::from_static(API_CLIENT_HEADER),
            );
        if let Some(p) = &self.inner.quota_project {
            rb = rb.header(HeaderName::from_static("x-goog-user-project"), p.as_str());
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

    /// Sends a request built by `build` (called again for every attempt): authorizes it, adds
    /// the standard headers, refreshes the token once after a 401, and retries as the
    /// [`RetryPolicy`] says (`idempotent` = false for POST/PATCH).
    ///
    /// Returns the response for 1xx/2xx/3xx statuses (a resumable upload's 308 included);
    /// 4xx/5xx become [`Error::Api`].
    pub async fn send(
        &self,
        build: impl Fn() -> RequestBuilder,
        idempotent: bool,
    ) -> Result<Response, Error> {
        let mut attempt: u32 = 0;
        let mut refreshed = false;
        let mut force = false;
        loop {
            attempt += 1;
            let auth = self.authorize(force).await?;
            force = false;
            let _ = self.try_http()?;
            let rb = self.decorate(build(), &auth);
            let resp = match rb.send().await {
                Ok(r) => r,
                Err(e) => {
                    let err = Error::from(e);
                    let transient = err.is_retryable();
                    match self
                        .inner
                        .retry
                        .decide(attempt, None, None, None, idempotent)
                    {
                        Some(wait) if transient => {
                            tracing::debug!(attempt, ?wait, "transport error, retrying: {err}");
                            tokio::time::sleep(wait).await;
                            continue;
                        }
                        _ => return Err(err),
                    }
                }
            };
            let status = resp.status().as_u16();
            if status < 400 {
                return Ok(resp);
            }
            if status == 401 && !refreshed && matches!(auth, Authorization::Bearer(_)) {
                refreshed = true;
                force = true;
                attempt -= 1; // a refresh is not a retry
                tracing::debug!("401: refreshing the access token once");
                continue;
            }
            let headers = resp.headers().clone();
            let url = redact_url(resp.url());
            let body = resp.bytes().await.unwrap_or_default();
            let api = ApiError::from_parts(status, &headers, Some(url), &body);
            let retry_after = api
                .retry_after
                .or_else(|| retry_after_from_headers(&headers));
            if let Some(wait) = self.inner.retry.decide(
                attempt,
                Some(status),
                api.reason.as_deref(),
                retry_after,
                idempotent,
            ) {
                tracing::debug!(attempt, status, ?wait, "retrying");
                tokio::time::sleep(wait).await;
                continue;
            }
            return Err(Error::Api(Box::new(api)));
        }
    }
}
