//! The token endpoint client: code exchange, refresh, revoke, tokeninfo and the device flow's
//! two requests. Usable on its own.

use std::time::Duration;

use serde_json::Value;
use url::Url;

use super::transport::{RawResponse, RetryPolicy, default_reqwest_client, post_form};
use crate::credentials::BoxFuture;
use crate::error::{Error, ErrorKind, Result};
use crate::protocol::endpoints::Endpoints;
use crate::secret::{
    AccessToken, AuthorizationCode, ClientSecret, DeviceCode, IdToken, PkceVerifier, RefreshToken,
};

/// The grant type of the device flow's polling request (RFC 8628).
pub(crate) const DEVICE_GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// The longest access-token lifetime believed from a token endpoint (Google's are an hour): a
/// larger `expires_in` is capped, so an absurd value can neither overflow the clock nor keep a
/// token in use for ever.
pub(crate) const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(365 * 24 * 3600);

/// A successful token endpoint response.
#[derive(Debug, Clone)]
pub struct TokenResponse {
    /// The new access token.
    pub access_token: AccessToken,
    /// Usually `Bearer`.
    pub token_type: Option<String>,
    /// Lifetime of the access token in seconds.
    pub expires_in: Option<u64>,
    /// A refresh token (first login, or a rotated one on refresh).
    pub refresh_token: Option<RefreshToken>,
    /// The granted scopes, space-separated, when the server says.
    pub scope: Option<String>,
    /// An OpenID Connect ID token, when `openid` was requested.
    pub id_token: Option<IdToken>,
}

/// What the tokeninfo endpoint says about an access token.
#[derive(Debug, Clone, Default)]
pub struct TokenInfo {
    /// The client the token was issued to.
    pub aud: Option<String>,
    /// The authorized party.
    pub azp: Option<String>,
    /// The user's stable id.
    pub sub: Option<String>,
    /// Granted scopes, space-separated.
    pub scope: Option<String>,
    /// Seconds left before the token expires.
    pub expires_in: Option<u64>,
    /// The user's email, when the `email` scope was granted.
    pub email: Option<String>,
    /// The whole JSON answer, for fields not listed here (never contains the token itself).
    pub raw: Value,
}

/// A device authorization response (RFC 8628 section 3.2).
#[derive(Debug, Clone)]
pub struct DeviceAuthorization {
    /// The code the app polls with (secret).
    pub device_code: DeviceCode,
    /// The short code the user types at `verification_url`.
    pub user_code: String,
    /// Where the user goes (`verification_url` at Google, `verification_uri` in the RFC).
    pub verification_url: String,
    /// A URL with the user code included, when the server offers one.
    pub verification_url_complete: Option<String>,
    /// Lifetime of the device code.
    pub expires_in: Duration,
    /// Polling interval the server asked for; `None` means the RFC default of 5 s.
    pub interval: Option<Duration>,
}

/// A client for an OAuth token endpoint and its siblings.
#[derive(Clone)]
pub struct TokenClient {
    /// The caller's client, or `None` for the process-wide default, built on the first token
    /// request: loading the system's CA certificates takes milliseconds, and a process whose
    /// stored token is still valid never needs them.
    http: Option<gapi_retry::HttpClient>,
    endpoints: Endpoints,
    client_id: String,
    client_secret: Option<ClientSecret>,
    retry: RetryPolicy,
}

impl std::fmt::Debug for TokenClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenClient")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("token_endpoint", &self.endpoints.token.as_str())
            .finish()
    }
}

