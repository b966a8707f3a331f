//! `InstalledFlow`: configure once (client, scopes, options), then get a user's consent one of
//! several ways, each in its own module: [`loopback`] (a local redirect server), [`console`]
//! (out-of-band code or a pasted redirect URL) and [`device`] (RFC 8628). The `oob:auto`
//! window-title flow belongs next to them as `flow/title.rs`. Logging in where no browser runs:
//! [`headless`] (detection, instructions, the pasted answer) and [`remote`] (the browser side of
//! a two-machine login). What they share about the redirect (its parameters, a pasted answer,
//! showing the URL) is `redirect.rs`; reading and checking what is pasted, with bounds, is
//! `paste.rs`; saving a login over a stored one without losing its refresh token is
//! `relogin.rs`.

pub mod console;
pub mod device;
#[doc(hidden)]
pub mod fuzzing;
pub mod headless;
pub mod incremental;
pub mod loopback;
mod paste;
mod persist;
mod redirect;
mod relogin;
pub mod remote;
pub mod title;

use url::Url;

pub use persist::{PersistentFlow, app_token_file};
pub use redirect::UrlCallback;

use crate::credentials::{Credentials, UserCredentials};
use crate::error::{Error, ErrorKind, Result};
use crate::files::client_secrets::ClientSecrets;
use crate::protocol::endpoints::Endpoints;
use crate::protocol::pkce;
use crate::protocol::scopes::{expand_scopes, missing_scopes, parse_scope_list};
use crate::protocol::{AuthorizationRequest, RetryPolicy, TokenClient, TokenResponse};
use crate::secret::{AuthorizationCode, PkceVerifier, State};
use crate::store::FileStore;

/// The out-of-band redirect URI: the server shows the code for the user to copy.
pub const OOB_REDIRECT_URI: &str = "urn:ietf:wg:oauth:2.0:oob";
/// The out-of-band variant where the code is put in the page title.
pub const OOB_AUTO_REDIRECT_URI: &str = "urn:ietf:wg:oauth:2.0:oob:auto";

/// True for the `urn:ietf:wg:oauth:2.0:oob` family of redirect URIs.
pub fn is_oob(redirect_uri: &str) -> bool {
    redirect_uri.starts_with(OOB_REDIRECT_URI)
}

/// An installed-app authorization flow (the analogue of Python's `InstalledAppFlow`).
///
/// Built with [`InstalledFlow::new`] and builder methods; run with
/// [`InstalledFlow::run_local_server`], [`InstalledFlow::run_console`] or
/// [`InstalledFlow::run_device`].
#[derive(Clone)]
#[must_use = "a flow does nothing until one of its `run_*` methods is awaited"]
pub struct InstalledFlow {
    secrets: ClientSecrets,
    scopes: Vec<String>,
    endpoints: Option<Endpoints>,
    redirect_uri: Option<String>,
    access_type_offline: bool,
    prompt: Option<String>,
    login_hint: Option<String>,
    include_granted_scopes: bool,
    hd: Option<String>,
    extra: Vec<(String, String)>,
    http: Option<gapi_retry::HttpClient>,
    retry: RetryPolicy,
    store: Option<(FileStore, String)>,
    client_secrets_file: Option<String>,
    /// Set by [`InstalledFlow::persist_to`]: a login without a refresh token is asked again.
    persist_path: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for InstalledFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InstalledFlow")
            .field("client_id", &self.secrets.client_id)
            .field("scopes", &self.scopes)
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

impl InstalledFlow {
    /// A flow for `secrets` asking for `scopes` (full URLs or short names such as
    /// `drive.readonly`). `access_type=offline` is on by default so a refresh token is issued.
    pub fn new<I, S>(secrets: ClientSecrets, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        InstalledFlow {
            secrets,
            scopes: expand_scopes(scopes),
            endpoints: None,
            redirect_uri: None,
            access_type_offline: true,
            prompt: None,
            login_hint: None,
            include_granted_scopes: false,
            hd: None,
            extra: Vec::new(),
            http: None,
            retry: RetryPolicy::token_requests(),
            store: None,
            client_secrets_file: None,
            persist_path: None,
        }
    }

