//! [`build`] and [`build_from_document`]: gapi-client's, plus the one environment variable the
//! `gapi` CLI also reads, `GAPI_ENDPOINT`, so an unchanged program can be pointed at the
//! emulator (or a proxy) from outside.

use gapi_client::auth::Authenticator;
use gapi_client::{DocumentSource, Error, Service, ServiceBuilder};

/// The environment variable naming the root URL every service built by [`build`] and
/// [`build_from_document`] sends to instead of the document's (`http://127.0.0.1:8085/` for
/// an emulator); ignored when unset or empty. The `gapi` CLI reads the same variable.
pub const ENDPOINT_VAR: &str = "GAPI_ENDPOINT";

/// Builds a service from its bundled Discovery document: Python's
/// `googleapiclient.discovery.build(api, version, credentials=...)`. Synchronous: bundled
/// documents need no I/O. Sends to `GAPI_ENDPOINT` when it is set (see [`ENDPOINT_VAR`]);
/// use [`Service::builder`] for every other choice.
pub fn build(api: &str, version: &str, auth: impl Authenticator) -> Result<Service, Error> {
    with_env_endpoint(Service::builder().bundled(api, version).auth(auth)).build()
}

/// Like [`build`], but a document this build does not embed (see the crate's API features) is
/// fetched from Google's Discovery service on first use, cached on disk and revalidated by
/// ETag; an embedded one uses no network. Honours [`ENDPOINT_VAR`] as [`build`] does.
pub async fn discover(
    api: &str,
    version: &str,
    auth: impl Authenticator,
) -> Result<Service, Error> {
    with_env_endpoint(Service::builder().bundled(api, version).auth(auth))
        .build_async()
        .await
}

/// Builds a service from a Discovery document given as JSON text or as a parsed model
/// (always works, whatever the features). Honours [`ENDPOINT_VAR`] as [`build`] does.
pub fn build_from_document(
    doc: impl Into<DocumentSource>,
    auth: impl Authenticator,
) -> Result<Service, Error> {
    with_env_endpoint(Service::builder().document(doc).auth(auth)).build()
}

fn with_env_endpoint(builder: ServiceBuilder) -> ServiceBuilder {
    match std::env::var(ENDPOINT_VAR) {
        Ok(url) if !url.trim().is_empty() => builder.endpoint(url.trim()),
        _ => builder,
    }
}