fn str_field(v: &Value, name: &str) -> Option<String> {
    match v.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn u64_field(v: &Value, name: &str) -> Option<u64> {
    match v.get(name)? {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().map(|f| f.max(0.0) as u64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Shortens untrusted server text before it goes into an error message.
fn clip(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_control()).take(300).collect();
    s
}

impl TokenClient {
    /// A client for `client_id` at `endpoints`, with the default HTTP client.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: Option<ClientSecret>,
        endpoints: Endpoints,
    ) -> Result<Self> {
        Ok(TokenClient {
            http: None,
            endpoints,
            client_id: client_id.into(),
            client_secret,
            retry: RetryPolicy::token_requests(),
        })
    }

    /// Uses this HTTP client (build it with `redirect(Policy::none())`: token requests must not
    /// follow redirects; a followed redirect cannot be detected here).
    pub fn with_http_client(mut self, http: gapi_retry::HttpClient) -> Self {
        self.http = Some(http);
        self
    }

    /// Sets how 5xx / 429 / transport failures are retried.
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Replaces the endpoints.
    pub fn with_endpoints(mut self, endpoints: Endpoints) -> Self {
        self.endpoints = endpoints;
        self
    }

    /// The endpoints in use.
    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// The OAuth client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The client secret, if any.
    pub fn client_secret(&self) -> Option<&ClientSecret> {
        self.client_secret.as_ref()
    }

    /// The HTTP client given with [`TokenClient::with_http_client`] (`None`: a shared
    /// default one is used).
    pub fn http_client(&self) -> Option<&gapi_retry::HttpClient> {
        self.http.as_ref()
    }

    fn client_auth<'a>(&'a self, form: &mut Vec<(&'a str, &'a str)>) {
        form.push(("client_id", &self.client_id));
        if let Some(secret) = &self.client_secret {
            form.push(("client_secret", secret.secret()));
        }
    }

    /// Posts a form to one of the endpoints with this client's HTTP client and retry policy
    /// (boxed: every grant awaits it, and an awaited `async fn` is compiled anew in each
    /// codegen unit that awaits it).
    fn post<'a>(
        &'a self,
        url: &'a Url,
        form: &'a [(&'a str, &'a str)],
        what: &'a str,
    ) -> BoxFuture<'a, Result<RawResponse>> {
        Box::pin(async move {
            let http = match &self.http {
                Some(http) => super::transport::token_http(http)?,
                None => shared_client_for(url)?,
            };
            post_form(&http, url, form, self.retry, what).await
        })
    }

    /// A token-endpoint grant: adds client authentication, posts, parses the token response.
    async fn token_grant<'a>(
        &'a self,
        mut form: Vec<(&'a str, &'a str)>,
        doing: &str,
    ) -> Result<TokenResponse> {
        self.client_auth(&mut form);
        let raw = self.post(&self.endpoints.token, &form, "token").await?;
        parse_token_response(raw, &self.endpoints.token, doing)
    }

    /// Exchanges an authorization code (with its PKCE verifier) for tokens.
    pub async fn exchange_code(
        &self,
        code: &AuthorizationCode,
        verifier: &PkceVerifier,
        redirect_uri: &str,
    ) -> Result<TokenResponse> {
        let form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.secret()),
            ("code_verifier", verifier.secret()),
            ("redirect_uri", redirect_uri),
        ];
        self.token_grant(form, "exchanging the authorization code")
            .await
    }

    /// Uses a refresh token to get a new access token (and maybe a rotated refresh token).
    pub async fn refresh(&self, refresh_token: &RefreshToken) -> Result<TokenResponse> {
        let form = vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.secret()),
        ];
        self.token_grant(form, "refreshing the access token").await
    }

    /// Revokes a refresh token (and the grant behind it).
    pub async fn revoke_refresh_token(&self, token: &RefreshToken) -> Result<()> {
        self.revoke_raw(token.secret(), "refresh_token").await
    }

    /// Revokes an access token.
    pub async fn revoke_access_token(&self, token: &AccessToken) -> Result<()> {
        self.revoke_raw(token.secret(), "access_token").await
    }

    async fn revoke_raw(&self, token: &str, hint: &str) -> Result<()> {
        let mut form = vec![("token", token), ("token_type_hint", hint)];
        self.client_auth(&mut form);
        let raw = self.post(&self.endpoints.revoke, &form, "revoke").await?;
        if (200..300).contains(&raw.status) {
            return Ok(());
        }
        Err(oauth_error(
            &raw,
            &self.endpoints.revoke,
            "revoking the token",
        ))
    }

    /// Asks the tokeninfo endpoint about an access token (sent in the POST body, never the URL).
    pub async fn tokeninfo(&self, access_token: &AccessToken) -> Result<TokenInfo> {
        let form = [("access_token", access_token.secret())];
        let raw = self
            .post(&self.endpoints.tokeninfo, &form, "tokeninfo")
            .await?;
        if !(200..300).contains(&raw.status) {
            return Err(oauth_error(
                &raw,
                &self.endpoints.tokeninfo,
                "inspecting the access token",
            ));
        }
        let v: Value = serde_json::from_slice(&raw.body).map_err(|e| {
            invalid_response(
                &self.endpoints.tokeninfo,
                raw.status,
                &format!("not JSON ({e})"),
            )
        })?;
        Ok(TokenInfo {
            aud: str_field(&v, "aud"),
            azp: str_field(&v, "azp"),
            sub: str_field(&v, "sub"),
            scope: str_field(&v, "scope"),
            expires_in: u64_field(&v, "expires_in"),
            email: str_field(&v, "email"),
            raw: v,
        })
    }

    /// Starts a device flow: asks for a device code and a user code for `scopes`.
    pub async fn device_authorization(&self, scopes: &[String]) -> Result<DeviceAuthorization> {
        let scope = scopes.join(" ");
        let mut form = vec![("scope", scope.as_str())];
        self.client_auth(&mut form);
        let raw = self.post(&self.endpoints.device, &form, "device").await?;
        let url = &self.endpoints.device;
        if !(200..300).contains(&raw.status) {
            return Err(oauth_error(&raw, url, "starting the device flow"));
        }
        let v: Value = serde_json::from_slice(&raw.body)
            .map_err(|e| invalid_response(url, raw.status, &format!("not JSON ({e})")))?;
        let device_code = str_field(&v, "device_code")
            .ok_or_else(|| invalid_response(url, raw.status, "no device_code"))?;
        let user_code = str_field(&v, "user_code")
            .ok_or_else(|| invalid_response(url, raw.status, "no user_code"))?;
        let verification_url = str_field(&v, "verification_url")
            .or_else(|| str_field(&v, "verification_uri"))
            .ok_or_else(|| invalid_response(url, raw.status, "no verification_uri"))?;
        Ok(DeviceAuthorization {
            device_code: DeviceCode::new(device_code),
            user_code,
            verification_url,
            verification_url_complete: str_field(&v, "verification_url_complete")
                .or_else(|| str_field(&v, "verification_uri_complete")),
            expires_in: Duration::from_secs(u64_field(&v, "expires_in").unwrap_or(1800)),
            interval: u64_field(&v, "interval").map(Duration::from_secs),
        })
    }

    /// Polls once for the device flow's tokens. `authorization_pending` and `slow_down` come
    /// back as errors with that [`Error::oauth_error_code`].
    pub async fn poll_device_token(&self, device_code: &DeviceCode) -> Result<TokenResponse> {
        let form = vec![
            ("grant_type", DEVICE_GRANT_TYPE),
            ("device_code", device_code.secret()),
        ];
        self.token_grant(form, "polling for the device flow's tokens")
            .await
    }
}

