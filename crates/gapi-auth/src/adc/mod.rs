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

pub mod path;
pub mod write;

pub use path::*;

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Arc;

use crate::files::credential_file::{LoadOptions, load_file};
use crate::error::{Error, ErrorKind, Result};
use crate::credentials::metadata::{ComputeMetadata, MetadataClient, MetadataConfig};
use crate::credentials::provider::{BoxFuture, CredentialKind, Provider, Token};
use crate::secret::IdToken;

pub use crate::select::CredentialSource;

/// Credentials found by [`find_default`].
pub struct DefaultCredentials {
    /// The credential.
    pub credentials: crate::credentials::Credentials,
    /// Where it came from.
    pub source: CredentialSource,
    /// The project, when one could be determined.
    pub project_id: Option<String>,
}

/// gcloud's well-known ADC file, as google-auth computes it (the file may not exist).
pub fn gcloud_adc_path(env: &(dyn Fn(&str) -> Option<OsString> + Sync)) -> Option<PathBuf> {
    let dir = match env("CLOUDSDK_CONFIG") {
        Some(d) => PathBuf::from(d),
        None if cfg!(windows) => PathBuf::from(env("APPDATA")?).join("gcloud"),
        None => PathBuf::from(env("HOME")?).join(".config").join("gcloud"),
    };
    Some(dir.join(crate::adc::ADC_FILE))
}

/// Finds Application Default Credentials (see the module docs for the order).
pub async fn find_default(opts: &LoadOptions) -> Result<DefaultCredentials> {
    find_default_with(opts, &|k| std::env::var_os(k)).await
}

/// [`find_default`] with an injectable environment (for tests).
pub async fn find_default_with(
    opts: &LoadOptions,
    env: &(dyn Fn(&str) -> Option<OsString> + Sync),
) -> Result<DefaultCredentials> {
    let text_env = |k: &str| {
        env(k)
            .and_then(|v| v.into_string().ok())
            .filter(|v| !v.is_empty())
    };
    let explicit_project = text_env("GOOGLE_CLOUD_PROJECT").or_else(|| text_env("GCLOUD_PROJECT"));
    let quota_env = text_env("GOOGLE_CLOUD_QUOTA_PROJECT");
    let gcloud = gcloud_adc_path(env);

    let from_file = |path: PathBuf, source: CredentialSource| -> Result<DefaultCredentials> {
        let from_env = matches!(source, CredentialSource::AdcEnvVar { .. });
        let loaded = load_file(&path, opts).map_err(|e| adc_file_error(&path, from_env, e))?;
        let project_id = explicit_project.clone().or(loaded.project_id.clone());
        let credentials = match (loaded.user, &quota_env) {
            (Some(u), Some(q)) => {
                crate::credentials::Credentials::from(u.with_quota_project_id(q.clone()))
            }
            (Some(u), None) => u.into(),
            (None, q) => crate::credentials::Credentials::from_provider(with_quota(
                loaded.provider,
                q.clone(),
            )),
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
    let config = MetadataConfig::from_env_fn(|k| text_env(k))?;
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
        return Ok(DefaultCredentials {
            credentials: crate::credentials::Credentials::from_provider(Arc::new(creds)),
            source: CredentialSource::MetadataServer {
                root: client.config().root.to_string(),
            },
            project_id: project,
        });
    }
    Err(Error::new(
        ErrorKind::LoginRequired,
        "no credentials were found: GOOGLE_APPLICATION_CREDENTIALS is not set, gcloud's \
         application default credentials file does not exist, and no metadata server answered",
    )
    .with_remedy(crate::Remedy::ProvideCredentials))
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

fn with_quota(provider: Arc<dyn Provider>, quota: Option<String>) -> Arc<dyn Provider> {
    match quota {
        Some(q) => Arc::new(QuotaOverride {
            inner: provider,
            quota: q,
        }),
        None => provider,
    }
}

/// A provider whose quota project comes from `GOOGLE_CLOUD_QUOTA_PROJECT`.
struct QuotaOverride {
    inner: Arc<dyn Provider>,
    quota: String,
}

impl Provider for QuotaOverride {
    fn kind(&self) -> CredentialKind {
        self.inner.kind()
    }
    fn fetch_token(&self) -> BoxFuture<'_, Result<Token>> {
        self.inner.fetch_token()
    }
    fn id_token<'a>(&'a self, audience: &'a str) -> BoxFuture<'a, Result<IdToken>> {
        self.inner.id_token(audience)
    }
    fn account(&self) -> Option<String> {
        self.inner.account()
    }
    fn quota_project_id(&self) -> Option<String> {
        Some(self.quota.clone())
    }
    fn universe_domain(&self) -> String {
        self.inner.universe_domain()
    }
    fn project_id(&self) -> Option<String> {
        self.inner.project_id()
    }
}
