//! Service-account keys (`"type": "service_account"`): the JWT-bearer grant (RFC 7523) to the
//! key's `token_uri`, domain-wide delegation (the JWT's `sub`), self-signed JWTs used directly
//! as bearer tokens where Google accepts them, and ID tokens (`target_audience`).
//!
//! Claims follow Python google-auth's `service_account.Credentials`: `iat`, `exp` (`iat` +
//! 3600), `iss`, `aud`, `scope`, then `sub`; the header carries `kid` = `private_key_id`.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use url::Url;

use crate::credentials::Credentials;
use crate::credentials::provider::{
    BoxFuture, CLOUD_PLATFORM_SCOPE, CredentialKind, DEFAULT_UNIVERSE_DOMAIN, Provider, Token,
};
use crate::error::{Error, ErrorKind, Result};
use crate::protocol::endpoints::GOOGLE_TOKEN_URI;
use crate::protocol::jwt::{Claims, RsaSigner, now_secs};
use crate::protocol::token::{parse_token_response, shared_client_for};
use crate::protocol::transport::{RetryPolicy, post_form};
use crate::secret::{AccessToken, Assertion, IdToken, PrivateKeyPem};

pub use super::SERVICE_ACCOUNT_TYPE;

/// The JWT-bearer grant type (RFC 7523 section 2.1).
pub(crate) const JWT_BEARER_GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// Lifetime of an assertion or a self-signed JWT (the most Google accepts).
pub(crate) const JWT_LIFETIME_SECS: i64 = 3600;

/// A service-account JSON key as the Cloud Console downloads it.
#[derive(Clone, Serialize, Deserialize)]
pub struct ServiceAccountKey {
    /// Always `service_account`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The project the account belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    /// The key's id (the JWT header's `kid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key_id: Option<String>,
    /// The PEM private key (secret).
    #[serde(with = "pem_field")]
    pub private_key: PrivateKeyPem,
    /// The service account's email (the JWT's `iss`).
    pub client_email: String,
    /// The account's numeric id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Where the JWT-bearer grant is sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_uri: Option<String>,
    /// The universe (`googleapis.com` unless set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub universe_domain: Option<String>,
    /// The project billed for quota, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota_project_id: Option<String>,
    /// Fields this crate does not use (kept when the key is stored again).
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

mod pem_field {
    use crate::secret::PrivateKeyPem;
    pub(super) fn serialize<S: serde::Serializer>(
        k: &PrivateKeyPem,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(k.secret())
    }
    pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<PrivateKeyPem, D::Error> {
        let s: String = serde::Deserialize::deserialize(d)?;
        Ok(PrivateKeyPem::new(s))
    }
}

impl std::fmt::Debug for ServiceAccountKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceAccountKey")
            .field("client_email", &self.client_email)
            .field("private_key_id", &self.private_key_id)
            .field("private_key", &self.private_key)
            .field("token_uri", &self.token_uri)
            .finish_non_exhaustive()
    }
}

impl ServiceAccountKey {
    /// Parses a key from its JSON text (errors never quote the key).
    pub fn from_json(text: &str) -> Result<Self> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!(
                    "the service-account key is not valid JSON (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            )
        })?;
        Self::from_value(v)
    }

    /// Parses a key from parsed JSON.
    pub fn from_value(v: serde_json::Value) -> Result<Self> {
        match v.get("type").and_then(|t| t.as_str()) {
            Some(SERVICE_ACCOUNT_TYPE) => {}
            other => {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!(
                        "expected a service-account key (\"type\": \"service_account\"), found type {}",
                        other
                            .map(|t| format!("\"{t}\""))
                            .unwrap_or_else(|| "none".into())
                    ),
                ));
            }
        }
        for field in ["client_email", "private_key"] {
            if v.get(field)
                .and_then(|f| f.as_str())
                .is_none_or(str::is_empty)
            {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("the service-account key has no \"{field}\""),
                )
                .with_hint(
                    "download a new JSON key for the service account from the Cloud Console",
                ));
            }
        }
        serde_json::from_value(v).map_err(|e| {
            // serde's message names the field, never a value.
            Error::new(
                ErrorKind::Config,
                format!("the service-account key is malformed: {e}"),
            )
        })
    }

    /// Reads a key file, warning (through `tracing`) when others may read it.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = crate::fsread::read_small_file(
            path,
            format!("cannot read the service-account key {}", path.display()),
        )?;
        for warning in crate::warnings::file_warnings(path) {
            tracing::warn!("{warning}");
        }
        Self::from_json(&text).map_err(|e| {
            Error::new(e.kind(), format!("{}: {}", path.display(), e.message()))
                .with_hint(e.hint().unwrap_or_else(|| "check the key file".to_string()))
        })
    }

    /// The key as JSON (contains the private key: write it only to private files).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The signer for this key (`kid` = `private_key_id`).
    pub fn signer(&self) -> Result<RsaSigner> {
        RsaSigner::from_pem(&self.private_key, self.private_key_id.clone())
    }
}

