//! `gapi auth ...`: log in, show, print and revoke stored credentials.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use anyhow::{Context, bail};
use gapi_auth::{
    ClientSecrets, ConsoleOptions, Credentials, DeviceOptions, FileStore, InstalledFlow,
    LocalServer, OOB_REDIRECT_URI,
};
use serde_json::json;

use crate::cli::{AuthCommand, GlobalArgs, LoginArgs, StatusArgs, StatusFormat};
use crate::exit;

/// The scope asked for when `--scope` is not given: the seed's read-only Drive metadata.
pub const DEFAULT_SCOPES: &[&str] = &["https://www.googleapis.com/auth/drive.metadata.readonly"];

/// Runs one `gapi auth` subcommand.
pub async fn run(global: &GlobalArgs, cmd: AuthCommand) -> anyhow::Result<ExitCode> {
    let store = FileStore::default_location().context("cannot find where to keep credentials")?;
    match cmd {
        AuthCommand::Login(args) => login(global, &store, args).await,
        AuthCommand::Status(args) => status(global, &store, args).await,
        AuthCommand::PrintAccessToken => {
            let creds = load(&store, &global.profile).await?;
            let token = creds.access_token().await?;
            println!("{}", token.secret());
            Ok(ExitCode::SUCCESS)
        }
        AuthCommand::Revoke => revoke(global, &store).await,
        AuthCommand::List => {
            for profile in store.list()? {
                println!("{profile}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Loads a profile's stored credentials, which persist their own refreshes.
pub async fn load(store: &FileStore, profile: &str) -> anyhow::Result<Credentials> {
    match store.load(profile).await? {
        Some(creds) => Ok(creds.with_store(store.clone(), profile)),
        None => Err(exit::login_needed(format!(
            "no stored credentials for profile `{profile}` (looked at {})\n\
             hint: run `gapi auth login --client-secrets FILE{}`",
            store.path_for(profile).display(),
            profile_flag(profile)
        ))),
    }
}

/// ` --profile P` when P is not the default profile, for hints.
pub fn profile_flag(profile: &str) -> String {
    if profile == gapi_auth::DEFAULT_PROFILE {
        String::new()
    } else {
        format!(" --profile {profile}")
    }
}

fn client_secrets_path(args: &LoginArgs) -> anyhow::Result<PathBuf> {
    match &args.client_secrets {
        Some(p) => Ok(p.clone()),
        None => Err(exit::usage(
            "no OAuth client given\n\
             hint: pass --client-secrets FILE (a Desktop-app client_secret.json from the Google Cloud \
             console, or one written by `gapi emulator --write-client-secrets FILE`), or set GAPI_CLIENT_SECRETS",
        )),
    }
}

async fn login(
    global: &GlobalArgs,
    store: &FileStore,
    args: LoginArgs,
) -> anyhow::Result<ExitCode> {
    if let Some(url) = &args.remote_bootstrap {
        return super::remote_login::run(url, &args).await;
    }
    let path = client_secrets_path(&args)?;
    let secrets = ClientSecrets::from_file(&path)?;
    let scopes: Vec<String> = if args.scopes.is_empty() {
        DEFAULT_SCOPES.iter().map(|s| s.to_string()).collect()
    } else {
        args.scopes.clone()
    };
    let mut flow = InstalledFlow::new(secrets, scopes).token_store(store.clone(), &global.profile);
    if let Some(hint) = &args.login_hint {
        flow = flow.login_hint(hint);
    }
    let timeout = Duration::from_secs(args.timeout);
    let oob = args
        .redirect_uri
        .as_deref()
        .is_some_and(gapi_auth::flow::is_oob);
    let creds = if args.title {
        let opts = gapi_auth::flow::title::TitleOptions::new()
            .timeout(timeout)
            .open_browser(!args.no_browser);
        flow.run_title(opts).await?
    } else if args.device {
        flow.run_device(DeviceOptions::new().timeout(timeout))
            .await?
    } else if args.console || oob {
        let mut opts = ConsoleOptions::new();
        opts = opts.redirect_uri(
            args.redirect_uri
                .clone()
                .unwrap_or_else(|| OOB_REDIRECT_URI.into()),
        );
        flow.run_console(opts).await?
    } else {
        let mut server = LocalServer::new()
            .port(args.port)
            .timeout(timeout)
            .open_browser(!args.no_browser)
            .accept_paste(true)
            .remote_bootstrap_command(super::remote_login::BOOTSTRAP_COMMAND);
        if let Some(uri) = &args.redirect_uri {
            let url = url::Url::parse(uri)
                .map_err(|e| exit::usage(format!("--redirect-uri {uri:?} is not a URL: {e}")))?;
            let Some(host) = url.host_str() else {
                bail!(exit::usage(format!("--redirect-uri {uri:?} has no host")));
            };
            server = server.host(host.trim_matches(['[', ']'])).path(url.path());
            if let Some(port) = url.port() {
                server = server.port(port);
            }
        }
        flow.run_local_server(server).await?
    };
    let file = store.path_for(&global.profile);
    eprintln!(
        "Logged in{}. Credentials saved to {} (mode 0600).",
        creds
            .account()
            .map(|a| format!(" as {a}"))
            .unwrap_or_default(),
        file.display()
    );
    eprintln!("Granted scopes: {}", creds.granted_scopes().join(" "));
    Ok(ExitCode::SUCCESS)
}

fn rfc3339(t: SystemTime) -> String {
    gapi_auth::timefmt::format_expiry(t)
}

async fn status(
    global: &GlobalArgs,
    store: &FileStore,
    args: StatusArgs,
) -> anyhow::Result<ExitCode> {
    let creds = load(store, &global.profile).await?;
    let file = store.path_for(&global.profile);
    let mut info = json!({
        "profile": global.profile,
        "credentials_file": file.display().to_string(),
        "client_id": creds.client_id(),
        "account": creds.account(),
        "scopes": creds.granted_scopes(),
        "expiry": creds.expiry().map(rfc3339),
        "has_refresh_token": creds.has_refresh_token(),
        "quota_project_id": creds.quota_project_id(),
    });
    if !args.offline {
        match creds.tokeninfo().await {
            Ok(ti) => {
                info["tokeninfo"] = json!({
                    "email": ti.email, "scope": ti.scope, "expires_in": ti.expires_in, "aud": ti.aud,
                });
                if info["account"].is_null() {
                    info["account"] = json!(ti.email);
                }
            }
            Err(e) => info["tokeninfo_error"] = json!(e.to_string()),
        }
    }
    match args.format {
        StatusFormat::Json => println!("{}", serde_json::to_string_pretty(&info)?),
        StatusFormat::Text => {
            let s = |k: &str| match &info[k] {
                serde_json::Value::Null => "-".to_string(),
                serde_json::Value::String(v) => v.clone(),
                v => v.to_string(),
            };
            println!("profile:     {}", s("profile"));
            println!("account:     {}", s("account"));
            println!("client id:   {}", s("client_id"));
            println!(
                "scopes:      {}",
                creds.granted_scopes().join("\n             ")
            );
            println!("expiry:      {}", s("expiry"));
            println!("refreshable: {}", s("has_refresh_token"));
            println!("file:        {}", s("credentials_file"));
            if let Some(ti) = info.get("tokeninfo") {
                println!(
                    "server says: valid, {}s left",
                    ti["expires_in"]
                        .as_u64()
                        .map(|n| n.to_string())
                        .unwrap_or("?".into())
                );
            } else if let Some(e) = info.get("tokeninfo_error") {
                println!("server says: {}", e.as_str().unwrap_or_default());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn revoke(global: &GlobalArgs, store: &FileStore) -> anyhow::Result<ExitCode> {
    let creds = load(store, &global.profile).await?;
    let revoked = creds.revoke().await;
    // The grant may already be gone at the server (revoked elsewhere, expired): still forget it.
    store.delete(&global.profile).await?;
    match revoked {
        Ok(()) => eprintln!(
            "Revoked the grant and deleted {}.",
            store.path_for(&global.profile).display()
        ),
        Err(e) if e.needs_login() => eprintln!(
            "The server no longer knew this grant ({e}); deleted {} anyway.",
            store.path_for(&global.profile).display()
        ),
        Err(e) => {
            return Err(anyhow::Error::new(e).context(format!(
                "deleted {} but could not revoke the grant at the server",
                store.path_for(&global.profile).display()
            )));
        }
    }
    Ok(ExitCode::SUCCESS)
}
