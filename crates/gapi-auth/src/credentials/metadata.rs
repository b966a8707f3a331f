//! The metadata server of GCE, GKE and Cloud Run: found and reached as Python google-auth does.
//!
//! * Root: `http://$GCE_METADATA_HOST/computeMetadata/v1/` (else `$GCE_METADATA_ROOT`, else
//!   `metadata.google.internal`).
//! * Detection: `GET http://$GCE_METADATA_IP/` (default `169.254.169.254`) answering 200 with
//!   `Metadata-Flavor: Google`, `GCE_METADATA_DETECT_RETRIES` attempts (3); then, on Linux,
//!   the DMI product name starting with `Google`. `NO_GCE_CHECK=true` turns detection off.
//!   Each detection attempt waits 500 ms (a real metadata server answers in milliseconds; off
//!   Google Cloud a CLI must not hang), or `GCE_METADATA_TIMEOUT` seconds when that is set;
//!   data requests wait `GCE_METADATA_TIMEOUT` (3 s), as google-auth.
//! * Every request carries `Metadata-Flavor: Google`, every answer must too (anything else is
//!   not a metadata server); requests never go through a proxy.
//! * Data requests are retried (5 attempts) on transport failures and retryable statuses.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use url::Url;

use crate::credentials::Credentials;
use crate::credentials::provider::{BoxFuture, CredentialKind, Provider, Token};
use crate::error::{Error, ErrorKind, Result};
use crate::protocol::google_api::{clip, metadata_http_client};
use crate::secret::{AccessToken, IdToken};

/// The metadata server's host name.
pub(crate) const DEFAULT_HOST: &str = "metadata.google.internal";
/// The metadata server's link-local address, pinged for detection.
pub(crate) const DEFAULT_IP: &str = "169.254.169.254";
/// The header every metadata request and answer carries.
pub(crate) const FLAVOR_HEADER: &str = "metadata-flavor";
/// Its value.
pub(crate) const FLAVOR_VALUE: &str = "Google";

/// Where the metadata server is and how patiently to talk to it.
#[derive(Debug, Clone)]
pub struct MetadataConfig {
    /// `http://HOST/computeMetadata/v1/`.
    pub root: Url,
    /// `http://IP` (detection ping).
    pub ping_root: Url,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Per-attempt timeout of detection.
    pub detect_timeout: Duration,
    /// Detection attempts.
    pub detect_retries: u32,
    /// Data request attempts.
    pub retries: u32,
    /// Detection disabled (`NO_GCE_CHECK=true`).
    pub no_gce_check: bool,
}

impl MetadataConfig {
    /// From the environment variables google-auth reads.
    pub fn from_env() -> Result<Self> {
        Self::from_env_fn(|k| std::env::var(k).ok())
    }

    /// [`MetadataConfig::from_env`] with an injectable environment.
    pub fn from_env_fn(env: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let host = env("GCE_METADATA_HOST")
            .filter(|h| !h.is_empty())
            .or_else(|| env("GCE_METADATA_ROOT").filter(|h| !h.is_empty()))
            .unwrap_or_else(|| DEFAULT_HOST.to_string());
        let ip = env("GCE_METADATA_IP")
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| DEFAULT_IP.to_string());
        let parse = |text: String, var: &str| {
            Url::parse(&text).map_err(|e| {
                Error::new(
                    ErrorKind::Config,
                    format!("{var} gives the metadata server address `{text}`, which is not a host[:port] ({e})"),
                )
            })
        };
        let timeout_var = env("GCE_METADATA_TIMEOUT").and_then(|t| t.trim().parse::<u64>().ok());
        let timeout = timeout_var.unwrap_or(3);
        let detect_retries = env("GCE_METADATA_DETECT_RETRIES")
            .and_then(|t| t.trim().parse::<u32>().ok())
            .unwrap_or(3);
        Ok(MetadataConfig {
            root: parse(
                format!("http://{host}/computeMetadata/v1/"),
                "GCE_METADATA_HOST",
            )?,
            ping_root: parse(format!("http://{ip}/"), "GCE_METADATA_IP")?,
            timeout: Duration::from_secs(timeout.max(1)),
            detect_timeout: timeout_var
                .map(|t| Duration::from_secs(t.max(1)))
                .unwrap_or(Duration::from_millis(500)),
            detect_retries: detect_retries.max(1),
            retries: 5,
            no_gce_check: env("NO_GCE_CHECK").as_deref() == Some("true"),
        })
    }
}

/// A client of the metadata server.
#[derive(Clone, Debug)]
pub struct MetadataClient {
    config: Arc<MetadataConfig>,
    http: reqwest::Client,
}