fn invalid_response(url: &Url, status: u16, what: &str) -> Error {
    Error::new(
        ErrorKind::InvalidResponse,
        format!("unexpected answer from {url} (HTTP {status}): {what}"),
    )
    .with_status(status)
    .with_hint("check that the endpoint is an OAuth 2.0 server (see the client secrets file)")
}

pub(crate) fn parse_token_response(
    raw: RawResponse,
    url: &Url,
    doing: &str,
) -> Result<TokenResponse> {
    if !(200..300).contains(&raw.status) {
        return Err(oauth_error(&raw, url, doing));
    }
    let v: Value = serde_json::from_slice(&raw.body)
        .map_err(|e| invalid_response(url, raw.status, &format!("not JSON ({e})")))?;
    if v.get("error").is_some() {
        return Err(oauth_error(&raw, url, doing));
    }
    let access_token = str_field(&v, "access_token")
        .ok_or_else(|| invalid_response(url, raw.status, "no access_token in the response"))?;
    Ok(TokenResponse {
        access_token: AccessToken::new(access_token),
        token_type: str_field(&v, "token_type"),
        expires_in: u64_field(&v, "expires_in"),
        refresh_token: str_field(&v, "refresh_token").map(RefreshToken::new),
        scope: str_field(&v, "scope"),
        id_token: str_field(&v, "id_token").map(IdToken::new),
    })
}

