//! JSON calls to Google's credential APIs (IAM Credentials, a service-account impersonation
//! URL), with the same transport rules as token requests: https or loopback only, no
//! redirects, bounded retries; and their errors (`{"error": {"code", "message", "status"}}`)
//! turned into [`Error`]s with a hint.

use std::time::Duration;

use serde_json::Value;
use url::Url;

use super::transport::{RetryPolicy, describe_failure, ensure_secure_endpoint, send_with_retries};
use crate::error::{Error, ErrorKind, Result};
use crate::secret::AccessToken;

/// A raw answer: status and body.
pub(crate) struct JsonResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

/// POSTs `body` as JSON with `Authorization: Bearer <token>`, retrying 5xx / 429 / transport
/// failures per `policy` (the one loop, `send_with_retries`). Returns the parsed JSON of a 2xx answer, else an error.
pub(crate) async fn post_json(
    http: &reqwest::Client,
    url: &Url,
    bearer: &AccessToken,
    body: &Value,
    policy: RetryPolicy,
    doing: &str,
) -> Result<Value> {
    ensure_secure_endpoint(url)?;
    let raw = send_with_retries(
        policy,
        || {
            http.post(url.clone())
                .bearer_auth(bearer.secret())
                .header(reqwest::header::ACCEPT, "application/json")
                .json(body)
        },
        |e| transport_error(doing, url, e),
    )
    .await?;
    parse_json_answer(
        JsonResponse {
            status: raw.status,
            body: raw.body,
        },
        url,
        doing,
    )
}

fn parse_json_answer(raw: JsonResponse, url: &Url, doing: &str) -> Result<Value> {
    if (300..400).contains(&raw.status) {
        return Err(Error::new(
            ErrorKind::InvalidResponse,
            format!("{doing}: {url} answered with a redirect (HTTP {}); credential requests never follow redirects", raw.status),
        )
        .with_status(raw.status));
    }
    if !(200..300).contains(&raw.status) {
        return Err(api_error(&raw, url, doing));
    }
    serde_json::from_slice(&raw.body).map_err(|e| {
        Error::new(
            ErrorKind::InvalidResponse,
            format!(
                "{doing}: {url} answered HTTP {} with something that is not JSON ({e})",
                raw.status
            ),
        )
        .with_status(raw.status)
    })
}

pub(crate) fn transport_error(doing: &str, url: &Url, e: reqwest::Error) -> Error {
    Error::new(
        ErrorKind::Transport,
        format!("{doing}: could not reach {url}: {}", describe_failure(e)),
    )
    .with_hint("check the network connection (and proxy settings), then try again")
    .retryable(true)
}

/// Shortens untrusted server text before it goes into an error message.
pub(crate) fn clip(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(300).collect()
}

/// A Google API error answer as an [`Error`]: status, message, and what to do.
pub(crate) fn api_error(raw: &JsonResponse, url: &Url, doing: &str) -> Error {
    let v: Option<Value> = serde_json::from_slice(&raw.body).ok();
    let err = v.as_ref().and_then(|v| v.get("error"));
    let (status_name, message) = match err {
        Some(Value::Object(o)) => (
            o.get("status").and_then(Value::as_str).map(str::to_string),
            o.get("message")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        ),
        Some(Value::String(code)) => (
            Some(code.clone()),
            v.as_ref()
                .and_then(|v| v.get("error_description"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        ),
        _ => (None, clip(&String::from_utf8_lossy(&raw.body))),
    };
    let hint = match (raw.status, status_name.as_deref()) {
        (403, _) | (_, Some("PERMISSION_DENIED")) => {
            "the caller needs the Service Account Token Creator role \
             (roles/iam.serviceAccountTokenCreator) on the service account (or on the next \
             delegate of the chain), and the IAM Service Account Credentials API must be enabled"
        }
        (401, _) => "the source credentials were refused; log in again or check the key",
        (404, _) => "check the service account's email (it may not exist)",
        (s, _) if s >= 500 || s == 429 => "the server had a problem; try again in a moment",
        _ => "see the server's message above",
    };
    let code = status_name
        .clone()
        .unwrap_or_else(|| format!("HTTP {}", raw.status));
    let mut e = Error::new(
        if raw.status == 401 || raw.status == 403 {
            ErrorKind::AccessDenied
        } else {
            ErrorKind::OAuth
        },
        format!(
            "{doing} failed: {url} answered HTTP {} {code}: {}",
            raw.status,
            clip(&message)
        ),
    )
    .with_status(raw.status)
    .retryable(raw.status >= 500 || raw.status == 429)
    .with_hint(hint);
    if let Some(s) = status_name {
        e = e.with_oauth_code(s.to_ascii_lowercase());
    }
    e
}

/// A reqwest client for the metadata server: plain http, never through a proxy, no redirects,
/// short timeouts.
pub(crate) fn metadata_http_client(timeout: Duration) -> Result<reqwest::Client> {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(timeout)
        .timeout(timeout)
        .user_agent(concat!("gapi-auth/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("cannot build the HTTP client: {}", e.without_url()),
            )
        })
}

/// POSTs a form with optional HTTP Basic client authentication (STS and workforce token
/// endpoints), retrying 5xx / 429 / transport failures. The answer is returned as is.
pub(crate) async fn post_form_basic(
    http: &reqwest::Client,
    url: &Url,
    form: &[(&str, &str)],
    basic: Option<(&str, &str)>,
    policy: RetryPolicy,
    doing: &str,
) -> Result<super::transport::RawResponse> {
    ensure_secure_endpoint(url)?;
    send_with_retries(
        policy,
        || {
            let req = http
                .post(url.clone())
                .header(reqwest::header::ACCEPT, "application/json")
                .form(form);
            match basic {
                Some((id, secret)) => req.basic_auth(id, Some(secret)),
                None => req,
            }
        },
        |e| transport_error(doing, url, e),
    )
    .await
}
