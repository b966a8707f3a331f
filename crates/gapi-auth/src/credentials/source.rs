//! Where credentials came from: a profile, an Application Default Credentials file, an
//! environment variable, the metadata server. Shown by `-v` and status commands, and used to
//! name the file to repair.

use std::fmt;
use std::path::{Path, PathBuf};

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