/// How a service account's bearer tokens are made.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    /// JWT-bearer grant at the token endpoint.
    Grant,
    /// A self-signed JWT used directly: `scope` claim (when scopes are set) or this `aud`.
    SelfSigned { audience: Option<String> },
}

/// Builds [`ServiceAccount`] credentials from a key.
#[derive(Debug)]
#[must_use = "builder methods return the changed value; use it"]
pub struct ServiceAccountBuilder {
    key: ServiceAccountKey,
    scopes: Vec<String>,
    subject: Option<String>,
    mode: Mode,
    token_uri: Option<String>,
    http: Option<gapi_retry::HttpClient>,
    retry: RetryPolicy,
}

impl ServiceAccountBuilder {
    /// Starts from a parsed key.
    pub fn new(key: ServiceAccountKey) -> Self {
        ServiceAccountBuilder {
            key,
            scopes: Vec::new(),
            subject: None,
            mode: Mode::Grant,
            token_uri: None,
            http: None,
            retry: RetryPolicy::token_requests(),
        }
    }

    /// The scopes to ask for (full URLs or short names like `drive.readonly`); `cloud-platform` when none are given.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = crate::protocol::scopes::expand_scopes(scopes);
        self
    }

    /// Domain-wide delegation: act as this Workspace user (the JWT's `sub`).
    pub fn subject(mut self, email: impl Into<String>) -> Self {
        self.subject = Some(email.into()).filter(|s: &String| !s.is_empty());
        self
    }

    /// Use self-signed JWTs as bearer tokens instead of asking the token endpoint: with a
    /// `scope` claim when scopes are set, else with `aud` = `audience`
    /// (`https://SERVICE.googleapis.com/`). Not possible with a subject.
    pub fn self_signed_jwt(mut self, audience: Option<String>) -> Self {
        self.mode = Mode::SelfSigned { audience };
        self
    }

    /// Sends the grant here instead of the key's `token_uri`.
    pub fn token_uri(mut self, uri: impl Into<String>) -> Self {
        self.token_uri = Some(uri.into());
        self
    }

    /// Uses this HTTP client (it must not follow redirects).
    pub fn http_client(mut self, http: gapi_retry::HttpClient) -> Self {
        self.http = Some(http);
        self
    }

    /// Sets how 5xx / 429 / transport failures are retried.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Checks the key and builds the credentials.
    pub fn build(self) -> Result<Credentials> {
        self.build_provider().map(Credentials::from_provider)
    }

    /// The [`ServiceAccount`] provider itself, for signing assertions without a token
    /// request; most callers want [`ServiceAccountBuilder::build`].
    pub fn build_provider(self) -> Result<ServiceAccount> {
        let signer = self.key.signer()?;
        let token_uri_text = self
            .token_uri
            .or_else(|| self.key.token_uri.clone())
            .unwrap_or_else(|| GOOGLE_TOKEN_URI.to_string());
        let token_uri = Url::parse(&token_uri_text).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!(
                    "the service-account key's token_uri `{token_uri_text}` is not a URL ({e})"
                ),
            )
        })?;
        let universe = self
            .key
            .universe_domain
            .clone()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| DEFAULT_UNIVERSE_DOMAIN.to_string());
        let mut mode = self.mode;
        // As google-auth: outside googleapis.com only self-signed JWTs work.
        if universe != DEFAULT_UNIVERSE_DOMAIN && mode == Mode::Grant {
            mode = Mode::SelfSigned { audience: None };
        }
        if mode == Mode::Grant {
            // The signed grant goes there: refuse an unencrypted or odd scheme now, when the
            // key is read or stored, not at its first use.
            crate::protocol::ensure_secure_endpoint(&token_uri).map_err(|e| {
                Error::new(
                    ErrorKind::InsecureTransport,
                    format!("the service-account key's token_uri is refused: {e}"),
                )
                .with_hint(
                    "use a key whose token_uri is https (Google's is https://oauth2.googleapis.com/token);                      for local testing only, set GAPI_INSECURE_TRANSPORT=1",
                )
            })?;
        }
        if self.subject.is_some() && mode != Mode::Grant {
            return Err(Error::new(
                ErrorKind::Config,
                "domain-wide delegation (a subject) needs the token endpoint; it cannot be used \
                 with self-signed JWTs or outside the googleapis.com universe",
            ));
        }
        let scopes_given = !self.scopes.is_empty();
        let scopes = if self.scopes.is_empty() && mode == Mode::Grant {
            vec![CLOUD_PLATFORM_SCOPE.to_string()]
        } else {
            self.scopes
        };
        if let Mode::SelfSigned { audience: None } = &mode
            && scopes.is_empty()
        {
            return Err(Error::new(
                ErrorKind::Config,
                "a self-signed JWT needs scopes or an audience",
            ));
        }
        Ok(ServiceAccount {
            inner: Arc::new(Inner {
                signer,
                email: self.key.client_email.clone(),
                token_uri,
                scopes,
                scopes_given,
                subject: self.subject,
                mode,
                http: self.http,
                retry: self.retry,
                universe,
                key: self.key,
            }),
        })
    }
}

