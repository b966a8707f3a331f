//! Workload and workforce identity federation (`"type": "external_account"`): a subject token
//! from a file, a URL or an executable is traded at Google's STS (RFC 8693 token exchange),
//! then optionally for a service account's token through `service_account_impersonation_url`.
//! Also `external_account_authorized_user` (a workforce user's refresh token).
//!
//! File fields and executable conventions follow Python google-auth (`identity_pool`,
//! `pluggable`): executables run only when `GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1`.
//! AWS-sourced credentials (`credential_source.environment_id` = `aws1`) sign a
//! GetCallerIdentity request as google-auth's `aws` module does ([`crate::credentials::external_account::aws`]).
//!
//! The exchange sends google-auth's form (`grant_type` token-exchange, `audience`, `scope`,
//! `requested_token_type` access_token, `subject_token`, `subject_token_type`, and `options`
//! `{"userProject"}` for a workforce pool without client credentials). One difference, as
//! Google's Go and Rust libraries: with `service_account_impersonation_url` the STS token is
//! asked for `cloud-platform` (what `generateAccessToken` needs), the caller's scopes go to the
//! impersonated token. Tested end to end against the emulator's STS (`gapi-emulator`,
//! `services/sts`) beside google-auth (`tests/peer_python_identity_pool.rs`).

pub mod aws;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};
use url::Url;

use crate::credentials::Credentials;
use crate::credentials::provider::{
    BoxFuture, CLOUD_PLATFORM_SCOPE, CredentialKind, DEFAULT_UNIVERSE_DOMAIN, Provider, Token,
};
use crate::error::{Error, ErrorKind, Result};
use crate::protocol::google_api::{clip, post_form_basic, post_json};
use crate::protocol::token::{oauth_error, parse_token_response, shared_default_client};
use crate::protocol::transport::RetryPolicy;
use crate::secret::{Assertion, ClientSecret, RefreshToken};

pub use crate::credentials::{EXTERNAL_ACCOUNT_AUTHORIZED_USER_TYPE, EXTERNAL_ACCOUNT_TYPE};
/// Google's STS token endpoint.
pub(crate) const STS_TOKEN_URL: &str = "https://sts.googleapis.com/v1/token";
/// The token-exchange grant type (RFC 8693).
pub(crate) const TOKEN_EXCHANGE_GRANT_TYPE: &str =
    "urn:ietf:params:oauth:grant-type:token-exchange";
/// The requested token type: an access token.
pub const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
/// The variable that must be `1` before an executable source runs.
pub const ALLOW_EXECUTABLES_VAR: &str = "GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES";

/// How a subject token in a file or URL answer is encoded.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct SourceFormat {
    /// `text` (the default) or `json`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// With `json`: the field holding the token.
    #[serde(default)]
    pub subject_token_field_name: Option<String>,
}

/// An executable source.
#[derive(Debug, Clone, Deserialize)]
pub struct ExecutableSource {
    /// The command line (split on whitespace, as google-auth does).
    pub command: String,
    /// Timeout in milliseconds (5 000 to 120 000; 30 000 by default).
    #[serde(default)]
    pub timeout_millis: Option<u64>,
    /// Where the executable caches its answer.
    #[serde(default)]
    pub output_file: Option<String>,
}

/// Where the subject token comes from.
#[derive(Debug, Clone, Deserialize)]
pub struct CredentialSource {
    /// A file holding the token.
    #[serde(default)]
    pub file: Option<String>,
    /// A URL answering with the token.
    #[serde(default)]
    pub url: Option<String>,
    /// Headers for `url`.
    #[serde(default)]
    pub headers: Option<std::collections::BTreeMap<String, String>>,
    /// Encoding of the file or URL answer.
    #[serde(default)]
    pub format: Option<SourceFormat>,
    /// A program printing the token.
    #[serde(default)]
    pub executable: Option<ExecutableSource>,
    /// AWS (`aws1`).
    #[serde(default)]
    pub environment_id: Option<String>,
    /// AWS: the metadata URL of the availability zone.
    #[serde(default)]
    pub region_url: Option<String>,
    /// AWS: the regional GetCallerIdentity URL (`{region}` placeholder).
    #[serde(default)]
    pub regional_cred_verification_url: Option<String>,
    /// AWS: the IMDSv2 session token URL.
    #[serde(default)]
    pub imdsv2_session_token_url: Option<String>,
}

