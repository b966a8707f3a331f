//! The HTTP client every gapi request goes through, as an opaque handle: callers choose
//! proxies, timeouts, extra root certificates and redirects through [`HttpClientBuilder`],
//! and never name the HTTP library underneath (so it can change without a breaking release).
//! One type for `gapi-auth`'s token requests and `gapi-client`'s API calls: it lives here,
//! in the crate both already share.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// The `User-Agent` gapi sends unless told otherwise.
pub const DEFAULT_USER_AGENT: &str = concat!("gapi/", env!("CARGO_PKG_VERSION"));

/// A configured HTTP client (a connection pool): cheap to clone, share one per process.
///
/// Token requests never follow redirects (a followed `307` would resend a secret to another
/// host): given a client that follows them, `gapi-auth` sends through a copy that does not,
/// built once per client from the same options.
#[derive(Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    options: Arc<HttpClientBuilder>,
    no_redirects: Arc<OnceLock<reqwest::Client>>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// The default client: gzip and HTTP/2 when offered (with this crate's `gzip` and `http2`
    /// features), a 20 s connect timeout, 120 s between reads, keep-alive, the system's and
    /// webpki's root certificates.
    ///
    /// Installs rustls' ring crypto provider as the process default if none is installed yet.
    pub fn new() -> Result<HttpClient, HttpClientError> {
        HttpClient::builder().build()
    }

    /// A client for plain-HTTP endpoints (an emulator, a local server): no certificate store
    /// is loaded (that costs milliseconds at start-up), so HTTPS URLs fail verification.
    pub fn plain_http() -> Result<HttpClient, HttpClientError> {
        HttpClient::builder().plain_http_only(true).build()
    }

    /// Starts configuring a client.
    pub fn builder() -> HttpClientBuilder {
        HttpClientBuilder::default()
    }

    /// The options this client was built with.
    pub fn options(&self) -> &HttpClientBuilder {
        &self.options
    }

    /// The client underneath, for gapi's own crates only: not part of the stable API.
    #[doc(hidden)]
    pub fn reqwest_client(&self) -> &reqwest::Client {
        &self.inner
    }

    /// The same client not following redirects (itself when it already does not), built once
    /// per client; for gapi's own crates only: not part of the stable API.
    #[doc(hidden)]
    pub fn reqwest_without_redirects(&self) -> Result<reqwest::Client, HttpClientError> {
        if !self.options.follow_redirects {
            return Ok(self.inner.clone());
        }
        if let Some(client) = self.no_redirects.get() {
            return Ok(client.clone());
        }
        let built = self
            .options
            .as_ref()
            .clone()
            .follow_redirects(false)
            .reqwest()?;
        Ok(self.no_redirects.get_or_init(|| built).clone())
    }
}

/// Options for an [`HttpClient`].
#[derive(Debug, Clone)]
#[must_use = "builder methods return the changed value; use it"]
pub struct HttpClientBuilder {
    proxy: Option<String>,
    connect_timeout: Duration,
    read_timeout: Duration,
    timeout: Option<Duration>,
    root_pems: Vec<Vec<u8>>,
    plain_only: bool,
    follow_redirects: bool,
    user_agent: String,
}

impl Default for HttpClientBuilder {
    fn default() -> Self {
        HttpClientBuilder {
            proxy: None,
            connect_timeout: Duration::from_secs(20),
            read_timeout: Duration::from_secs(120),
            timeout: None,
            root_pems: Vec::new(),
            plain_only: false,
            follow_redirects: true,
            user_agent: DEFAULT_USER_AGENT.to_string(),
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

    /// The most a whole request may take, body included (none by default: a large download
    /// takes as long as it takes, bounded by [`HttpClientBuilder::read_timeout`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
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

    /// The `User-Agent` header (default [`DEFAULT_USER_AGENT`]).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// Builds the client; a bad proxy URL or certificate is an error saying which.
    pub fn build(self) -> Result<HttpClient, HttpClientError> {
        Ok(HttpClient {
            inner: self.reqwest()?,
            options: Arc::new(self),
            no_redirects: Arc::new(OnceLock::new()),
        })
    }

    fn reqwest(&self) -> Result<reqwest::Client, HttpClientError> {
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let b = reqwest::Client::builder().user_agent(self.user_agent.as_str());
        #[cfg(feature = "gzip")]
        let b = b.gzip(true);
        let mut b = b
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout)
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(60));
        if let Some(timeout) = self.timeout {
            b = b.timeout(timeout);
        }
        if !self.follow_redirects {
            b = b.redirect(reqwest::redirect::Policy::none());
        }
        if let Some(proxy) = &self.proxy {
            let p = reqwest::Proxy::all(proxy.as_str())
                .map_err(|e| HttpClientError(format!("invalid proxy URL {proxy:?}: {e}")))?;
            b = b.proxy(p);
        }
        let mut certs = Vec::new();
        for pem in &self.root_pems {
            let found = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| HttpClientError(format!("invalid PEM root certificate: {e}")))?;
            if found.is_empty() {
                return Err(HttpClientError(
                    "the root certificate text holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
                        .into(),
                ));
            }
            certs.extend(found);
        }
        if self.plain_only {
            b = b.tls_certs_only(certs);
        } else if !certs.is_empty() {
            b = b.tls_certs_merge(certs);
        }
        b.build()
            .map_err(|e| HttpClientError(format!("cannot build the HTTP client: {e}")))
    }
}

/// Why an [`HttpClient`] could not be built (a bad proxy URL or certificate, no TLS backend).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpClientError(String);

impl fmt::Display for HttpClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HttpClientError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_proxy_or_certificate_is_an_error_saying_which() {
        let e = HttpClient::builder()
            .proxy("::not a url")
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("invalid proxy URL"), "{e}");
        let e = HttpClient::builder()
            .add_root_certificate_pem("not pem")
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("PEM"), "{e}");
    }

    #[test]
    fn the_no_redirect_copy_is_built_once_and_kept_by_clones() {
        let client = HttpClient::plain_http().unwrap();
        let copy = client.clone();
        client.reqwest_without_redirects().unwrap();
        assert!(copy.no_redirects.get().is_some(), "clones share the copy");
        let direct = HttpClient::builder()
            .plain_http_only(true)
            .follow_redirects(false)
            .build()
            .unwrap();
        direct.reqwest_without_redirects().unwrap();
        assert!(
            direct.no_redirects.get().is_none(),
            "no copy when none is needed"
        );
    }
}