/// Service-account credentials: a [`Provider`] minting tokens with the account's key.
#[derive(Clone, Debug)]
pub struct ServiceAccount {
    inner: Arc<Inner>,
}

struct Inner {
    signer: RsaSigner,
    email: String,
    token_uri: Url,
    scopes: Vec<String>,
    /// False when `scopes` is the cloud-platform default.
    scopes_given: bool,
    subject: Option<String>,
    mode: Mode,
    http: Option<gapi_retry::HttpClient>,
    retry: RetryPolicy,
    universe: String,
    key: ServiceAccountKey,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceAccount")
            .field("email", &self.email)
            .field("token_uri", &self.token_uri.as_str())
            .field("subject", &self.subject)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

impl ServiceAccount {
    /// A builder from a parsed key.
    pub fn builder(key: ServiceAccountKey) -> ServiceAccountBuilder {
        ServiceAccountBuilder::new(key)
    }

    /// The service account's email.
    pub fn email(&self) -> &str {
        &self.inner.email
    }

    /// The user acted for by domain-wide delegation, if any.
    pub fn subject(&self) -> Option<&str> {
        self.inner.subject.as_deref()
    }

    /// The key these credentials sign with.
    pub fn key(&self) -> &ServiceAccountKey {
        &self.inner.key
    }

    /// The signer (for IAM-free signing of blobs or custom JWTs).
    pub fn signer(&self) -> &RsaSigner {
        &self.inner.signer
    }

    /// The grant's claims issued at `iat`, in google-auth's order.
    pub fn grant_claims(&self, iat: i64) -> Claims {
        let mut c = Claims::new()
            .set("iat", iat)
            .set("exp", iat + JWT_LIFETIME_SECS)
            .set("iss", self.inner.email.as_str())
            .set("aud", self.inner.token_uri.as_str())
            .set("scope", self.inner.scopes.join(" "));
        if let Some(sub) = &self.inner.subject {
            c.insert("sub", sub.as_str());
        }
        c
    }

    /// The JWT-bearer assertion sent to the token endpoint (secret).
    pub fn assertion(&self, iat: i64) -> Result<Assertion> {
        self.inner.signer.encode(&self.grant_claims(iat))
    }

    /// A self-signed JWT for direct use as a bearer token: `iss` = `sub` = the account, with a
    /// `scope` claim when scopes were given, else `aud` = `audience` (google-auth's rule).
    pub fn self_signed_jwt(&self, audience: Option<&str>, iat: i64) -> Result<Assertion> {
        let mut c = Claims::new()
            .set("iss", self.inner.email.as_str())
            .set("sub", self.inner.email.as_str())
            .set("iat", iat)
            .set("exp", iat + JWT_LIFETIME_SECS);
        if !self.inner.scopes_given || self.inner.scopes.is_empty() {
            match audience {
                Some(aud) => c.insert("aud", aud),
                None => {
                    return Err(Error::new(
                        ErrorKind::Config,
                        "a self-signed JWT needs scopes or an audience",
                    ));
                }
            }
        } else {
            c.insert("scope", self.inner.scopes.join(" "));
        }
        self.inner.signer.encode(&c)
    }

    fn http(&self, url: &Url) -> Result<reqwest::Client> {
        match &self.inner.http {
            Some(h) => crate::protocol::transport::token_http(h),
            None => shared_client_for(url),
        }
    }

