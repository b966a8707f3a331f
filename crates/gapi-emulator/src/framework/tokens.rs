//! The access-token table shared by every service: OAuth mints into it (and later the metadata
//! server, IAM and STS), the bearer extractor ([`super::caller::Caller`]) checks requests
//! against it, the control API expires entries.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::time::now_ms;

/// An access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AccessToken {
    pub client_id: String,
    pub email: String,
    pub scopes: Vec<String>,
    pub expires_ms: u64,
    pub offline: bool,
}

/// Every issued access token, by its value.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct AccessTokens(pub HashMap<String, AccessToken>);

impl AccessTokens {
    /// Records a token, forgetting tokens that expired more than a day ago (so a long run does
    /// not accumulate them).
    pub(crate) fn insert(&mut self, token: String, record: AccessToken) {
        let horizon = now_ms().saturating_sub(24 * 3600 * 1000);
        self.0.retain(|_, t| t.expires_ms > horizon);
        self.0.insert(token, record);
    }

    /// Removes every token of one user and client; returns how many.
    pub(crate) fn remove_grant(&mut self, client_id: &str, email: &str) -> usize {
        let before = self.0.len();
        self.0
            .retain(|_, t| !(t.client_id == client_id && t.email == email));
        before - self.0.len()
    }
}
