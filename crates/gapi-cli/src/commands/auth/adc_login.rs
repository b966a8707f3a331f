//! `gapi auth application-default login --client-secrets FILE [--scope ...]`: a login whose
//! result is written as Application Default Credentials where gcloud writes them, with
//! `quota_project_id` from `--quota-project`, for every other Google library on the machine.

use std::process::ExitCode;

use gapi_auth::{ClientSecrets, InstalledFlow};

use crate::cli::{GlobalArgs, LoginArgs};
use crate::exit;

/// gcloud's default ADC scopes, minus its Cloud SQL one.
pub const ADC_DEFAULT_SCOPES: &[&str] = &[
    "openid",
    "https://www.googleapis.com/auth/userinfo.email",
    "https://www.googleapis.com/auth/cloud-platform",
];

/// Runs the login and writes the ADC file.
pub async fn run(global: &GlobalArgs, args: LoginArgs) -> anyhow::Result<ExitCode> {
    if args.remote_bootstrap.is_some() || !args.add_scopes.is_empty() {
        return Err(exit::usage_hint(
            "application-default login takes neither --remote-bootstrap nor --add-scope",
            "name every scope with --scope",
        ));
    }
    let Some(path) = &args.client_secrets else {
        return Err(exit::usage_hint(
            "no OAuth client given",
            "pass --client-secrets FILE (a Desktop-app client_secret.json), or set \
             GAPI_CLIENT_SECRETS",
        ));
    };
    let secrets = ClientSecrets::from_file(path)?;
    let scopes: Vec<String> = if args.scopes.is_empty() {
        ADC_DEFAULT_SCOPES.iter().map(|s| s.to_string()).collect()
    } else {
        args.scopes.clone()
    };
    // ADC needs a refresh token: always show the consent page.
    let mut flow = InstalledFlow::new(secrets, scopes).prompt("consent");
    if let Some(hint) = &args.login_hint {
        flow = flow.login_hint(hint);
    }
    let mut creds = crate::login::run_flow(flow, &args).await?;
    if let Some(project) = &global.quota_project {
        creds = creds.with_quota_project_id(project.clone());
    }
    let written = gapi_auth::adc::save_adc(&creds)?;
    eprintln!(
        "Application Default Credentials saved to {} (mode 0600){}.",
        written.display(),
        global
            .quota_project
            .as_deref()
            .map(|p| format!(" with quota project {p}"))
            .unwrap_or_default()
    );
    if std::env::var_os("GOOGLE_APPLICATION_CREDENTIALS").is_some_and(|v| !v.is_empty()) {
        eprintln!(
            "Note: GOOGLE_APPLICATION_CREDENTIALS is set, so libraries read that file instead \
             of this one until it is unset."
        );
    }
    eprintln!(
        "Granted scopes: {}",
        crate::output::visible(&creds.granted_scopes().join(" "))
    );
    Ok(ExitCode::SUCCESS)
}
