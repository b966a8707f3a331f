//! `Credentials`: the one cheap-to-clone handle every caller holds, whatever the credential
//! type. Every type is a [`Provider`] (a user's grant, a service-account key, an impersonated
//! account, the metadata server, a federated workload, a raw token...) in a module of its own,
//! whose builder's `build()` returns this handle. The handle keeps the provider's tokens in the
//! one token cache (`cache.rs`): a valid token comes back, refreshed 3 min 45 s ahead of expiry, one
//! refresh at a time however many tasks ask.

pub(crate) mod authorized_user;
pub(crate) mod cache;
#[cfg(feature = "service-accounts")]
pub mod external_account;
#[cfg(feature = "service-accounts")]
pub mod impersonated;
#[cfg(feature = "service-accounts")]
pub mod metadata;
mod provider;
#[cfg(feature = "service-accounts")]
pub mod service_account;
mod source;
pub mod static_token;

use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

pub use crate::credentials::authorized_user::AUTHORIZED_USER_TYPE;

/// The JSON `type` of a service-account key file. These type names are known in every build:
/// one built without the `service-accounts` feature still names the files it refuses.
pub const SERVICE_ACCOUNT_TYPE: &str = "service_account";
/// The JSON `type` of an impersonated-service-account ADC file.
pub const IMPERSONATED_TYPE: &str = "impersonated_service_account";
/// The JSON `type` of an external-account (workload or workforce identity federation) file.
pub const EXTERNAL_ACCOUNT_TYPE: &str = "external_account";
/// The JSON `type` of a workforce user's refresh-token file.
pub const EXTERNAL_ACCOUNT_AUTHORIZED_USER_TYPE: &str = "external_account_authorized_user";
pub(crate) use crate::credentials::authorized_user::{GrantStore, UserCredentials};
pub use crate::credentials::cache::REFRESH_MARGIN;
use crate::credentials::cache::TokenCache;
pub use crate::credentials::provider::{
    BoxFuture, CLOUD_PLATFORM_SCOPE, CredentialKind, DEFAULT_UNIVERSE_DOMAIN, Provider, Token,
};
pub use crate::credentials::source::CredentialSource;
use crate::error::{Error, ErrorKind, Result};
use crate::protocol::{TokenClient, TokenInfo, TokenResponse};
use crate::secret::{AccessToken, IdToken, RefreshToken};

/// What credentials loaded from a file, a profile or Application Default Credentials are asked
/// for (by the types that mint tokens themselves; a user's grant keeps its scopes).
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Scopes (full URLs or short names) for service accounts, federation and the metadata server; each
    /// type's default (`cloud-platform`) when empty.
    pub scopes: Vec<String>,
    /// Domain-wide delegation: the Workspace user a service account acts for.
    pub subject: Option<String>,
    /// The HTTP client for token requests (the shared default when `None`).
    pub http: Option<gapi_retry::HttpClient>,
}

/// Credentials of any type. Clone it freely: clones share one token and one refresh.
#[derive(Clone)]
pub struct Credentials {
    inner: Arc<Inner>,
}

struct Inner {
    /// The provider's tokens: the one cache every type refreshes through.
    cache: TokenCache,
    /// The same provider when it is a user's grant (refresh token, store write-through), for
    /// what only a user's credentials have.
    user: Option<UserCredentials>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.inner.user {
            Some(u) => u.fmt(f),
            None => f
                .debug_struct("Credentials")
                .field("kind", &self.provider().kind())
                .field("account", &self.provider().account())
                .finish_non_exhaustive(),
        }
    }
}

impl Credentials {
    /// Credentials minted by `provider` (cached and refreshed ahead of expiry): for a
    /// credential type of your own. The types of this crate are built by their builders.
    pub fn from_provider(provider: impl Provider) -> Self {
        Self::from_arc(Arc::new(provider))
    }

    /// [`Credentials::from_provider`] for a provider already shared.
    pub(crate) fn from_arc(provider: Arc<dyn Provider>) -> Self {
        Credentials {
            inner: Arc::new(Inner {
                cache: TokenCache::new(provider),
                user: None,
            }),
        }
    }

    /// A user's grant, starting from the access token it holds (if any).
    pub(crate) fn from_user(user: UserCredentials) -> Self {
        let cache = TokenCache::new(Arc::new(user.clone()));
        let cache = match user.current_token() {
            Some(token) => cache.with_token(token),
            None => cache,
        };
        Credentials {
            inner: Arc::new(Inner {
                cache,
                user: Some(user),
            }),
        }
    }