/// An `external_account` file.
#[derive(Debug, Clone, Deserialize)]
pub struct ExternalAccountFile {
    /// The workload identity pool provider (`//iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/providers/Q`).
    pub audience: String,
    /// `urn:ietf:params:oauth:token-type:jwt`, `...:id_token`, `...:saml2`, ...
    pub subject_token_type: String,
    /// The STS endpoint.
    #[serde(default)]
    pub token_url: Option<String>,
    /// Where the subject token comes from.
    pub credential_source: CredentialSource,
    /// A service account to impersonate with the STS token.
    #[serde(default)]
    pub service_account_impersonation_url: Option<String>,
    /// `{"token_lifetime_seconds": N}`.
    #[serde(default)]
    pub service_account_impersonation: Option<Value>,
    /// Client authentication at STS (workforce pools).
    #[serde(default)]
    pub client_id: Option<String>,
    /// Client authentication at STS (workforce pools).
    #[serde(default)]
    pub client_secret: Option<String>,
    /// The workforce pool's user project (sent when there is no client id).
    #[serde(default)]
    pub workforce_pool_user_project: Option<String>,
    /// The project billed for quota.
    #[serde(default)]
    pub quota_project_id: Option<String>,
    /// The universe.
    #[serde(default)]
    pub universe_domain: Option<String>,
}

/// Builds [`ExternalAccount`] credentials.
#[must_use = "builder methods return the changed value; use it"]
pub struct ExternalAccountBuilder {
    file: ExternalAccountFile,
    scopes: Vec<String>,
    http: Option<gapi_retry::HttpClient>,
    retry: RetryPolicy,
    allow_executables: Option<bool>,
    env: Option<crate::credentials::external_account::aws::EnvLookup>,
}

impl ExternalAccountBuilder {
    /// Starts from a parsed file.
    pub fn new(file: ExternalAccountFile) -> Self {
        ExternalAccountBuilder {
            file,
            scopes: Vec::new(),
            http: None,
            retry: RetryPolicy::token_requests(),
            allow_executables: None,
            env: None,
        }
    }

