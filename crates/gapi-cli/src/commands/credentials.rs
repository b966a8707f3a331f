//! Which credentials a command runs with, for every credential type: `GAPI_ACCESS_TOKEN`, the
//! library's selection (profile, else Application Default Credentials), then
//! `--impersonate-service-account` and `--subject` on top. Also `gapi auth
//! print-identity-token` and `gapi auth activate-service-account`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use gapi_auth::credentials::impersonated::{Impersonated, parse_chain};
use gapi_auth::credentials::service_account::{ServiceAccount, ServiceAccountKey};
use gapi_auth::credentials::static_token::ACCESS_TOKEN_VAR;
use gapi_auth::{CredentialKind, CredentialSource, Credentials, FileStore, LoadOptions, Selected};

use crate::cli::GlobalArgs;
use crate::exit;

/// `gapi auth print-identity-token`
#[derive(Debug, Args)]
pub struct IdentityTokenArgs {
    /// The token's audience (`aud`): the URL of the service that will check it.
    #[arg(long, value_name = "AUD")]
    pub audience: String,
}

/// `gapi auth activate-service-account`
#[derive(Debug, Args)]
pub struct ActivateArgs {
    /// The service account's JSON key (as the Cloud Console downloads it).
    #[arg(long, value_name = "FILE")]
    pub key_file: PathBuf,
}

/// Environment override of the IAM Credentials API root (an emulator).
pub const IAM_ENDPOINT_VAR: &str = "GAPI_IAM_ENDPOINT";
/// Environment override of the token endpoint impersonation plus delegation trades its
/// IAM-signed assertion at (an emulator).
pub const TOKEN_URI_VAR: &str = "GAPI_TOKEN_URI";

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The credentials for a command whose method accepts `method_scopes` (empty: any).
pub async fn resolve(
    store: &FileStore,
    global: &GlobalArgs,
    method_scopes: &[String],
) -> anyhow::Result<Selected> {
    // Service accounts ask for the narrowest scope the method accepts.
    let scopes: Vec<String> = gapi_client::scopes::narrowest_first(method_scopes)
        .into_iter()
        .take(1)
        .collect();
    if let Some(token) = env_nonempty(ACCESS_TOKEN_VAR) {
        if global.impersonate_service_account.is_some() || global.subject.is_some() {
            return Err(exit::usage(format!(
                "{ACCESS_TOKEN_VAR} is a finished token: it cannot be combined with \
                 --impersonate-service-account or --subject"
            )));
        }
        return Ok(Selected {
            credentials: Credentials::from_access_token(gapi_auth::AccessToken::new(token.trim()))?,
            source: CredentialSource::EnvironmentVariable {
                name: ACCESS_TOKEN_VAR.to_string(),
            },
        });
    }
    let chain = global
        .impersonate_service_account
        .as_deref()
        .filter(|c| !c.trim().is_empty());
    let opts = LoadOptions {
        http: None,
        // The impersonation source only needs cloud-platform (its default).
        scopes: if chain.is_some() {
            Vec::new()
        } else {
            scopes.clone()
        },
        subject: if chain.is_some() {
            None
        } else {
            global.subject.clone()
        },
    };
    let selected =
        gapi_auth::select_credentials_with(store, global.profile_request(), &opts).await?;
    if let Some(chain) = chain {
        let (target, delegates) = parse_chain(chain)?;
        let mut b = Impersonated::builder(selected.credentials, target, delegates).scopes(scopes);
        if let Some(s) = &global.subject {
            b = b.subject(s.clone());
        }
        if let Some(root) = env_nonempty(IAM_ENDPOINT_VAR) {
            b = b.iam_endpoint(root);
        }
        if let Some(uri) = env_nonempty(TOKEN_URI_VAR) {
            b = b.token_uri(uri);
        }
        tracing::info!("impersonating {chain} with {}", selected.source);
        return Ok(Selected {
            credentials: b.build()?,
            source: selected.source,
        });
    }
    if global.subject.is_some() && selected.credentials.kind() != CredentialKind::ServiceAccount {
        return Err(exit::usage_hint(
            format!(
                "--subject (domain-wide delegation) needs a service account, but the selected \
                 credentials are {} ({})",
                selected.credentials.kind().describe(),
                selected.source
            ),
            "use a service-account profile (`gapi auth activate-service-account`) or add \
             --impersonate-service-account SA",
        ));
    }
    Ok(selected)
}

/// `gapi auth print-identity-token --audience AUD`
pub async fn print_identity_token(
    global: &GlobalArgs,
    store: &FileStore,
    args: IdentityTokenArgs,
) -> anyhow::Result<ExitCode> {
    let creds = resolve(store, global, &[]).await?.credentials;
    let token = creds.id_token_for(&args.audience).await?;
    println!("{}", token.secret());
    Ok(ExitCode::SUCCESS)
}

/// `gapi auth activate-service-account --key-file FILE`
pub async fn activate_service_account(
    global: &GlobalArgs,
    store: &FileStore,
    args: ActivateArgs,
) -> anyhow::Result<ExitCode> {
    let key = ServiceAccountKey::from_file(&args.key_file).map_err(|e| exit::usage_of(None, &e))?;
    // Parses the private key now, so a broken key is refused before it is stored.
    let account = ServiceAccount::builder(key.clone())
        .build_provider()
        .map_err(|e| exit::usage_of(Some(args.key_file.display().to_string()), &e))?;
    store
        .save_credentials_file(&global.profile, &key.to_json())
        .await
        .with_context(|| format!("cannot store the key as profile `{}`", global.profile))?;
    eprintln!(
        "Activated service account {} as profile `{}` ({}).",
        account.email(),
        global.profile,
        store.path_for(&global.profile).display()
    );
    Ok(ExitCode::SUCCESS)
}
