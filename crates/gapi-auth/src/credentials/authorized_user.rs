//! A user's OAuth grant (`"type": "authorized_user"`): [`UserCredentials`] refresh with the
//! refresh token and, with a [`GrantStore`] attached, write every refresh through to it.
//!
//! Like every type it is a [`Provider`] behind the one token cache of
//! [`crate::credentials::Credentials`] (refresh 3 min 45 s before expiry, one refresh in
//! flight). With a store attached, a refresh first looks at the stored grant under the
//! store's cross-process lock (another process may have refreshed, or rotated the refresh
//! token, meanwhile), and writes the refreshed (and rotated) tokens at once. The store is a
//! small trait this module owns and the file store implements, so credentials never import
//! the store.

use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::credentials::provider::{BoxFuture, CredentialKind, Provider, Token};
use crate::error::{Error, ErrorKind, Result};
use crate::error::{Refusal, diagnose_refresh_failure};
use crate::protocol::endpoints::{Endpoints, GOOGLE_AUTH_URI, GOOGLE_TOKEN_URI};
use crate::protocol::scopes::parse_scope_list;
use crate::protocol::timefmt;
use crate::protocol::token::MAX_TOKEN_LIFETIME;
use crate::protocol::{TokenClient, TokenResponse};
use crate::secret::{AccessToken, ClientSecret, IdToken, RefreshToken};

use crate::credentials::cache::REFRESH_MARGIN;

/// The `type` value of the authorized-user JSON format.
pub const AUTHORIZED_USER_TYPE: &str = "authorized_user";

/// Where a user's grant is kept between runs: the file store's profile implements it. A
/// refresh takes the lock, reads what is stored (another process may have refreshed
/// meanwhile), and writes the new tokens before the lock is released.
pub(crate) trait GrantStore: Send + Sync + 'static {
    /// The profile name (remedies name it unless it is the default one).
    fn profile(&self) -> &str;

    /// Takes the store's exclusive, cross-process lock of this grant; released on drop.
    fn lock(&self) -> BoxFuture<'_, Result<Box<dyn Send>>>;

    /// The grant as stored now (`None`: nothing stored). Call while holding the lock.
    fn read(&self) -> Result<Option<AuthorizedUser>>;

    /// Replaces the stored grant with `creds`. Call while holding the lock.
    fn write(&self, creds: &UserCredentials) -> Result<()>;
}

/// A self-refreshing user credential, the [`Provider`] of a user's grant. Clone it freely:
/// clones share one state. Callers hold it through the [`crate::Credentials`] handle.
#[derive(Clone)]
pub(crate) struct UserCredentials {
    inner: Arc<Inner>,
}

struct Inner {
    client: TokenClient,
    state: RwLock<TokenState>,
    store: Mutex<Option<Arc<dyn GrantStore>>>,
}

#[derive(Clone, Default)]
struct TokenState {
    access_token: Option<AccessToken>,
    expiry: Option<SystemTime>,
    refresh_token: Option<RefreshToken>,
    id_token: Option<IdToken>,
    scopes: Vec<String>,
    account: Option<String>,
    quota_project_id: Option<String>,
    universe_domain: Option<String>,
    /// When the refresh token was issued (diagnoses Testing-mode expiry; issue 11).
    refresh_token_obtained: Option<SystemTime>,
    /// The client_secret.json the login used, to name the exact command that logs in again.
    client_secrets_file: Option<String>,
}

impl TokenState {
    fn fresh_token(&self, now: SystemTime) -> Option<AccessToken> {
        let token = self.access_token.as_ref()?;
        match self.expiry {
            None => Some(token.clone()),
            Some(expiry) if expiry > now + REFRESH_MARGIN => Some(token.clone()),
            Some(_) => None,
        }
    }

    fn apply(&mut self, resp: TokenResponse, now: SystemTime) {
        self.access_token = Some(resp.access_token);
        self.expiry = resp
            .expires_in
            .map(|s| now + Duration::from_secs(s).min(MAX_TOKEN_LIFETIME));
        if let Some(rt) = resp.refresh_token {
            self.refresh_token = Some(rt);
            self.refresh_token_obtained = Some(now);
        }
        if let Some(scope) = resp.scope {
            self.scopes = parse_scope_list(&scope);
        }
        if let Some(id) = resp.id_token {
            if let Some(email) = email_from_id_token(&id) {
                self.account = Some(email);
            }
            self.id_token = Some(id);
        }
    }
}