    /// Parses the JSON of an `external_account` file.
    pub fn from_json(value: Value) -> Result<Self> {
        match value.get("type").and_then(Value::as_str) {
            Some(EXTERNAL_ACCOUNT_TYPE) => {}
            other => {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("expected \"type\": \"external_account\", found {other:?}"),
                ));
            }
        }
        let file: ExternalAccountFile = serde_json::from_value(value).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("the external_account file is malformed: {e}"),
            )
        })?;
        Ok(Self::new(file))
    }

    /// Scopes of the final token (full URLs or short names like `drive.readonly`;
    /// `cloud-platform` when none are given).
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = crate::protocol::scopes::expand_scopes(scopes);
        self
    }

    /// Overrides `GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES` (for tests and embedding apps).
    pub fn allow_executables(mut self, allow: bool) -> Self {
        self.allow_executables = Some(allow);
        self
    }

    /// Reads the AWS variables (`AWS_REGION`, `AWS_ACCESS_KEY_ID`, ...) through `env` instead of
    /// the process environment (for tests and embedding apps).
    pub fn env(mut self, env: crate::credentials::external_account::aws::EnvLookup) -> Self {
        self.env = Some(env);
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

    /// Checks the file and builds the credentials.
    pub fn build(self) -> Result<Credentials> {
        self.build_provider().map(Credentials::from_provider)
    }

    /// The [`ExternalAccount`] provider itself; most callers want
    /// [`ExternalAccountBuilder::build`].
    pub fn build_provider(self) -> Result<ExternalAccount> {
        let f = self.file;
        let src = &f.credential_source;
        let source = if let Some(id) = &src.environment_id {
            crate::credentials::external_account::aws::check_environment_id(id)?;
            let Some(verification_url) = src.regional_cred_verification_url.clone() else {
                return Err(Error::new(
                    ErrorKind::Config,
                    "the AWS credential_source has no regional_cred_verification_url",
                ));
            };
            Subject::Aws(crate::credentials::external_account::aws::AwsSource {
                verification_url,
                region_url: src.region_url.clone(),
                credentials_url: src.url.clone(),
                imdsv2_session_token_url: src.imdsv2_session_token_url.clone(),
            })
        } else if let Some(exe) = &src.executable {
            let timeout = exe.timeout_millis.unwrap_or(30_000);
            if !(5_000..=120_000).contains(&timeout) {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("executable timeout_millis {timeout} is outside 5000..=120000"),
                ));
            }
            let allowed = self
                .allow_executables
                .unwrap_or_else(|| std::env::var(ALLOW_EXECUTABLES_VAR).as_deref() == Ok("1"));
            Subject::Executable {
                argv: exe.command.split_whitespace().map(str::to_string).collect(),
                timeout: Duration::from_millis(timeout),
                output_file: exe.output_file.clone().map(PathBuf::from),
                allowed,
            }
        } else if let Some(file) = &src.file {
            Subject::File(PathBuf::from(file), src.format.clone().unwrap_or_default())
        } else if let Some(url) = &src.url {
            let url = Url::parse(url).map_err(|e| {
                Error::new(
                    ErrorKind::Config,
                    format!("credential_source.url `{url}` is not a URL ({e})"),
                )
            })?;
            Subject::Url(
                url,
                src.headers.clone().unwrap_or_default(),
                src.format.clone().unwrap_or_default(),
            )
        } else {
            return Err(Error::new(
                ErrorKind::Config,
                "the external_account credential_source has no file, url or executable",
            ));
        };
        if let Some(fmt) = src.format.as_ref()
            && fmt.kind.as_deref() == Some("json")
            && fmt
                .subject_token_field_name
                .as_deref()
                .is_none_or(str::is_empty)
        {
            return Err(Error::new(
                ErrorKind::Config,
                "credential_source.format of type json needs subject_token_field_name",
            ));
        }
        let token_url_text = f
            .token_url
            .clone()
            .unwrap_or_else(|| STS_TOKEN_URL.to_string());
        let token_url = Url::parse(&token_url_text).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("token_url `{token_url_text}` is not a URL ({e})"),
            )
        })?;
        let impersonation_url = match &f.service_account_impersonation_url {
            Some(u) => Some(Url::parse(u).map_err(|e| {
                Error::new(
                    ErrorKind::Config,
                    format!("service_account_impersonation_url `{u}` is not a URL ({e})"),
                )
            })?),
            None => None,
        };
        let lifetime = f
            .service_account_impersonation
            .as_ref()
            .and_then(|v| v.get("token_lifetime_seconds"))
            .and_then(Value::as_u64)
            .unwrap_or(3600);
        let scopes = if self.scopes.is_empty() {
            vec![CLOUD_PLATFORM_SCOPE.to_string()]
        } else {
            self.scopes
        };
        Ok(ExternalAccount {
            inner: Arc::new(Inner {
                source,
                token_url,
                impersonation_url,
                lifetime,
                scopes,
                client: f.client_id.clone().map(|id| {
                    (
                        id,
                        ClientSecret::new(f.client_secret.clone().unwrap_or_default()),
                    )
                }),
                http: self.http,
                retry: self.retry,
                env: self
                    .env
                    .unwrap_or_else(crate::credentials::external_account::aws::process_env),
                file: f,
            }),
        })
    }
}

enum Subject {
    File(PathBuf, SourceFormat),
    Url(
        Url,
        std::collections::BTreeMap<String, String>,
        SourceFormat,
    ),
    Executable {
        argv: Vec<String>,
        timeout: Duration,
        output_file: Option<PathBuf>,
        allowed: bool,
    },
    Aws(crate::credentials::external_account::aws::AwsSource),
}

