//! Credentials given as is: a raw access token (`GAPI_ACCESS_TOKEN`, or `--access-token`)
//! that is never refreshed, and a developer API key (`GAPI_API_KEY`, sent as
//! `x-goog-api-key`).

use crate::credentials::Credentials;
use crate::credentials::provider::{BoxFuture, CredentialKind, Provider, Token};
use crate::error::{Error, ErrorKind, Result};
use crate::secret::{AccessToken, ApiKey};

/// The variable holding a raw access token.
pub const ACCESS_TOKEN_VAR: &str = "GAPI_ACCESS_TOKEN";
/// The variable holding an API key.
pub const API_KEY_VAR: &str = "GAPI_API_KEY";
/// The header an API key travels in.
pub const API_KEY_HEADER: &str = "x-goog-api-key";

/// A fixed access token (a [`Provider`] whose token never changes).
#[derive(Debug, Clone)]
pub struct StaticAccessToken {
    token: AccessToken,
}

impl StaticAccessToken {
    /// Wraps a token obtained elsewhere (`gcloud auth print-access-token`, a CI secret...).
    pub fn new(token: AccessToken) -> Result<Self> {
        if token.secret().trim().is_empty() {
            return Err(Error::new(ErrorKind::Config, "the access token is empty"));
        }
        Ok(StaticAccessToken { token })
    }

    /// From `GAPI_ACCESS_TOKEN`, when set and not empty.
    pub fn from_env() -> Option<Self> {
        let t = std::env::var(ACCESS_TOKEN_VAR).ok()?;
        Self::new(AccessToken::new(t.trim())).ok()
    }
}

impl Credentials {
    /// Credentials that always present `token`, obtained elsewhere (`gcloud auth
    /// print-access-token`, a CI secret...), never refreshed.
    pub fn from_access_token(token: AccessToken) -> Result<Credentials> {
        StaticAccessToken::new(token).map(Credentials::from_provider)
    }
}

impl Provider for StaticAccessToken {
    fn kind(&self) -> CredentialKind {
        CredentialKind::AccessToken
    }

    fn fetch_token(&self) -> BoxFuture<'_, Result<Token>> {
        Box::pin(async move {
            Ok(Token {
                access_token: self.token.clone(),
                expires_at: None,
                scopes: None,
            })
        })
    }
}

/// The API key in `GAPI_API_KEY`, when set and not empty.
pub fn api_key_from_env() -> Option<ApiKey> {
    std::env::var(API_KEY_VAR)
        .ok()
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty())
        .map(ApiKey::new)
}