fn is_flavored(resp: &reqwest::Response) -> bool {
    resp.headers()
        .get(FLAVOR_HEADER)
        .and_then(|v| v.to_str().ok())
        == Some(FLAVOR_VALUE)
}

impl MetadataClient {
    /// A client for `config`.
    pub fn new(config: MetadataConfig) -> Result<Self> {
        let http = metadata_http_client(config.timeout)?;
        Ok(MetadataClient {
            config: Arc::new(config),
            http,
        })
    }

    /// A client configured from the environment.
    pub fn from_env() -> Result<Self> {
        Self::new(MetadataConfig::from_env()?)
    }

    /// The configuration in use.
    pub fn config(&self) -> &MetadataConfig {
        &self.config
    }

    /// True when a metadata server answers (google-auth's `is_on_gce`).
    pub async fn is_available(&self) -> bool {
        if self.config.no_gce_check {
            return false;
        }
        for attempt in 1..=self.config.detect_retries {
            let sent = self
                .http
                .get(self.config.ping_root.clone())
                .timeout(self.config.detect_timeout)
                .header(FLAVOR_HEADER, FLAVOR_VALUE)
                .send()
                .await;
            match sent {
                Ok(resp) => return resp.status().as_u16() == 200 && is_flavored(&resp),
                Err(e) => {
                    tracing::debug!(attempt, "metadata server ping failed: {}", e.without_url());
                }
            }
        }
        residency_linux()
    }

    /// GETs `path` (relative to `.../computeMetadata/v1/`) with `query`; returns the body text.
    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> Result<String> {
        let mut url = self.config.root.join(path).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("bad metadata path `{path}` ({e})"),
            )
        })?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let mut last: Option<Error> = None;
        for attempt in 1..=self.config.retries {
            if attempt > 1 {
                tokio::time::sleep(Duration::from_millis(100 * (1 << (attempt - 2).min(4)))).await;
            }
            let sent = self
                .http
                .get(url.clone())
                .header(FLAVOR_HEADER, FLAVOR_VALUE)
                .send()
                .await;
            let resp = match sent {
                Ok(r) => r,
                Err(e) => {
                    last = Some(
                        Error::new(
                            ErrorKind::Transport,
                            format!(
                                "could not reach the metadata server at {}: {}",
                                self.config.root,
                                e.without_url()
                            ),
                        )
                        .retryable(true)
                        .with_hint("set GCE_METADATA_HOST if the metadata server is elsewhere"),
                    );
                    continue;
                }
            };
            let status = resp.status().as_u16();
            if matches!(status, 500 | 502 | 503 | 504 | 429 | 408) {
                last = Some(
                    Error::new(
                        ErrorKind::Transport,
                        format!("the metadata server answered HTTP {status} for {path}"),
                    )
                    .with_status(status)
                    .retryable(true),
                );
                continue;
            }
            if !is_flavored(&resp) {
                return Err(Error::new(
                    ErrorKind::InvalidResponse,
                    format!(
                        "{} answered without `Metadata-Flavor: Google`: it is not a metadata server",
                        self.config.root
                    ),
                )
                .with_status(status)
                .with_hint("check GCE_METADATA_HOST"));
            }
            let body = resp.text().await.unwrap_or_default();
            if status != 200 {
                let hint = if status == 404 {
                    "the instance has no such service account or attribute (is a service account attached?)"
                } else {
                    "see the metadata server's answer above"
                };
                return Err(Error::new(
                    ErrorKind::OAuth,
                    format!(
                        "the metadata server answered HTTP {status} for {path}: {}",
                        clip(&body)
                    ),
                )
                .with_status(status)
                .with_hint(hint));
            }
            return Ok(body);
        }
        Err(last.unwrap_or_else(|| {
            Error::new(ErrorKind::Transport, "the metadata server did not answer")
        }))
    }

    /// The project id (`project/project-id`).
    pub async fn project_id(&self) -> Result<String> {
        Ok(self
            .get("project/project-id", &[])
            .await?
            .trim()
            .to_string())
    }

    /// The email of a service account (`default` for the instance's).
    pub async fn email(&self, account: &str) -> Result<String> {
        Ok(self
            .get(&format!("instance/service-accounts/{account}/email"), &[])
            .await?
            .trim()
            .to_string())
    }
}

/// google-auth's fallback detection: the DMI product name says Google.
fn residency_linux() -> bool {
    if !cfg!(target_os = "linux") {
        return false;
    }
    std::fs::read_to_string("/sys/class/dmi/id/product_name")
        .map(|s| s.trim().starts_with("Google"))
        .unwrap_or(false)
}

