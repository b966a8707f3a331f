//! Transport rules for token requests: https only (loopback or explicit opt-in excepted), no
//! redirects, bounded retries with backoff for 5xx / 429 / transport failures.

use std::net::IpAddr;
use std::time::Duration;

use gapi_retry::HttpClient;
use url::Url;

use crate::error::{Error, ErrorKind, Result};

/// Environment variables that allow plain http to non-loopback hosts (local testing only).
pub(crate) const INSECURE_TRANSPORT_VARS: &[&str] =
    &["GAPI_INSECURE_TRANSPORT", "OAUTHLIB_INSECURE_TRANSPORT"];

/// True for `localhost`, 127.0.0.0/8 and ::1.
pub(crate) fn is_loopback_host(url: &Url) -> bool {
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

/// The HTTP client token requests use when the caller gives none: rustls with ring, no
/// redirects, a 10 s connect and 60 s overall timeout. Give your own (a proxy, a private CA)
/// to the flow or credential builders' `http_client`; it is used without following redirects.
pub fn default_http_client() -> Result<HttpClient> {
    auth_client_builder().build().map_err(build_error)
}

/// [`default_http_client`] without a certificate store, for plain `http://` endpoints only (an
/// emulator, a local server): loading the system CA store costs milliseconds of CPU that such
/// a request never needs (redirects are not followed, so it cannot end up on https).
pub(crate) fn plain_http_client() -> Result<reqwest::Client> {
    let http = auth_client_builder()
        .plain_http_only(true)
        .build()
        .map_err(build_error)?;
    Ok(http.reqwest_client().clone())
}

/// [`default_http_client`]'s client underneath, for the shared default.
pub(crate) fn default_reqwest_client() -> Result<reqwest::Client> {
    Ok(default_http_client()?.reqwest_client().clone())
}

/// The client to send token requests with through a caller's `http`: the same options,
/// never following redirects (a followed 307 would resend the secrets to another host).
pub(crate) fn token_http(http: &HttpClient) -> Result<reqwest::Client> {
    http.reqwest_without_redirects().map_err(build_error)
}

fn auth_client_builder() -> gapi_retry::HttpClientBuilder {
    HttpClient::builder()
        .follow_redirects(false)
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("gapi-auth/", env!("CARGO_PKG_VERSION")))
}

fn build_error(e: gapi_retry::HttpClientError) -> Error {
    Error::new(
        ErrorKind::Config,
        format!("cannot build the HTTP client: {e}"),
    )
}

/// How token and credential requests are retried: the one policy type of gapi (`gapi-retry`),
/// shared with `gapi-client`'s API calls. Builders here default to
/// [`RetryPolicy::token_requests`].
pub use gapi_retry::RetryPolicy;

/// A raw response from an OAuth endpoint.
pub(crate) struct RawResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

/// The one retry loop of gapi-auth's requests (token endpoint, STS, IAM Credentials): sends
/// the request `build` makes, reads the whole body, and asks `policy` (the same
/// [`RetryPolicy::decide`] API calls use) whether to try again after a transport failure,
/// a body cut off, a 5xx or a 429. Token and credential requests are sent as safe to repeat
/// (they create nothing a repeat could duplicate). Returns the final answer whatever its
/// status (a retryable one once the attempts are spent), or the last transport error made
/// by `transport_error`.
pub(crate) async fn send_with_retries(
    policy: RetryPolicy,
    build: impl Fn() -> reqwest::RequestBuilder,
    transport_error: impl Fn(reqwest::Error) -> Error,
) -> Result<RawResponse> {
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        let (status, retry_after, outcome) = match build().send().await {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let retry_after = gapi_retry::retry_after_from_headers(resp.headers());
                match resp.bytes().await {
                    Ok(body) => (
                        Some(status),
                        retry_after,
                        Ok(RawResponse {
                            status,
                            body: body.to_vec(),
                        }),
                    ),
                    Err(e) => (None, None, Err(transport_error(e))),
                }
            }
            Err(e) => (None, None, Err(transport_error(e))),
        };
        match policy.decide(attempt, status, None, retry_after, true) {
            Some(delay) => {
                tracing::debug!(
                    attempt,
                    ?status,
                    delay_ms = delay.as_millis() as u64,
                    "retrying the request"
                );
                tokio::time::sleep(delay).await;
            }
            None => return outcome,
        }
    }
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
    tracing::trace!(endpoint = %url, what, "sending OAuth request");
    let raw = send_with_retries(
        policy,
        || {
            http.post(url.clone())
                .header(reqwest::header::ACCEPT, "application/json")
                .form(form)
        },
        |e| transport_error(what, url, e),
    )
    .await?;
    let status = raw.status;
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
    tracing::trace!(endpoint = %url, status, "OAuth response received");
    Ok(raw)
}

/// A failed request in one line: reqwest's own words and the innermost cause (a refused
/// connection, a TLS or DNS failure), which reqwest keeps in its `source()` chain. The URL is
/// left out (the caller names the endpoint without its query).
pub(crate) fn describe_failure(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut root: &dyn std::error::Error = &e;
    while let Some(next) = root.source() {
        root = next;
    }
    let (top, cause) = (e.to_string(), root.to_string());
    if std::ptr::addr_eq(root, &e) || cause == top {
        top
    } else {
        format!("{top}: {cause}")
    }
}

fn transport_error(what: &str, url: &Url, e: reqwest::Error) -> Error {
    let timeout = e.is_timeout();
    let mut err = Error::new(
        ErrorKind::Transport,
        format!(
            "could not reach the {what} endpoint {url}: {}",
            describe_failure(e)
        ),
    )
    .with_hint("check the network connection (and proxy settings), then try again")
    .retryable(true);
    if timeout {
        err = err.with_hint("the server did not answer in time; try again later");
    }
    err
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
            assert!(
                e.hint()
                    .is_some_and(|h| h.contains("GAPI_INSECURE_TRANSPORT")),
                "{e:?}"
            );
        }
        assert!(!ok("ftp://127.0.0.1/token"));
    }

    #[test]
    fn token_policy_waits_are_capped() {
        let p = RetryPolicy::token_requests();
        for i in 1..40 {
            assert!(p.backoff(i) <= p.max_delay);
        }
        let long = p.decide(1, Some(503), None, Some(Duration::from_secs(100)), true);
        assert_eq!(long, Some(p.max_retry_after));
        assert!(
            p.decide(3, Some(503), None, None, true).is_none(),
            "3 attempts"
        );
        assert!(p.decide(1, Some(400), None, None, true).is_none());
    }
}
