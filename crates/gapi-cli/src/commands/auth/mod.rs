//! `gapi auth ...`: log in, show, print and revoke stored credentials. Its subcommands with
//! more to them live beside it; none imports this file (shared login code is `crate::login`).

mod adc_login;
mod credentials;
mod policy;
mod remote_login;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::SystemTime;

use anyhow::Context;
use gapi_auth::flow::incremental::Incremental;
use gapi_auth::{
    ClientKind, ClientSecrets, Credentials, FileStore, InstalledFlow, Selected, StoreKind,
};
use serde_json::json;

use crate::cli::{AdcCommand, AuthCommand, GlobalArgs, LoginArgs, StatusArgs, StatusFormat};
use crate::exit;
use crate::output::{visible, visible_lines};

/// The scope asked for when `--scope` is not given: the seed's read-only Drive metadata.
pub const DEFAULT_SCOPES: &[&str] = &["https://www.googleapis.com/auth/drive.metadata.readonly"];

/// Runs one `gapi auth` subcommand.
pub async fn run(global: &GlobalArgs, cmd: AuthCommand) -> anyhow::Result<ExitCode> {
    let store = FileStore::default_location().context("cannot find where to keep credentials")?;
    gapi_auth::validate_profile(&global.profile)?;
    match cmd {
        AuthCommand::Login(args) => login(global, &store, args).await,
        AuthCommand::ApplicationDefault(AdcCommand::Login(args)) => {
            // It writes a refresh token for other tools, where no policy holds.
            if !policy::may_hand_out_credential(global, "application-default login")? {
                return Ok(ExitCode::from(exit::USAGE));
            }
            adc_login::run(global, args).await
        }
        AuthCommand::Status(args) => status(global, &store, args).await,
        AuthCommand::PrintIdentityToken(args) => {
            if !policy::may_hand_out_credential(global, "print-identity-token")? {
                return Ok(ExitCode::from(exit::USAGE));
            }
            credentials::print_identity_token(global, &store, args).await
        }
        AuthCommand::ActivateServiceAccount(args) => {
            credentials::activate_service_account(global, &store, args).await
        }
        AuthCommand::PrintAccessToken => {
            if !policy::may_hand_out_credential(global, "print-access-token")? {
                return Ok(ExitCode::from(exit::USAGE));
            }
            let creds = crate::call::identity::resolve(&store, global, &[])
                .await?
                .credentials;
            let token = creds.access_token().await?;
            println!("{}", token.secret());
            Ok(ExitCode::SUCCESS)
        }
        AuthCommand::Revoke => revoke(global, &store).await,
        AuthCommand::Policy(cmd) => policy::run(global, &store, cmd),
        AuthCommand::List => {
            for profile in store.list()? {
                println!("{profile}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The credentials a command runs with, chosen by the library's one rule
/// ([`gapi_auth::select_credentials`]): the named profile, else the default profile, else
/// Application Default Credentials only when no profile was named and none is stored.
/// On top: `GAPI_ACCESS_TOKEN`, `--impersonate-service-account`, `--subject`
/// (see `call/identity.rs`).
pub async fn select(store: &FileStore, global: &GlobalArgs) -> anyhow::Result<Selected> {
    crate::call::identity::resolve(store, global, &[]).await
}

/// Loads a stored profile and nothing else (revoke must never touch ADC).
pub async fn load(store: &FileStore, profile: &str) -> anyhow::Result<Credentials> {
    Ok(gapi_auth::select_credentials(store, Some(profile), None)
        .await?
        .credentials)
}

fn client_secrets_path(args: &LoginArgs) -> anyhow::Result<PathBuf> {
    match &args.client_secrets {
        Some(p) => Ok(p.clone()),
        None => Err(exit::usage_hint(
            "no OAuth client given",
            "pass --client-secrets FILE (a Desktop-app client_secret.json from the Google Cloud \
             console, or one written by `gapi emulator --write-client-secrets FILE`), or set \
             GAPI_CLIENT_SECRETS",
        )),
    }
}

async fn login(
    global: &GlobalArgs,
    store: &FileStore,
    args: LoginArgs,
) -> anyhow::Result<ExitCode> {
    if let Some(url) = &args.remote_bootstrap {
        return remote_login::run(url, &args).await;
    }
    // `--store` (else where the profile already is, else a file); the keyring is checked
    // before any consent page, so an unreachable one costs the user nothing.
    let kind = match args.store.as_deref() {
        Some(kind) => Some(StoreKind::parse(kind)?),
        None => store.stored_in(&global.profile).ok().flatten(),
    };
    let in_keyring = kind == Some(StoreKind::Keyring);
    if in_keyring {
        gapi_auth::probe_keyring()?;
    }
    let store = &match kind {
        Some(kind) => store.clone().storing_in(kind),
        None => store.clone(),
    };
    // `--add-scope`: the stored login's client and account, only the new scopes.
    let add = incremental(global, store, &args).await?;
    if add.as_ref().is_some_and(|a| a.scopes.is_empty()) {
        eprintln!(
            "Profile `{}` already has every scope asked for.",
            global.profile
        );
        return Ok(ExitCode::SUCCESS);
    }
    let scopes: Vec<String> = if let Some(a) = &add {
        a.scopes.clone()
    } else if args.scopes.is_empty() {
        DEFAULT_SCOPES.iter().map(|s| s.to_string()).collect()
    } else {
        args.scopes.clone()
    };
    if global.read_only {
        let wide: Vec<&String> = scopes
            .iter()
            .filter(|s| !gapi_client::policy::is_read_only_scope(s))
            .collect();
        if !wide.is_empty() {
            let suggest: Vec<String> = wide
                .iter()
                .map(|s| format!("--scope {s}.readonly"))
                .collect();
            return Err(crate::exit::usage_hint(
                format!(
                    "--read-only asks only for read-only scopes, but these are not: {}",
                    wide.iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                format!("try {}", suggest.join(" ")),
            ));
        }
    }
    let path = match &add {
        Some(a) => a.client_secrets.clone(),
        None => client_secrets_path(&args)?,
    };
    let secrets = ClientSecrets::from_file(&path)?;
    if secrets.kind == ClientKind::Web {
        tracing::warn!(
            "{} is a \"web\" OAuth client; a command-line login needs a \"Desktop app\" \
             client (web clients accept only the redirect URIs registered for them)",
            path.display()
        );
    }
    // Recorded with the login, so a failed refresh can name the exact command.
    let secrets_file = std::path::absolute(&path)
        .unwrap_or_else(|_| path.clone())
        .display()
        .to_string();
    let mut flow = InstalledFlow::new(secrets, scopes)
        .token_store(store.clone(), &global.profile)
        .client_secrets_file(secrets_file);
    // An incremental consent asks with prompt=consent for one merged refresh token.
    if let Some(a) = &add {
        flow = a.apply(flow);
    }
    if let Some(hint) = &args.login_hint {
        flow = flow.login_hint(hint);
    }
    if let Some(prompt) = args.prompt {
        flow = flow.prompt(prompt.as_param());
    }
    let creds = crate::login::run_flow(flow, &args).await?;
    let file = store.path_for(&global.profile);
    let account = creds
        .account()
        .map(|a| format!(" as {}", visible(&a)))
        .unwrap_or_default();
    match store.keyring_marker(&global.profile) {
        Some(marker) => eprintln!(
            "Logged in{account}. Tokens and client secret saved in {}; {} only names the entry.",
            visible(&marker.describe()),
            visible(&file.display().to_string())
        ),
        None => eprintln!(
            "Logged in{account}. Credentials saved to {} (mode 0600).",
            visible(&file.display().to_string())
        ),
    }
    eprintln!(
        "Granted scopes: {}",
        visible(&creds.granted_scopes().join(" "))
    );
    Ok(ExitCode::SUCCESS)
}

/// `None` without `--add-scope`; otherwise what the library's incremental consent asks for
/// ([`Incremental::of`]): the stored login's client and account, only the missing scopes.
async fn incremental(
    global: &GlobalArgs,
    store: &FileStore,
    args: &LoginArgs,
) -> anyhow::Result<Option<Incremental>> {
    if args.add_scopes.is_empty() {
        return Ok(None);
    }
    let Some(stored) = store.load(&global.profile).await? else {
        return Err(exit::login_needed_hint(
            format!(
                "--add-scope adds to a stored login, and profile `{}` has none",
                global.profile
            ),
            crate::auth_hints::login_hint(format!(
                "run `{}`",
                crate::auth_hints::Login::new(Some(&global.profile))
                    .client_needed(true)
                    .scopes(&args.add_scopes)
                    .command()
            )),
        ));
    };
    let add = Incremental::of(&stored, &args.add_scopes, args.client_secrets.clone())
        .await
        .map_err(|e| exit::usage_of(Some(format!("profile `{}`", global.profile)), &e))?;
    Ok(Some(add))
}

fn rfc3339(t: SystemTime) -> String {
    gapi_auth::protocol::timefmt::format_expiry(t)
}

async fn status(
    global: &GlobalArgs,
    store: &FileStore,
    args: StatusArgs,
) -> anyhow::Result<ExitCode> {
    let Selected {
        credentials: creds,
        source,
        ..
    } = select(store, global).await?;
    let mut info = json!({
        "profile": source.profile(),
        "type": creds.kind().as_str(),
        "source": source.to_string(),
        "credentials_file": source.path().map(|p| p.display().to_string()),
        "stored_in": stored_in(store, source.profile()),
        "client_id": creds.client_id(),
        "account": creds.account(),
        "scopes": creds.granted_scopes(),
        "expiry": creds.expiry().map(rfc3339),
        "has_refresh_token": creds.has_refresh_token(),
        "quota_project_id": creds.quota_project_id(),
    });
    let mut failure = None;
    if !args.offline {
        match server_check(&creds).await {
            Ok(ti) => {
                info["tokeninfo"] = json!({
                    "email": ti.email, "scope": ti.scope, "expires_in": ti.expires_in, "aud": ti.aud,
                });
                if info["account"].is_null() {
                    info["account"] = json!(ti.email);
                }
            }
            Err(e) => {
                info["tokeninfo_error"] = json!(e.message());
                failure = Some(e);
            }
        }
    }
    match args.format {
        StatusFormat::Json => println!("{}", serde_json::to_string_pretty(&info)?),
        StatusFormat::Text => {
            // Values from the credentials file and the server: escaped for the terminal.
            let s = |k: &str| match &info[k] {
                serde_json::Value::Null => "-".to_string(),
                serde_json::Value::String(v) => visible(v).into_owned(),
                v => visible(&v.to_string()).into_owned(),
            };
            println!("profile:     {}", s("profile"));
            println!("type:        {} ({})", s("type"), creds.kind().describe());
            println!("source:      {}", s("source"));
            println!("account:     {}", s("account"));
            println!("client id:   {}", s("client_id"));
            println!(
                "scopes:      {}",
                creds
                    .granted_scopes()
                    .iter()
                    .map(|s| visible(s).into_owned())
                    .collect::<Vec<_>>()
                    .join("\n             ")
            );
            println!("expiry:      {}", s("expiry"));
            println!("refreshable: {}", s("has_refresh_token"));
            println!("file:        {}", s("credentials_file"));
            println!("stored in:   {}", s("stored_in"));
            if let Some(ti) = info.get("tokeninfo") {
                println!(
                    "server says: valid, {}s left",
                    ti["expires_in"]
                        .as_u64()
                        .map(|n| n.to_string())
                        .unwrap_or("?".into())
                );
            } else if let Some(e) = info.get("tokeninfo_error") {
                println!("server says: {}", visible(e.as_str().unwrap_or_default()));
            }
        }
    }
    // A dead login must not look healthy to a script: revoked or expired grant 3, server
    // unreachable 6 (the status above is printed either way).
    match failure {
        None => Ok(ExitCode::SUCCESS),
        Some(e) => {
            Err(anyhow::Error::new(e).context("the server does not accept these credentials"))
        }
    }
}

/// Where a profile's secrets are kept, for `auth status` (None for non-profile sources).
fn stored_in(store: &FileStore, profile: Option<&str>) -> Option<String> {
    let profile = profile?;
    Some(match store.keyring_marker(profile) {
        Some(marker) => marker.describe(),
        None => "file".to_string(),
    })
}

/// Asks tokeninfo about the access token; a token the server no longer knows is refreshed
/// once and asked about again, so only a dead grant (or no server) fails.
async fn server_check(creds: &Credentials) -> Result<gapi_auth::TokenInfo, gapi_auth::Error> {
    match creds.tokeninfo().await {
        Err(e) if e.oauth_error_code() == Some("invalid_token") => {
            creds.force_refresh().await?;
            creds.tokeninfo().await
        }
        other => other,
    }
}

async fn revoke(global: &GlobalArgs, store: &FileStore) -> anyhow::Result<ExitCode> {
    let path = store.path_for(&global.profile);
    // What is deleted: the file, and for a keyring profile its keyring entry too.
    let file = match store.keyring_marker(&global.profile) {
        Some(marker) => format!("{} and its entry in {}", path.display(), marker.describe()),
        None => path.display().to_string(),
    };
    let file = visible(&file).into_owned();
    let creds = match load(store, &global.profile).await {
        Ok(creds) => creds,
        // A broken file cannot be revoked at the server, but its files can still go.
        Err(e) if store.exists(&global.profile)? => {
            store.delete(&global.profile).await?;
            eprintln!(
                "Deleted {file} without revoking at the server: {}",
                visible_lines(&format!("{e:#}"))
            );
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => return Err(e),
    };
    let revoked = creds.revoke().await;
    // The grant may already be gone at the server (revoked elsewhere, expired): still forget it.
    store.delete(&global.profile).await?;
    match revoked {
        Ok(()) => eprintln!("Revoked the grant and deleted {file}."),
        Err(e) if e.needs_login() => {
            eprintln!(
                "The server no longer knew this grant ({}); deleted {file} anyway.",
                visible_lines(&e.to_string())
            )
        }
        Err(e) => {
            return Err(anyhow::Error::new(e).context(format!(
                "deleted {file} but could not revoke the grant at the server"
            )));
        }
    }
    Ok(ExitCode::SUCCESS)
}
