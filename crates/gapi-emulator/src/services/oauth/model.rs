//! OAuth records: consent requests, codes, grants, tokens, device authorizations.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::world::clients::RedirectKind;

/// PKCE transformation named by `code_challenge_method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum ChallengeMethod {
    S256,
    Plain,
}

/// A PKCE code challenge attached to an authorization request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Challenge {
    pub value: String,
    pub method: ChallengeMethod,
}

/// A validated authorization request, waiting for the user's decision.
#[derive(Debug, Clone)]
pub(crate) struct AuthRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub redirect_kind: RedirectKind,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub challenge: Option<Challenge>,
    pub offline: bool,
    pub prompt_consent: bool,
    pub login_hint: Option<String>,
    pub include_granted_scopes: bool,
}

/// A consent page shown and not yet answered (kept server-side; the page only carries its id).
#[derive(Debug, Clone)]
pub(crate) struct PendingAuth {
    pub request: AuthRequest,
    pub created_ms: u64,
}

/// An issued authorization code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AuthCode {
    pub client_id: String,
    pub email: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub challenge: Option<Challenge>,
    pub offline: bool,
    pub prompt_consent: bool,
    pub expires_ms: u64,
    pub used: bool,
    /// Tokens minted from this code, revoked if the code is replayed.
    pub issued: Vec<String>,
}

/// What a user has granted a client, across authorizations.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Grant {
    pub client_id: String,
    pub email: String,
    pub scopes: BTreeSet<String>,
    /// A refresh token was already issued for this grant (so a repeat consent without
    /// `prompt=consent` gets none, as Google does).
    pub refresh_issued: bool,
    /// Set through the control API: refreshing answers `invalid_grant` / `invalid_rapt` (an
    /// admin's re-authentication policy) until the user signs in again.
    #[serde(default)]
    pub reauth_required: bool,
}

/// Key of a grant in `OAuthData::grants`.
pub(crate) fn grant_key(client_id: &str, email: &str) -> String {
    format!("{client_id} {email}")
}

/// A refresh token (Google's do not rotate).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RefreshToken {
    pub client_id: String,
    pub email: String,
    pub scopes: Vec<String>,
    /// When it was issued (for `EmulatorConfig::refresh_token_lifetime`); state saved before
    /// this field existed counts as issued at load time.
    #[serde(default = "crate::framework::time::now_ms")]
    pub issued_ms: u64,
    /// Issue order (for the 100-per-account-and-client limit: the lowest goes first).
    #[serde(default)]
    pub serial: u64,
}

/// Google keeps at most this many refresh tokens per account and client; a new one silently
/// revokes the oldest.
pub(crate) const REFRESH_TOKENS_PER_GRANT: usize = 100;

/// Scopes whose grants never expire under a "Testing" consent screen (name, email, profile).
const IDENTITY_ONLY: &[&str] = &[
    "openid",
    "email",
    "profile",
    "https://www.googleapis.com/auth/userinfo.email",
    "https://www.googleapis.com/auth/userinfo.profile",
];

impl RefreshToken {
    /// Whether the token is past `lifetime` (identity-only grants are exempt).
    pub(crate) fn expired(&self, lifetime: Option<std::time::Duration>, now_ms: u64) -> bool {
        let Some(lifetime) = lifetime else {
            return false;
        };
        if self
            .scopes
            .iter()
            .all(|s| IDENTITY_ONLY.contains(&s.as_str()))
        {
            return false;
        }
        let lifetime_ms = u64::try_from(lifetime.as_millis()).unwrap_or(u64::MAX);
        now_ms.saturating_sub(self.issued_ms) >= lifetime_ms
    }
}

/// Where a device authorization stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum DeviceStatus {
    Pending,
    Approved { email: String },
    Denied,
}

/// A device-flow authorization (RFC 8628).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DeviceAuth {
    pub client_id: String,
    pub user_code: String,
    pub scopes: Vec<String>,
    pub expires_ms: u64,
    pub interval_ms: u64,
    pub last_poll_ms: Option<u64>,
    pub status: DeviceStatus,
}
