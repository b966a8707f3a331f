//! What the user should do about an [`crate::Error`], carried as data: an application words it
//! in its own commands (the `gapi` CLI names its `gapi auth ...` commands), while the library's
//! own wording (this type's `Display`) names no program.

use std::fmt;
use std::path::PathBuf;

/// The action that fixes an error, for the application to word in its own commands.
///
/// `Error::remedy` returns it; `Display` gives a program-neutral sentence. A profile is `None`
/// for the default profile.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Remedy {
    /// No credentials are stored yet (for this profile): log in as a user.
    LogIn {
        /// The profile to log in to; `None` for the default one.
        profile: Option<String>,
        /// True when nothing stored names the OAuth client, so the login must be given one
        /// (a client secrets file).
        client_secrets_needed: bool,
    },
    /// The stored grant is unusable (expired, revoked, no refresh token): log in again.
    LogInAgain {
        /// The profile to log in to again; `None` for the default one.
        profile: Option<String>,
        /// True when the login must be given the OAuth client (a client secrets file).
        client_secrets_needed: bool,
        /// True when the login must ask for consent again (`prompt=consent`), the only way to
        /// be issued a new refresh token.
        prompt_consent: bool,
    },
    /// A profile's credentials file is broken but can be overwritten: log in again to replace
    /// it, or restore it from a backup.
    ReplaceByLogIn {
        /// The profile whose file is broken; `None` for the default one.
        profile: Option<String>,
        /// True when the login must be given the OAuth client (a client secrets file).
        client_secrets_needed: bool,
    },
    /// Something at `path` (a file or a directory) cannot be used or overwritten: remove it,
    /// then log in.
    RemoveAndLogIn {
        /// What to remove.
        path: PathBuf,
        /// The profile to log in to afterwards; `None` for the default one.
        profile: Option<String>,
        /// True when the login must be given the OAuth client (a client secrets file).
        client_secrets_needed: bool,
    },
    /// No usable user credentials: log in, or create Application Default Credentials with
    /// `gcloud auth application-default login`.
    LogInOrCreateAdc {
        /// True when the login must be given the OAuth client (a client secrets file).
        client_secrets_needed: bool,
    },
    /// Nothing at all was found: log in as a user, activate a service-account key, or set
    /// `GOOGLE_APPLICATION_CREDENTIALS` to a credentials file.
    ProvideCredentials,
    /// The device flow cannot be used (Google refuses these scopes in it): log in with the
    /// no-browser flow instead, opening the URL on any machine with a browser.
    UseNoBrowserFlow,
    /// The local redirect server cannot listen on the chosen port: choose another (or 0 for
    /// any free port), or use a flow that needs no local server (console, device).
    ChooseAnotherPort,
    /// The browser did not come back in time: finish the consent sooner (or allow more time);
    /// without a browser on this machine, use the no-browser flow.
    FinishConsentSooner,
    /// The out-of-band flow is gone: use the loopback flow (or, without a browser, the
    /// no-browser flow that pastes back the final `http://localhost` address).
    UseLoopbackFlow,
    /// Domain-wide delegation was asked of credentials that are no service account: use a
    /// service account's credentials, or impersonate a service account.
    UseServiceAccount,
    /// The stored login does not record its OAuth client's secrets file: give it (the client
    /// secrets of client `client_id`).
    GiveClientSecrets {
        /// The OAuth client of the stored login, when known.
        client_id: Option<String>,
    },
}

impl Remedy {
    /// The profile this remedy logs in to, if it names one (`None`: the default profile).
    pub fn profile(&self) -> Option<&str> {
        match self {
            Remedy::LogIn { profile, .. }
            | Remedy::LogInAgain { profile, .. }
            | Remedy::ReplaceByLogIn { profile, .. }
            | Remedy::RemoveAndLogIn { profile, .. } => profile.as_deref(),
            _ => None,
        }
    }
}

fn for_profile(profile: &Option<String>) -> String {
    profile
        .as_deref()
        .map(|p| format!(" to profile `{p}`"))
        .unwrap_or_default()
}

fn client(needed: bool) -> &'static str {
    if needed {
        " with the OAuth client's secrets file"
    } else {
        ""
    }
}

impl fmt::Display for Remedy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Remedy::LogIn {
                profile,
                client_secrets_needed,
            } => write!(
                f,
                "log in{}{} to create user credentials",
                for_profile(profile),
                client(*client_secrets_needed)
            ),
            Remedy::LogInAgain {
                profile,
                client_secrets_needed,
                prompt_consent,
            } => write!(
                f,
                "log in again{}{}{}",
                for_profile(profile),
                client(*client_secrets_needed),
                if *prompt_consent {
                    " asking for consent (prompt=consent) to be issued a refresh token"
                } else {
                    ""
                }
            ),
            Remedy::ReplaceByLogIn {
                profile,
                client_secrets_needed,
            } => write!(
                f,
                "log in again{}{} to replace it (or restore it from a backup)",
                for_profile(profile),
                client(*client_secrets_needed)
            ),
            Remedy::RemoveAndLogIn {
                path,
                profile,
                client_secrets_needed,
            } => write!(
                f,
                "remove {}, then log in again{}{}",
                path.display(),
                for_profile(profile),
                client(*client_secrets_needed)
            ),
            Remedy::LogInOrCreateAdc {
                client_secrets_needed,
            } => write!(
                f,
                "log in{} (or create Application Default Credentials with `gcloud auth \
                 application-default login`)",
                client(*client_secrets_needed)
            ),
            Remedy::ProvideCredentials => f.write_str(
                "log in as a user, activate a service-account key, or set \
                 GOOGLE_APPLICATION_CREDENTIALS to a credentials file",
            ),
            Remedy::UseNoBrowserFlow => f.write_str(
                "log in with the no-browser flow instead: open the URL on any machine with a \
                 browser and paste back the address it ends on",
            ),
            Remedy::ChooseAnotherPort => f.write_str(
                "choose another port for the local redirect server (or 0 for any free port), or \
                 use the console or device flow",
            ),
            Remedy::FinishConsentSooner => f.write_str(
                "finish the consent in the browser sooner (or allow more time); on a machine \
                 without a browser use the no-browser flow and paste the address the browser \
                 ends on",
            ),
            Remedy::UseServiceAccount => f.write_str(
                "use a service account's credentials (its key), or impersonate a service account",
            ),
            Remedy::GiveClientSecrets { client_id } => write!(
                f,
                "give the OAuth client's secrets file (client_secret.json{})",
                client_id
                    .as_deref()
                    .map(|c| format!(" of client {c}"))
                    .unwrap_or_default()
            ),
            Remedy::UseLoopbackFlow => f.write_str(
                "use the loopback flow (the browser returns to http://localhost); on a machine \
                 without a browser, open the URL on another machine and paste back the full \
                 http://localhost:.../ address the browser ends on",
            ),
        }
    }
}
