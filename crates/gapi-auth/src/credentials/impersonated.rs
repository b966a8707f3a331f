//! Service-account impersonation through the IAM Credentials API: a source credential (a user,
//! a key, the metadata server, a federated workload...) asks `generateAccessToken` for a token
//! of the target account, through an optional delegation chain (gcloud's
//! `--impersonate-service-account SA1,SA2,TARGET`: every member needs the Token Creator role on
//! the next). With a subject, it asks IAM `signJwt` to sign a domain-wide-delegation assertion
//! as the target and trades it at the token endpoint (the JWT-bearer grant). ID tokens come from
//! `generateIdToken`.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};
use url::Url;

use crate::credentials::Credentials;
use crate::credentials::provider::{
    BoxFuture, CLOUD_PLATFORM_SCOPE, CredentialKind, DEFAULT_UNIVERSE_DOMAIN, Provider, Token,
};
use crate::credentials::service_account::{JWT_BEARER_GRANT_TYPE, JWT_LIFETIME_SECS};
use crate::error::{Error, ErrorKind, Result};
use crate::protocol::endpoints::GOOGLE_TOKEN_URI;
use crate::protocol::google_api::post_json;
use crate::protocol::jwt::now_secs;
use crate::protocol::token::{parse_token_response, shared_client_for};
use crate::protocol::transport::{RetryPolicy, post_form};
use crate::secret::{AccessToken, IdToken};

/// The IAM Credentials API root in Google's public universe.
pub(crate) const IAM_CREDENTIALS_ROOT: &str = "https://iamcredentials.googleapis.com/v1/";

pub use super::IMPERSONATED_TYPE;

/// The longest lifetime `generateAccessToken` grants without an org policy exception.
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// Splits gcloud's comma-separated chain `SA1,SA2,TARGET` into (target, delegates).
pub fn parse_chain(chain: &str) -> Result<(String, Vec<String>)> {
    let members: Vec<String> = chain
        .split(',')
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect();
    let Some((target, delegates)) = members.split_last() else {
        return Err(Error::new(
            ErrorKind::Config,
            "the service account to impersonate is empty",
        )
        .with_hint(
            "give an email like name@project.iam.gserviceaccount.com (or a chain SA1,SA2,TARGET)",
        ));
    };
    for m in &members {
        if !m.contains('@') {
            return Err(Error::new(
                ErrorKind::Config,
                format!("`{m}` is not a service account email"),
            )
            .with_hint("give an email like name@project.iam.gserviceaccount.com"));
        }
    }
    Ok((target.clone(), delegates.to_vec()))
}

/// A delegate as the API names it: `projects/-/serviceAccounts/EMAIL`.
fn delegate_resource(d: &str) -> String {
    if d.starts_with("projects/") {
        d.to_string()
    } else {
        format!("projects/-/serviceAccounts/{d}")
    }
}

/// Builds [`Impersonated`] credentials.
#[must_use = "builder methods return the changed value; use it"]
pub struct ImpersonatedBuilder {
    source: Credentials,
    target: String,
    delegates: Vec<String>,
    scopes: Vec<String>,
    lifetime: Duration,
    subject: Option<String>,
    iam_root: Option<String>,
    access_token_url: Option<String>,
    token_uri: String,
    quota_project_id: Option<String>,
    universe: String,
    http: Option<gapi_retry::HttpClient>,
    retry: RetryPolicy,
}

impl ImpersonatedBuilder {
    /// `source` acts as `target` (through `delegates`, first to last). The source's tokens
    /// come from its own cache, shared with every other holder of `source`.
    pub fn new(source: Credentials, target: impl Into<String>, delegates: Vec<String>) -> Self {
        let universe = source.universe_domain();
        let quota = source.quota_project_id();
        ImpersonatedBuilder {
            source,
            target: target.into(),
            delegates,
            scopes: Vec::new(),
            lifetime: DEFAULT_LIFETIME,
            subject: None,
            iam_root: None,
            access_token_url: None,
            token_uri: GOOGLE_TOKEN_URI.to_string(),
            quota_project_id: None,
            universe: DEFAULT_UNIVERSE_DOMAIN.to_string(),
            http: None,
            retry: RetryPolicy::token_requests(),
        }
        .universe(universe)
        .quota_project_id_opt(quota)
    }