/// Turns a non-success OAuth response into an [`Error`] with the right kind and hint.
pub(crate) fn oauth_error(raw: &RawResponse, url: &Url, doing: &str) -> Error {
    let status = raw.status;
    let parsed: Option<Value> = serde_json::from_slice(&raw.body).ok();
    let (code, description) = match &parsed {
        Some(v) => match v.get("error") {
            Some(Value::String(code)) => (
                Some(code.clone()),
                str_field(v, "error_description").unwrap_or_default(),
            ),
            // Google API style: {"error": {"code":..,"message":..,"status":..}}
            Some(obj @ Value::Object(_)) => (
                str_field(obj, "status").map(|s| s.to_ascii_lowercase()),
                str_field(obj, "message").unwrap_or_default(),
            ),
            _ => (None, String::new()),
        },
        None => (None, String::new()),
    };
    let retryable = status >= 500 || status == 429;
    let Some(code) = code else {
        // A JSON answer without an error code may still carry tokens: name its fields only.
        let snippet = match &parsed {
            Some(Value::Object(fields)) => {
                let names: Vec<&str> = fields.keys().map(String::as_str).take(20).collect();
                clip(&format!("(a JSON object with {})", names.join(", ")))
            }
            Some(_) => "(JSON without an error code)".to_string(),
            None => clip(&String::from_utf8_lossy(&raw.body)),
        };
        return Error::new(
            ErrorKind::InvalidResponse,
            format!("{doing} failed: {url} answered HTTP {status} {snippet}")
                .trim_end()
                .to_string(),
        )
        .with_status(status)
        .retryable(retryable)
        .with_hint(if retryable {
            "the server had a problem; try again in a moment"
        } else {
            "check the endpoint URLs and client id in the client secrets file"
        });
    };
    let description = clip(&description);
    let detail = if description.is_empty() {
        String::new()
    } else {
        format!(" ({description})")
    };
    let (kind, hint) = match code.as_str() {
        "invalid_grant" => (
            ErrorKind::OAuth,
            "the authorization expired or was revoked (or the code was already used)",
        ),
        "access_denied" | "admin_policy_enforced" => (
            ErrorKind::AccessDenied,
            "consent was refused; log in again and allow the requested access, or ask your \
             administrator to allow this app",
        ),
        "invalid_client" | "unauthorized_client" => (
            ErrorKind::OAuth,
            "the client id or secret is wrong, or the client was deleted; download the client \
             secrets file again from the Cloud Console",
        ),
        "invalid_scope" => (
            ErrorKind::OAuth,
            "one of the requested scopes is unknown or not allowed for this client; check the \
             requested scopes",
        ),
        "redirect_uri_mismatch" => (
            ErrorKind::OAuth,
            "the redirect URI is not registered for this client; use a Desktop app client \
             (loopback redirects allowed) or register the URI",
        ),
        "expired_token" => (
            ErrorKind::DeviceCodeExpired,
            "the code expired before it was approved; start the login again",
        ),
        "temporarily_unavailable" | "server_error" => (
            ErrorKind::OAuth,
            "the server had a problem; try again in a moment",
        ),
        _ => (
            ErrorKind::OAuth,
            "see the server's description above; check the client secrets file and options",
        ),
    };
    Error::new(
        kind,
        format!("{doing} failed: the server at {url} answered `{code}`{detail}"),
    )
    .with_oauth_code(code.clone())
    .with_subtype_from(parsed.as_ref())
    .with_status(status)
    .retryable(retryable || code == "temporarily_unavailable")
    .with_hint(hint)
    .with_login_remedy_if(code == "invalid_grant")
}

