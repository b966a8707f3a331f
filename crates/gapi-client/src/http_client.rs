//! The HTTP client gapi-client sends with, as an opaque handle: callers choose proxies,
//! timeouts, extra root certificates and redirects through [`HttpClientBuilder`], and never
//! name the HTTP library underneath (so it can change without breaking them), and the
//! streaming [`Response`] of [`crate::MethodCall::send`] and [`crate::Transport::send`].

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use crate::error::Error;

/// A configured HTTP client (a connection pool): cheap to clone, share one per process; the
/// same type `gapi-auth` takes for token requests. Services make their own on first use; give
/// one with [`crate::ServiceBuilder::http_client`] for a proxy, other timeouts or a private CA.
pub use gapi_retry::{HttpClient, HttpClientBuilder, HttpClientError};

impl From<HttpClientError> for Error {
    fn from(e: HttpClientError) -> Self {
        Error::invalid_argument(e.to_string())
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