    /// User credentials from a fresh token response (what a login flow produces).
    pub fn from_token_response(
        client: TokenClient,
        response: TokenResponse,
        requested_scopes: &[String],
    ) -> Self {
        Self::from_user(UserCredentials::from_token_response(
            client,
            response,
            requested_scopes,
        ))
    }

    /// User credentials that only hold a refresh token; the first `access_token()` refreshes.
    pub fn from_refresh_token(client: TokenClient, refresh_token: RefreshToken) -> Self {
        Self::from_user(UserCredentials::from_refresh_token(client, refresh_token))
    }

    /// Parses `authorized_user` JSON (gcloud / Python google-auth format).
    pub fn from_authorized_user_json(
        text: &str,
        http: Option<gapi_retry::HttpClient>,
    ) -> Result<Self> {
        UserCredentials::from_authorized_user_json(text, http).map(Self::from_user)
    }

    /// Reads an `authorized_user` JSON file.
    pub fn from_authorized_user_file(
        path: impl AsRef<Path>,
        http: Option<gapi_retry::HttpClient>,
    ) -> Result<Self> {
        UserCredentials::from_authorized_user_file(path, http).map(Self::from_user)
    }

    /// The user credentials inside, when these are a user's.
    pub(crate) fn user(&self) -> Option<&UserCredentials> {
        self.inner.user.as_ref()
    }

    /// The provider that mints the tokens.
    pub(crate) fn provider(&self) -> &Arc<dyn Provider> {
        self.inner.cache.provider()
    }

    /// The credential type.
    pub fn kind(&self) -> CredentialKind {
        self.provider().kind()
    }

    /// Persists every refresh of user credentials to `store` (no effect on other types, which
    /// keep no long-lived secret that changes). The file store binds itself through
    /// `FileStore::bind`.
    pub(crate) fn with_store(self, store: Arc<dyn GrantStore>) -> Self {
        if let Some(u) = self.user() {
            u.set_store(store);
        }
        self
    }