    /// Scopes of the impersonated token (full URLs or short names like `drive.readonly`); `cloud-platform` when none are given.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = crate::protocol::scopes::expand_scopes(scopes);
        self
    }

    /// How long the token lives (at most 1 h unless an org policy allows 12 h).
    pub fn lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// Impersonation plus domain-wide delegation: act as this Workspace user.
    pub fn subject(mut self, email: impl Into<String>) -> Self {
        self.subject = Some(email.into()).filter(|s: &String| !s.is_empty());
        self
    }

    /// The IAM Credentials API root (default `https://iamcredentials.googleapis.com/v1/`, in
    /// the source's universe); point it at an emulator.
    pub fn iam_endpoint(mut self, root: impl Into<String>) -> Self {
        let mut root = root.into();
        if !root.ends_with('/') {
            root.push('/');
        }
        self.iam_root = Some(root);
        self
    }

    /// The full `...:generateAccessToken` URL (an ADC file's `service_account_impersonation_url`).
    pub fn access_token_url(mut self, url: impl Into<String>) -> Self {
        self.access_token_url = Some(url.into());
        self
    }

    /// Where the delegated assertion is traded (with a subject); Google's token endpoint by default.
    pub fn token_uri(mut self, uri: impl Into<String>) -> Self {
        self.token_uri = uri.into();
        self
    }

    /// The project billed for quota.
    pub fn quota_project_id(self, project: impl Into<String>) -> Self {
        self.quota_project_id_opt(Some(project.into()))
    }

    fn quota_project_id_opt(mut self, project: Option<String>) -> Self {
        if project.is_some() {
            self.quota_project_id = project;
        }
        self
    }

    fn universe(mut self, universe: String) -> Self {
        self.universe = universe;
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

    /// Checks the settings and builds the credentials.
    pub fn build(self) -> Result<Credentials> {
        self.build_provider().map(Credentials::from_provider)
    }

    /// The [`Impersonated`] provider itself; most callers want [`ImpersonatedBuilder::build`].
    pub fn build_provider(self) -> Result<Impersonated> {
        if !self.target.contains('@') {
            return Err(Error::new(
                ErrorKind::Config,
                format!("`{}` is not a service account email", self.target),
            ));
        }
        if self.subject.is_some() && self.universe != DEFAULT_UNIVERSE_DOMAIN {
            return Err(Error::new(
                ErrorKind::Config,
                "domain-wide delegation is not supported outside the googleapis.com universe",
            ));
        }
        let root = self.iam_root.clone().unwrap_or_else(|| {
            IAM_CREDENTIALS_ROOT.replace(DEFAULT_UNIVERSE_DOMAIN, &self.universe)
        });
        let method_url = |method: &str| -> Result<Url> {
            let text = format!("{root}projects/-/serviceAccounts/{}:{method}", self.target);
            Url::parse(&text)
                .map_err(|e| Error::new(ErrorKind::Config, format!("`{text}` is not a URL ({e})")))
        };
        let access_url = match &self.access_token_url {
            Some(u) => Url::parse(u).map_err(|e| {
                Error::new(
                    ErrorKind::Config,
                    format!("the service_account_impersonation_url `{u}` is not a URL ({e})"),
                )
            })?,
            None => method_url("generateAccessToken")?,
        };
        let token_uri = Url::parse(&self.token_uri).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("`{}` is not a URL ({e})", self.token_uri),
            )
        })?;
        let scopes = if self.scopes.is_empty() {
            vec![CLOUD_PLATFORM_SCOPE.to_string()]
        } else {
            self.scopes
        };
        Ok(Impersonated {
            inner: Arc::new(Inner {
                access_url,
                id_token_url: method_url("generateIdToken")?,
                sign_jwt_url: method_url("signJwt")?,
                token_uri,
                source: self.source,
                target: self.target,
                delegates: self
                    .delegates
                    .iter()
                    .map(|d| delegate_resource(d))
                    .collect(),
                scopes,
                lifetime: self.lifetime,
                subject: self.subject,
                quota_project_id: self.quota_project_id,
                universe: self.universe,
                http: self.http,
                retry: self.retry,
            }),
        })
    }
}

