//! Minting and revoking tokens, shared by the code, refresh, device and control paths.

use std::collections::BTreeSet;

use crate::framework::Core;
use crate::framework::random;
use crate::framework::time::now_ms;
use crate::framework::tokens::AccessToken;

use super::OAuthData;
use super::model::{Grant, REFRESH_TOKENS_PER_GRANT, RefreshToken, grant_key};

/// What the token endpoint returns.
pub(crate) struct Issued {
    pub access_token: String,
    pub expires_in: u64,
    pub refresh_token: Option<String>,
    pub scopes: Vec<String>,
    pub id_token: Option<String>,
}

impl Issued {
    /// The token endpoint's JSON answer.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "access_token": self.access_token,
            "expires_in": self.expires_in,
            "scope": self.scopes.join(" "),
            "token_type": "Bearer",
        });
        if let Some(rt) = &self.refresh_token {
            v["refresh_token"] = serde_json::json!(rt);
        }
        if let Some(id) = &self.id_token {
            v["id_token"] = serde_json::json!(id);
        }
        v
    }
}

/// Mints an access token (and a refresh token if `refresh`), records the grant.
#[allow(clippy::too_many_arguments)]
pub(crate) fn issue(
    core: &Core,
    inner: &mut OAuthData,
    lifetime_ms: u64,
    client_id: &str,
    email: &str,
    scopes: &[String],
    offline: bool,
    refresh: bool,
) -> Issued {
    let access_token = format!("ya29.a0{}", random::token(48));
    core.tokens.write().insert(
        access_token.clone(),
        AccessToken {
            client_id: client_id.to_owned(),
            email: email.to_owned(),
            scopes: scopes.to_vec(),
            expires_ms: now_ms().saturating_add(lifetime_ms),
            offline,
        },
    );
    let grant = inner
        .grants
        .entry(grant_key(client_id, email))
        .or_insert_with(|| Grant {
            client_id: client_id.to_owned(),
            email: email.to_owned(),
            scopes: BTreeSet::new(),
            refresh_issued: false,
            reauth_required: false,
        });
    grant.scopes.extend(scopes.iter().cloned());
    let refresh_token = if refresh {
        grant.refresh_issued = true;
        let rt = format!("1//0{}", random::token(48));
        inner.refresh_serial += 1;
        let serial = inner.refresh_serial;
        inner.refresh_tokens.insert(
            rt.clone(),
            RefreshToken {
                client_id: client_id.to_owned(),
                email: email.to_owned(),
                scopes: scopes.to_vec(),
                issued_ms: now_ms(),
                serial,
            },
        );
        enforce_refresh_limit(inner, client_id, email);
        Some(rt)
    } else {
        None
    };
    let id_token = match (
        super::id_token::wants_identity(scopes),
        crate::world::users::find_user(email),
    ) {
        (true, Some(user)) => Some(super::id_token::make(
            &core.base_url,
            super::id_token::issuer(core),
            client_id,
            user,
            scopes,
            lifetime_ms / 1000,
        )),
        _ => None,
    };
    Issued {
        access_token,
        expires_in: lifetime_ms / 1000,
        refresh_token,
        scopes: scopes.to_vec(),
        id_token,
    }
}

/// Google's limit of 100 refresh tokens per account and client: past it, the oldest is
/// revoked without warning (its next use answers `invalid_grant`).
fn enforce_refresh_limit(inner: &mut OAuthData, client_id: &str, email: &str) {
    let mut mine: Vec<(u64, String)> = inner
        .refresh_tokens
        .iter()
        .filter(|(_, t)| t.client_id == client_id && t.email == email)
        .map(|(k, t)| (t.serial, k.clone()))
        .collect();
    if mine.len() <= REFRESH_TOKENS_PER_GRANT {
        return;
    }
    mine.sort_unstable();
    for (_, token) in &mine[..mine.len() - REFRESH_TOKENS_PER_GRANT] {
        inner.refresh_tokens.remove(token);
    }
}

/// The user signed in again (code, device or control-API issue): an admin's
/// re-authentication demand on this grant is satisfied.
pub(crate) fn signed_in(inner: &mut OAuthData, client_id: &str, email: &str) {
    if let Some(grant) = inner.grants.get_mut(&grant_key(client_id, email))
        && grant.reauth_required
    {
        grant.reauth_required = false;
    }
}

/// Revokes a whole grant (all its access and refresh tokens), as Google's revoke does.
/// Returns how many tokens were removed.
pub(crate) fn revoke_grant(
    core: &Core,
    data: &mut OAuthData,
    client_id: &str,
    email: &str,
) -> usize {
    let before = data.refresh_tokens.len();
    data.refresh_tokens
        .retain(|_, t| !(t.client_id == client_id && t.email == email));
    data.grants.remove(&grant_key(client_id, email));
    let access = core.tokens.write().remove_grant(client_id, email);
    access + before - data.refresh_tokens.len()
}

/// Revokes whatever `token` (access or refresh) belongs to; `None` if it is unknown.
pub(crate) fn revoke_token(core: &Core, data: &mut OAuthData, token: &str) -> Option<usize> {
    let access_owner = core
        .tokens
        .read()
        .0
        .get(token)
        .map(|t| (t.client_id.clone(), t.email.clone()));
    let owner = access_owner.or_else(|| {
        data.refresh_tokens
            .get(token)
            .map(|t| (t.client_id.clone(), t.email.clone()))
    })?;
    Some(revoke_grant(core, data, &owner.0, &owner.1))
}