    /// A valid access token, fetched first when it expires within [`REFRESH_MARGIN`].
    /// Concurrent callers share one refresh.
    pub fn access_token(&self) -> BoxFuture<'_, Result<AccessToken>> {
        Box::pin(self.inner.cache.access_token())
    }

    /// Renews even if the token looks valid (after the API answered 401). The token seen as
    /// bad is the one current when this is *called*: a refresh finishing later satisfies it.
    pub fn force_refresh(
        &self,
    ) -> impl std::future::Future<Output = Result<AccessToken>> + Send + 'static {
        let this = self.clone();
        let seen = self.generation();
        async move { this.force_refresh_from(seen).await }
    }

    /// How many refreshes finished so far (read it when a token is found bad, before awaiting
    /// anything, and pass it to [`Credentials::force_refresh_from`]).
    pub(crate) fn generation(&self) -> u64 {
        self.inner.cache.generation()
    }

    /// Renews unless a refresh finished since `seen` (from [`Credentials::generation`]).
    pub(crate) async fn force_refresh_from(&self, seen: u64) -> Result<AccessToken> {
        self.inner.cache.force_refresh_from(seen).await
    }

    /// An OpenID Connect ID token for `audience` (service accounts, impersonation, the
    /// metadata server; for users, the login's ID token, whose audience is the client id).
    pub async fn id_token_for(&self, audience: &str) -> Result<IdToken> {
        if let Some(u) = self.user() {
            u.check_id_token_audience(audience)?;
            if u.id_token().is_none() {
                self.force_refresh().await?;
            }
            return u.id_token().ok_or_else(authorized_user::no_id_token);
        }
        self.provider().id_token(audience).await
    }

    /// The account tokens are minted for (email), when known.
    pub fn account(&self) -> Option<String> {
        self.provider().account()
    }

    /// The project billed for quota, when set.
    pub fn quota_project_id(&self) -> Option<String> {
        self.provider().quota_project_id()
    }

    /// The universe domain (`googleapis.com` unless the credential says otherwise).
    pub fn universe_domain(&self) -> String {
        self.provider().universe_domain()
    }

    /// The project the credential belongs to, when its file says (service-account keys).
    pub fn project_id(&self) -> Option<String> {
        self.provider().project_id()
    }

    /// The scopes granted (users) or asked for (other types), when known.
    pub fn granted_scopes(&self) -> Vec<String> {
        match self.user() {
            Some(u) => u.granted_scopes(),
            None => self.cached().and_then(|t| t.scopes).unwrap_or_default(),
        }
    }

    /// When the current access token expires, when known.
    pub fn expiry(&self) -> Option<SystemTime> {
        match self.user() {
            Some(u) => u.expiry(),
            None => self.cached().and_then(|t| t.expires_at),
        }
    }

    fn cached(&self) -> Option<Token> {
        self.inner.cache.cached()
    }

    /// True when the credential can renew itself: a user's refresh token, or any type that
    /// mints tokens itself (all but a raw access token).
    pub fn has_refresh_token(&self) -> bool {
        match self.user() {
            Some(u) => u.has_refresh_token(),
            None => self.kind() != CredentialKind::AccessToken,
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

    /// Sets the project billed for quota (`x-goog-user-project`): a user's grant records it
    /// (and saves it with the next write); other types answer with it from now on. Call it
    /// before handing the credentials out: for other types the result is a new handle.
    pub fn with_quota_project_id(self, project: impl Into<String>) -> Self {
        let quota = project.into();
        match self.user() {
            Some(u) => {
                u.set_quota_project_id(quota);
                self
            }
            None => Self::from_arc(Arc::new(QuotaProject {
                inner: self.provider().clone(),
                quota,
            })),
        }
    }

    /// Revokes a user's grant at the server. Other types hold nothing revocable here.
    pub fn revoke(&self) -> BoxFuture<'_, Result<()>> {
        Box::pin(self.revoke_grant())
    }

    async fn revoke_grant(&self) -> Result<()> {
        match self.user() {
            Some(u) => u.revoke().await,
            None => Err(Error::new(
                ErrorKind::Config,
                format!(
                    "{} credentials cannot be revoked by gapi",
                    self.kind().describe()
                ),
            )
            .with_hint("delete or disable the key or binding in the Cloud Console instead")),
        }
    }

    /// Asks the tokeninfo endpoint of the server that issued the current access token (for
    /// a user login, beside its token endpoint; for other credentials
    /// [`Provider::tokeninfo_endpoint`], else the universe's own), never a fixed one.
    pub fn tokeninfo(&self) -> BoxFuture<'_, Result<TokenInfo>> {
        Box::pin(self.ask_tokeninfo())
    }

    async fn ask_tokeninfo(&self) -> Result<TokenInfo> {
        match self.user() {
            Some(u) => {
                let token = self.access_token().await?;
                u.token_client().tokeninfo(&token).await
            }
            None => {
                let provider = self.provider();
                let url = match provider.tokeninfo_endpoint() {
                    Some(url) => url,
                    None => universe_tokeninfo(&provider.universe_domain())?,
                };
                let token = self.access_token().await?;
                let endpoints = crate::protocol::endpoints::Endpoints::google().with_tokeninfo(url);
                let client = TokenClient::new("", None, endpoints)?;
                client.tokeninfo(&token).await
            }
        }
    }
}

/// The tokeninfo endpoint of a universe: Google's in googleapis.com, `oauth2.<universe>`'s
/// elsewhere.
fn universe_tokeninfo(universe: &str) -> Result<url::Url> {
    let text = if universe == DEFAULT_UNIVERSE_DOMAIN {
        crate::protocol::endpoints::GOOGLE_TOKENINFO_URI.to_string()
    } else {
        format!("https://oauth2.{universe}/tokeninfo")
    };
    url::Url::parse(&text).map_err(|e| {
        Error::new(
            ErrorKind::Config,
            format!("the universe domain `{universe}` gives no tokeninfo URL ({e})"),
        )
    })
}

/// A provider whose quota project is set by the caller (`GOOGLE_CLOUD_QUOTA_PROJECT`,
/// [`Credentials::with_quota_project_id`]).
struct QuotaProject {
    inner: Arc<dyn Provider>,
    quota: String,
}

impl Provider for QuotaProject {
    fn kind(&self) -> CredentialKind {
        self.inner.kind()
    }
    fn fetch_token(&self) -> BoxFuture<'_, Result<Token>> {
        self.inner.fetch_token()
    }
    fn id_token<'a>(&'a self, audience: &'a str) -> BoxFuture<'a, Result<IdToken>> {
        self.inner.id_token(audience)
    }
    fn account(&self) -> Option<String> {
        self.inner.account()
    }
    fn quota_project_id(&self) -> Option<String> {
        Some(self.quota.clone())
    }
    fn universe_domain(&self) -> String {
        self.inner.universe_domain()
    }
    fn tokeninfo_endpoint(&self) -> Option<url::Url> {
        self.inner.tokeninfo_endpoint()
    }
    fn project_id(&self) -> Option<String> {
        self.inner.project_id()
    }
}
