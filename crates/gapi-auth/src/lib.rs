//! OAuth 2.0 for installed applications: the Rust counterpart of Python's
//! `google-auth-oauthlib` `InstalledAppFlow` plus `google.oauth2.credentials`.
//!
//! * [`ClientSecrets`] reads the `client_secret.json` downloaded from the Cloud Console.
//! * [`InstalledFlow`] gets the user's consent: a loopback redirect server
//!   ([`InstalledFlow::run_local_server`]), a console copy-paste ([`InstalledFlow::run_console`])
//!   or the device flow ([`InstalledFlow::run_device`]). PKCE S256 and `state` always.
//! * [`Credentials`] yields a valid access token, refreshing ahead of expiry, one refresh at a
//!   time however many tasks ask.
//! * [`InstalledFlow::persist_to`] keeps an app's login in a file of its own between runs;
//!   [`FileStore`] keeps the CLI's profiles. Both write Python/gcloud's `authorized_user` JSON,
//!   atomically, with mode 0600 and a cross-process lock.
//! * [`TokenClient`] speaks to the token endpoint on its own (exchange, refresh, revoke,
//!   tokeninfo, device code).
//!
//! Secrets are newtypes ([`AccessToken`], [`RefreshToken`], ...) whose `Debug` is redacted.
//!
//! ```no_run
//! use gapi_auth::{ClientSecrets, InstalledFlow, LocalServer, app_token_file};
//!
//! # async fn run() -> Result<(), gapi_auth::Error> {
//! let secrets = ClientSecrets::from_file("client_secret.json")?;
//! // Signs in once; later runs load the grant from the app's own file (and refresh it).
//! let creds = InstalledFlow::new(secrets, ["drive.metadata.readonly"])
//!     .persist_to(app_token_file("my-app")?)
//!     .run_local_server(LocalServer::default())
//!     .await?;
//! let token = creds.access_token().await?; // refreshed automatically when needed
//! println!("authorized as {:?}, token {:?}", creds.account(), token); // token prints [redacted]
//! # Ok(())
//! # }
//! ```
//!
//! # Where things live (bottom to top: each layer uses only the ones below it)
//!
//! * [`error`], profile names and the secret newtypes: the ground floor.
//! * [`protocol`]: the OAuth wire (authorization URL, PKCE, token endpoint, scopes, JWT).
//! * [`credentials`]: the [`Credentials`] handle, the [`Provider`] trait, the one token cache
//!   and one module per credential type; every builder's `build()` returns `Credentials`.
//! * the JSON formats (`client_secret.json`, credential files of every type), re-exported here.
//! * [`store`]: profiles on disk (paths, locks, atomic writes) or in the OS keyring.
//! * [`adc`]: Application Default Credentials in google-auth's order, and writing them.
//! * [`select_credentials`]: the one rule saying which credentials a call runs with; [`select`]
//!   adds a given token, impersonation and a delegation subject on top.
//! * [`flow`]: the consent flows that make a user's credentials.
#![deny(missing_docs)]
#![warn(unreachable_pub)]

pub mod adc;
pub mod credentials;
pub mod error;
pub mod flow;
pub mod protocol;
pub mod store;

mod files;
mod fsread;
mod profile;
mod secret;
mod select;
mod warnings;

pub use credentials::{
    CredentialKind, CredentialSource, Credentials, LoadOptions, Provider, REFRESH_MARGIN, Token,
};
pub use error::{Error, ErrorKind, Remedy, Result};
pub use files::client_secrets::{ClientKind, ClientSecrets};
pub use flow::console::ConsoleOptions;
pub use flow::device::{DeviceOptions, DevicePrompt};
pub use flow::loopback::LocalServer;
pub use flow::{InstalledFlow, OOB_REDIRECT_URI, PersistentFlow, app_token_file};
/// The HTTP client type token requests take (the same as gapi-client's): a proxy, timeouts,
/// a private CA.
pub use gapi_retry::{HttpClient, HttpClientBuilder};
pub use profile::{DEFAULT_PROFILE, validate_profile};
pub use protocol::endpoints::Endpoints;
pub use protocol::scopes::expand_scope;
pub use protocol::{
    DeviceAuthorization, RetryPolicy, TokenClient, TokenInfo, TokenResponse, default_http_client,
};
pub use secret::{
    AccessToken, ApiKey, Assertion, AuthorizationCode, ClientSecret, DeviceCode, IdToken,
    PkceVerifier, PrivateKeyPem, RefreshToken, State,
};
pub use select::{
    GivenToken, SelectOptions, Selected, select, select_credentials, select_credentials_with,
};
pub use store::{FileStore, KeyringMarker, StoreKind, StoreLock, probe_keyring};
