//! Choosing which credentials a call runs with, and saying where they came from.
//!
//! The one rule that matters: a call never runs as another account than the one asked for. A
//! profile that was named (or the default profile, when a file is at its path) is used or is an
//! error; only when no profile was named and none is stored does the search go on to
//! Application Default Credentials, in google-auth's order: `$GOOGLE_APPLICATION_CREDENTIALS`,
//! then gcloud's well-known file. New sources (service accounts, the metadata server, ...) are
//! new [`CredentialSource`] variants tried in [`select_credentials`] after the ones here.
//!
//! [`select`] is the whole precedence a program (and gapi's CLI) applies on top: a finished
//! access token given instead of all that (`GAPI_ACCESS_TOKEN`), then impersonation of a
//! service account and a domain-wide-delegation subject on whatever was selected; it also says
//! in words who the calls run as ([`Selected::identity`]).

use std::path::PathBuf;

use crate::adc::{find_default, gcloud_adc_path};
#[cfg(feature = "service-accounts")]
use crate::credentials::impersonated::{Impersonated, parse_chain};
use crate::credentials::static_token::ACCESS_TOKEN_VAR;
use crate::credentials::{CredentialKind, CredentialSource, Credentials, LoadOptions};
use crate::error::{Error, ErrorKind, Remedy, Result};
use crate::profile::DEFAULT_PROFILE;
use crate::secret::AccessToken;
use crate::store::FileStore;

/// Credentials together with where they came from.
#[derive(Debug, Clone)]
pub struct Selected {
    /// The credentials (store-backed ones persist their refreshes).
    pub credentials: Credentials,
    /// Where they were read from (for impersonation: the source account's).
    pub source: CredentialSource,
    /// Who calls run as, in words, for a log line: the account and its kind, where the
    /// credentials came from, the impersonation chain and the delegation subject
    /// (`service account robot@p.iam.gserviceaccount.com, impersonated by alice@example.com,
    /// a user account, from profile `default` (...)`).
    pub identity: String,
}

/// What a program asks its calls to run as, for [`select`].
#[derive(Debug, Clone, Default)]
pub struct SelectOptions {
    /// A finished access token used instead of anything stored (never refreshed); it cannot
    /// be combined with a named profile, impersonation or a subject.
    pub access_token: Option<GivenToken>,
    /// The profile asked for by name; `None`: the default profile, else Application Default
    /// Credentials (see [`select_credentials`]).
    pub profile: Option<String>,
    /// Act as this service account through the IAM Credentials API: an email, or gcloud's
    /// chain `SA1,SA2,TARGET` (each member holds the Token Creator role on the next). The
    /// selected credentials are its source.
    pub impersonate: Option<String>,
    /// The IAM Credentials API root for impersonation (an emulator's); Google's when `None`.
    pub iam_endpoint: Option<String>,
    /// The token endpoint an impersonated account with a subject trades its signed assertion
    /// at (an emulator's); Google's when `None`.
    pub token_uri: Option<String>,
    /// The scopes to ask for (by the types that mint tokens themselves, and by the
    /// impersonated account), the domain-wide-delegation subject (for a service account, or
    /// with `impersonate` for the impersonated one) and the HTTP client.
    pub load: LoadOptions,
}

/// An access token obtained elsewhere, with where it came from (shown by status commands).
#[derive(Debug, Clone)]
pub struct GivenToken {
    /// The token.
    pub token: AccessToken,
    /// Where it came from.
    pub source: CredentialSource,
}

impl GivenToken {
    /// The token in `GAPI_ACCESS_TOKEN` ([`ACCESS_TOKEN_VAR`]), when set and not blank.
    pub fn from_env() -> Option<GivenToken> {
        let token = std::env::var(ACCESS_TOKEN_VAR).ok()?;
        let token = token.trim();
        (!token.is_empty()).then(|| GivenToken {
            token: AccessToken::new(token),
            source: CredentialSource::EnvironmentVariable {
                name: ACCESS_TOKEN_VAR.to_string(),
            },
        })
    }
}

