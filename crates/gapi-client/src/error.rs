//! The one error type of the client: opaque, with predicates so callers decide without
//! matching (as gapi-auth's error), and hints carried as data ([`Error::hint`]) for the caller
//! to render in its own words (a CLI names its command; a library user its own fix).
//!
//! API errors keep Google's machine-readable fields (`code`, `status`, `errors[0].reason`,
//! `details`); URLs in messages are stripped of `key=` and `access_token=` values first, and
//! very long ones are shortened.

use std::fmt;
use std::time::Duration;

use http::header::HeaderMap;

/// Everything that can go wrong while building or sending a request. Ask what it is with the
/// predicates (`is_network`, `is_invalid_argument`, `api`, `needs_login`, ...) and what would
/// fix it with [`Error::hint`].
#[derive(Debug)]
pub struct Error {
    kind: Kind,
}

/// Each variant prints its cause once: said in the message (network, I/O and JSON failures,
/// whose own chains add nothing a reader needs), or returned from `source()` (the credential
/// error, which callers look at by type: its remedy, whether a login is needed), never both.
#[derive(Debug, thiserror::Error)]
enum Kind {
    #[error("{0}")]
    Api(Box<ApiError>),
    #[error("network error: {}", describe_reqwest(.0))]
    Transport(reqwest::Error),
    #[error("I/O error: {0}")]
    Io(std::io::Error),
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    #[error("refused by the policy: {0}")]
    Policy(String),
    #[error(
        "the credentials were granted none of the scopes {method} accepts: {}",
        accepted.join(", ")
    )]
    ScopeNotGranted {
        method: String,
        /// The method's scopes, the most useful for the call first.
        accepted: Vec<String>,
    },
    #[error("authorization failed")]
    Auth {
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
        needs_login: bool,
    },
    #[error("discovery document error: {0}")]
    Discovery(String),
    #[error("discovery document error: {0}")]
    UnknownApi(String),
    #[error("JSON error: {0}")]
    Json(serde_json::Error),
    #[error("{}", describe_decode(.0))]
    Decode(Box<DecodeFailure>),
    #[error("upload error: {0}")]
    Upload(String),
    #[error("integrity check failed: {0}")]
    Integrity(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.kind)
    }
}

/// A response that did not fit the caller's type: where and why.
#[derive(Debug)]
struct DecodeFailure {
    what: String,
    type_name: String,
    path: String,
    message: String,
}

fn describe_decode(d: &DecodeFailure) -> String {
    let at = if d.path.is_empty() {
        String::new()
    } else {
        format!("{}: ", d.path)
    };
    format!(
        "{}: the response does not fit {}: {at}{}",
        d.what, d.type_name, d.message
    )
}

/// `alloc::vec::Vec<my::File>` stays whole; `my_app::drive::FileList` becomes `FileList`.
fn short_type_name(name: &str) -> &str {
    let outer = name.split('<').next().unwrap_or(name);
    if outer.len() != name.len() {
        return name;
    }
    outer.rsplit("::").next().unwrap_or(name)
}

impl From<Kind> for Error {
    fn from(kind: Kind) -> Self {
        Error { kind }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Kind::Io(e).into()
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Kind::Json(e).into()
    }
}

/// What would fix an error, as data: the caller says it in its own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Hint {
    /// Only a new interactive login can fix it (the grant was revoked or expired, or the
    /// server refused the token even after a refresh).
    LogInAgain,
    /// The request carried no credentials and the method needs them.
    SendCredentials,
    /// The granted scopes do not allow the method: log in again asking for one of its scopes.
    GrantScope,
    /// The API is not enabled for the project (or the quota project lacks it).
    EnableApi,
    /// No API of that name is known: look the name up in the list of known APIs.
    ListApis,
}

impl Hint {
    /// A plain sentence for the hint, naming no command.
    pub fn text(self) -> &'static str {
        match self {
            Hint::LogInAgain => "log in again to get new credentials",
            Hint::SendCredentials => {
                "the request was sent without credentials and this method needs them; call it with credentials"
            }
            Hint::GrantScope => {
                "the granted scopes do not allow this method; log in again asking for one of the method's scopes"
            }
            Hint::EnableApi => {
                "enable the API for the project (or set a quota project that has it enabled)"
            }
            Hint::ListApis => "check the name against the list of known APIs",
        }
    }
}