/// Impersonated service-account credentials (a [`Provider`]).
#[derive(Clone)]
pub struct Impersonated {
    inner: Arc<Inner>,
}

struct Inner {
    source: Credentials,
    target: String,
    delegates: Vec<String>,
    scopes: Vec<String>,
    lifetime: Duration,
    subject: Option<String>,
    access_url: Url,
    id_token_url: Url,
    sign_jwt_url: Url,
    token_uri: Url,
    quota_project_id: Option<String>,
    universe: String,
    http: Option<gapi_retry::HttpClient>,
    retry: RetryPolicy,
}

impl std::fmt::Debug for Impersonated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Impersonated")
            .field("target", &self.inner.target)
            .field("delegates", &self.inner.delegates)
            .field("subject", &self.inner.subject)
            .field("source", &self.inner.source)
            .finish_non_exhaustive()
    }
}

/// The token of a `generateAccessToken` answer (`{accessToken, expireTime}`), granted
/// `scopes`; shared with `external_account`'s `service_account_impersonation_url`.
pub(crate) fn access_token_answer(v: &Value, scopes: &[String], doing: &str) -> Result<Token> {
    let token = v
        .get("accessToken")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidResponse,
                format!("{doing}: the answer has no accessToken"),
            )
        })?;
    Ok(Token {
        access_token: AccessToken::new(token),
        expires_at: parse_expire_time(v),
        scopes: Some(scopes.to_vec()),
    })
}

/// Parses `expireTime` (RFC 3339, maybe with fractional seconds).
fn parse_expire_time(v: &Value) -> Option<SystemTime> {
    v.get("expireTime")
        .and_then(Value::as_str)
        .and_then(crate::protocol::timefmt::parse_expiry)
}

impl Impersonated {
    /// A builder: `source` acts as `target` through `delegates`.
    pub fn builder(
        source: Credentials,
        target: impl Into<String>,
        delegates: Vec<String>,
    ) -> ImpersonatedBuilder {
        ImpersonatedBuilder::new(source, target, delegates)
    }

    /// The impersonated account.
    pub fn target(&self) -> &str {
        &self.inner.target
    }

    /// The delegation chain, as resource names.
    pub fn delegates(&self) -> &[String] {
        &self.inner.delegates
    }

    fn http(&self, url: &Url) -> Result<reqwest::Client> {
        match &self.inner.http {
            Some(h) => crate::protocol::transport::token_http(h),
            None => shared_client_for(url),
        }
    }

    async fn call(&self, url: &Url, body: &Value, doing: &str) -> Result<Value> {
        let http = self.http(url)?;
        let seen = self.inner.source.generation();
        let token = self.inner.source.access_token().await?;
        match post_json(&http, url, &token, body, self.inner.retry, doing).await {
            Err(e) if e.status() == Some(401) => {
                // The source token was refused: renew it once.
                let token = self.inner.source.force_refresh_from(seen).await?;
                post_json(&http, url, &token, body, self.inner.retry, doing).await
            }
            other => other,
        }
    }

    async fn fetch(&self) -> Result<Token> {
        if let Some(subject) = &self.inner.subject {
            return self.fetch_delegated(subject).await;
        }
        let body = json!({
            "delegates": self.inner.delegates,
            "scope": self.inner.scopes,
            "lifetime": format!("{}s", self.inner.lifetime.as_secs()),
        });
        let doing = format!("impersonating {}", self.inner.target);
        let v = self.call(&self.inner.access_url, &body, &doing).await?;
        access_token_answer(&v, &self.inner.scopes, &doing)
    }