    async fn grant(
        &self,
        assertion: &Assertion,
        doing: &str,
    ) -> Result<crate::protocol::TokenResponse> {
        let form = [
            ("grant_type", JWT_BEARER_GRANT_TYPE),
            ("assertion", assertion.secret()),
        ];
        let raw = post_form(
            &self.http(&self.inner.token_uri)?,
            &self.inner.token_uri,
            &form,
            self.inner.retry,
            "token",
        )
        .await?;
        parse_token_response(raw, &self.inner.token_uri, doing).map_err(|e| {
            if e.oauth_error_code() == Some("unauthorized_client") && self.inner.subject.is_some() {
                e.with_hint(format!(
                    "the service account {} is not allowed to act for {}: a Workspace admin \
                         must grant domain-wide delegation for these scopes to its client id",
                    self.inner.email,
                    self.inner.subject.as_deref().unwrap_or_default()
                ))
            } else if e.needs_login() {
                e.with_hint(
                    "the key was refused (deleted or disabled key, or a wrong clock); create a \
                     new key or check the system time",
                )
            } else {
                e
            }
        })
    }

    async fn fetch(&self) -> Result<Token> {
        let now = now_secs();
        match &self.inner.mode {
            Mode::SelfSigned { audience } => {
                let jwt = self.self_signed_jwt(audience.as_deref(), now)?;
                Ok(Token {
                    access_token: AccessToken::new(jwt.into_secret()),
                    expires_at: Some(
                        SystemTime::UNIX_EPOCH
                            + Duration::from_secs((now + JWT_LIFETIME_SECS) as u64),
                    ),
                    scopes: Some(self.inner.scopes.clone()),
                })
            }
            Mode::Grant => {
                let assertion = self.assertion(now)?;
                tracing::debug!(account = %self.inner.email, subject = ?self.inner.subject, "JWT-bearer grant");
                let resp = self
                    .grant(&assertion, "getting a service-account token")
                    .await?;
                let mut token = Token::expiring_in(resp.access_token, resp.expires_in);
                token.scopes = Some(
                    resp.scope
                        .map(|s| crate::protocol::scopes::parse_scope_list(&s))
                        .unwrap_or_else(|| self.inner.scopes.clone()),
                );
                Ok(token)
            }
        }
    }

    async fn fetch_id_token(&self, audience: &str) -> Result<IdToken> {
        let iat = now_secs();
        let claims = Claims::new()
            .set("iat", iat)
            .set("exp", iat + JWT_LIFETIME_SECS)
            .set("iss", self.inner.email.as_str())
            .set("aud", self.inner.token_uri.as_str())
            .set("target_audience", audience);
        let assertion = self.inner.signer.encode(&claims)?;
        let form = [
            ("grant_type", JWT_BEARER_GRANT_TYPE),
            ("assertion", assertion.secret()),
        ];
        let raw = post_form(
            &self.http(&self.inner.token_uri)?,
            &self.inner.token_uri,
            &form,
            self.inner.retry,
            "token",
        )
        .await?;
        let url = &self.inner.token_uri;
        if !(200..300).contains(&raw.status) {
            return Err(crate::protocol::token::oauth_error(
                &raw,
                url,
                "getting an ID token",
            ));
        }
        let v: serde_json::Value = serde_json::from_slice(&raw.body).map_err(|_| {
            Error::new(
                ErrorKind::InvalidResponse,
                format!("{url} answered with something that is not JSON"),
            )
        })?;
        v.get("id_token")
            .and_then(|t| t.as_str())
            .map(IdToken::new)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidResponse,
                    format!("{url} answered without an id_token"),
                )
            })
    }
}

impl Provider for ServiceAccount {
    fn kind(&self) -> CredentialKind {
        CredentialKind::ServiceAccount
    }

    fn fetch_token(&self) -> BoxFuture<'_, Result<Token>> {
        Box::pin(self.fetch())
    }

    fn id_token<'a>(&'a self, audience: &'a str) -> BoxFuture<'a, Result<IdToken>> {
        Box::pin(self.fetch_id_token(audience))
    }

    fn account(&self) -> Option<String> {
        Some(
            self.inner
                .subject
                .clone()
                .unwrap_or_else(|| self.inner.email.clone()),
        )
    }

    fn quota_project_id(&self) -> Option<String> {
        self.inner
            .key
            .quota_project_id
            .clone()
            .filter(|q| !q.is_empty())
    }

    fn universe_domain(&self) -> String {
        self.inner.universe.clone()
    }

    fn tokeninfo_endpoint(&self) -> Option<Url> {
        // Tokens granted by the key's token endpoint; self-signed JWTs have none.
        (self.inner.mode == Mode::Grant)
            .then(|| crate::protocol::endpoints::tokeninfo_beside(&self.inner.token_uri))
    }

    fn project_id(&self) -> Option<String> {
        self.inner.key.project_id.clone()
    }
}