/// Federated credentials (a [`Provider`]).
#[derive(Clone)]
pub struct ExternalAccount {
    inner: Arc<Inner>,
}

struct Inner {
    file: ExternalAccountFile,
    source: Subject,
    token_url: Url,
    impersonation_url: Option<Url>,
    lifetime: u64,
    scopes: Vec<String>,
    client: Option<(String, ClientSecret)>,
    http: Option<gapi_retry::HttpClient>,
    retry: RetryPolicy,
    env: crate::credentials::external_account::aws::EnvLookup,
}

impl std::fmt::Debug for ExternalAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExternalAccount")
            .field("audience", &self.inner.file.audience)
            .field(
                "impersonation_url",
                &self.inner.impersonation_url.as_ref().map(Url::as_str),
            )
            .finish_non_exhaustive()
    }
}

fn extract(text: &str, format: &SourceFormat, from: &str) -> Result<Assertion> {
    let token = match format.kind.as_deref() {
        Some("json") => {
            let field = format
                .subject_token_field_name
                .as_deref()
                .unwrap_or_default();
            let v: Value = serde_json::from_str(text).map_err(|_| {
                Error::new(
                    ErrorKind::Config,
                    format!("the subject token from {from} is not JSON"),
                )
            })?;
            v.get(field)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Config,
                        format!("the JSON from {from} has no string field \"{field}\""),
                    )
                })?
        }
        _ => text.trim().to_string(),
    };
    if token.is_empty() {
        return Err(Error::new(
            ErrorKind::Config,
            format!("the subject token from {from} is empty"),
        ));
    }
    Ok(Assertion::new(token))
}

/// Reads a small local file (a subject token, an executable's cached answer) with the bounded
/// reader every credential file goes through, off the async threads.
async fn read_small(path: &std::path::Path, what: &str) -> Result<String> {
    let context = format!("{what} {}", path.display());
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || crate::fsread::read_small_file(&path, context))
        .await
        .map_err(|e| Error::new(ErrorKind::Io, format!("reading a file failed: {e}")))?
}

impl ExternalAccount {
    /// The service account impersonated after the exchange, if any.
    pub fn service_account_email(&self) -> Option<String> {
        self.inner
            .file
            .service_account_impersonation_url
            .as_deref()
            .and_then(crate::credentials::impersonated::target_from_url)
    }

    fn http(&self) -> Result<reqwest::Client> {
        match &self.inner.http {
            Some(h) => crate::protocol::transport::token_http(h),
            None => shared_default_client(),
        }
    }

    /// Reads the subject token from the configured source.
    pub async fn subject_token(&self) -> Result<Assertion> {
        match &self.inner.source {
            Subject::File(path, format) => {
                // Bounded like every credential file: a device, FIFO, folder or huge file is
                // refused, never read without end.
                let text = read_small(path, "cannot read the subject token file").await?;
                extract(&text, format, &path.display().to_string())
            }
            Subject::Url(url, headers, format) => {
                let mut req = self.http()?.get(url.clone());
                for (k, v) in headers {
                    req = req.header(k, v);
                }
                let resp = req.send().await.map_err(|e| {
                    Error::new(
                        ErrorKind::Transport,
                        format!(
                            "could not fetch the subject token from {url}: {}",
                            e.without_url()
                        ),
                    )
                    .retryable(true)
                })?;
                let status = resp.status().as_u16();
                let text = resp.text().await.unwrap_or_default();
                if status != 200 {
                    return Err(Error::new(
                        ErrorKind::Config,
                        format!(
                            "the subject token URL {url} answered HTTP {status}: {}",
                            clip(&text)
                        ),
                    )
                    .with_status(status));
                }
                extract(&text, format, url.as_str())
            }
            Subject::Aws(aws) => {
                aws.subject_token(&self.http()?, &self.inner.env, &self.inner.file.audience)
                    .await
            }
            Subject::Executable {
                argv,
                timeout,
                output_file,
                allowed,
            } => {
                if !*allowed {
                    return Err(Error::new(
                        ErrorKind::Config,
                        "this credential configuration runs an executable, which is off by default",
                    )
                    .with_hint(format!(
                        "set {ALLOW_EXECUTABLES_VAR}=1 if you trust the configuration"
                    )));
                }
                if let Some(path) = output_file
                    && let Ok(text) =
                        read_small(path, "cannot read the executable's output file").await
                    && let Ok(token) = self.executable_answer(&text, true)
                {
                    return Ok(token);
                }
                self.run_executable(argv, *timeout, output_file.as_deref())
                    .await
            }
        }
    }

