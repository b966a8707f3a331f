//! `gapi auth print-identity-token` and `gapi auth activate-service-account`.

use std::process::ExitCode;

use anyhow::Context;
use gapi_auth::FileStore;
use gapi_auth::credentials::service_account::{ServiceAccount, ServiceAccountKey};

use crate::call::identity::resolve;
use crate::cli::{ActivateArgs, GlobalArgs, IdentityTokenArgs};
use crate::exit;

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
        crate::output::visible(account.email()),
        global.profile,
        crate::output::visible(&store.path_for(&global.profile).display().to_string())
    );
    Ok(ExitCode::SUCCESS)
}
