//! Transport rules for token requests: https only (loopback or explicit opt-in excepted), no
//! redirects, bounded retries with backoff for 5xx / 429 / transport failures.

use std::net::IpAddr;
use std::time::Duration;

use url::Url;

use crate::error::{Error, ErrorKind, Result};

/// Environment variables that allow plain http to non-loopback hosts (local testing only).
pub const INSECURE_TRANSPORT_VARS: &[&str] =
    &["GAPI_INSECURE_TRANSPORT", "OAUTHLIB_INSECURE_TRANSPORT"];

/// True for `localhost`, 127.0.0.0/8 and ::1.
pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

fn insecure_opt_in() -> bool {
    INSECURE_TRANSPORT_VARS.iter().any(|name| {
        std::env::var(name)
            .map(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
            .unwrap_or(false)
    })
}

/// Refuses to send secrets to `url` unless it is https, a loopback host, or the user opted in
/// with `GAPI_INSECURE_TRANSPORT=1` / `OAUTHLIB_INSECURE_TRANSPORT=1`.
pub fn ensure_secure_endpoint(url: &Url) -> Result<()> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback_host(url) || insecure_opt_in() => Ok(()),
        scheme => Err(Error::new(
            ErrorKind::InsecureTransport,
            format!("refusing to send credentials to {url}: the {scheme} scheme is not encrypted"),
        )
        .with_hint(
            "use an https endpoint; for local testing only, set GAPI_INSECURE_TRANSPORT=1 \
             (or OAUTHLIB_INSECURE_TRANSPORT=1)",
        )),
    }
}

/// The HTTP client used when the caller does not give one: rustls with ring, no redirects,
/// bounded timeouts.
pub fn default_http_client() -> Result<reqwest::Client> {
    build_client(client_builder())
}

/// [`default_http_client`] without a certificate store, for plain `http://` endpoints only (an
/// emulator, a local server): loading the system CA store costs milliseconds of CPU that such
/// a request never needs (redirects are not followed, so it cannot end up on https).
pub(crate) fn plain_http_client() -> Result<reqwest::Client> {
    build_client(client_builder().tls_certs_only(std::iter::empty()))
}

fn client_builder() -> reqwest::ClientBuilder {
    // A library cannot know whether the application installed a provider already; installing
    // fails harmlessly when one is present.
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("gapi-auth/", env!("CARGO_PKG_VERSION")))
}

fn build_client(builder: reqwest::ClientBuilder) -> Result<reqwest::Client> {
    builder.build().map_err(|e| {
        Error::new(
            ErrorKind::Config,
            format!("cannot build the HTTP client: {}", e.without_url()),
        )
    })
}

/// How token requests are retried after 5xx, 429 or transport failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts including the first (1 = no retry).
    pub max_attempts: u32,
    /// Backoff before the first retry; doubled each time (with full jitter).
    pub initial_backoff: Duration,
    /// Upper bound for a single backoff.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(300),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Default::default()
        }
    }

    fn backoff(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << retry.min(16))
            .min(self.max_backoff);
        let jittered = exp.mul_f64(0.5 + 0.5 * jitter());
        match retry_after {
            Some(ra) => ra.min(self.max_backoff).max(jittered),
            None => jittered,
        }
    }
}

fn jitter() -> f64 {
    getrandom::u32()
        .map(|v| v as f64 / u32::MAX as f64)
        .unwrap_or(0.5)
}

/// A raw response from an OAuth endpoint.
pub(crate) struct RawResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

/// POSTs a form to `url`, retrying per `policy`. Returns the final response (any status other
/// than 3xx), or a transport error.
pub(crate) async fn post_form(
    http: &reqwest::Client,
    url: &Url,
    form: &[(&str, &str)],
    policy: RetryPolicy,
    what: &str,
) -> Result<RawResponse> {
    ensure_secure_endpoint(url)?;
    let attempts = policy.max_attempts.max(1);
    let mut attempt = 0;
    loop {
        attempt += 1;
        tracing::trace!(endpoint = %url, what, attempt, "sending OAuth request");
        let result = http
            .post(url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .form(form)
            .send()
            .await;
        let (retry_after, outcome) = match result {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let retry_after = resp
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                if (300..400).contains(&status) {
                    return Err(Error::new(
                        ErrorKind::InvalidResponse,
                        format!(
                            "the {what} endpoint {url} answered with a redirect (HTTP {status}); \
                             OAuth requests never follow redirects"
                        ),
                    )
                    .with_status(status)
                    .with_hint("check the endpoint URL in the client secrets file"));
                }
                match resp.bytes().await {
                    Ok(body) => {
                        let raw = RawResponse {
                            status,
                            body: body.to_vec(),
                        };
                        if status >= 500 || status == 429 {
                            (retry_after, Err(raw))
                        } else {
                            tracing::trace!(endpoint = %url, status, "OAuth response received");
                            return Ok(raw);
                        }
                    }
                    Err(e) => (retry_after, Ok(transport_error(what, url, e))),
                }
            }
            Err(e) => (None, Ok(transport_error(what, url, e))),
        };
        // Here `outcome` is Err(raw retryable response) or Ok(transport error).
        if attempt >= attempts {
            return match outcome {
                Err(raw) => Ok(raw),
                Ok(err) => Err(err),
            };
        }
        let delay = policy.backoff(attempt - 1, retry_after);
        tracing::debug!(endpoint = %url, attempt, delay_ms = delay.as_millis() as u64, "retrying OAuth request");
        tokio::time::sleep(delay).await;
    }
}

fn transport_error(what: &str, url: &Url, e: reqwest::Error) -> Error {
    let timeout = e.is_timeout();
    let e = e.without_url();
    let mut err = Error::new(
        ErrorKind::Transport,
        format!("could not reach the {what} endpoint {url}: {e}"),
    )
    .with_hint("check the network connection (and proxy settings), then try again")
    .retryable(true);
    if timeout {
        err = err.with_hint("the server did not answer in time; try again later");
    }
    err.with_source(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_or_loopback_only() {
        let ok = |s: &str| ensure_secure_endpoint(&Url::parse(s).unwrap()).is_ok();
        assert!(ok("https://oauth2.googleapis.com/token"));
        assert!(ok("http://127.0.0.1:8080/token"));
        assert!(ok("http://[::1]:8080/token"));
        assert!(ok("http://localhost:8080/token"));
        if !insecure_opt_in() {
            assert!(!ok("http://example.com/token"));
            let e =
                ensure_secure_endpoint(&Url::parse("http://example.com/t").unwrap()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InsecureTransport);
            assert!(e.to_string().contains("GAPI_INSECURE_TRANSPORT"));
        }
        assert!(!ok("ftp://127.0.0.1/token"));
    }

    #[test]
    fn backoff_is_capped() {
        let p = RetryPolicy::default();
        for i in 0..40 {
            assert!(p.backoff(i, None) <= p.max_backoff);
        }
        assert!(p.backoff(0, Some(Duration::from_secs(100))) <= p.max_backoff);
    }
}