    async fn run_executable(
        &self,
        argv: &[String],
        timeout: Duration,
        output_file: Option<&std::path::Path>,
    ) -> Result<Assertion> {
        let Some((program, args)) = argv.split_first() else {
            return Err(Error::new(
                ErrorKind::Config,
                "the executable command is empty",
            ));
        };
        let mut cmd = tokio::process::Command::new(program);
        cmd.args(args)
            .kill_on_drop(true)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .env(
                "GOOGLE_EXTERNAL_ACCOUNT_AUDIENCE",
                &self.inner.file.audience,
            )
            .env(
                "GOOGLE_EXTERNAL_ACCOUNT_TOKEN_TYPE",
                &self.inner.file.subject_token_type,
            )
            .env("GOOGLE_EXTERNAL_ACCOUNT_INTERACTIVE", "0");
        if let Some(email) = self.service_account_email() {
            cmd.env("GOOGLE_EXTERNAL_ACCOUNT_IMPERSONATED_EMAIL", email);
        }
        if let Some(path) = output_file {
            cmd.env("GOOGLE_EXTERNAL_ACCOUNT_OUTPUT_FILE", path);
        }
        let child = cmd.spawn().map_err(|e| {
            Error::io(
                format!("cannot run the credential executable `{program}`"),
                e,
            )
        })?;
        let out = tokio::time::timeout(timeout, child.wait_with_output())
            .await
            .map_err(|_| {
                Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "the credential executable `{program}` did not finish within {} ms",
                        timeout.as_millis()
                    ),
                )
            })?
            .map_err(|e| Error::io(format!("the credential executable `{program}` failed"), e))?;
        if !out.status.success() {
            return Err(Error::new(
                ErrorKind::Config,
                format!(
                    "the credential executable `{program}` exited with {}",
                    out.status
                ),
            ));
        }
        self.executable_answer(&String::from_utf8_lossy(&out.stdout), false)
    }

    /// Checks an executable's JSON answer (`version`, `success`, `token_type`, ...).
    fn executable_answer(&self, text: &str, from_cache: bool) -> Result<Assertion> {
        let bad = |m: &str| {
            Error::new(
                ErrorKind::Config,
                format!("the credential executable's answer {m}"),
            )
        };
        let v: Value = serde_json::from_str(text).map_err(|_| bad("is not JSON"))?;
        let version = v
            .get("version")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("has no version"))?;
        if version > 1 {
            return Err(bad(&format!(
                "has unsupported version {version} (1 is supported)"
            )));
        }
        let success = v
            .get("success")
            .and_then(Value::as_bool)
            .ok_or_else(|| bad("has no success field"))?;
        if !success {
            let code = v.get("code").and_then(Value::as_str).unwrap_or("?");
            let message = v.get("message").and_then(Value::as_str).unwrap_or("");
            return Err(bad(&format!("reports failure {code}: {}", clip(message))));
        }
        match v.get("expiration_time").and_then(Value::as_i64) {
            Some(exp) if exp < crate::protocol::jwt::now_secs() => return Err(bad("has expired")),
            None if from_cache => return Err(bad("has no expiration_time")),
            _ => {}
        }
        let token = match v.get("token_type").and_then(Value::as_str) {
            Some(
                "urn:ietf:params:oauth:token-type:jwt"
                | "urn:ietf:params:oauth:token-type:id_token",
            ) => v.get("id_token").and_then(Value::as_str),
            Some("urn:ietf:params:oauth:token-type:saml2") => {
                v.get("saml_response").and_then(Value::as_str)
            }
            Some(other) => return Err(bad(&format!("has unsupported token_type {other}"))),
            None => return Err(bad("has no token_type")),
        };
        token
            .filter(|t| !t.is_empty())
            .map(Assertion::new)
            .ok_or_else(|| bad("has no token"))
    }

    /// The STS exchange (RFC 8693) of the subject token for a federated access token.
    pub async fn exchange(&self, subject: &Assertion) -> Result<Token> {
        let scope = if self.inner.impersonation_url.is_some() {
            CLOUD_PLATFORM_SCOPE.to_string()
        } else {
            self.inner.scopes.join(" ")
        };
        let options = match (
            &self.inner.file.workforce_pool_user_project,
            &self.inner.client,
        ) {
            (Some(p), None) => Some(json!({"userProject": p}).to_string()),
            _ => None,
        };
        let mut form = vec![
            ("grant_type", TOKEN_EXCHANGE_GRANT_TYPE),
            ("audience", self.inner.file.audience.as_str()),
            ("requested_token_type", ACCESS_TOKEN_TYPE),
            ("subject_token", subject.secret()),
            (
                "subject_token_type",
                self.inner.file.subject_token_type.as_str(),
            ),
            ("scope", scope.as_str()),
        ];
        if let Some(o) = &options {
            form.push(("options", o.as_str()));
        }
        let basic = self
            .inner
            .client
            .as_ref()
            .map(|(id, s)| (id.as_str(), s.secret()));
        let url = &self.inner.token_url;
        let raw = post_form_basic(
            &self.http()?,
            url,
            &form,
            basic,
            self.inner.retry,
            "exchanging the subject token",
        )
        .await?;
        if !(200..300).contains(&raw.status) {
            return Err(oauth_error(&raw, url, "exchanging the subject token at STS").with_hint(
                "check the workload identity pool provider (audience), its attribute conditions, \
                 and that the subject token is current",
            ));
        }
        let resp = parse_token_response(raw, url, "exchanging the subject token at STS")?;
        Ok(Token::expiring_in(resp.access_token, resp.expires_in))
    }

    async fn fetch(&self) -> Result<Token> {
        let subject = self.subject_token().await?;
        let federated = self.exchange(&subject).await?;
        let Some(url) = &self.inner.impersonation_url else {
            let mut t = federated;
            t.scopes = Some(self.inner.scopes.clone());
            return Ok(t);
        };
        let body = json!({
            "scope": self.inner.scopes,
            "lifetime": format!("{}s", self.inner.lifetime),
        });
        let doing = "impersonating the service account with the federated token";
        let v = post_json(
            &self.http()?,
            url,
            &federated.access_token,
            &body,
            self.inner.retry,
            doing,
        )
        .await?;
        crate::credentials::impersonated::access_token_answer(&v, &self.inner.scopes, doing)
    }
}

