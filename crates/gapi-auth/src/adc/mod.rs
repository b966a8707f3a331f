//! Application Default Credentials in exactly Python google-auth's order:
//!
//! 1. `GOOGLE_APPLICATION_CREDENTIALS` (when set and not empty): that file, which must load
//!    (a missing or broken file is an error, not a reason to look further);
//! 2. gcloud's well-known file, `$CLOUDSDK_CONFIG/application_default_credentials.json`, else
//!    `~/.config/gcloud/...` (`%APPDATA%\gcloud\...` on Windows): used when it exists, and then
//!    it too must load;
//! 3. the metadata server, when one answers (see [`crate::credentials::metadata`]).
//!
//! The project is `GOOGLE_CLOUD_PROJECT` (or `GCLOUD_PROJECT`), else the file's, else the
//! metadata server's. `GOOGLE_CLOUD_QUOTA_PROJECT` overrides a file's `quota_project_id`.

mod path;
mod write;

pub use path::{ADC_FILE, Env, gcloud_adc_path};
pub use write::save_adc;

use std::path::PathBuf;

#[cfg(feature = "service-accounts")]
use crate::credentials::metadata::{ComputeMetadata, MetadataClient, MetadataConfig};
use crate::credentials::{CredentialSource, Credentials, LoadOptions};
use crate::error::{Error, ErrorKind, Result};
use crate::files::credential_file::load_file;

/// Credentials found by [`find_default`].
pub struct DefaultCredentials {
    /// The credential.
    pub credentials: Credentials,
    /// Where it came from.
    pub source: CredentialSource,
    /// The project, when one could be determined.
    pub project_id: Option<String>,
}

/// Finds Application Default Credentials (see the module docs for the order).
pub async fn find_default(opts: &LoadOptions) -> Result<DefaultCredentials> {
    find_default_with(opts, &path::process_env).await
}

impl Credentials {
    /// Application Default Credentials asking for `scopes` (full URLs or short names such as
    /// `drive.readonly`; used by the types that mint their own tokens): Python's
    /// `google.auth.default(scopes=...)`. See [`find_default`] for the order, the project and
    /// where the credentials came from.
    pub async fn application_default<I, S>(scopes: I) -> Result<Credentials>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let opts = LoadOptions {
            scopes: crate::protocol::scopes::expand_scopes(scopes),
            ..LoadOptions::default()
        };
        Ok(find_default(&opts).await?.credentials)
    }
}

/// Variable `k` of `env` as text, when set to something (unset, blank and non-UTF-8 values
/// are all "not set").
fn text_env(env: Env<'_>, k: &str) -> Option<String> {
    env(k)
        .and_then(|v| v.into_string().ok())
        .filter(|v| !v.is_empty())
}

/// [`find_default`] with an injectable environment (for tests).
pub async fn find_default_with(opts: &LoadOptions, env: Env<'_>) -> Result<DefaultCredentials> {
    let text_env = |k: &str| text_env(env, k);
    let explicit_project = text_env("GOOGLE_CLOUD_PROJECT").or_else(|| text_env("GCLOUD_PROJECT"));
    let quota_env = text_env("GOOGLE_CLOUD_QUOTA_PROJECT");
    let gcloud = gcloud_adc_path(env);

    let from_file = |path: PathBuf, source: CredentialSource| -> Result<DefaultCredentials> {
        let from_env = matches!(source, CredentialSource::AdcEnvVar { .. });
        let loaded = load_file(&path, opts).map_err(|e| adc_file_error(&path, from_env, e))?;
        let project_id = explicit_project.clone().or(loaded.project_id.clone());
        let credentials = match &quota_env {
            Some(q) => loaded.credentials.with_quota_project_id(q.clone()),
            None => loaded.credentials,
        };
        Ok(DefaultCredentials {
            credentials,
            source,
            project_id,
        })
    };

    if let Some(explicit) = env("GOOGLE_APPLICATION_CREDENTIALS").filter(|v| !v.is_empty()) {
        let path = PathBuf::from(explicit);
        // As google-auth: naming gcloud's own file counts as the gcloud source.
        if gcloud.as_ref() != Some(&path) {
            return from_file(path.clone(), CredentialSource::AdcEnvVar { path });
        }
    }
    if let Some(path) = gcloud.filter(|p| p.is_file()) {
        return from_file(path.clone(), CredentialSource::GcloudAdc { path });
    }
    #[cfg(feature = "service-accounts")]
    if let Some(found) = from_metadata_server(env, explicit_project, quota_env, opts).await? {
        return Ok(found);
    }
    #[cfg(feature = "service-accounts")]
    let tried = "and no metadata server answered";
    #[cfg(not(feature = "service-accounts"))]
    let tried = "and the metadata server was not asked (this program was built without gapi's \
                 `service-accounts` feature)";
    Err(Error::new(
        ErrorKind::LoginRequired,
        format!(
            "no credentials were found: GOOGLE_APPLICATION_CREDENTIALS is not set, gcloud's \
             application default credentials file does not exist, {tried}"
        ),
    )
    .with_remedy(crate::error::Remedy::ProvideCredentials))
}

/// The metadata server's account, when a metadata server answers.
#[cfg(feature = "service-accounts")]
async fn from_metadata_server(
    env: Env<'_>,
    explicit_project: Option<String>,
    quota_env: Option<String>,
    opts: &LoadOptions,
) -> Result<Option<DefaultCredentials>> {
    let config = MetadataConfig::from_env_fn(|k| text_env(env, k))?;
    let client = MetadataClient::new(config)?;
    if client.is_available().await {
        let project = match explicit_project {
            Some(p) => Some(p),
            None => client.project_id().await.ok(),
        };
        let email = client.email("default").await.ok();
        let mut creds = ComputeMetadata::new(client.clone()).scopes(opts.scopes.clone());
        if let Some(e) = email {
            creds = creds.with_email(e);
        }
        if let Some(q) = quota_env {
            creds = creds.quota_project_id(q);
        }
        return Ok(Some(DefaultCredentials {
            credentials: creds.build(),
            source: CredentialSource::MetadataServer {
                root: client.config().root.to_string(),
            },
            project_id: project,
        }));
    }
    Ok(None)
}

/// A broken ADC file: names the file, where its path came from, and the repair.
fn adc_file_error(path: &std::path::Path, from_env: bool, e: Error) -> Error {
    let (origin, fix) = if from_env {
        (
            "the file GOOGLE_APPLICATION_CREDENTIALS names",
            "point GOOGLE_APPLICATION_CREDENTIALS at a valid credentials file, or unset it",
        )
    } else {
        (
            "gcloud's Application Default Credentials file",
            "run `gcloud auth application-default login` to rewrite it, or remove it",
        )
    };
    let reason = e.message().to_string();
    let reason = reason
        .strip_prefix(&format!("{}: ", path.display()))
        .unwrap_or(&reason)
        .to_string();
    Error::new(
        ErrorKind::Store,
        format!("{origin}, {}, cannot be used: {reason}", path.display()),
    )
    .with_hint(fix)
}