/// The convenient result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error for a caller that used the API wrongly: unknown method or parameter, a value
    /// of the wrong type; the message says what is wrong.
    pub fn invalid_argument(msg: impl Into<String>) -> Self {
        Kind::InvalidArgument(msg.into()).into()
    }

    /// An error for a request the caller's [`crate::policy::Policy`] refuses; the message
    /// names the method and the rule. Nothing was sent.
    pub fn policy(msg: impl Into<String>) -> Self {
        Kind::Policy(msg.into()).into()
    }

    /// An error for a media upload that cannot proceed (bad size, protocol not offered,
    /// session lost, ...).
    pub fn upload(msg: impl Into<String>) -> Self {
        Kind::Upload(msg.into()).into()
    }

    /// An error for downloaded bytes that do not match what the server states (checksum,
    /// size, version).
    pub fn integrity(msg: impl Into<String>) -> Self {
        Kind::Integrity(msg.into()).into()
    }

    /// An error for a Discovery document that cannot be found, fetched or understood.
    pub fn discovery(msg: impl Into<String>) -> Self {
        Kind::Discovery(msg.into()).into()
    }

    /// No bundled or known API has this name (a discovery error with [`Hint::ListApis`]).
    pub fn unknown_api(msg: impl Into<String>) -> Self {
        Kind::UnknownApi(msg.into()).into()
    }

    /// An error for a response that does not fit the caller's type: `what` names the call
    /// (`drive.files.list`), `path` the field (`files[3].size`, empty for the whole value),
    /// `message` what was wrong there.
    pub fn decode(
        what: impl Into<String>,
        type_name: &str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Kind::Decode(Box::new(DecodeFailure {
            what: what.into(),
            type_name: short_type_name(type_name).to_string(),
            path: path.into(),
            message: message.into(),
        }))
        .into()
    }

    /// The JSON path of the field a response failed to decode at (`files[3].size`), when this
    /// is such an error ([`crate::MethodCall::execute_as`], typed calls).
    pub fn json_path(&self) -> Option<&str> {
        match &self.kind {
            Kind::Decode(d) => Some(&d.path),
            _ => None,
        }
    }

    /// Wraps a credential error that a retry (or a later call) may fix.
    pub fn auth(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Kind::Auth {
            source: source.into(),
            needs_login: false,
        }
        .into()
    }

    /// Wraps a credential error that only a new interactive login can fix.
    pub fn auth_needs_login(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Kind::Auth {
            source: source.into(),
            needs_login: true,
        }
        .into()
    }

    /// The scope pre-check failed: the credentials were granted none of the scopes method
    /// `method` accepts (`accepted`, most useful for the call first). Nothing was sent.
    pub fn scope_not_granted(method: impl Into<String>, accepted: Vec<String>) -> Self {
        Kind::ScopeNotGranted {
            method: method.into(),
            accepted,
        }
        .into()
    }

    /// The method's scopes, the most useful for the call first, when the scope pre-check
    /// ([`crate::MethodCall::check_scopes`]) found none of them granted: the first is the one
    /// to ask for.
    pub fn scopes_to_grant(&self) -> Option<&[String]> {
        match &self.kind {
            Kind::ScopeNotGranted { accepted, .. } => Some(accepted),
            _ => None,
        }
    }

    /// An error for an HTTP error answer (4xx/5xx) from the server, after any retries.
    pub fn from_api(api: ApiError) -> Self {
        Kind::Api(Box::new(api)).into()
    }

    /// Builds an API error from an HTTP response, reading (and consuming) its body.
    ///
    /// Tolerates empty, HTML and otherwise non-JSON bodies.
    pub(crate) async fn from_response(resp: reqwest::Response) -> Error {
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let url = redact_url(resp.url());
        match resp.bytes().await {
            Ok(body) => Error::from_api(ApiError::from_parts(status, &headers, Some(url), &body)),
            Err(e) => {
                let mut api = ApiError::from_parts(status, &headers, Some(url), b"");
                api.message = format!(
                    "{} (the error body could not be read: {})",
                    api.message,
                    describe_reqwest(&e)
                );
                Error::from_api(api)
            }
        }
    }

    /// The API error details, when this is an HTTP error from the server.
    pub fn api(&self) -> Option<&ApiError> {
        match &self.kind {
            Kind::Api(a) => Some(a),
            _ => None,
        }
    }

    /// The HTTP status of an API error.
    pub fn http_status(&self) -> Option<u16> {
        self.api().map(|a| a.code)
    }

    /// Whether the request never got an answer, or its answer was cut off: connection refused
    /// or reset, timeout, TLS failure.
    pub fn is_network(&self) -> bool {
        matches!(self.kind, Kind::Transport(_))
    }

    /// Whether the caller used the API wrongly (unknown method or parameter, bad value), or
    /// asked for a request its policy refuses ([`Error::is_policy_refusal`]).
    pub fn is_invalid_argument(&self) -> bool {
        matches!(self.kind, Kind::InvalidArgument(_) | Kind::Policy(_))
    }

    /// Whether the caller's [`crate::policy::Policy`] refused the request (nothing was sent).
    pub fn is_policy_refusal(&self) -> bool {
        matches!(self.kind, Kind::Policy(_))
    }

    /// Whether reading or writing a local file or stream failed.
    pub fn is_io(&self) -> bool {
        matches!(self.kind, Kind::Io(_))
    }

    /// Whether downloaded bytes do not match what the server states.
    pub fn is_integrity(&self) -> bool {
        matches!(self.kind, Kind::Integrity(_))
    }

    /// Whether a media upload could not proceed.
    pub fn is_upload(&self) -> bool {
        matches!(self.kind, Kind::Upload(_))
    }

    /// Whether a Discovery document could not be found, fetched or understood.
    pub fn is_discovery(&self) -> bool {
        matches!(self.kind, Kind::Discovery(_) | Kind::UnknownApi(_))
    }

    /// Whether a JSON body could not be encoded or decoded.
    pub fn is_json(&self) -> bool {
        matches!(self.kind, Kind::Json(_) | Kind::Decode(_))
    }

    /// What would fix this error, when something specific would.
    pub fn hint(&self) -> Option<Hint> {
        match &self.kind {
            Kind::Auth {
                needs_login: true, ..
            } => Some(Hint::LogInAgain),
            Kind::Api(a) => match (a.code, a.reason.as_deref()) {
                (401 | 403, _) if !a.credentials_sent => Some(Hint::SendCredentials),
                (401, _) => Some(Hint::LogInAgain),
                (403, Some("insufficientPermissions" | "ACCESS_TOKEN_SCOPE_INSUFFICIENT")) => {
                    Some(Hint::GrantScope)
                }
                (403, Some("accessNotConfigured" | "SERVICE_DISABLED")) => Some(Hint::EnableApi),
                _ => None,
            },
            Kind::UnknownApi(_) => Some(Hint::ListApis),
            Kind::ScopeNotGranted { .. } => Some(Hint::GrantScope),
            _ => None,
        }
    }

    /// Whether sending the same request again later may succeed: 5xx, 429, 403 rate limits
    /// and transport failures (timeouts, refused or reset connections, bodies cut off).
    pub fn is_retryable(&self) -> bool {
        match &self.kind {
            Kind::Api(a) => crate::retry::is_retryable(Some(a.code), a.reason.as_deref()),
            // A body cut off mid-way shows as a body or decode error: worth another try.
            Kind::Transport(e) => !(e.is_builder() || e.is_redirect() || e.is_status()),
            Kind::Io(e) => matches!(
                e.kind(),
                std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::TimedOut
                    | std::io::ErrorKind::Interrupted
                    | std::io::ErrorKind::UnexpectedEof
            ),
            _ => false,
        }
    }

    /// Whether the server said the resource does not exist (HTTP 404).
    pub fn is_not_found(&self) -> bool {
        self.http_status() == Some(404)
    }

    /// Whether the user must log in again: the server still refused the token after a refresh
    /// (HTTP 401), or the refresh token itself was rejected.
    pub fn needs_login(&self) -> bool {
        match &self.kind {
            Kind::Api(a) => a.code == 401,
            Kind::Auth { needs_login, .. } => *needs_login,
            _ => false,
        }
    }

    /// Whether this is a credential problem (including HTTP 401 and 403 insufficient-scope).
    pub fn is_auth(&self) -> bool {
        match &self.kind {
            Kind::Auth { .. } | Kind::ScopeNotGranted { .. } => true,
            Kind::Api(a) => {
                a.code == 401
                    || (a.code == 403
                        && matches!(
                            a.reason.as_deref(),
                            Some(
                                "insufficientPermissions"
                                    | "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
                                    | "authError"
                            )
                        ))
            }
            _ => false,
        }
    }
}

