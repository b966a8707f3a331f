//! The HTTP client gapi-client sends with, as an opaque handle: callers choose proxies,
//! timeouts, extra root certificates and redirects through [`HttpClientBuilder`], and never
//! name the HTTP library underneath (so it can change without breaking them), and the
//! streaming [`Response`] of [`crate::MethodCall::send`] and [`crate::Transport::send`].

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use crate::error::Error;
use crate::transport::USER_AGENT;

/// A configured HTTP client (a connection pool): cheap to clone, share one per process.
///
/// Services make their own on first use; give one with
/// [`crate::ServiceBuilder::http_client`] for a proxy, other timeouts or a private CA.
#[derive(Clone, Debug)]
pub struct HttpClient {
    inner: reqwest::Client,
}

impl HttpClient {
    /// The default client: gzip, HTTP/2 when offered, a 20 s connect timeout, 120 s between
    /// reads, keep-alive, the system's and webpki's root certificates.
    ///
    /// Installs rustls' ring crypto provider as the process default if none is installed yet.
    pub fn new() -> Result<HttpClient, Error> {
        HttpClient::builder().build()
    }

    /// A client for plain-HTTP endpoints (an emulator, a local server): no certificate store
    /// is loaded (that costs milliseconds at start-up), so HTTPS URLs fail verification.
    pub fn plain_http() -> Result<HttpClient, Error> {
        HttpClient::builder().plain_http_only(true).build()
    }

    /// Starts configuring a client.
    pub fn builder() -> HttpClientBuilder {
        HttpClientBuilder::default()
    }

    pub(crate) fn reqwest(&self) -> &reqwest::Client {
        &self.inner
    }
}

/// Options for an [`HttpClient`].
#[derive(Debug, Clone)]
#[must_use = "builder methods return the changed value; use it"]
pub struct HttpClientBuilder {
    proxy: Option<String>,
    connect_timeout: Duration,
    read_timeout: Duration,
    root_pems: Vec<Vec<u8>>,
    plain_only: bool,
    follow_redirects: bool,
}

impl Default for HttpClientBuilder {
    fn default() -> Self {
        HttpClientBuilder {
            proxy: None,
            connect_timeout: Duration::from_secs(20),
            read_timeout: Duration::from_secs(120),
            root_pems: Vec::new(),
            plain_only: false,
            follow_redirects: true,
        }
    }
}

impl HttpClientBuilder {
    /// Sends every request through this proxy (`http://proxy:3128`, `socks5://...` where
    /// supported); checked by [`HttpClientBuilder::build`].
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// How long to wait for a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long to wait between two reads of a response (a stalled server fails after this).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Also trusts the certificates of this PEM text (a private CA, a TLS-inspecting proxy).
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_pems.push(pem.into());
        self
    }

    /// Loads no certificate store at all: for clients that only ever speak plain `http://`.
    pub fn plain_http_only(mut self, plain: bool) -> Self {
        self.plain_only = plain;
        self
    }

    /// Whether to follow redirects (default yes). Media transfers need a client that does
    /// not: a resumable upload's `308` means "continue", not "go elsewhere".
    pub fn follow_redirects(mut self, follow: bool) -> Self {
        self.follow_redirects = follow;
        self
    }

    /// Builds the client; a bad proxy URL or certificate is an invalid-argument error.
    pub fn build(self) -> Result<HttpClient, Error> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut b = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .gzip(true)
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout)
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(60));
        if !self.follow_redirects {
            b = b.redirect(reqwest::redirect::Policy::none());
        }
        if let Some(proxy) = &self.proxy {
            let p = reqwest::Proxy::all(proxy.as_str()).map_err(|e| {
                Error::invalid_argument(format!("invalid proxy URL {proxy:?}: {e}"))
            })?;
            b = b.proxy(p);
        }
        let mut certs = Vec::new();
        for pem in &self.root_pems {
            let found = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
                Error::invalid_argument(format!("invalid PEM root certificate: {e}"))
            })?;
            if found.is_empty() {
                return Err(Error::invalid_argument(
                    "the root certificate text holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                ));
            }
            certs.extend(found);
        }
        if self.plain_only {
            b = b.tls_certs_only(certs);
        } else if !certs.is_empty() {
            b = b.tls_certs_merge(certs);
        }
        Ok(HttpClient {
            inner: b.build().map_err(Error::from)?,
        })
    }
}

/// A response whose body has not been read yet (what [`crate::MethodCall::send`] and
/// [`crate::Transport::send`] return: status below 400, for media or custom decoding).
#[derive(Debug)]
pub struct Response {
    inner: reqwest::Response,
}

impl Response {
    pub(crate) fn new(inner: reqwest::Response) -> Response {
        Response { inner }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.inner.status()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.inner.headers()
    }

    /// The URL that answered (after redirects).
    pub fn url(&self) -> &url::Url {
        self.inner.url()
    }

    /// The next piece of the body, `None` at its end (for streaming).
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        self.inner.chunk().await.map_err(Error::from)
    }

    /// The whole body.
    pub async fn bytes(self) -> Result<Bytes, Error> {
        self.inner.bytes().await.map_err(Error::from)
    }
}
