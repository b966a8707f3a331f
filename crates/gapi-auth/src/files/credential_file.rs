//! Loads any of the five credential file types google-auth reads (`authorized_user`,
//! `service_account`, `impersonated_service_account`, `external_account`,
//! `external_account_authorized_user`) into a [`Provider`], honouring the file's
//! `quota_project_id` and `universe_domain`.

use std::path::Path;

use serde_json::Value;

#[cfg(feature = "service-accounts")]
use crate::credentials::CLOUD_PLATFORM_SCOPE;
#[cfg(feature = "service-accounts")]
use crate::credentials::external_account::{ExternalAccountBuilder, ExternalAuthorizedUser};
#[cfg(feature = "service-accounts")]
use crate::credentials::impersonated::{ImpersonatedBuilder, target_from_url};
#[cfg(feature = "service-accounts")]
use crate::credentials::service_account::{ServiceAccount, ServiceAccountKey};
use crate::credentials::{
    AUTHORIZED_USER_TYPE, Credentials, EXTERNAL_ACCOUNT_AUTHORIZED_USER_TYPE,
    EXTERNAL_ACCOUNT_TYPE, IMPERSONATED_TYPE, LoadOptions, SERVICE_ACCOUNT_TYPE,
};
use crate::error::{Error, ErrorKind, Result};
use crate::protocol::scopes::expand_scopes;

/// The file types this crate reads, as google-auth lists them.
pub(crate) const VALID_TYPES: &[&str] = &[
    AUTHORIZED_USER_TYPE,
    SERVICE_ACCOUNT_TYPE,
    EXTERNAL_ACCOUNT_TYPE,
    EXTERNAL_ACCOUNT_AUTHORIZED_USER_TYPE,
    IMPERSONATED_TYPE,
];

/// A loaded credential and what the file said about its project.
pub(crate) struct Loaded {
    /// The credential.
    pub credentials: Credentials,
    /// The file's `project_id`, when it has one (service-account keys).
    pub project_id: Option<String>,
}

impl Credentials {
    /// Reads any credentials file google-auth's `load_credentials_from_file` reads
    /// (`authorized_user`, `service_account`, `impersonated_service_account`,
    /// `external_account`, `external_account_authorized_user`). `scopes` (short names like
    /// `drive.readonly` or full URLs) are what the types that mint their own tokens ask for
    /// (`cloud-platform` when empty); a user's grant keeps its own.
    pub fn from_file<I, S>(path: impl AsRef<Path>, scopes: I) -> Result<Credentials>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let opts = LoadOptions {
            scopes: expand_scopes(scopes),
            ..Default::default()
        };
        load_file(path.as_ref(), &opts).map(|l| l.credentials)
    }

    /// [`Credentials::from_file`] for the JSON text of a credentials file, with every option.
    pub fn from_json(text: &str, opts: &LoadOptions) -> Result<Credentials> {
        load_json(text, opts).map(|l| l.credentials)
    }
}

/// Reads and loads a credentials file, warning when others may read it.
pub(crate) fn load_file(path: &Path, opts: &LoadOptions) -> Result<Loaded> {
    if !path.exists() {
        return Err(Error::new(
            ErrorKind::Config,
            format!("File {} was not found.", path.display()),
        ));
    }
    let text = crate::fsread::read_small_file(path, format!("cannot read {}", path.display()))?;
    for warning in crate::warnings::file_warnings(path) {
        tracing::warn!("{warning}");
    }
    load_json(&text, opts).map_err(|e| {
        let message = format!("{}: {}", path.display(), e.message());
        e.with_message(message)
    })
}