/// The credentials a program's calls run with, by the one precedence: a [`GivenToken`] as it
/// is; else [`select_credentials_with`] (the named profile, else the default one, else ADC),
/// with [`SelectOptions::impersonate`] and the subject on top. Options that cannot go
/// together (a finished token with a profile, impersonation or a subject; a subject for
/// credentials that are no service account) are a [`ErrorKind::Config`] error: a call never
/// runs as something that was not asked for.
pub async fn select(store: &FileStore, opts: &SelectOptions) -> Result<Selected> {
    let subject = opts.load.subject.as_deref();
    let chain = opts.impersonate.as_deref().filter(|c| !c.trim().is_empty());
    if let Some(given) = &opts.access_token {
        if chain.is_some() || subject.is_some() || opts.profile.is_some() {
            return Err(Error::new(
                ErrorKind::Config,
                format!(
                    "{} holds a finished access token: it cannot be combined with a profile, \
                     impersonation or a delegation subject",
                    given.source
                ),
            ));
        }
        let credentials = Credentials::from_access_token(given.token.clone())?;
        return Ok(described(credentials, given.source.clone(), None, None));
    }
    #[cfg(not(feature = "service-accounts"))]
    if chain.is_some() {
        return Err(crate::error::needs_service_accounts(
            crate::credentials::IMPERSONATED_TYPE,
        ));
    }
    // The impersonation source only needs cloud-platform (its default) and acts for nobody.
    let load = match chain {
        Some(_) => LoadOptions {
            http: opts.load.http.clone(),
            ..Default::default()
        },
        None => opts.load.clone(),
    };
    let base = select_credentials_with(store, opts.profile.as_deref(), &load).await?;
    #[cfg(feature = "service-accounts")]
    if let Some(chain) = chain {
        let (target, delegates) = parse_chain(chain)?;
        let identity = describe(&base.credentials, &base.source, Some(chain), subject);
        let mut b = Impersonated::builder(base.credentials, target, delegates)
            .scopes(opts.load.scopes.clone());
        if let Some(s) = subject {
            b = b.subject(s);
        }
        if let Some(root) = &opts.iam_endpoint {
            b = b.iam_endpoint(root.clone());
        }
        if let Some(uri) = &opts.token_uri {
            b = b.token_uri(uri.clone());
        }
        if let Some(http) = &opts.load.http {
            b = b.http_client(http.clone());
        }
        return Ok(Selected {
            credentials: b.build()?,
            source: base.source,
            identity,
        });
    }
    if subject.is_some() && base.credentials.kind() != CredentialKind::ServiceAccount {
        return Err(Error::new(
            ErrorKind::Config,
            format!(
                "domain-wide delegation (a subject) needs a service account, but the selected \
                 credentials are {} ({})",
                base.credentials.kind().describe(),
                base.source
            ),
        )
        .with_remedy(Remedy::UseServiceAccount));
    }
    Ok(described(base.credentials, base.source, None, subject))
}

fn described(
    credentials: Credentials,
    source: CredentialSource,
    chain: Option<&str>,
    subject: Option<&str>,
) -> Selected {
    let identity = describe(&credentials, &source, chain, subject);
    Selected {
        credentials,
        source,
        identity,
    }
}

/// Who calls run as, in words (see [`Selected::identity`]).
fn describe(
    creds: &Credentials,
    source: &CredentialSource,
    chain: Option<&str>,
    subject: Option<&str>,
) -> String {
    let kind = creds.kind().describe();
    // "alice@example.com, a user account,", or the kind alone when the account is unknown.
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
                "service account {target}, impersonated{through} by {who} from {source}{acting_for}"
            )
        }
        // A service account with a subject names the user as its account.
        None if subject.is_some() => format!("a {kind} from {source}{acting_for}"),
        None => format!("{who} from {source}"),
    }
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
        Ok(found) => Ok(announce(described(
            found.credentials,
            found.source,
            None,
            None,
        ))),
        Err(e) if e.kind() == ErrorKind::LoginRequired => Err(nothing_found(
            store,
            gcloud_adc_path(&|name| std::env::var_os(name)),
        )),
        Err(e) => Err(e),
    }
}

fn chosen(credentials: Credentials, store: &FileStore, name: &str) -> Selected {
    let source = CredentialSource::Profile {
        name: name.to_string(),
        path: store.path_for(name),
    };
    announce(described(credentials, source, None, None))
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
