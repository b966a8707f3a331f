//! Choosing which credentials a call runs with, and saying where they came from.
//!
//! The one rule that matters: a call never runs as another account than the one asked for. A
//! profile that was named (or the default profile, when a file is at its path) is used or is an
//! error; only when no profile was named and none is stored does the search go on to
//! Application Default Credentials, in google-auth's order: `$GOOGLE_APPLICATION_CREDENTIALS`,
//! then gcloud's well-known file. New sources (service accounts, the metadata server, ...) are
//! new [`CredentialSource`] variants tried in [`select_credentials`] after the ones here.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::adc::adc_candidate;
use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};
use crate::fsread::{ReadError, read_small_text};
use crate::store::{DEFAULT_PROFILE, FileStore};

/// Where the selected credentials were read from (shown by `-v` and `gapi auth status`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialSource {
    /// A profile of the gapi store.
    Profile {
        /// The profile name.
        name: String,
        /// Its file.
        path: PathBuf,
    },
    /// The file named by `$GOOGLE_APPLICATION_CREDENTIALS`.
    AdcEnvVar {
        /// The file the variable names.
        path: PathBuf,
    },
    /// gcloud's well-known ADC file (`gcloud auth application-default login`).
    GcloudAdc {
        /// `.../gcloud/application_default_credentials.json`.
        path: PathBuf,
    },
    /// An environment variable holding the credential itself (`GAPI_ACCESS_TOKEN`).
    EnvironmentVariable {
        /// The variable's name.
        name: String,
    },
    /// The metadata server (GCE, GKE, Cloud Run).
    MetadataServer {
        /// Its `.../computeMetadata/v1/` root.
        root: String,
    },
}

impl CredentialSource {
    /// The file the credentials were read from, when they came from one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            CredentialSource::Profile { path, .. }
            | CredentialSource::AdcEnvVar { path }
            | CredentialSource::GcloudAdc { path } => Some(path),
            CredentialSource::MetadataServer { .. }
            | CredentialSource::EnvironmentVariable { .. } => None,
        }
    }

    /// The store profile, when the credentials came from one.
    pub fn profile(&self) -> Option<&str> {
        match self {
            CredentialSource::Profile { name, .. } => Some(name),
            _ => None,
        }
    }
}

impl fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialSource::Profile { name, path } => {
                write!(f, "profile `{name}` ({})", path.display())
            }
            CredentialSource::AdcEnvVar { path } => write!(
                f,
                "Application Default Credentials from GOOGLE_APPLICATION_CREDENTIALS ({})",
                path.display()
            ),
            CredentialSource::GcloudAdc { path } => write!(
                f,
                "Application Default Credentials from gcloud ({})",
                path.display()
            ),
            CredentialSource::EnvironmentVariable { name } => {
                write!(f, "the {name} environment variable")
            }
            CredentialSource::MetadataServer { root } => write!(
                f,
                "Application Default Credentials from the metadata server ({root})"
            ),
        }
    }
}

/// Credentials together with where they came from.
#[derive(Debug, Clone)]
pub struct Selected {
    /// The credentials (store-backed ones persist their refreshes).
    pub credentials: Credentials,
    /// Where they were read from.
    pub source: CredentialSource,
}

/// What the selected credentials are asked for (for types that mint tokens themselves).
#[derive(Debug, Clone, Default)]
pub struct SelectOptions {
    /// The HTTP client refreshes use (`None`: a default one).
    pub http: Option<reqwest::Client>,
    /// Scopes (full URLs) for service accounts, federation and the metadata server; each
    /// type's default (`cloud-platform`) when empty. User credentials keep their grant.
    pub scopes: Vec<String>,
    /// Domain-wide delegation: the Workspace user a service account acts for.
    pub subject: Option<String>,
}

/// Picks the credentials for a call.
///
/// * `profile: Some(p)`: profile `p` of `store`, or an error (missing: log in; broken: the
///   error names the file, the reason and the repair). Never anything else.
/// * `profile: None`: the default profile if anything is at its path (a broken one is an
///   error, as above); else ADC from `$GOOGLE_APPLICATION_CREDENTIALS` (which must then be
///   usable); else gcloud's well-known file if it exists; else a "log in" error.
///
/// `http` is the client refreshes use (`None`: a default one).
pub async fn select_credentials(
    store: &FileStore,
    profile: Option<&str>,
    http: Option<reqwest::Client>,
) -> Result<Selected> {
    let opts = SelectOptions {
        http,
        ..Default::default()
    };
    select_credentials_with(store, profile, &opts).await
}

