//! `Credentials`: the one cheap-to-clone handle every caller holds, whatever the credential
//! type. It wraps a [`Provider`] (a service-account key, an impersonated account, the metadata
//! server, a federated workload, a raw token...) in a [`TokenCache`], or a user's
//! [`UserCredentials`], which keep their own store-aware refresh. Either way a valid token
//! comes back, refreshed 3 min 45 s ahead of expiry, one refresh at a time however many tasks
//! ask.

pub mod authorized_user;
pub mod cache;
pub mod external_account;
pub mod impersonated;
pub mod metadata;
pub mod provider;
pub mod service_account;
pub mod static_token;

use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

pub use crate::credentials::authorized_user::{AUTHORIZED_USER_TYPE, UserCredentials};
pub use crate::credentials::cache::REFRESH_MARGIN;
use crate::credentials::cache::TokenCache;
use crate::error::{Error, ErrorKind, Result};
use crate::protocol::{TokenClient, TokenInfo, TokenResponse};
use crate::credentials::provider::{CredentialKind, Provider};
use crate::secret::{AccessToken, IdToken, RefreshToken};
use crate::store::FileStore;

/// Credentials of any type. Clone it freely: clones share one token and one refresh.
#[derive(Clone)]
pub struct Credentials {
    inner: Arc<Inner>,
}

enum Inner {
    /// A user's grant (refresh token, optional store write-through).
    User(UserCredentials),
    /// Any other provider, behind the shared token cache.
    Provider(TokenCache),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &*self.inner {
            Inner::User(u) => u.fmt(f),
            Inner::Provider(c) => f
                .debug_struct("Credentials")
                .field("kind", &c.provider().kind())
                .field("account", &c.provider().account())
                .finish_non_exhaustive(),
        }
    }
}

impl From<UserCredentials> for Credentials {
    fn from(user: UserCredentials) -> Self {
        Credentials {
            inner: Arc::new(Inner::User(user)),
        }
    }
}

impl Credentials {
    /// Credentials minted by `provider` (cached and refreshed ahead of expiry).
    pub fn from_provider(provider: Arc<dyn Provider>) -> Self {
        Credentials {
            inner: Arc::new(Inner::Provider(TokenCache::new(provider))),
        }
    }

    /// User credentials from a fresh token response (what a login flow produces).
    pub fn from_token_response(
        client: TokenClient,
        response: TokenResponse,
        requested_scopes: &[String],
    ) -> Self {
        UserCredentials::from_token_response(client, response, requested_scopes).into()
    }

    /// User credentials that only hold a refresh token; the first `access_token()` refreshes.
    pub fn from_refresh_token(client: TokenClient, refresh_token: RefreshToken) -> Self {
        UserCredentials::from_refresh_token(client, refresh_token).into()
    }

    /// Parses `authorized_user` JSON (gcloud / Python google-auth format).
    pub fn from_authorized_user_json(text: &str, http: Option<reqwest::Client>) -> Result<Self> {
        UserCredentials::from_authorized_user_json(text, http).map(Into::into)
    }

    /// Reads an `authorized_user` JSON file.
    pub fn from_authorized_user_file(
        path: impl AsRef<Path>,
        http: Option<reqwest::Client>,
    ) -> Result<Self> {
        UserCredentials::from_authorized_user_file(path, http).map(Into::into)
    }

    /// The user credentials inside, when these are a user's.
    pub fn user(&self) -> Option<&UserCredentials> {
        match &*self.inner {
            Inner::User(u) => Some(u),
            Inner::Provider(_) => None,
        }
    }

    /// The provider inside, when these are not a user's.
    pub fn provider(&self) -> Option<&Arc<dyn Provider>> {
        match &*self.inner {
            Inner::User(_) => None,
            Inner::Provider(c) => Some(c.provider()),
        }
    }

    /// The credential type.
    pub fn kind(&self) -> CredentialKind {
        match &*self.inner {
            Inner::User(_) => CredentialKind::AuthorizedUser,
            Inner::Provider(c) => c.provider().kind(),
        }
    }

    /// As a [`Provider`] (for example the source of an impersonation).
    pub fn as_provider(&self) -> Arc<dyn Provider> {
        match &*self.inner {
            Inner::User(u) => Arc::new(u.clone()),
            Inner::Provider(c) => c.provider().clone(),
        }
    }

    /// Persists every refresh of user credentials to `store` under `profile` (no effect on
    /// other types, which keep no long-lived secret that changes).
    pub fn with_store(self, store: FileStore, profile: impl Into<String>) -> Self {
        match &*self.inner {
            Inner::User(u) => u.clone().with_store(store, profile).into(),
            Inner::Provider(_) => self,
        }
    }

    /// A valid access token, fetched first when it expires within [`REFRESH_MARGIN`].
    /// Concurrent callers share one refresh.
    pub async fn access_token(&self) -> Result<AccessToken> {
        match &*self.inner {
            Inner::User(u) => u.access_token().await,
            Inner::Provider(c) => c.access_token().await,
        }
    }

