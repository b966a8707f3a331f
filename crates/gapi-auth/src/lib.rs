//! OAuth 2.0 for installed applications: the Rust counterpart of Python's
//! `google-auth-oauthlib` `InstalledAppFlow` plus `google.oauth2.credentials`.
//!
//! * [`ClientSecrets`] reads the `client_secret.json` downloaded from the Cloud Console.
//! * [`InstalledFlow`] gets the user's consent: a loopback redirect server
//!   ([`InstalledFlow::run_local_server`]), a console copy-paste ([`InstalledFlow::run_console`])
//!   or the device flow ([`InstalledFlow::run_device`]). PKCE S256 and `state` always.
//! * [`Credentials`] yields a valid access token, refreshing ahead of expiry, one refresh at a
//!   time however many tasks ask.
//! * [`FileStore`] keeps credentials in Python/gcloud's `authorized_user` JSON, atomically,
//!   with mode 0600 and a cross-process lock.
//! * [`TokenClient`] speaks to the token endpoint on its own (exchange, refresh, revoke,
//!   tokeninfo, device code).
//!
//! Secrets are newtypes ([`AccessToken`], [`RefreshToken`], ...) whose `Debug` is redacted.
//!
//! ```no_run
//! use gapi_auth::{ClientSecrets, FileStore, InstalledFlow, LocalServer};
//!
//! # async fn run() -> Result<(), gapi_auth::Error> {
//! let secrets = ClientSecrets::from_file("client_secret.json")?;
//! let flow = InstalledFlow::new(secrets, ["drive.metadata.readonly"])
//!     .token_store(FileStore::default_location()?, "default");
//! let creds = flow.run_local_server(LocalServer::default()).await?;
//! let token = creds.access_token().await?; // refreshed automatically when needed
//! println!("authorized as {:?}, token {:?}", creds.account(), token); // token prints [redacted]
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

pub mod adc;
pub mod credentials;
pub mod error;
pub mod files;
pub mod flow;
pub mod fsread;
pub mod protocol;
pub mod secret;
pub mod select;
pub mod store;
pub mod warnings;

// The modules' old paths, while the crate moves into its folders.
pub use adc as default_credentials;
pub use adc::write as adc_login;
pub use credentials::external_account::aws;
pub use credentials::{
    authorized_user, cache, external_account, impersonated, metadata, provider, service_account,
    static_token,
};
pub use error::{diagnose, remedy};
pub use files::{client_secrets as secrets, credential_file as credentials_file};
#[doc(hidden)]
pub use flow::fuzzing;
pub use flow::relogin;
pub use protocol::{endpoints, jwt, pkce, scopes, timefmt};
pub use store::keyring as keyring_store;

pub use adc::{adc_path, load_adc};
pub use cache::TokenCache;
pub use credentials::{Credentials, REFRESH_MARGIN};
pub use endpoints::Endpoints;
pub use error::{Error, ErrorKind, Result};
pub use flow::console::ConsoleOptions;
pub use flow::device::{DeviceOptions, DevicePrompt};
pub use flow::loopback::LocalServer;
pub use flow::{InstalledFlow, OOB_REDIRECT_URI};
pub use keyring_store::{KeyringMarker, StoreKind, probe_keyring};
pub use protocol::{
    DeviceAuthorization, RetryPolicy, TokenClient, TokenInfo, TokenResponse, default_http_client,
};
pub use provider::{CredentialKind, Provider, Token};
pub use remedy::Remedy;
pub use scopes::expand_scope;
pub use secret::{
    AccessToken, ApiKey, Assertion, AuthorizationCode, ClientSecret, DeviceCode, IdToken,
    PkceVerifier, PrivateKeyPem, RefreshToken, State,
};
pub use secrets::{ClientKind, ClientSecrets};
pub use select::{
    CredentialSource, SelectOptions, Selected, select_credentials, select_credentials_with,
};
pub use store::{DEFAULT_PROFILE, FileStore, StoreLock, validate_profile};