impl Provider for ExternalAccount {
    fn kind(&self) -> CredentialKind {
        CredentialKind::ExternalAccount
    }

    fn fetch_token(&self) -> BoxFuture<'_, Result<Token>> {
        Box::pin(self.fetch())
    }

    fn account(&self) -> Option<String> {
        self.service_account_email()
    }

    fn quota_project_id(&self) -> Option<String> {
        self.inner.file.quota_project_id.clone()
    }

    fn universe_domain(&self) -> String {
        self.inner
            .file
            .universe_domain
            .clone()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| DEFAULT_UNIVERSE_DOMAIN.to_string())
    }

    fn tokeninfo_endpoint(&self) -> Option<Url> {
        let issuer = self
            .inner
            .impersonation_url
            .as_ref()
            .unwrap_or(&self.inner.token_url);
        Some(crate::protocol::endpoints::tokeninfo_beside(issuer))
    }
}

/// An `external_account_authorized_user` file (a workforce user's refresh token).
#[derive(Clone, Deserialize)]
pub struct ExternalAuthorizedUserFile {
    /// The workforce pool provider.
    #[serde(default)]
    pub audience: Option<String>,
    /// The OAuth client.
    pub client_id: String,
    /// The OAuth client's secret.
    #[serde(default)]
    pub client_secret: Option<String>,
    /// The refresh token (secret).
    pub refresh_token: String,
    /// Where refreshes go.
    pub token_url: String,
    /// The token introspection endpoint.
    #[serde(default)]
    pub token_info_url: Option<String>,
    /// The revocation endpoint.
    #[serde(default)]
    pub revoke_url: Option<String>,
    /// The project billed for quota.
    #[serde(default)]
    pub quota_project_id: Option<String>,
    /// The universe.
    #[serde(default)]
    pub universe_domain: Option<String>,
}

