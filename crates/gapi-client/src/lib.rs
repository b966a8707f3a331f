//! Call any Google API from its Discovery document.
//!
//! A [`Service`] is built from a Discovery document (bundled, fetched, or given); its methods are
//! found by dotted path (`files.list`, `projects.locations.instances.get`), their parameters are
//! cast to the declared types and validated before anything is sent, and the transport adds
//! credentials, standard headers, retries and one token refresh after a 401.
//!
//! ```
//! # fn main() -> Result<(), gapi_client::Error> {
//! let drive = gapi_client::build("drive", "v3", gapi_client::NoAuth)?;
//! let req = drive
//!     .method("files.list")?
//!     .param("pageSize", 5)
//!     .param("orderBy", "modifiedByMeTime desc")
//!     .prepare()?; // no I/O; `.execute().await` sends it
//! assert!(req.url.as_str().starts_with("https://www.googleapis.com/drive/v3/files?"));
//! assert!(drive.method("files.list")?.param("pageSize", "12x").prepare().is_err());
//! # Ok(()) }
//! ```
//!
//! Where things live: [`service`] (building, method lookup), [`method_call`] (one call:
//! parameters, `prepare`, `execute`), [`params`] (casting and validation), [`uri_template`]
//! (`{name}` / `{+name}` paths), [`transport`] (headers, credentials, 401 refresh, retries via
//! [`retry`]), [`policy`] (what may be sent, judged on the URL resolved back to its
//! method by [`route`]), [`error`], [`pagination`], [`auth`] (the credential trait), [`scopes`],
//! [`discovery_fetch`] (newer documents, cached), `media`, `batch` and [`follow`] (sync
//! tokens followed across restarts).
//!
//! Cargo features (all on by default; the `gapi` facade turns off what a program does not
//! choose): `gapi-auth` (gapi_auth's credentials as an [`Authenticator`]), `gzip` and `http2`
//! (gapi-retry's), `media` (the `media`, `media_call` and `upload_naming` modules, typed
//! uploads and downloads), `batch` (the `batch` module), `method-search` (`method_search`).
//! Without one, its modules and methods do not exist, so a program that needs it fails to
//! compile (rustc names the feature that gates the missing item).
#![deny(missing_docs)]

pub mod auth;
#[cfg(feature = "gapi-auth")]
mod auth_gapi;
pub mod decode;
pub mod discovery_fetch;
mod engine;
pub mod error;
pub mod follow;
#[doc(hidden)]
pub mod fuzzing;
mod headers;
pub mod http_client;
pub mod listing;
#[cfg(feature = "media")]
pub mod media_call;
pub mod method_call;
#[cfg(feature = "method-search")]
pub mod method_search;
mod page_stream;
pub mod pagination;
pub mod params;
pub mod policy;
/// When to retry and how long to wait: the `gapi-retry` crate, shared with `gapi-auth`'s
/// token requests (one [`RetryPolicy`] type for both).
pub use gapi_retry as retry;
pub mod route;
pub mod schema_check;
pub mod scopes;
pub mod service;
pub mod transport;
pub mod typed;
#[cfg(feature = "media")]
pub mod upload_naming;
pub mod uri_template;
mod wire;

pub use auth::{ApiKey, Authenticator, Authorization, NoAuth, SecretString, StaticToken};
pub use discovery_fetch::{DiscoveryFetcher, FetchOrigin};
pub use error::{ApiError, Error, Hint, Result};
pub use http_client::{HttpClient, HttpClientBuilder, Response};
#[cfg(feature = "media")]
pub use media_call::{DownloadCall, UploadCall};
pub use method_call::{MediaUploadTarget, MethodCall, PreparedRequest, WireRequest};
pub use page_stream::{Items, Pages};
pub use params::ParamValue;
pub use policy::Policy;
pub use retry::RetryPolicy;
pub use service::{
    DocumentSource, ENDPOINT_VAR, Service, ServiceBuilder, build, build_from_document, discover,
};
pub use transport::{FullResponse, Transport};
#[cfg(feature = "batch")]
pub mod batch;
#[cfg(feature = "media")]
pub mod media;
