//! Which credentials a command runs with, for every credential type: `GAPI_ACCESS_TOKEN`, the
//! library's selection (profile, else Application Default Credentials), then
//! `--impersonate-service-account` and `--subject` on top. Also `gapi auth
//! print-identity-token` and `gapi auth activate-service-account`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

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

/// What the global options ask a command to run as: the one rule, applied by every entry
/// (API calls, `--batch`, `gapi mcp`, `gapi auth print-access-token` ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `--anonymous`: no credentials are sent.
    Anonymous,
    /// `--api-key` / `GAPI_API_KEY`: the key is sent, no OAuth credentials.
    ApiKey,
    /// An account: a profile (named or the default), Application Default Credentials,
    /// `GAPI_ACCESS_TOKEN`, with `--impersonate-service-account` and `--subject` on top.
    Account,
}

impl Mode {
    fn describe(self) -> &'static str {
        match self {
            Mode::Anonymous => "no credentials at all",
            Mode::ApiKey => "an API key instead of an account",
            Mode::Account => "an account",
        }
    }
}

/// Decides [`Mode`] from the global options. Options that ask for two different modes
/// (`--api-key` with `--subject`, `--anonymous` with `--profile`, `GAPI_ACCESS_TOKEN` with
/// `--profile` ...) are a usage error naming both, rather than one silently winning: a call
/// never runs as something the user did not ask for.
pub fn mode(global: &GlobalArgs) -> anyhow::Result<Mode> {
    let mut asked: Vec<(Mode, String)> = Vec::new();
    let mut ask = |mode: Mode, id: &str| {
        if let Some(origin) = global.origin(id) {
            asked.push((mode, origin.to_string()));
        }
    };
    ask(Mode::Anonymous, "anonymous");
    ask(Mode::ApiKey, "api_key");
    ask(Mode::Account, "profile");
    ask(Mode::Account, "impersonate_service_account");
    ask(Mode::Account, "subject");
    if env_nonempty(ACCESS_TOKEN_VAR).is_some() {
        asked.push((
            Mode::Account,
            format!("the {ACCESS_TOKEN_VAR} environment variable"),
        ));
    }
    let Some((first_mode, first)) = asked.first().cloned() else {
        return Ok(Mode::Account);
    };
    if let Some((other_mode, other)) = asked.iter().find(|(m, _)| *m != first_mode) {
        let unset: Vec<&str> = asked
            .iter()
            .filter_map(|(_, o)| {
                o.strip_prefix("the ")?
                    .strip_suffix(" environment variable")
            })
            .collect();
        let msg = format!(
            "{first} asks for {} but {other} asks for {}: give only one, so the call runs \
             as you mean it to",
            first_mode.describe(),
            other_mode.describe(),
        );
        return Err(if unset.is_empty() {
            exit::usage(msg)
        } else {
            exit::usage_hint(
                msg,
                format!(
                    "an environment variable counts as given: unset {} if it is not meant \
                     for this command",
                    unset.join(", ")
                ),
            )
        });
    }
    if first_mode == Mode::Account && env_nonempty(ACCESS_TOKEN_VAR).is_some() {
        if global.impersonate_service_account.is_some() || global.subject.is_some() {
            return Err(exit::usage(format!(
                "{ACCESS_TOKEN_VAR} is a finished token: it cannot be combined with \
                 --impersonate-service-account or --subject"
            )));
        }
        if let Some(origin) = global.origin("profile") {
            return Err(exit::usage(format!(
                "{ACCESS_TOKEN_VAR} holds a finished token of its own account, but {origin} \
                 names profile `{}`: unset {ACCESS_TOKEN_VAR} to use the profile",
                global.profile
            )));
        }
    }
    Ok(first_mode)
}