impl Error {
    /// Adds the "log in again" remedy (for the default profile: a caller that knows the
    /// profile names it later).
    fn with_login_remedy_if(self, yes: bool) -> Self {
        if yes {
            self.with_remedy(crate::error::Remedy::LogInAgain {
                profile: None,
                client_secrets_needed: false,
                prompt_consent: false,
            })
        } else {
            self
        }
    }

    /// Keeps Google's `error_subtype` (e.g. `invalid_rapt`) of an OAuth error body.
    fn with_subtype_from(self, body: Option<&Value>) -> Self {
        match body.and_then(|v| str_field(v, "error_subtype")) {
            Some(subtype) => self.with_oauth_subtype(clip(&subtype)),
            None => self,
        }
    }
}

type SharedClient = std::sync::OnceLock<std::result::Result<reqwest::Client, String>>;

fn shared(
    cell: &'static SharedClient,
    make: fn() -> Result<reqwest::Client>,
) -> Result<reqwest::Client> {
    match cell.get_or_init(|| make().map_err(|e| e.to_string())) {
        Ok(http) => Ok(http.clone()),
        Err(message) => Err(Error::new(ErrorKind::Config, message.clone())),
    }
}

/// One default HTTP client per process, made on first use.
pub(crate) fn shared_default_client() -> Result<reqwest::Client> {
    static CLIENT: SharedClient = std::sync::OnceLock::new();
    shared(&CLIENT, default_reqwest_client)
}

/// The shared client for a request to `url`: for a plain `http://` URL (an emulator, a local
/// server), one made without loading the system certificate store, which such a request never
/// uses; otherwise [`shared_default_client`].
pub(crate) fn shared_client_for(url: &Url) -> Result<reqwest::Client> {
    static PLAIN: SharedClient = std::sync::OnceLock::new();
    if url.scheme() == "http" {
        shared(&PLAIN, super::transport::plain_http_client)
    } else {
        shared_default_client()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            body: body.as_bytes().to_vec(),
        }
    }

    fn url() -> Url {
        Url::parse("http://127.0.0.1/token").unwrap()
    }

    #[test]
    fn parses_success() {
        let r = parse_token_response(
            raw(
                200,
                r#"{"access_token":"at","expires_in":"3599","refresh_token":"rt","scope":"a b","token_type":"Bearer"}"#,
            ),
            &url(),
            "x",
        )
        .unwrap();
        assert_eq!(r.access_token.secret(), "at");
        assert_eq!(r.expires_in, Some(3599));
        assert_eq!(r.refresh_token.unwrap().secret(), "rt");
    }

    #[test]
    fn invalid_grant_needs_login_and_is_not_retryable() {
        let e = parse_token_response(
            raw(400, r#"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#),
            &url(),
            "refreshing the access token",
        )
        .unwrap_err();
        assert!(e.needs_login());
        assert!(!e.is_retryable());
        assert_eq!(e.oauth_error_code(), Some("invalid_grant"));
        assert!(e.to_string().contains("expired or revoked"));
        assert!(e.hint().is_some_and(|h| !h.is_empty()), "{e:?}");
    }

    #[test]
    fn json_answers_without_an_error_code_never_echo_their_values() {
        // Found by the token_response fuzz target: the body was quoted whole in the error.
        let e = oauth_error(
            &raw(
                400,
                r#"{"access_token":"ya29.leaked-token","refresh_token":"1//leaked"}"#,
            ),
            &url(),
            "refreshing",
        );
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("leaked"), "{shown}");
        assert!(shown.contains("access_token"), "{shown}");
    }

    #[test]
    fn non_json_errors_are_reported() {
        let e = parse_token_response(raw(503, "<html>down</html>"), &url(), "x").unwrap_err();
        assert!(e.is_retryable());
        assert_eq!(e.status(), Some(503));
        let e =
            parse_token_response(raw(200, r#"{"token_type":"Bearer"}"#), &url(), "x").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidResponse);
    }

    #[test]
    fn access_denied_predicate() {
        let e = parse_token_response(raw(403, r#"{"error":"access_denied"}"#), &url(), "x")
            .unwrap_err();
        assert!(e.is_access_denied());
    }
}
