//! A user's OAuth grant (`"type": "authorized_user"`) as a [`Provider`], so user credentials
//! take part in everything the other types do (impersonation sources, ADC, the shared token
//! cache). The refresh itself (single-flight, the store's cross-process lock, rotated refresh
//! tokens) stays in [`crate::Credentials`].

use std::sync::atomic::{AtomicBool, Ordering};

use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};
use crate::provider::{BoxFuture, CredentialKind, Provider, Token};
use crate::secret::IdToken;

/// User credentials seen through the [`Provider`] interface.
pub struct AuthorizedUser {
    creds: Credentials,
    first: AtomicBool,
}

impl std::fmt::Debug for AuthorizedUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorizedUser")
            .field("account", &self.creds.account())
            .field("client_id", &self.creds.client_id())
            .finish_non_exhaustive()
    }
}

impl AuthorizedUser {
    /// Wraps user credentials (a stored token that is still valid is used first).
    pub fn new(creds: Credentials) -> Self {
        AuthorizedUser {
            creds,
            first: AtomicBool::new(true),
        }
    }

    /// The user credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.creds
    }

    async fn fetch(&self) -> Result<Token> {
        // The first ask may be answered by the stored token; any later ask means the caller's
        // copy went stale or was refused, so renew.
        let access_token = if self.first.swap(false, Ordering::SeqCst) {
            self.creds.access_token().await?
        } else {
            self.creds.force_refresh().await?
        };
        Ok(Token {
            access_token,
            expires_at: self.creds.expiry(),
            scopes: Some(self.creds.granted_scopes()),
        })
    }

    async fn fetch_id_token(&self, audience: &str) -> Result<IdToken> {
        if !audience.is_empty() && audience != self.creds.client_id() {
            return Err(Error::new(
                ErrorKind::Config,
                format!(
                    "a user's ID token is always issued to the OAuth client ({}); it cannot have the audience {audience}",
                    self.creds.client_id()
                ),
            )
            .with_hint("impersonate a service account (--impersonate-service-account) to mint ID tokens for other audiences"));
        }
        if self.creds.id_token().is_none() {
            self.creds.force_refresh().await?;
        }
        self.creds.id_token().ok_or_else(|| {
            Error::new(
                ErrorKind::LoginRequired,
                "these user credentials carry no ID token",
            )
            .with_hint("log in again with the openid and email scopes: `gapi auth login --scope openid,email`")
        })
    }
}

impl Provider for AuthorizedUser {
    fn kind(&self) -> CredentialKind {
        CredentialKind::AuthorizedUser
    }

    fn fetch_token(&self) -> BoxFuture<'_, Result<Token>> {
        Box::pin(self.fetch())
    }

    fn id_token<'a>(&'a self, audience: &'a str) -> BoxFuture<'a, Result<IdToken>> {
        Box::pin(self.fetch_id_token(audience))
    }

    fn account(&self) -> Option<String> {
        self.creds.account()
    }

    fn quota_project_id(&self) -> Option<String> {
        self.creds.quota_project_id()
    }
}