#[doc(hidden)]
impl From<reqwest::Error> for Error {
    fn from(mut e: reqwest::Error) -> Self {
        if let Some(url) = e.url_mut() {
            redact_url_in_place(url);
        }
        Kind::Transport(e).into()
    }
}

/// An HTTP error answered by a Google API, in Google's error model.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status code.
    pub code: u16,
    /// The canonical status (`NOT_FOUND`, `PERMISSION_DENIED`, ...), when given.
    pub status: Option<String>,
    /// The machine reason: `errors[0].reason`, else `status`.
    pub reason: Option<String>,
    /// The human message from the server (or the HTTP reason phrase when the body had none).
    pub message: String,
    /// The `error.details` array (or `error.errors` when there are no details), `Null` if absent.
    pub details: serde_json::Value,
    /// The request URL with secrets (`key`, `access_token`) removed.
    pub url: Option<String>,
    /// How long the server asked us to wait (`Retry-After`), if it said.
    pub retry_after: Option<Duration>,
    /// Whether the request carried credentials (false for anonymous calls), so a 401 is
    /// explained as "credentials needed", not as a refused token.
    pub credentials_sent: bool,
}

impl ApiError {
    /// Parses Google's `{"error": {...}}` body; falls back to the status line for other bodies.
    pub fn from_parts(
        code: u16,
        headers: &HeaderMap,
        url: Option<String>,
        body: &[u8],
    ) -> ApiError {
        let retry_after = crate::retry::retry_after_from_headers(headers);
        let phrase = reqwest::StatusCode::from_u16(code)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("unknown status");
        let mut out = ApiError {
            code,
            status: None,
            reason: None,
            message: format!("HTTP {code} {phrase}"),
            details: serde_json::Value::Null,
            url,
            retry_after,
            credentials_sent: true,
        };
        let parsed: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        match parsed.as_ref().and_then(|v| v.get("error")) {
            Some(serde_json::Value::Object(err)) => {
                if let Some(m) = err
                    .get("message")
                    .and_then(|m| m.as_str())
                    .filter(|m| !m.is_empty())
                {
                    out.message = m.to_string();
                }
                out.status = err
                    .get("status")
                    .and_then(|s| s.as_str())
                    .map(str::to_string);
                let first_reason = err
                    .get("errors")
                    .and_then(|e| e.get(0))
                    .and_then(|e| e.get("reason"))
                    .and_then(|r| r.as_str())
                    .map(str::to_string);
                // google.rpc.ErrorInfo in details also carries a reason.
                let info_reason = err
                    .get("details")
                    .and_then(|d| d.as_array())
                    .and_then(|arr| {
                        arr.iter()
                            .find(|d| {
                                d.get("@type")
                                    .and_then(|t| t.as_str())
                                    .is_some_and(|t| t.ends_with("ErrorInfo"))
                            })
                            .and_then(|d| d.get("reason"))
                            .and_then(|r| r.as_str())
                            .map(str::to_string)
                    });
                out.reason = first_reason.or(info_reason).or_else(|| out.status.clone());
                out.details = err
                    .get("details")
                    .or_else(|| err.get("errors"))
                    .cloned()
                    .unwrap_or(serde_json::Value::Null);
            }
            // OAuth-style `{"error": "invalid_token", "error_description": "..."}`.
            Some(serde_json::Value::String(s)) => {
                out.reason = Some(s.clone());
                if let Some(d) = parsed
                    .as_ref()
                    .and_then(|v| v.get("error_description"))
                    .and_then(|d| d.as_str())
                {
                    out.message = d.to_string();
                }
            }
            _ => {
                let text = String::from_utf8_lossy(body);
                let snippet = text.trim();
                if !snippet.is_empty() && !snippet.starts_with('<') {
                    let cut: String = snippet.chars().take(300).collect();
                    out.message = format!("HTTP {code} {phrase}: {cut}");
                }
            }
        }
        out
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error {}", self.code)?;
        if let Some(r) = &self.reason {
            write!(f, " ({r})")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(u) = &self.url {
            write!(f, " [{}]", shorten_url(u))?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

const SECRET_QUERY_KEYS: &[&str] = &["key", "access_token", "upload_id"];

/// Returns the URL as text with the values of secret query parameters replaced by `[redacted]`.
pub fn redact_url(url: &url::Url) -> String {
    let mut u = url.clone();
    redact_url_in_place(&mut u);
    u.to_string()
}

fn redact_url_in_place(url: &mut url::Url) {
    if url.query().is_none() {
        return;
    }
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if !pairs
        .iter()
        .any(|(k, _)| SECRET_QUERY_KEYS.contains(&k.as_str()))
    {
        return;
    }
    let mut q = url.query_pairs_mut();
    q.clear();
    for (k, v) in &pairs {
        if SECRET_QUERY_KEYS.contains(&k.as_str()) {
            q.append_pair(k, "[redacted]");
        } else {
            q.append_pair(k, v);
        }
    }
}

/// The longest URL echoed in an error message; longer ones are cut in the middle.
const MAX_URL_IN_MESSAGE: usize = 300;

/// A URL for an error message: whole when short, else its start and end around a note
/// saying how much was left out (a 100 KB query must not flood the terminal).
pub(crate) fn shorten_url(url: &str) -> String {
    if url.len() <= MAX_URL_IN_MESSAGE {
        return url.to_string();
    }
    let head_end = floor_char_boundary(url, 200);
    let tail_start = floor_char_boundary(url, url.len() - 60);
    format!(
        "{}...({} bytes left out)...{}",
        &url[..head_end],
        tail_start - head_end,
        &url[tail_start..]
    )
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn describe_reqwest(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut s = match e.url() {
        Some(url) if url.as_str().len() > MAX_URL_IN_MESSAGE => e
            .to_string()
            .replace(url.as_str(), &shorten_url(url.as_str())),
        _ => e.to_string(),
    };
    let mut src = e.source();
    while let Some(inner) = src {
        let t = inner.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        src = inner.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A wrapper prints its cause or returns it from `source()`, never both: a report that
    /// walks the chain (the CLI's) says each cause once without comparing texts.
    #[test]
    fn each_cause_is_said_once() {
        use std::error::Error as _;
        let io = Error::from(std::io::Error::other("disk gone"));
        assert_eq!(io.to_string(), "I/O error: disk gone");
        assert!(io.source().is_none());
        let json = Error::from(serde_json::from_str::<u8>("x").unwrap_err());
        assert!(
            json.to_string().starts_with("JSON error: expected value"),
            "{json}"
        );
        assert!(json.source().is_none());
        let auth = Error::auth_needs_login(std::io::Error::other("the grant was revoked"));
        assert_eq!(auth.to_string(), "authorization failed");
        assert_eq!(
            auth.source().map(|c| c.to_string()).as_deref(),
            Some("the grant was revoked")
        );
        assert_eq!(auth.hint(), Some(Hint::LogInAgain));
    }

    #[test]
    fn parses_google_error_body() {
        let body = br#"{"error":{"code":403,"message":"Rate Limit Exceeded","status":"PERMISSION_DENIED","errors":[{"reason":"userRateLimitExceeded","message":"x"}]}}"#;
        let e = ApiError::from_parts(403, &HeaderMap::new(), None, body);
        assert_eq!(e.reason.as_deref(), Some("userRateLimitExceeded"));
        assert_eq!(e.status.as_deref(), Some("PERMISSION_DENIED"));
        assert_eq!(e.message, "Rate Limit Exceeded");
        let err = Error::from_api(e);
        assert!(err.is_retryable());
        assert!(!err.is_not_found());
    }

    #[test]
    fn reason_falls_back_to_status_and_tolerates_html() {
        let e = ApiError::from_parts(
            404,
            &HeaderMap::new(),
            None,
            br#"{"error":{"code":404,"message":"nope","status":"NOT_FOUND"}}"#,
        );
        assert_eq!(e.reason.as_deref(), Some("NOT_FOUND"));
        let e = ApiError::from_parts(
            502,
            &HeaderMap::new(),
            None,
            b"<html><body>bad gateway</body></html>",
        );
        assert_eq!(e.message, "HTTP 502 Bad Gateway");
        assert!(Error::from_api(e).is_retryable());
        let e = ApiError::from_parts(404, &HeaderMap::new(), None, b"");
        assert!(Error::from_api(e).is_not_found());
    }

    #[test]
    fn urls_are_redacted() {
        let u = url::Url::parse("https://x.test/a?key=SECRETKEY&q=1&access_token=TOK").unwrap();
        let s = redact_url(&u);
        assert!(!s.contains("SECRETKEY") && !s.contains("TOK"), "{s}");
        assert!(s.contains("q=1"));
    }

    #[test]
    fn retry_after_header_is_read_into_the_error() {
        let mut headers = HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, "7".parse().unwrap());
        let e = ApiError::from_parts(429, &headers, None, b"");
        assert_eq!(e.retry_after, Some(Duration::from_secs(7)));
        headers.insert(reqwest::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(
            ApiError::from_parts(429, &headers, None, b"").retry_after,
            None
        );
    }
}
