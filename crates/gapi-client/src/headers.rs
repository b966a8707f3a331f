//! The headers that name gapi on every request: the bottom of the crate, so the HTTP client,
//! the transport, media transfers and `--dry-run` output share them without importing each
//! other.

/// The `User-Agent` gapi sends.
pub const USER_AGENT: &str = concat!("gapi/", env!("CARGO_PKG_VERSION"));
/// The `x-goog-api-client` header gapi sends (language and library versions, for Google's metrics).
pub const API_CLIENT_HEADER: &str = concat!(
    "gl-rust/",
    env!("GAPI_RUSTC_VERSION"),
    " gdcl/",
    env!("CARGO_PKG_VERSION")
);
