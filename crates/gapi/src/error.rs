//! One error type for a program that signs in and calls APIs, so `main` can return
//! [`gapi::Result<()>`](Result) and use `?` on everything the examples do: reading the client
//! secrets, the consent flow, building a service, a call, a page, an upload or a download.

use std::fmt;

/// Anything gapi can fail with: an authorization error ([`gapi_auth::Error`]), an API or
/// client error ([`gapi_client::Error`], which also covers Discovery documents: unknown API,
/// bad document), or a local I/O or JSON error of the program itself.
///
/// `Display` is the inner error's message and `source()` its source, unchanged, so reports
/// look the same as with the inner types. Branch on it with the predicates
/// ([`Error::needs_login`], [`Error::http_status`], ...) or match the variants.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Getting or refreshing credentials failed (consent, token endpoint, credential files).
    Auth(gapi_auth::Error),
    /// Building a service or making a call failed (including Google's API errors).
    Client(gapi_client::Error),
    /// A local file could not be read or written.
    Io(std::io::Error),
    /// JSON could not be read or written.
    Json(serde_json::Error),
}

/// `Result<T, gapi::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The authorization error, also when it surfaced through an API call (a refresh that
    /// failed while sending).
    pub fn auth(&self) -> Option<&gapi_auth::Error> {
        match self {
            Error::Auth(e) => Some(e),
            Error::Client(e) => std::error::Error::source(e)?.downcast_ref(),
            _ => None,
        }
    }

    /// The client error, if this is one.
    pub fn client(&self) -> Option<&gapi_client::Error> {
        match self {
            Error::Client(e) => Some(e),
            _ => None,
        }
    }

    /// True when only a new sign-in can fix this (the grant was revoked or expired, the
    /// stored credentials are unusable): run the consent flow again.
    pub fn needs_login(&self) -> bool {
        match self {
            Error::Auth(e) => e.needs_login(),
            Error::Client(e) => e.needs_login(),
            _ => false,
        }
    }

    /// The HTTP status of Google's answer, for API errors.
    pub fn http_status(&self) -> Option<u16> {
        self.client().and_then(gapi_client::Error::http_status)
    }

    /// True for a 404 from the API.
    pub fn is_not_found(&self) -> bool {
        self.client().is_some_and(gapi_client::Error::is_not_found)
    }

    /// True when sending again later may succeed (network failures, 429, 5xx).
    pub fn is_retryable(&self) -> bool {
        self.client().is_some_and(gapi_client::Error::is_retryable)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Auth(e) => e.fmt(f),
            Error::Client(e) => e.fmt(f),
            Error::Io(e) => e.fmt(f),
            Error::Json(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    // The inner error's own source, not the inner error itself: its message is already this
    // error's Display, and a report must say each cause once.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Auth(e) => std::error::Error::source(e),
            Error::Client(e) => std::error::Error::source(e),
            Error::Io(e) => std::error::Error::source(e),
            Error::Json(e) => std::error::Error::source(e),
        }
    }
}

impl From<gapi_auth::Error> for Error {
    fn from(e: gapi_auth::Error) -> Self {
        Error::Auth(e)
    }
}

impl From<gapi_client::Error> for Error {
    fn from(e: gapi_client::Error) -> Self {
        Error::Client(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Json(e)
    }
}
