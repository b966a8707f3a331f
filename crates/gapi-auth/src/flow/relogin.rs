//! Saving a login over a stored profile without throwing its refresh token away.
//!
//! On a repeat consent Google issues no new refresh token unless `prompt=consent` was sent.
//! Saving such a login as-is would replace a working refresh token with nothing. The rule:
//! a new refresh token always wins; without one, the stored refresh token is kept when the new
//! grant is provably for the same account (`sub`, else email, from the ID token or tokeninfo)
//! and the same client, and covers no scope the stored grant lacks; otherwise the caller is
//! told to ask again with `prompt=consent` ([`ErrorKind::ConsentRequired`]).

use crate::credentials::Credentials;
use crate::credentials::authorized_user::{AuthorizedUser, UserCredentials, id_token_claim};
use crate::error::{Error, ErrorKind, Result};
use crate::secret::RefreshToken;
use crate::store::FileStore;

/// Who a grant belongs to, as far as can be told.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Identity {
    sub: Option<String>,
    email: Option<String>,
}

impl Identity {
    /// True only when both sides name the account the same way and agree.
    fn same_as(&self, other: &Identity) -> bool {
        if let (Some(a), Some(b)) = (&self.sub, &other.sub) {
            return a == b;
        }
        match (&self.email, &other.email) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        }
    }

    fn is_known(&self) -> bool {
        self.sub.is_some() || self.email.is_some()
    }
}

/// The account of freshly issued credentials: the ID token's claims, else tokeninfo.
async fn identity_of(creds: &UserCredentials) -> Identity {
    if let Some(id) = creds.id_token() {
        let found = Identity {
            sub: id_token_claim(&id, "sub"),
            email: id_token_claim(&id, "email"),
        };
        if found.is_known() {
            return found;
        }
    }
    // Through a handle of its own: the refresh, if one is needed, stays in memory.
    match Credentials::from_user(creds.clone()).tokeninfo().await {
        Ok(info) => Identity {
            sub: info.sub.filter(|s| !s.is_empty()),
            email: info.email.filter(|s| !s.is_empty()),
        },
        Err(e) => {
            tracing::debug!("tokeninfo could not tell the account: {e}");
            Identity::default()
        }
    }
}

/// The account of the stored grant and its refresh token: the recorded account, else
/// tokeninfo (refreshing first if needed, in memory only; a refresh token the server rotated
/// meanwhile is the one returned).
async fn stored_identity(file: AuthorizedUser) -> (Identity, Option<RefreshToken>) {
    let stored_rt = file
        .refresh_token
        .clone()
        .filter(|t| !t.is_empty())
        .map(RefreshToken::new);
    if let Some(email) = file.account.clone().filter(|a| !a.is_empty()) {
        let id = Identity {
            sub: None,
            email: Some(email),
        };
        return (id, stored_rt);
    }
    match UserCredentials::from_authorized_user(file, None) {
        Ok(old) => {
            let id = identity_of(&old).await;
            (id, old.refresh_token())
        }
        Err(_) => (Identity::default(), stored_rt),
    }
}

impl FileStore {
    /// Saves a new login as `profile`, keeping the stored refresh token when the new grant
    /// issued none and is for the same account and client (see the module docs). Returns the
    /// credentials as saved, bound to this store.
    ///
    /// `asked_consent`: the login was made with `prompt=consent`, so asking again would not
    /// help; a login without a refresh token is then saved as it is, with a warning.
    /// Otherwise a login that cannot be merged is not saved and the error is
    /// [`ErrorKind::ConsentRequired`] (ask again with `prompt=consent`).
    pub(crate) async fn save_login(
        &self,
        profile: &str,
        creds: UserCredentials,
        asked_consent: bool,
    ) -> Result<Credentials> {
        let lock = self.lock_async(profile).await?;
        if !creds.has_refresh_token() {
            let stored = match self.read_authorized_user(profile) {
                Ok(stored) => stored,
                Err(e) => {
                    tracing::warn!("replacing a broken credentials file: {e}");
                    None
                }
            };
            let usable = stored.filter(|f| {
                f.client_id == creds.client_id()
                    && f.refresh_token.as_deref().is_some_and(|t| !t.is_empty())
            });
            let kept = match usable {
                Some(file) => keep_stored(&creds, file).await,
                None => false,
            };
            if !kept {
                if !asked_consent {
                    self.release(profile, lock, true);
                    return Err(consent_required(profile));
                }
                tracing::warn!(
                    "no refresh token was issued; the login lasts only until the access token \
                     expires"
                );
            }
        }
        let result = self.write_locked(profile, &creds);
        self.release(profile, lock, result.is_err());
        result?;
        Ok(self.bind(profile, Credentials::from_user(creds)))
    }
}

/// Moves the stored refresh token into `creds` when it is safe to; says whether it did.
async fn keep_stored(creds: &UserCredentials, file: AuthorizedUser) -> bool {
    let stored_scopes = file.scopes.clone().unwrap_or_default();
    let obtained = file
        .refresh_token_obtained_at
        .as_deref()
        .and_then(crate::protocol::timefmt::parse_expiry);
    let new_scopes = creds.granted_scopes();
    if let Some(extra) = new_scopes.iter().find(|s| !stored_scopes.contains(s)) {
        tracing::info!("the new login adds the scope {extra}: the stored refresh token lacks it");
        return false;
    }
    let new = identity_of(creds).await;
    if !new.is_known() {
        tracing::info!("cannot tell which account the new login is for");
        return false;
    }
    let (old, refresh_token) = stored_identity(file).await;
    let Some(refresh_token) = refresh_token else {
        return false;
    };
    if !new.same_as(&old) {
        tracing::info!("the new login is for another account than the stored one");
        return false;
    }
    creds.adopt_refresh_token(refresh_token, stored_scopes, obtained);
    if creds.account().is_none()
        && let Some(email) = new.email
    {
        creds.set_account(email);
    }
    tracing::info!("kept the stored refresh token (same account and client)");
    true
}

fn consent_required(profile: &str) -> Error {
    Error::new(
        ErrorKind::ConsentRequired,
        format!(
            "the server issued no refresh token, and the one stored for profile `{profile}` \
             cannot be kept for this login (another account or client, new scopes, or the \
             account could not be told)"
        ),
    )
    .with_remedy(crate::error::Remedy::LogInAgain {
        profile: crate::profile::named(profile),
        client_secrets_needed: false,
        prompt_consent: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(sub: Option<&str>, email: Option<&str>) -> Identity {
        Identity {
            sub: sub.map(str::to_string),
            email: email.map(str::to_string),
        }
    }

    #[test]
    fn identities_match_only_when_provable() {
        assert!(id(Some("1"), None).same_as(&id(Some("1"), Some("x@y"))));
        assert!(!id(Some("1"), Some("a@b")).same_as(&id(Some("2"), Some("a@b"))));
        assert!(id(None, Some("A@b.com")).same_as(&id(Some("9"), Some("a@B.com"))));
        assert!(!id(Some("1"), None).same_as(&id(None, Some("a@b"))));
        assert!(!Identity::default().same_as(&Identity::default()));
    }
}
