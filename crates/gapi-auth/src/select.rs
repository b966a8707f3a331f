//! Choosing which credentials a call runs with, and saying where they came from.
//!
//! The one rule that matters: a call never runs as another account than the one asked for. A
//! profile that was named (or the default profile, when a file is at its path) is used or is an
//! error; only when no profile was named and none is stored does the search go on to
//! Application Default Credentials, in google-auth's order: `$GOOGLE_APPLICATION_CREDENTIALS`,
//! then gcloud's well-known file. New sources (service accounts, the metadata server, ...) are
//! new [`CredentialSource`] variants tried in [`select_credentials`] after the ones here.

use std::path::PathBuf;

use crate::adc::{find_default, gcloud_adc_path};
use crate::credentials::{CredentialSource, Credentials, LoadOptions};
use crate::error::{Error, ErrorKind, Result};
use crate::profile::DEFAULT_PROFILE;
use crate::store::FileStore;

/// Credentials together with where they came from.
#[derive(Debug, Clone)]
pub struct Selected {
    /// The credentials (store-backed ones persist their refreshes).
    pub credentials: Credentials,
    /// Where they were read from.
    pub source: CredentialSource,
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
    http: Option<gapi_retry::HttpClient>,
) -> Result<Selected> {
    let opts = LoadOptions {
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
    opts: &LoadOptions,
) -> Result<Selected> {
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
    match find_default(opts).await {
        Ok(found) => Ok(announce(Selected {
            credentials: found.credentials,
            source: found.source,
        })),
        Err(e) if e.kind() == ErrorKind::LoginRequired => Err(nothing_found(
            store,
            gcloud_adc_path(&|name| std::env::var_os(name)),
        )),
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
    .with_remedy(crate::error::Remedy::LogIn {
        profile: crate::profile::named(name),
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
    .with_remedy(crate::error::Remedy::LogInOrCreateAdc {
        client_secrets_needed: true,
    })
}