/// Reads the `email` claim of an ID token for display (no signature check: not used for trust).
fn email_from_id_token(id: &IdToken) -> Option<String> {
    id_token_claim(id, "email")
}

/// One string claim of an ID token's payload (no signature check: the token came straight
/// from the token endpoint over TLS; used to match accounts, never to grant access).
pub(crate) fn id_token_claim(id: &IdToken, claim: &str) -> Option<String> {
    use base64::Engine as _;
    let payload = id.secret().split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    v.get(claim)?.as_str().map(str::to_string)
}

/// The on-disk `authorized_user` JSON shared with Python google-auth and gcloud.
#[derive(Serialize, Deserialize, Default)]
pub(crate) struct AuthorizedUser {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    pub client_id: String,
    #[serde(default)]
    pub client_secret: Option<String>,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota_project_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub universe_domain: Option<String>,
    /// gapi's own: when the refresh token was issued (RFC 3339 UTC). google-auth and gcloud
    /// ignore fields they do not know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_obtained_at: Option<String>,
    /// gapi's own: the client_secret.json the login used (a path, not a secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gapi_client_secrets: Option<String>,
}

impl std::fmt::Debug for UserCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.read_state();
        f.debug_struct("UserCredentials")
            .field("client_id", &self.inner.client.client_id())
            .field("access_token", &s.access_token)
            .field("refresh_token", &s.refresh_token)
            .field("expiry", &s.expiry.map(timefmt::format_expiry))
            .field("scopes", &s.scopes)
            .field("account", &s.account)
            .finish()
    }
}

impl UserCredentials {
    fn from_state(client: TokenClient, state: TokenState) -> Self {
        UserCredentials {
            inner: Arc::new(Inner {
                client,
                state: RwLock::new(state),
                store: Mutex::new(None),
            }),
        }
    }

    /// UserCredentials from a fresh token response (what a login flow produces). When the server
    /// does not list the granted scopes, the requested ones are assumed.
    pub(crate) fn from_token_response(
        client: TokenClient,
        response: TokenResponse,
        requested_scopes: &[String],
    ) -> Self {
        let mut state = TokenState {
            scopes: requested_scopes.to_vec(),
            ..Default::default()
        };
        state.apply(response, SystemTime::now());
        Self::from_state(client, state)
    }

    /// UserCredentials that only hold a refresh token; the first `access_token()` refreshes.
    pub(crate) fn from_refresh_token(client: TokenClient, refresh_token: RefreshToken) -> Self {
        Self::from_state(
            client,
            TokenState {
                refresh_token: Some(refresh_token),
                ..Default::default()
            },
        )
    }