/// Loads credentials from the JSON text of a credentials file.
pub(crate) fn load_json(text: &str, opts: &LoadOptions) -> Result<Loaded> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        Error::new(
            ErrorKind::Config,
            format!(
                "is not a valid json file (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })?;
    load_value(value, opts)
}

/// Loads credentials from a parsed credentials file.
pub(crate) fn load_value(value: Value, opts: &LoadOptions) -> Result<Loaded> {
    let kind = value
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    #[cfg_attr(not(feature = "service-accounts"), allow(unused_mut))]
    let mut project_id = None;
    let credentials = match kind.as_str() {
        AUTHORIZED_USER_TYPE => {
            // google-auth refuses a file without these keys; so do we.
            let missing: Vec<&str> = ["refresh_token", "client_id", "client_secret"]
                .into_iter()
                .filter(|k| value.get(*k).is_none())
                .collect();
            if !missing.is_empty() {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!(
                        "the authorized_user credentials lack {}",
                        missing.join(", ")
                    ),
                )
                .with_remedy(crate::error::Remedy::LogInOrCreateAdc {
                    client_secrets_needed: false,
                }));
            }
            Credentials::from_authorized_user_json(&value.to_string(), opts.http.clone())?
        }
        #[cfg(not(feature = "service-accounts"))]
        t @ (SERVICE_ACCOUNT_TYPE
        | EXTERNAL_ACCOUNT_TYPE
        | EXTERNAL_ACCOUNT_AUTHORIZED_USER_TYPE
        | IMPERSONATED_TYPE) => return Err(crate::error::needs_service_accounts(t)),
        #[cfg(feature = "service-accounts")]
        SERVICE_ACCOUNT_TYPE => {
            let key = ServiceAccountKey::from_value(value)?;
            project_id = key.project_id.clone();
            let mut b = ServiceAccount::builder(key).scopes(opts.scopes.clone());
            if let Some(s) = &opts.subject {
                b = b.subject(s.clone());
            }
            if let Some(h) = &opts.http {
                b = b.http_client(h.clone());
            }
            b.build()?
        }
        #[cfg(feature = "service-accounts")]
        IMPERSONATED_TYPE => load_impersonated(value, opts)?,
        #[cfg(feature = "service-accounts")]
        EXTERNAL_ACCOUNT_TYPE => {
            let mut b = ExternalAccountBuilder::from_json(value)?.scopes(opts.scopes.clone());
            if let Some(h) = &opts.http {
                b = b.http_client(h.clone());
            }
            b.build()?
        }
        #[cfg(feature = "service-accounts")]
        EXTERNAL_ACCOUNT_AUTHORIZED_USER_TYPE => {
            Credentials::from_provider(ExternalAuthorizedUser::from_json(value, opts.http.clone())?)
        }
        other => {
            return Err(Error::new(
                ErrorKind::Config,
                format!(
                    "does not have a valid type: {}, expected one of {}",
                    if other.is_empty() {
                        "none".to_string()
                    } else {
                        format!("\"{other}\"")
                    },
                    VALID_TYPES.join(", ")
                ),
            ));
        }
    };
    Ok(Loaded {
        credentials,
        project_id,
    })
}

#[cfg(feature = "service-accounts")]
fn load_impersonated(value: Value, opts: &LoadOptions) -> Result<Credentials> {
    let bad = |m: &str| {
        Error::new(
            ErrorKind::Config,
            format!("impersonated_service_account: {m}"),
        )
    };
    let source_value = value
        .get("source_credentials")
        .cloned()
        .ok_or_else(|| bad("no source_credentials"))?;
    let source_kind = source_value
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !matches!(
        source_kind,
        AUTHORIZED_USER_TYPE | SERVICE_ACCOUNT_TYPE | EXTERNAL_ACCOUNT_AUTHORIZED_USER_TYPE
    ) {
        return Err(bad(&format!(
            "source credential of type \"{source_kind}\" is not supported"
        )));
    }
    let source_opts = LoadOptions {
        scopes: vec![CLOUD_PLATFORM_SCOPE.to_string()],
        subject: None,
        http: opts.http.clone(),
    };
    let source = load_value(source_value, &source_opts)?.credentials;
    let url = value
        .get("service_account_impersonation_url")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("no service_account_impersonation_url"))?;
    let target = target_from_url(url)
        .ok_or_else(|| bad(&format!("cannot find the target principal in {url}")))?;
    let delegates: Vec<String> = value
        .get("delegates")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let file_scopes: Vec<String> = value
        .get("scopes")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let scopes = if opts.scopes.is_empty() {
        file_scopes
    } else {
        opts.scopes.clone()
    };
    let mut b = ImpersonatedBuilder::new(source, target, delegates)
        .access_token_url(url)
        .scopes(scopes);
    if let Some(q) = value
        .get("quota_project_id")
        .and_then(Value::as_str)
        .filter(|q| !q.is_empty())
    {
        b = b.quota_project_id(q);
    }
    if let Some(s) = &opts.subject {
        b = b.subject(s.clone());
    }
    if let Some(h) = &opts.http {
        b = b.http_client(h.clone());
    }
    b.build()
}
