//! The one interface every credential type implements: mint a fresh access token (with its
//! expiry), and optionally an OpenID Connect ID token.
//!
//! A [`Provider`] does no caching: the one token cache of [`crate::Credentials`] wraps every
//! provider with the single-flight, refresh-ahead-of-expiry behaviour all credentials share.

use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

use crate::error::{Error, ErrorKind, Result};
use crate::secret::{AccessToken, IdToken};

/// A boxed, sendable future (the trait stays object safe without an extra crate).
///
/// The public entry points whose work is large (the consent flows, `access_token`, `revoke`,
/// `tokeninfo`) return one too, instead of being `async fn`s: the body of an `async fn` is
/// compiled into the crate that awaits it, in every codegen unit that does (three copies of
/// the loopback flow in a small program), while a boxed future is compiled once, here. A
/// program calling them writes `.await` all the same.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A freshly minted access token.
#[derive(Debug, Clone)]
pub struct Token {
    /// The bearer token.
    pub access_token: AccessToken,
    /// When it stops working; `None` when unknown (the token is then used until a 401).
    pub expires_at: Option<SystemTime>,
    /// The scopes it carries, when the server said.
    pub scopes: Option<Vec<String>>,
}

impl Token {
    /// A token that lives `expires_in` seconds from now (when given).
    pub fn expiring_in(access_token: AccessToken, expires_in: Option<u64>) -> Self {
        Token {
            access_token,
            // Capped: an absurd `expires_in` must not overflow the clock.
            expires_at: expires_in.map(|s| {
                SystemTime::now()
                    + std::time::Duration::from_secs(s)
                        .min(crate::protocol::token::MAX_TOKEN_LIFETIME)
            }),
            scopes: None,
        }
    }
}

/// Which kind of credential a provider is: the `type` of its JSON file where there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CredentialKind {
    /// A user's OAuth grant (refresh token): `authorized_user`.
    AuthorizedUser,
    /// A service-account key: `service_account`.
    ServiceAccount,
    /// A service account acting through the IAM Credentials API: `impersonated_service_account`.
    ImpersonatedServiceAccount,
    /// The GCE / GKE / Cloud Run metadata server's service account.
    ComputeMetadata,
    /// Workload or workforce identity federation: `external_account`.
    ExternalAccount,
    /// A workforce identity federation user's refresh token: `external_account_authorized_user`.
    ExternalAccountAuthorizedUser,
    /// A raw access token obtained elsewhere (`GAPI_ACCESS_TOKEN`), never refreshed.
    AccessToken,
    /// A developer API key (`x-goog-api-key`), not an OAuth credential.
    ApiKey,
}

impl CredentialKind {
    /// The JSON `type` value (or a stable name for kinds without a file).
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialKind::AuthorizedUser => super::AUTHORIZED_USER_TYPE,
            CredentialKind::ServiceAccount => super::SERVICE_ACCOUNT_TYPE,
            CredentialKind::ImpersonatedServiceAccount => super::IMPERSONATED_TYPE,
            CredentialKind::ComputeMetadata => "compute_metadata",
            CredentialKind::ExternalAccount => super::EXTERNAL_ACCOUNT_TYPE,
            CredentialKind::ExternalAccountAuthorizedUser => {
                super::EXTERNAL_ACCOUNT_AUTHORIZED_USER_TYPE
            }
            CredentialKind::AccessToken => "access_token",
            CredentialKind::ApiKey => "api_key",
        }
    }

    /// A short human description, for `gapi auth status`.
    pub fn describe(self) -> &'static str {
        match self {
            CredentialKind::AuthorizedUser => "user account (OAuth refresh token)",
            CredentialKind::ServiceAccount => "service-account key",
            CredentialKind::ImpersonatedServiceAccount => "impersonated service account",
            CredentialKind::ComputeMetadata => "metadata server (GCE, GKE, Cloud Run)",
            CredentialKind::ExternalAccount => "workload/workforce identity federation",
            CredentialKind::ExternalAccountAuthorizedUser => "workforce identity federation user",
            CredentialKind::AccessToken => "access token given as is",
            CredentialKind::ApiKey => "API key",
        }
    }
}

impl std::fmt::Display for CredentialKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something that can mint access tokens for one identity. Implementations hold no cache:
/// every call asks the server (`Credentials::from_provider` puts one in front).
pub trait Provider: Send + Sync + 'static {
    /// The credential type.
    fn kind(&self) -> CredentialKind;

    /// Mints a new access token now.
    fn fetch_token(&self) -> BoxFuture<'_, Result<Token>>;

    /// Mints an OpenID Connect ID token whose `aud` is `audience`.
    fn id_token<'a>(&'a self, audience: &'a str) -> BoxFuture<'a, Result<IdToken>> {
        let kind = self.kind();
        let _ = audience;
        Box::pin(async move { Err(unsupported_id_token(kind)) })
    }

    /// The identity tokens are minted for (an email), when known without a request.
    fn account(&self) -> Option<String> {
        None
    }

    /// The project billed for quota (`x-goog-user-project`), when the credential names one.
    fn quota_project_id(&self) -> Option<String> {
        None
    }

    /// The universe domain (`googleapis.com` unless the credential says otherwise).
    fn universe_domain(&self) -> String {
        crate::credentials::provider::DEFAULT_UNIVERSE_DOMAIN.to_string()
    }

    /// Where to ask about this provider's access tokens (`tokeninfo`): beside the endpoint
    /// that issues them ([`crate::protocol::tokeninfo_beside`]), so a token never goes to a
    /// server other than its own. `None`: the universe's own (`https://oauth2.<universe>/
    /// tokeninfo`, Google's in googleapis.com), for tokens with no endpoint of their own.
    fn tokeninfo_endpoint(&self) -> Option<url::Url> {
        None
    }

    /// The project the credential belongs to, when its file says.
    fn project_id(&self) -> Option<String> {
        None
    }
}

/// Google's public universe.
pub const DEFAULT_UNIVERSE_DOMAIN: &str = "googleapis.com";

/// The scope used when a caller asks a service account for a token without naming scopes
/// (as gcloud and google-cloud-rust do).
pub const CLOUD_PLATFORM_SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";

/// The error for credential types that cannot mint ID tokens.
pub(crate) fn unsupported_id_token(kind: CredentialKind) -> Error {
    Error::new(
        ErrorKind::Config,
        format!("{} credentials cannot mint ID tokens", kind.describe()),
    )
    .with_hint(
        "use a service-account key, an impersonated service account, the metadata server, or a \
         user login that requested the openid scope",
    )
}