    /// Parses `authorized_user` JSON (gcloud / Python google-auth format). `http` is the client
    /// used for refreshes (`None`: a default one).
    pub(crate) fn from_authorized_user_json(
        text: &str,
        http: Option<gapi_retry::HttpClient>,
    ) -> Result<Self> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Error::new(
                ErrorKind::Store,
                format!("credentials are not valid JSON ({e})"),
            )
        })?;
        if let Some(kind) = value.get("type").and_then(|t| t.as_str())
            && kind != AUTHORIZED_USER_TYPE
        {
            return Err(Error::new(
                ErrorKind::Store,
                format!(
                    "credentials of type \"{kind}\" are not supported (only \"authorized_user\")"
                ),
            )
            .with_remedy(crate::error::Remedy::LogIn {
                profile: None,
                client_secrets_needed: false,
            }));
        }
        let file: AuthorizedUser = serde_json::from_value(value).map_err(|e| {
            Error::new(
                ErrorKind::Store,
                format!("credentials are not in the authorized_user format: {e}"),
            )
        })?;
        Self::from_authorized_user(file, http)
    }

    /// Reads an `authorized_user` JSON file (for example gcloud's application default
    /// credentials, or one written by Python's `UserCredentials.to_json()`).
    pub(crate) fn from_authorized_user_file(
        path: impl AsRef<Path>,
        http: Option<gapi_retry::HttpClient>,
    ) -> Result<Self> {
        let path = path.as_ref();
        let text = crate::fsread::read_small_file(
            path,
            format!("cannot read credentials file {}", path.display()),
        )?;
        for warning in crate::warnings::file_warnings(path) {
            tracing::warn!("{warning}");
        }
        Self::from_authorized_user_json(&text, http).map_err(|e| {
            Error::new(e.kind(), format!("{}: {}", path.display(), e.message())).with_remedy(
                crate::error::Remedy::RemoveAndLogIn {
                    path: path.to_path_buf(),
                    profile: None,
                    client_secrets_needed: false,
                },
            )
        })
    }

    pub(crate) fn from_authorized_user(
        file: AuthorizedUser,
        http: Option<gapi_retry::HttpClient>,
    ) -> Result<Self> {
        let token_uri = file.token_uri.as_deref().unwrap_or(GOOGLE_TOKEN_URI);
        let endpoints = Endpoints::from_auth_and_token(GOOGLE_AUTH_URI, token_uri)?;
        let secret = file
            .client_secret
            .filter(|s| !s.is_empty())
            .map(ClientSecret::new);
        let mut client = TokenClient::new(file.client_id, secret, endpoints)?;
        if let Some(http) = http {
            client = client.with_http_client(http);
        }
        let expiry = match file.expiry.as_deref() {
            Some(text) if !text.is_empty() => {
                Some(timefmt::parse_expiry(text).ok_or_else(|| {
                    Error::new(
                        ErrorKind::Store,
                        format!(
                            "the expiry `{text}` is not a UTC timestamp like 2026-11-25T18:00:00Z"
                        ),
                    )
                })?)
            }
            _ => None,
        };
        let state = TokenState {
            access_token: file.token.filter(|t| !t.is_empty()).map(AccessToken::new),
            // A token without a known expiry cannot be trusted to be fresh.
            expiry: expiry.or(Some(SystemTime::UNIX_EPOCH)),
            refresh_token: file
                .refresh_token
                .filter(|t| !t.is_empty())
                .map(RefreshToken::new),
            id_token: None,
            scopes: file.scopes.unwrap_or_default(),
            account: file.account.filter(|a| !a.is_empty()),
            quota_project_id: file.quota_project_id.filter(|q| !q.is_empty()),
            universe_domain: file.universe_domain,
            // An unreadable timestamp only loses the diagnosis, never the login.
            refresh_token_obtained: file
                .refresh_token_obtained_at
                .as_deref()
                .and_then(timefmt::parse_expiry),
            client_secrets_file: file.gapi_client_secrets.filter(|p| !p.is_empty()),
        };
        Ok(Self::from_state(client, state))
    }

    pub(crate) fn to_authorized_user(&self) -> AuthorizedUser {
        let s = self.read_state();
        AuthorizedUser {
            kind: Some(AUTHORIZED_USER_TYPE.to_string()),
            client_id: self.inner.client.client_id().to_string(),
            // Python google-auth requires the key even for public clients.
            client_secret: Some(
                self.inner
                    .client
                    .client_secret()
                    .map(|s| s.secret().to_string())
                    .unwrap_or_default(),
            ),
            refresh_token: s.refresh_token.as_ref().map(|t| t.secret().to_string()),
            token: s.access_token.as_ref().map(|t| t.secret().to_string()),
            expiry: s.expiry.map(timefmt::format_expiry),
            scopes: Some(s.scopes.clone()),
            token_uri: Some(self.inner.client.endpoints().token.to_string()),
            account: Some(s.account.clone().unwrap_or_default()),
            quota_project_id: s.quota_project_id.clone(),
            universe_domain: Some(
                s.universe_domain
                    .clone()
                    .unwrap_or_else(|| "googleapis.com".to_string()),
            ),
            refresh_token_obtained_at: s
                .refresh_token
                .as_ref()
                .and(s.refresh_token_obtained)
                .map(timefmt::format_expiry),
            gapi_client_secrets: s.client_secrets_file.clone(),
        }
    }

    /// The `authorized_user` JSON that Python google-auth and gcloud read (contains secrets:
    /// write it only to private files).
    pub(crate) fn to_authorized_user_json(&self) -> String {
        // Serializing a struct of strings cannot fail.
        serde_json::to_string_pretty(&self.to_authorized_user()).unwrap_or_default()
    }

    /// Persists every refresh (and rotated refresh token) to `store` at once.
    pub(crate) fn set_store(&self, store: Arc<dyn GrantStore>) {
        if let Ok(mut slot) = self.inner.store.lock() {
            *slot = Some(store);
        }
    }

    /// Sets the project billed for API quota (sent as `x-goog-user-project`).
    pub(crate) fn set_quota_project_id(&self, project: String) {
        self.write_state(|s| s.quota_project_id = Some(project));
    }

    /// Takes over a stored refresh token (and the scopes it grants) after a repeat login that
    /// issued none, so the login keeps renewing itself.
    pub(crate) fn adopt_refresh_token(
        &self,
        refresh_token: RefreshToken,
        scopes: Vec<String>,
        obtained: Option<SystemTime>,
    ) {
        self.write_state(|s| {
            s.refresh_token = Some(refresh_token);
            s.refresh_token_obtained = obtained;
            if !scopes.is_empty() {
                s.scopes = scopes;
            }
        });
    }

    /// When the refresh token was issued, when known (logins by gapi record it).
    pub(crate) fn refresh_token_obtained(&self) -> Option<SystemTime> {
        self.read_state().refresh_token_obtained
    }

    /// The client_secret.json this login was made with, when recorded.
    pub(crate) fn client_secrets_file(&self) -> Option<String> {
        self.read_state().client_secrets_file
    }

    /// Records the client_secret.json the login used (stored beside the tokens), so a failed
    /// refresh can name the exact command that logs in again.
    pub(crate) fn with_client_secrets_file(self, path: impl Into<String>) -> Self {
        self.write_state(|s| s.client_secrets_file = Some(path.into()));
        self
    }

    /// Explains a failed refresh (Testing-mode expiry, re-authentication policy, revoked
    /// grant, gone client) from the error and this login's age and scopes.
    fn diagnosed(&self, e: Error) -> Error {
        let Some(code) = e.oauth_error_code() else {
            return e;
        };
        let refusal = Refusal {
            code,
            subtype: e.oauth_error_subtype(),
        };
        let s = self.read_state();
        match diagnose_refresh_failure(
            &refusal,
            s.refresh_token_obtained,
            &s.scopes,
            SystemTime::now(),
        ) {
            Some(d) => e.with_diagnosis(d),
            None => e,
        }
    }

    /// Records the account name learnt after login (tokeninfo), for display and matching.
    pub(crate) fn set_account(&self, account: String) {
        self.write_state(|s| s.account = Some(account));
    }

    fn read_state(&self) -> TokenState {
        match self.inner.state.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn write_state<R>(&self, f: impl FnOnce(&mut TokenState) -> R) -> R {
        match self.inner.state.write() {
            Ok(mut s) => f(&mut s),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    fn store_binding(&self) -> Option<Arc<dyn GrantStore>> {
        self.inner.store.lock().ok().and_then(|s| s.clone())
    }

    /// The access token held now, as the token cache keeps it (`None`: none yet).
    pub(crate) fn current_token(&self) -> Option<Token> {
        let s = self.read_state();
        Some(Token {
            access_token: s.access_token?,
            expires_at: s.expiry,
            scopes: Some(s.scopes),
        })
    }

    /// Renews the access token (the token cache asks, one refresh at a time): from the store
    /// when another process renewed it meanwhile, else with the refresh token.
    async fn renew(&self) -> Result<Token> {
        let result = match self.store_binding() {
            Some(store) => self.refresh_with_store(&*store).await,
            None => self.refresh_now().await,
        };
        result.map_err(|e| self.login_hint(self.diagnosed(e)))?;
        self.current_token().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidResponse,
                "the refresh left no access token",
            )
        })
    }

    fn login_hint(&self, e: Error) -> Error {
        let profile = self
            .store_binding()
            .and_then(|store| crate::profile::named(store.profile()));
        e.with_login_remedy(profile)
    }

    async fn refresh_now(&self) -> Result<AccessToken> {
        let Some(refresh_token) = self.read_state().refresh_token else {
            return Err(Error::new(
                ErrorKind::LoginRequired,
                "the access token expired and there is no refresh token to renew it",
            )
            .with_login_remedy(None));
        };
        tracing::debug!(client_id = %self.inner.client.client_id(), "refreshing access token");
        let resp = self.inner.client.refresh(&refresh_token).await?;
        if resp.refresh_token.is_some() {
            tracing::debug!("the server rotated the refresh token");
        }
        let token = resp.access_token.clone();
        self.write_state(|s| s.apply(resp, SystemTime::now()));
        Ok(token)
    }

    async fn refresh_with_store(&self, store: &dyn GrantStore) -> Result<AccessToken> {
        // A read-only config folder (a secret mounted read-only) must not break refreshes:
        // the new token is used, and one warning says it could not be saved.
        let lock = match store.lock().await {
            Ok(lock) => Some(lock),
            Err(e) if e.is_io() => {
                tracing::warn!(
                    "the refreshed token cannot be saved ({e}); it is used for this run only"
                );
                None
            }
            Err(e) => return Err(e),
        };
        // Another process may have refreshed (and rotated the refresh token) meanwhile.
        if let Some(on_disk) = store.read()?
            && on_disk.client_id == self.inner.client.client_id()
        {
            let disk_rt = on_disk.refresh_token.clone().filter(|t| !t.is_empty());
            let disk_at = on_disk.token.clone().filter(|t| !t.is_empty());
            let disk_expiry = on_disk.expiry.as_deref().and_then(timefmt::parse_expiry);
            let ours = self.read_state();
            let rotated = match (&disk_rt, &ours.refresh_token) {
                (Some(d), Some(o)) => d != o.secret(),
                (Some(_), None) => true,
                _ => false,
            };
            let disk_token_new = match (&disk_at, &ours.access_token) {
                (Some(d), Some(o)) => d != o.secret(),
                (Some(_), None) => true,
                _ => false,
            };
            if rotated || disk_token_new {
                let disk_obtained = on_disk
                    .refresh_token_obtained_at
                    .as_deref()
                    .and_then(timefmt::parse_expiry);
                self.write_state(|s| {
                    if let Some(rt) = &disk_rt {
                        s.refresh_token = Some(RefreshToken::new(rt.clone()));
                        s.refresh_token_obtained = disk_obtained;
                    }
                    if let Some(at) = &disk_at {
                        s.access_token = Some(AccessToken::new(at.clone()));
                        s.expiry = disk_expiry;
                    }
                });
                // The cache asks only when its token is stale or was refused: a token on disk
                // that differs from ours and is fresh is the other process's renewal.
                if let (true, Some(t)) = (
                    disk_token_new,
                    self.read_state().fresh_token(SystemTime::now()),
                ) {
                    tracing::debug!("adopted a token refreshed by another process");
                    drop(lock);
                    return Ok(t);
                }
            }
        }
        let token = self.refresh_now().await?;
        if lock.is_some()
            && let Err(e) = store.write(self)
        {
            if !e.is_io() {
                return Err(e);
            }
            tracing::warn!(
                "the refreshed token could not be saved ({e}); it is used for this run only"
            );
        }
        drop(lock);
        Ok(token)
    }

    /// Revokes the grant at the server (the refresh token if there is one, else the access
    /// token). Does not delete any stored file.
    pub(crate) async fn revoke(&self) -> Result<()> {
        let s = self.read_state();
        if let Some(rt) = &s.refresh_token {
            self.inner.client.revoke_refresh_token(rt).await
        } else if let Some(at) = &s.access_token {
            self.inner.client.revoke_access_token(at).await
        } else {
            Ok(())
        }
    }

    /// The scopes granted to this credential.
    pub(crate) fn granted_scopes(&self) -> Vec<String> {
        self.read_state().scopes
    }

    /// The user's account (email), when known.
    pub(crate) fn account(&self) -> Option<String> {
        self.read_state().account
    }

    /// The project billed for quota, when set.
    pub(crate) fn quota_project_id(&self) -> Option<String> {
        self.read_state().quota_project_id
    }

    /// When the current access token expires, when known.
    pub(crate) fn expiry(&self) -> Option<SystemTime> {
        self.read_state().expiry
    }

    /// True when a refresh token is held (the credential can renew itself).
    pub(crate) fn has_refresh_token(&self) -> bool {
        self.read_state().refresh_token.is_some()
    }

    /// The refresh token, if any (secret).
    pub(crate) fn refresh_token(&self) -> Option<RefreshToken> {
        self.read_state().refresh_token
    }

    /// The OpenID Connect ID token from the last login or refresh, if any.
    pub(crate) fn id_token(&self) -> Option<IdToken> {
        self.read_state().id_token
    }

    /// The token endpoint client these credentials refresh with.
    pub(crate) fn token_client(&self) -> &TokenClient {
        &self.inner.client
    }

    /// The OAuth client id.
    pub(crate) fn client_id(&self) -> &str {
        self.inner.client.client_id()
    }
}