/// A workforce identity federation user's credentials (a [`Provider`]).
pub struct ExternalAuthorizedUser {
    token_url: Url,
    client_id: String,
    client_secret: ClientSecret,
    refresh_token: Mutex<RefreshToken>,
    quota_project_id: Option<String>,
    universe: String,
    http: Option<gapi_retry::HttpClient>,
    retry: RetryPolicy,
}

impl std::fmt::Debug for ExternalAuthorizedUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExternalAuthorizedUser")
            .field("token_url", &self.token_url.as_str())
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl ExternalAuthorizedUser {
    /// Parses the JSON of an `external_account_authorized_user` file.
    pub fn from_json(value: Value, http: Option<gapi_retry::HttpClient>) -> Result<Self> {
        let f: ExternalAuthorizedUserFile = serde_json::from_value(value).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("the external_account_authorized_user file is malformed: {e}"),
            )
        })?;
        let token_url = Url::parse(&f.token_url).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("token_url `{}` is not a URL ({e})", f.token_url),
            )
        })?;
        Ok(ExternalAuthorizedUser {
            token_url,
            client_id: f.client_id,
            client_secret: ClientSecret::new(f.client_secret.unwrap_or_default()),
            refresh_token: Mutex::new(RefreshToken::new(f.refresh_token)),
            quota_project_id: f.quota_project_id,
            universe: f
                .universe_domain
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| DEFAULT_UNIVERSE_DOMAIN.to_string()),
            http,
            retry: RetryPolicy::token_requests(),
        })
    }

    async fn fetch(&self) -> Result<Token> {
        let rt = match self.refresh_token.lock() {
            Ok(t) => t.clone(),
            Err(p) => p.into_inner().clone(),
        };
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", rt.secret()),
        ];
        let http = match &self.http {
            Some(h) => crate::protocol::transport::token_http(h)?,
            None => shared_default_client()?,
        };
        let raw = post_form_basic(
            &http,
            &self.token_url,
            &form,
            Some((&self.client_id, self.client_secret.secret())),
            self.retry,
            "refreshing the workforce user's token",
        )
        .await?;
        let resp = parse_token_response(
            raw,
            &self.token_url,
            "refreshing the workforce user's token",
        )
        .map_err(|e| {
            if e.needs_login() {
                e.with_hint(
                    "run `gcloud auth application-default login --login-config=...` to log in \
                     again",
                )
            } else {
                e
            }
        })?;
        if let Some(new_rt) = resp.refresh_token.clone()
            && let Ok(mut slot) = self.refresh_token.lock()
        {
            *slot = new_rt;
        }
        Ok(Token::expiring_in(resp.access_token, resp.expires_in))
    }
}

impl Provider for ExternalAuthorizedUser {
    fn kind(&self) -> CredentialKind {
        CredentialKind::ExternalAccountAuthorizedUser
    }

    fn fetch_token(&self) -> BoxFuture<'_, Result<Token>> {
        Box::pin(self.fetch())
    }

    fn quota_project_id(&self) -> Option<String> {
        self.quota_project_id.clone()
    }

    fn universe_domain(&self) -> String {
        self.universe.clone()
    }

    fn tokeninfo_endpoint(&self) -> Option<Url> {
        Some(crate::protocol::endpoints::tokeninfo_beside(
            &self.token_url,
        ))
    }
}