    /// Renews even if the token looks valid (after the API answered 401). The token seen as
    /// bad is the one current when this is *called*: a refresh finishing later satisfies it.
    pub fn force_refresh(
        &self,
    ) -> impl std::future::Future<Output = Result<AccessToken>> + Send + 'static {
        let this = self.clone();
        let seen = match &*self.inner {
            Inner::Provider(c) => c.generation(),
            Inner::User(_) => 0,
        };
        let user_refresh = self.user().map(|u| u.force_refresh());
        async move {
            match user_refresh {
                Some(fut) => fut.await,
                None => match &*this.inner {
                    Inner::Provider(c) => c.force_refresh_from(seen).await,
                    Inner::User(u) => u.force_refresh().await,
                },
            }
        }
    }

    /// An OpenID Connect ID token for `audience` (service accounts, impersonation, the
    /// metadata server; for users, the login's ID token, whose audience is the client id).
    pub async fn id_token_for(&self, audience: &str) -> Result<IdToken> {
        match &*self.inner {
            Inner::User(u) => Provider::id_token(u, audience).await,
            Inner::Provider(c) => c.provider().id_token(audience).await,
        }
    }

    /// The account tokens are minted for (email), when known.
    pub fn account(&self) -> Option<String> {
        match &*self.inner {
            Inner::User(u) => u.account(),
            Inner::Provider(c) => c.provider().account(),
        }
    }

    /// The project billed for quota, when set.
    pub fn quota_project_id(&self) -> Option<String> {
        match &*self.inner {
            Inner::User(u) => u.quota_project_id(),
            Inner::Provider(c) => c.provider().quota_project_id(),
        }
    }

    /// The universe domain (`googleapis.com` unless the credential says otherwise).
    pub fn universe_domain(&self) -> String {
        match &*self.inner {
            Inner::User(u) => Provider::universe_domain(u),
            Inner::Provider(c) => c.provider().universe_domain(),
        }
    }

    /// The scopes granted (users) or asked for (other types), when known.
    pub fn granted_scopes(&self) -> Vec<String> {
        match &*self.inner {
            Inner::User(u) => u.granted_scopes(),
            Inner::Provider(c) => c.cached().and_then(|t| t.scopes).unwrap_or_default(),
        }
    }

    /// When the current access token expires, when known.
    pub fn expiry(&self) -> Option<SystemTime> {
        match &*self.inner {
            Inner::User(u) => u.expiry(),
            Inner::Provider(c) => c.cached().and_then(|t| t.expires_at),
        }
    }

    /// True when the credential can renew itself: a user's refresh token, or any type that
    /// mints tokens itself (all but a raw access token).
    pub fn has_refresh_token(&self) -> bool {
        match &*self.inner {
            Inner::User(u) => u.has_refresh_token(),
            Inner::Provider(c) => c.provider().kind() != CredentialKind::AccessToken,
        }
    }

    /// A user's refresh token, if any (secret).
    pub fn refresh_token(&self) -> Option<RefreshToken> {
        self.user().and_then(|u| u.refresh_token())
    }

    /// A user's ID token from the last login or refresh, if any.
    pub fn id_token(&self) -> Option<IdToken> {
        self.user().and_then(|u| u.id_token())
    }

    /// The token endpoint client user credentials refresh with.
    pub fn token_client(&self) -> Option<&TokenClient> {
        self.user().map(|u| u.token_client())
    }

    /// The OAuth client id of user credentials.
    pub fn client_id(&self) -> Option<&str> {
        self.user().map(|u| u.client_id())
    }

    /// The client_secret.json a user's login was made with, when recorded (names the exact
    /// command that logs in again).
    pub fn client_secrets_file(&self) -> Option<String> {
        self.user().and_then(|u| u.client_secrets_file())
    }

    /// When a user's refresh token was issued, when known (diagnoses Testing-mode expiry).
    pub fn refresh_token_obtained(&self) -> Option<std::time::SystemTime> {
        self.user().and_then(|u| u.refresh_token_obtained())
    }

    /// The `authorized_user` JSON of user credentials (contains secrets).
    pub fn to_authorized_user_json(&self) -> Option<String> {
        self.user().map(|u| u.to_authorized_user_json())
    }

    /// Sets the project billed for quota of user credentials.
    pub fn with_quota_project_id(self, project: impl Into<String>) -> Self {
        match &*self.inner {
            Inner::User(u) => u.clone().with_quota_project_id(project).into(),
            Inner::Provider(_) => self,
        }
    }

    /// Revokes a user's grant at the server. Other types hold nothing revocable here.
    pub async fn revoke(&self) -> Result<()> {
        match &*self.inner {
            Inner::User(u) => u.revoke().await,
            Inner::Provider(c) => Err(Error::new(
                ErrorKind::Config,
                format!(
                    "{} credentials cannot be revoked by gapi",
                    c.provider().kind().describe()
                ),
            )
            .with_hint("delete or disable the key or binding in the Cloud Console instead")),
        }
    }

    /// Asks Google's tokeninfo endpoint about the current access token.
    pub async fn tokeninfo(&self) -> Result<TokenInfo> {
        match &*self.inner {
            Inner::User(u) => u.tokeninfo().await,
            Inner::Provider(c) => {
                let token = c.access_token().await?;
                let client = TokenClient::new("", None, crate::protocol::endpoints::Endpoints::google())?;
                client.tokeninfo(&token).await
            }
        }
    }
}