impl UserCredentials {
    /// A user's ID token is always issued to the OAuth client: any other audience is an error.
    pub(crate) fn check_id_token_audience(&self, audience: &str) -> Result<()> {
        if audience.is_empty() || audience == self.client_id() {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::Config,
            format!(
                "a user's ID token is always issued to the OAuth client ({}); it cannot have the \
                 audience {audience}",
                self.client_id()
            ),
        )
        .with_hint(
            "impersonate a service account (--impersonate-service-account) to mint ID tokens \
             for other audiences",
        ))
    }
}

/// The error for user credentials that carry no ID token even after a refresh.
pub(crate) fn no_id_token() -> Error {
    Error::new(
        ErrorKind::LoginRequired,
        "these user credentials carry no ID token",
    )
    .with_hint("log in again asking for the openid and email scopes")
}

impl Provider for UserCredentials {
    fn kind(&self) -> CredentialKind {
        CredentialKind::AuthorizedUser
    }

    fn fetch_token(&self) -> BoxFuture<'_, Result<Token>> {
        Box::pin(self.renew())
    }

    fn id_token<'a>(&'a self, audience: &'a str) -> BoxFuture<'a, Result<IdToken>> {
        Box::pin(async move {
            self.check_id_token_audience(audience)?;
            if self.id_token().is_none() {
                self.renew().await?;
            }
            self.id_token().ok_or_else(no_id_token)
        })
    }

    fn account(&self) -> Option<String> {
        UserCredentials::account(self)
    }

    fn quota_project_id(&self) -> Option<String> {
        UserCredentials::quota_project_id(self)
    }

    fn universe_domain(&self) -> String {
        self.read_state()
            .universe_domain
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| crate::credentials::provider::DEFAULT_UNIVERSE_DOMAIN.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absurd_token_lifetimes_are_capped_not_a_panic() {
        // Found by the token_response fuzz target: `"expires_in": 18446744073709551615` from a
        // token endpoint overflowed `SystemTime + Duration` and aborted the process.
        let now = SystemTime::now();
        for seconds in [u64::MAX, 1 << 40, 400 * 24 * 3600] {
            let mut s = TokenState::default();
            s.apply(
                TokenResponse {
                    access_token: AccessToken::new("a"),
                    token_type: None,
                    expires_in: Some(seconds),
                    refresh_token: None,
                    scope: None,
                    id_token: None,
                },
                now,
            );
            assert_eq!(s.expiry, Some(now + MAX_TOKEN_LIFETIME), "{seconds}");
            let shown = timefmt::format_expiry(s.expiry.unwrap());
            assert!(timefmt::parse_expiry(&shown).is_some(), "{shown}");
        }
    }

    #[test]
    fn fresh_token_respects_margin() {
        let now = SystemTime::now();
        let mut s = TokenState {
            access_token: Some(AccessToken::new("a")),
            expiry: Some(now + Duration::from_secs(200)),
            ..Default::default()
        };
        assert!(
            s.fresh_token(now).is_none(),
            "200 s left is inside the 225 s margin"
        );
        s.expiry = Some(now + Duration::from_secs(300));
        assert!(s.fresh_token(now).is_some());
    }

    #[test]
    fn email_from_unsigned_id_token() {
        use base64::Engine as _;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"email":"u@example.com","sub":"1"}"#);
        let id = IdToken::new(format!("xx.{payload}.sig"));
        assert_eq!(email_from_id_token(&id).as_deref(), Some("u@example.com"));
        assert!(email_from_id_token(&IdToken::new("garbage")).is_none());
    }
}