    /// IAM signs the delegation assertion as the target; the token endpoint trades it.
    async fn fetch_delegated(&self, subject: &str) -> Result<Token> {
        let iat = now_secs();
        // The same claims google-auth's impersonated_credentials signs.
        let payload = json!({
            "iss": self.inner.target,
            "scope": self.inner.scopes.join(" "),
            "sub": subject,
            "aud": self.inner.token_uri.as_str(),
            "iat": iat,
            "exp": iat + JWT_LIFETIME_SECS,
        });
        let body = json!({
            "delegates": self.inner.delegates,
            "payload": payload.to_string(),
        });
        let doing = format!("signing a delegation assertion as {}", self.inner.target);
        let v = self.call(&self.inner.sign_jwt_url, &body, &doing).await?;
        let signed = v.get("signedJwt").and_then(Value::as_str).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidResponse,
                format!("{doing}: the answer has no signedJwt"),
            )
        })?;
        let form = [("grant_type", JWT_BEARER_GRANT_TYPE), ("assertion", signed)];
        let raw = post_form(
            &self.http(&self.inner.token_uri)?,
            &self.inner.token_uri,
            &form,
            self.inner.retry,
            "token",
        )
        .await?;
        let resp = parse_token_response(
            raw,
            &self.inner.token_uri,
            "trading the delegation assertion",
        )
        .map_err(|e| {
            if e.oauth_error_code() == Some("unauthorized_client") {
                e.with_hint(format!(
                    "{} may not act for {subject}: a Workspace admin must grant it domain-wide \
                         delegation for these scopes",
                    self.inner.target
                ))
            } else {
                e
            }
        })?;
        let mut token = Token::expiring_in(resp.access_token, resp.expires_in);
        token.scopes = Some(self.inner.scopes.clone());
        Ok(token)
    }

    async fn fetch_id_token(&self, audience: &str) -> Result<IdToken> {
        let body = json!({
            "audience": audience,
            "delegates": self.inner.delegates,
            "includeEmail": true,
        });
        let doing = format!("getting an ID token for {}", self.inner.target);
        let v = self.call(&self.inner.id_token_url, &body, &doing).await?;
        v.get("token")
            .and_then(Value::as_str)
            .map(IdToken::new)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidResponse,
                    format!("{doing}: the answer has no token"),
                )
            })
    }
}

impl Provider for Impersonated {
    fn kind(&self) -> CredentialKind {
        CredentialKind::ImpersonatedServiceAccount
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
                .unwrap_or_else(|| self.inner.target.clone()),
        )
    }

    fn quota_project_id(&self) -> Option<String> {
        self.inner.quota_project_id.clone()
    }

    fn universe_domain(&self) -> String {
        self.inner.universe.clone()
    }

    fn tokeninfo_endpoint(&self) -> Option<Url> {
        Some(crate::protocol::endpoints::tokeninfo_beside(
            &self.inner.access_url,
        ))
    }
}

/// The target of a `service_account_impersonation_url` (`.../serviceAccounts/EMAIL:generateAccessToken`).
pub(crate) fn target_from_url(url: &str) -> Option<String> {
    let start = url.rfind('/')?;
    let end = url.find(":generateAccessToken")?;
    (start < end).then(|| url[start + 1..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_parsing() {
        let (t, d) = parse_chain(
            "a@x.iam.gserviceaccount.com, b@x.iam.gserviceaccount.com,c@x.iam.gserviceaccount.com",
        )
        .unwrap();
        assert_eq!(t, "c@x.iam.gserviceaccount.com");
        assert_eq!(
            d,
            vec!["a@x.iam.gserviceaccount.com", "b@x.iam.gserviceaccount.com"]
        );
        assert!(parse_chain(" , ").is_err());
        assert!(parse_chain("not-an-email").is_err());
        assert_eq!(delegate_resource("a@b"), "projects/-/serviceAccounts/a@b");
    }

    #[test]
    fn target_from_impersonation_url() {
        assert_eq!(
            target_from_url("https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/sa@p.iam.gserviceaccount.com:generateAccessToken").as_deref(),
            Some("sa@p.iam.gserviceaccount.com")
        );
        assert_eq!(target_from_url("https://x/y"), None);
    }

    #[test]
    fn expire_time_formats() {
        let t = parse_expire_time(&json!({"expireTime": "2026-11-25T18:00:00Z"})).unwrap();
        let t2 = parse_expire_time(&json!({"expireTime": "2026-11-25T18:00:00.250Z"})).unwrap();
        assert_eq!(t2.duration_since(t).unwrap(), Duration::from_millis(250));
    }
}