    /// Suggests an account to the consent page (`login_hint`).
    pub fn login_hint(mut self, hint: impl Into<String>) -> Self {
        self.login_hint = Some(hint.into());
        self
    }

    /// Sets `prompt` (`consent` forces a new refresh token, `select_account`, `none`).
    pub fn prompt(mut self, prompt: impl Into<String>) -> Self {
        self.prompt = Some(prompt.into());
        self
    }

    /// Whether to send `access_type=offline` (default true: needed for a refresh token).
    pub fn access_type_offline(mut self, on: bool) -> Self {
        self.access_type_offline = on;
        self
    }

    /// Sends `include_granted_scopes=true` (incremental authorization).
    pub fn include_granted_scopes(mut self, on: bool) -> Self {
        self.include_granted_scopes = on;
        self
    }

    /// Restricts the account chooser to a Workspace domain (`hd`).
    pub fn hd(mut self, domain: impl Into<String>) -> Self {
        self.hd = Some(domain.into());
        self
    }

    /// Adds a parameter to the authorization URL.
    pub fn extra_param(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra.push((key.into(), value.into()));
        self
    }

    /// Overrides the endpoints (default: from the client secrets file).
    pub fn endpoints(mut self, endpoints: Endpoints) -> Self {
        self.endpoints = Some(endpoints);
        self
    }

    /// Sets the redirect URI used by [`InstalledFlow::run_console`] (for example a loopback
    /// URI whose page the user will paste back). The loopback server picks its own.
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }

    /// Uses this HTTP client for token requests (build it without redirect following).
    pub fn http_client(mut self, http: gapi_retry::HttpClient) -> Self {
        self.http = Some(http);
        self
    }

    /// Sets the retry policy for token requests.
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Saves the credentials to `store` as `profile` after login, and persists refreshes there.
    pub fn token_store(mut self, store: FileStore, profile: impl Into<String>) -> Self {
        self.store = Some((store, profile.into()));
        self
    }

    /// Records where the client secrets came from in the saved credentials, so a failed
    /// refresh can name the exact command that logs in again.
    pub fn client_secrets_file(mut self, path: impl Into<String>) -> Self {
        self.client_secrets_file = Some(path.into());
        self
    }

    /// The scopes requested (expanded to full URLs).
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// The client secrets in use.
    pub fn client_secrets(&self) -> &ClientSecrets {
        &self.secrets
    }

    /// The endpoints in use.
    pub fn resolved_endpoints(&self) -> Result<Endpoints> {
        match &self.endpoints {
            Some(e) => Ok(e.clone()),
            None => self.secrets.endpoints(),
        }
    }

    /// The token endpoint client this flow uses.
    pub fn token_client(&self) -> Result<TokenClient> {
        let mut client = TokenClient::new(
            self.secrets.client_id.clone(),
            self.secrets.client_secret.clone(),
            self.resolved_endpoints()?,
        )?
        .with_retry_policy(self.retry);
        if let Some(http) = &self.http {
            client = client.with_http_client(http.clone());
        }
        Ok(client)
    }

    fn request(&self, redirect_uri: &str) -> AuthorizationRequest {
        AuthorizationRequest {
            client_id: self.secrets.client_id.clone(),
            scopes: self.scopes.clone(),
            redirect_uri: redirect_uri.to_string(),
            access_type_offline: self.access_type_offline,
            prompt: self.prompt.clone(),
            login_hint: self.login_hint.clone(),
            include_granted_scopes: self.include_granted_scopes,
            hd: self.hd.clone(),
            extra: self.extra.clone(),
        }
    }

    /// The authorization URL for `redirect_uri` with a fresh `state` and PKCE verifier (lower
    /// level: for tests and custom UIs; finish with [`InstalledFlow::exchange_code`]).
    pub fn authorization_url(&self, redirect_uri: &str) -> Result<(Url, State, PkceVerifier)> {
        if self.scopes.is_empty() {
            return Err(Error::new(ErrorKind::Config, "no scopes were requested")
                .with_hint("name at least one scope, e.g. `drive.readonly` or a full scope URL"));
        }
        let endpoints = self.resolved_endpoints()?;
        let state = pkce::new_state()?;
        let verifier = pkce::new_verifier()?;
        let url = self
            .request(redirect_uri)
            .url(&endpoints.auth, state.secret(), &verifier);
        Ok((url, state, verifier))
    }

