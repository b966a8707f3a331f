//! Who a call runs as, for every entry (API calls, `--batch`, `gapi mcp`, `gapi auth
//! print-access-token` ...): the global options decide the [`Mode`] (no credentials, an API
//! key, an account), and an account's credentials come from the library's one precedence
//! ([`gapi_auth::select`]).

use std::sync::Arc;

use gapi_auth::credentials::static_token::ACCESS_TOKEN_VAR;
use gapi_auth::{FileStore, GivenToken, LoadOptions, SelectOptions, Selected};

use crate::cli::GlobalArgs;
use crate::exit;

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

/// The credentials for a command whose method accepts `method_scopes` (empty: any), by the
/// library's one precedence ([`gapi_auth::select`]): `GAPI_ACCESS_TOKEN`, else the named
/// profile, else the default one, else Application Default Credentials, with
/// `--impersonate-service-account` and `--subject` on top. Says on `-v` who the call runs as.
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
    let opts = SelectOptions {
        // mode() refused it with --profile, --impersonate-service-account or --subject.
        access_token: GivenToken::from_env(),
        profile: global.profile_request().map(str::to_string),
        impersonate: global.impersonate_service_account.clone(),
        iam_endpoint: env_nonempty(IAM_ENDPOINT_VAR),
        token_uri: env_nonempty(TOKEN_URI_VAR),
        load: LoadOptions {
            http: None,
            scopes,
            subject: global.subject.clone(),
        },
    };
    let selected = gapi_auth::select(store, &opts).await?;
    tracing::info!("identity: {}", selected.identity);
    Ok(selected)
}