/// The authenticator for a call whose method accepts `scopes` (most useful first; empty:
/// any): nothing for `--anonymous`, the key for `--api-key`, else the account's credentials
/// ([`resolve`]). Says on `-v` which identity the call uses.
pub async fn authenticator(global: &GlobalArgs, scopes: &[String]) -> anyhow::Result<AuthChoice> {
    match mode(global)? {
        Mode::Anonymous => {
            tracing::info!("identity: anonymous (--anonymous): no credentials are sent");
            Ok(AuthChoice::Other(Arc::new(gapi_client::NoAuth)))
        }
        Mode::ApiKey => {
            let key = global.api_key.clone().ok_or_else(|| {
                anyhow::anyhow!("internal error: an API key was asked for but none is held")
            })?;
            tracing::info!(
                "identity: an API key ({} characters, redacted) from {}; no OAuth credentials \
                 are sent",
                key.secret().chars().count(),
                global
                    .origin("api_key")
                    .map(ToString::to_string)
                    .unwrap_or_default()
            );
            Ok(AuthChoice::Other(Arc::new(gapi_client::ApiKey(
                key.secret().to_string(),
            ))))
        }
        Mode::Account => {
            let store = FileStore::default_location()?;
            Ok(AuthChoice::Account(resolve(&store, global, scopes).await?))
        }
    }
}

/// What [`authenticator`] chose.
pub enum AuthChoice {
    /// An account's credentials (the caller may check their scopes).
    Account(Selected),
    /// No credentials or an API key.
    Other(Arc<dyn gapi_client::Authenticator>),
}

/// The credentials for a command whose method accepts `method_scopes` (empty: any).
pub async fn resolve(
    store: &FileStore,
    global: &GlobalArgs,
    method_scopes: &[String],
) -> anyhow::Result<Selected> {
    let mode = mode(global)?;
    if mode != Mode::Account {
        return Err(exit::usage(format!(
            "this command needs an account's OAuth credentials, but {} asks for {}",
            global
                .origin(if mode == Mode::ApiKey {
                    "api_key"
                } else {
                    "anonymous"
                })
                .map(ToString::to_string)
                .unwrap_or_default(),
            mode.describe()
        )));
    }
    // Service accounts ask for the narrowest scope the method accepts.
    let scopes: Vec<String> = gapi_client::scopes::narrowest_first(method_scopes)
        .into_iter()
        .take(1)
        .collect();
    if let Some(token) = env_nonempty(ACCESS_TOKEN_VAR) {
        // mode() refused it with --profile, --impersonate-service-account or --subject.
        let selected = Selected {
            credentials: Credentials::from_access_token(gapi_auth::AccessToken::new(token.trim()))?,
            source: CredentialSource::EnvironmentVariable {
                name: ACCESS_TOKEN_VAR.to_string(),
            },
        };
        tracing::info!("{}", identity_line(&selected, None, None));
        return Ok(selected);
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
        tracing::info!(
            "{}",
            identity_line(&selected, Some(chain), global.subject.as_deref())
        );
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
    tracing::info!(
        "{}",
        identity_line(&selected, None, global.subject.as_deref())
    );
    Ok(selected)
}

/// The `-v` line saying who a call runs as: the account and its kind, where the credentials
/// came from, the impersonation chain and the delegation subject.
fn identity_line(selected: &Selected, chain: Option<&str>, subject: Option<&str>) -> String {
    let creds = &selected.credentials;
    let kind = creds.kind().describe();
    // "alice@example.com, a user account (...)", or the kind alone when the account is unknown.
    let who = match creds.account() {
        Some(account) => format!("{account}, a {kind},"),
        None => format!("a {kind}"),
    };
    let acting_for = subject
        .map(|s| format!(", acting for {s} (domain-wide delegation)"))
        .unwrap_or_default();
    match chain {
        Some(chain) => {
            let members: Vec<&str> = chain.split(',').map(str::trim).collect();
            let (target, delegates) = members.split_last().unwrap_or((&"", &[]));
            let through = if delegates.is_empty() {
                String::new()
            } else {
                format!(" through {}", delegates.join(", "))
            };
            format!(
                "identity: service account {target}, impersonated{through} by {who} from {}{acting_for}",
                selected.source
            )
        }
        // A service account with a subject names the user as its account.
        None if subject.is_some() => {
            format!("identity: a {kind} from {}{acting_for}", selected.source)
        }
        None => format!("identity: {who} from {}", selected.source),
    }
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
        crate::output::visible(account.email()),
        global.profile,
        crate::output::visible(&store.path_for(&global.profile).display().to_string())
    );
    Ok(ExitCode::SUCCESS)
}
