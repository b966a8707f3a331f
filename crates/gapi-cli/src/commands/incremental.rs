//! `gapi auth login --add-scope SCOPE`: incremental consent. Asks only for the scopes the
//! stored login lacks, with `include_granted_scopes=true` and the stored account as
//! `login_hint`, using the client the profile was logged in with; the server's answer is one
//! merged grant (and refresh token) that replaces the stored one.

use std::path::PathBuf;

use gapi_auth::FileStore;

use crate::cli::{GlobalArgs, LoginArgs};
use crate::exit;

/// What the incremental login asks for.
pub struct Incremental {
    /// The client secrets file to log in with.
    pub client_secrets: PathBuf,
    /// The scopes to ask for: those the stored login lacks (empty: nothing to do).
    pub scopes: Vec<String>,
    /// The stored account, suggested to the consent page.
    pub login_hint: Option<String>,
}

/// `None` without `--add-scope`; otherwise the stored login's client, account and the
/// missing scopes, or an error saying what is missing to do it.
pub async fn prepare(
    global: &GlobalArgs,
    store: &FileStore,
    args: &LoginArgs,
) -> anyhow::Result<Option<Incremental>> {
    if args.add_scopes.is_empty() {
        return Ok(None);
    }
    let Some(stored) = store.load(&global.profile).await? else {
        return Err(exit::login_needed_hint(
            format!(
                "--add-scope adds to a stored login, and profile `{}` has none",
                global.profile
            ),
            crate::auth_hints::login_hint(format!(
                "run `{}`",
                crate::auth_hints::Login::new(Some(&global.profile))
                    .client_needed(true)
                    .scopes(&args.add_scopes)
                    .command()
            )),
        ));
    };
    let client_secrets = match (&args.client_secrets, stored.client_secrets_file()) {
        (Some(p), _) => p.clone(),
        (None, Some(p)) => PathBuf::from(p),
        (None, None) => {
            return Err(exit::usage_hint(
                format!(
                    "the login of profile `{}` does not record its client secrets file",
                    global.profile
                ),
                format!(
                    "add --client-secrets FILE (the client_secret.json of client {})",
                    stored.client_id().unwrap_or("?")
                ),
            ));
        }
    };
    let granted = stored.granted_scopes();
    let scopes: Vec<String> =
        gapi_auth::protocol::scopes::expand_scopes(args.add_scopes.iter().cloned())
            .into_iter()
            .filter(|s| !granted.contains(s))
            .collect();
    // The account, else asked of the server (a grant without openid/email names none).
    let login_hint = match stored.account() {
        Some(account) => Some(account),
        None => match stored.tokeninfo().await {
            Ok(info) => info.email.filter(|e| !e.is_empty()),
            Err(e) => {
                tracing::warn!("cannot tell the stored account ({e}); the consent page will ask");
                None
            }
        },
    };
    Ok(Some(Incremental {
        client_secrets,
        scopes,
        login_hint,
    }))
}