    /// Exchanges `code` for tokens and builds the credentials: warns when fewer scopes were
    /// granted than requested, saves to the token store if one is set.
    pub fn exchange_code<'a>(
        &'a self,
        code: &'a AuthorizationCode,
        verifier: &'a PkceVerifier,
        redirect_uri: &'a str,
    ) -> crate::credentials::BoxFuture<'a, Result<Credentials>> {
        Box::pin(self.exchange(code, verifier, redirect_uri))
    }

    async fn exchange(
        &self,
        code: &AuthorizationCode,
        verifier: &PkceVerifier,
        redirect_uri: &str,
    ) -> Result<Credentials> {
        let client = self.token_client()?;
        let response = client
            .exchange_code(code, verifier, redirect_uri)
            .await
            .map_err(|e| {
                if is_oob(redirect_uri) && looks_like_oob_refusal(&e) {
                    redirect::oob_refused(Some(&e))
                } else {
                    e
                }
            })?;
        self.finish(client, response).await
    }

    pub(crate) async fn finish(
        &self,
        client: TokenClient,
        response: TokenResponse,
    ) -> Result<Credentials> {
        if let Some(scope) = &response.scope {
            let granted = parse_scope_list(scope);
            let missing = missing_scopes(&self.scopes, &granted);
            if !missing.is_empty() {
                tracing::warn!(
                    "the server granted fewer scopes than requested; missing: {}",
                    missing.join(" ")
                );
            }
        }
        let mut creds = UserCredentials::from_token_response(client, response, &self.scopes);
        if let Some(path) = &self.client_secrets_file {
            creds = creds.with_client_secrets_file(path.clone());
        }
        let creds = match &self.store {
            // Keeps a stored refresh token when a repeat login issued none (relogin.rs).
            Some((store, profile)) => {
                store
                    .save_login(profile, creds, self.asks_consent())
                    .await?
            }
            None => {
                if let Some(path) = &self.persist_path
                    && !creds.has_refresh_token()
                    && !self.asks_consent()
                {
                    return Err(persist::consent_required(path));
                }
                if !creds.has_refresh_token() {
                    tracing::warn!(
                        "no refresh token was issued; the login lasts only until the access \
                         token expires (log in again with prompt=consent to get one)"
                    );
                }
                Credentials::from_user(creds)
            }
        };
        tracing::info!(account = ?creds.account(), "login complete");
        Ok(creds)
    }
}

impl InstalledFlow {
    /// Whether the flow asks with `prompt=consent`.
    pub(crate) fn asks_consent(&self) -> bool {
        self.prompt
            .as_deref()
            .is_some_and(|p| p.split(' ').any(|w| w == "consent"))
    }

    /// The same flow asking with `prompt=consent`, when `e` says a repeat consent issued no
    /// refresh token and the stored one cannot be kept ([`Error::needs_consent`]): only a new
    /// consent issues one, so every `run_*` asks once more by itself rather than save a login
    /// that dies within the hour. `None` when consent was already asked for, or `prompt=none`
    /// promised to show no page (the error then says what to do).
    pub(crate) fn consent_retry(&self, e: &Error) -> Option<InstalledFlow> {
        if !e.needs_consent() {
            return None;
        }
        let asked = self.prompt.as_deref().unwrap_or_default();
        if asked.split(' ').any(|w| w == "consent" || w == "none") {
            return None;
        }
        tracing::warn!(
            "the server issued no refresh token for this login; asking once more with \
             prompt=consent so that it lasts"
        );
        Some(self.clone().prompt("consent"))
    }
}

/// Whether a token-endpoint error for an OOB redirect means the server does not allow OOB.
fn looks_like_oob_refusal(e: &Error) -> bool {
    let text = e.message().to_ascii_lowercase();
    text.contains("oob")
        || text.contains("out-of-band")
        || text.contains("out of band")
        || matches!(
            e.oauth_error_code(),
            Some("invalid_request" | "redirect_uri_mismatch")
        )
}
