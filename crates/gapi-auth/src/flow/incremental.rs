//! Incremental consent: a stored login asks only for the scopes it lacks, with
//! `include_granted_scopes=true`, the stored account as `login_hint` and `prompt=consent` (a
//! repeat consent otherwise issues no refresh token), using the client it was logged in with;
//! the server's answer is one merged grant (and refresh token) that replaces the stored one.

use std::path::PathBuf;

use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Remedy, Result};
use crate::flow::InstalledFlow;

/// What an incremental login of a stored login asks for ([`Incremental::of`]).
#[derive(Debug, Clone)]
pub struct Incremental {
    /// The client secrets file to log in with: the one given, else the one the stored login
    /// records.
    pub client_secrets: PathBuf,
    /// The scopes to ask for: those the stored login lacks (empty: nothing to do).
    pub scopes: Vec<String>,
    /// The stored account, suggested to the consent page.
    pub login_hint: Option<String>,
}

impl Incremental {
    /// What adding `add` (short or full scope names) to the `stored` login asks for. A login
    /// that records no client secrets file needs `client_secrets` (a [`ErrorKind::Config`]
    /// error with [`Remedy::GiveClientSecrets`] otherwise). The account comes from the login,
    /// else from the server's tokeninfo (a grant without openid/email names none).
    pub async fn of(
        stored: &Credentials,
        add: &[String],
        client_secrets: Option<PathBuf>,
    ) -> Result<Incremental> {
        let client_secrets = match (client_secrets, stored.client_secrets_file()) {
            (Some(p), _) => p,
            (None, Some(p)) => PathBuf::from(p),
            (None, None) => {
                return Err(Error::new(
                    ErrorKind::Config,
                    "the stored login does not record its client secrets file",
                )
                .with_remedy(Remedy::GiveClientSecrets {
                    client_id: stored.client_id().map(str::to_string),
                }));
            }
        };
        let granted = stored.granted_scopes();
        let scopes: Vec<String> = crate::protocol::scopes::expand_scopes(add.iter().cloned())
            .into_iter()
            .filter(|s| !granted.contains(s))
            .collect();
        let login_hint = match stored.account() {
            Some(account) => Some(account),
            None => match stored.tokeninfo().await {
                Ok(info) => info.email.filter(|e| !e.is_empty()),
                Err(e) => {
                    tracing::warn!(
                        "cannot tell the stored account ({e}); the consent page will ask"
                    );
                    None
                }
            },
        };
        Ok(Incremental {
            client_secrets,
            scopes,
            login_hint,
        })
    }

    /// `flow` asking for the added scopes as an incremental consent: granted scopes included,
    /// the stored account suggested, `prompt=consent` (set a login hint or prompt after this
    /// to override them).
    pub fn apply(&self, mut flow: InstalledFlow) -> InstalledFlow {
        flow = flow.include_granted_scopes(true).prompt("consent");
        if let Some(account) = &self.login_hint {
            flow = flow.login_hint(account);
        }
        flow
    }
}
