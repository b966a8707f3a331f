//! A plain HTTP client for tests: reqwest with ring as rustls' provider.

/// Installs ring as rustls' process-wide crypto provider (idempotent), as every client and
/// server in a test binary needs before its first TLS use.
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A client that does not follow redirects (tests inspect them).
pub fn http() -> reqwest::Client {
    install_crypto();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client builds")
}