/// [`select_credentials`] with scopes and a delegation subject for the types that take them;
/// Application Default Credentials are searched in exactly google-auth's order, all five file
/// types, then the metadata server (see [`crate::adc`]).
pub async fn select_credentials_with(
    store: &FileStore,
    profile: Option<&str>,
    opts: &SelectOptions,
) -> Result<Selected> {
    let http = opts.http.clone();
    if let Some(name) = profile {
        return match store.load_with_options(name, opts).await? {
            Some(credentials) => Ok(chosen(credentials, store, name)),
            None => Err(no_profile(store, name)),
        };
    }
    if store.exists(DEFAULT_PROFILE)? {
        return match store.load_with_options(DEFAULT_PROFILE, opts).await? {
            Some(credentials) => Ok(chosen(credentials, store, DEFAULT_PROFILE)),
            // Removed between the two looks: that is a missing profile, not a reason to
            // switch accounts.
            None => Err(no_profile(store, DEFAULT_PROFILE)),
        };
    }
    let load = crate::files::credential_file::LoadOptions {
        scopes: opts.scopes.clone(),
        subject: opts.subject.clone(),
        http,
    };
    match crate::adc::find_default(&load).await {
        Ok(found) => Ok(announce(Selected {
            credentials: found.credentials,
            source: found.source,
        })),
        Err(e) if e.kind() == ErrorKind::LoginRequired => {
            Err(nothing_found(store, adc_candidate().map(|(_, p)| p)))
        }
        Err(e) => Err(e),
    }
}

fn chosen(credentials: Credentials, store: &FileStore, name: &str) -> Selected {
    announce(Selected {
        credentials,
        source: CredentialSource::Profile {
            name: name.to_string(),
            path: store.path_for(name),
        },
    })
}

fn announce(selected: Selected) -> Selected {
    tracing::info!("using credentials: {}", selected.source);
    selected
}

fn no_profile(store: &FileStore, name: &str) -> Error {
    Error::new(
        ErrorKind::LoginRequired,
        format!(
            "no stored credentials for profile `{name}` (looked at {})",
            store.path_for(name).display()
        ),
    )
    .with_remedy(crate::Remedy::LogIn {
        profile: crate::Remedy::named_profile(name),
        client_secrets_needed: true,
    })
}

fn nothing_found(store: &FileStore, adc: Option<PathBuf>) -> Error {
    let adc = adc
        .map(|p| {
            format!(
                ", and no Application Default Credentials at {}",
                p.display()
            )
        })
        .unwrap_or_default();
    Error::new(
        ErrorKind::LoginRequired,
        format!(
            "no credentials: no stored profile `{DEFAULT_PROFILE}` (looked at {}){adc}",
            store.path_for(DEFAULT_PROFILE).display()
        ),
    )
    .with_remedy(crate::Remedy::LogInOrCreateAdc {
        client_secrets_needed: true,
    })
}

/// Reads an ADC file; any failure names the file and where its path came from.
pub(crate) fn read_adc_file(
    path: &Path,
    http: Option<reqwest::Client>,
    from_env: bool,
) -> Result<Credentials> {
    let origin = if from_env {
        "the file GOOGLE_APPLICATION_CREDENTIALS names"
    } else {
        "gcloud's Application Default Credentials file"
    };
    let fix = if from_env {
        "point GOOGLE_APPLICATION_CREDENTIALS at a valid credentials file, or unset it"
    } else {
        "run `gcloud auth application-default login` to rewrite it, or remove it"
    };
    let broken = |reason: String| {
        Error::new(
            ErrorKind::Store,
            format!("{origin}, {}, cannot be used: {reason}", path.display()),
        )
        .with_hint(fix)
    };
    let text = match read_small_text(path) {
        Ok(text) => text,
        Err(ReadError::NotFound(_)) => return Err(broken("it does not exist".into())),
        Err(e) => return Err(broken(e.to_string())),
    };
    crate::store::parse_authorized_user(&text, http).map_err(broken)
}