/// Credentials of a service account attached to the instance (a [`Provider`]).
#[derive(Clone, Debug)]
#[must_use = "builder methods return the changed value; use it"]
pub struct ComputeMetadata {
    client: MetadataClient,
    account: String,
    scopes: Vec<String>,
    email: Option<String>,
    quota_project_id: Option<String>,
}

impl ComputeMetadata {
    /// The instance's default service account, reached through `client`.
    pub fn new(client: MetadataClient) -> Self {
        ComputeMetadata {
            client,
            account: "default".to_string(),
            scopes: Vec::new(),
            email: None,
            quota_project_id: None,
        }
    }

    /// Another attached service account (by email or alias).
    pub fn account(mut self, account: impl Into<String>) -> Self {
        self.account = account.into();
        self
    }

    /// Scopes to ask for (sent as `?scopes=a,b`; the instance's own scopes when empty).
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = crate::protocol::scopes::expand_scopes(scopes);
        self
    }

    /// The email, when already known (saves a request in [`Provider::account`]).
    pub fn with_email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// The project billed for quota.
    pub fn quota_project_id(mut self, project: impl Into<String>) -> Self {
        self.quota_project_id = Some(project.into());
        self
    }

    /// The credentials (cached and refreshed ahead of expiry, as every type).
    pub fn build(self) -> Credentials {
        Credentials::from_provider(self)
    }

    /// The metadata client.
    pub fn client(&self) -> &MetadataClient {
        &self.client
    }

    async fn fetch(&self) -> Result<Token> {
        let path = format!("instance/service-accounts/{}/token", self.account);
        let scopes = self.scopes.join(",");
        let query: Vec<(&str, &str)> = if scopes.is_empty() {
            Vec::new()
        } else {
            vec![("scopes", scopes.as_str())]
        };
        let body = self.client.get(&path, &query).await?;
        let v: Value = serde_json::from_str(&body).map_err(|_| {
            Error::new(
                ErrorKind::InvalidResponse,
                "the metadata server's token answer is not JSON",
            )
        })?;
        let token = v
            .get("access_token")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidResponse,
                    "the metadata server's token answer has no access_token",
                )
            })?;
        let expires_in = v
            .get("expires_in")
            .and_then(|e| e.as_u64().or_else(|| e.as_str()?.parse().ok()));
        let mut t = Token::expiring_in(AccessToken::new(token), expires_in);
        if !self.scopes.is_empty() {
            t.scopes = Some(self.scopes.clone());
        }
        Ok(t)
    }

    async fn fetch_id_token(&self, audience: &str) -> Result<IdToken> {
        let path = format!("instance/service-accounts/{}/identity", self.account);
        let body = self
            .client
            .get(&path, &[("audience", audience), ("format", "full")])
            .await?;
        Ok(IdToken::new(body.trim()))
    }
}

impl Provider for ComputeMetadata {
    fn kind(&self) -> CredentialKind {
        CredentialKind::ComputeMetadata
    }

    fn fetch_token(&self) -> BoxFuture<'_, Result<Token>> {
        Box::pin(self.fetch())
    }

    fn id_token<'a>(&'a self, audience: &'a str) -> BoxFuture<'a, Result<IdToken>> {
        Box::pin(self.fetch_id_token(audience))
    }

    fn account(&self) -> Option<String> {
        self.email.clone()
    }

    fn quota_project_id(&self) -> Option<String> {
        self.quota_project_id.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names_as_google_auth() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let c = MetadataConfig::from_env_fn(env(&[])).unwrap();
        assert_eq!(
            c.root.as_str(),
            "http://metadata.google.internal/computeMetadata/v1/"
        );
        assert_eq!(c.ping_root.as_str(), "http://169.254.169.254/");
        assert_eq!(c.timeout, Duration::from_secs(3));
        let c = MetadataConfig::from_env_fn(env(&[
            ("GCE_METADATA_HOST", "127.0.0.1:8080"),
            ("GCE_METADATA_ROOT", "ignored:1"),
            ("GCE_METADATA_IP", "127.0.0.1:8081"),
            ("NO_GCE_CHECK", "true"),
        ]))
        .unwrap();
        assert_eq!(c.root.as_str(), "http://127.0.0.1:8080/computeMetadata/v1/");
        assert_eq!(c.ping_root.as_str(), "http://127.0.0.1:8081/");
        assert!(c.no_gce_check);
        let c = MetadataConfig::from_env_fn(env(&[("GCE_METADATA_ROOT", "10.0.0.1")])).unwrap();
        assert_eq!(c.root.as_str(), "http://10.0.0.1/computeMetadata/v1/");
    }
}
