//! gapi: authorize a user with OAuth 2.0 from an installed application, then call any Google
//! API from its Discovery document.
//!
//! This crate is the front door: it re-exports [`auth`] (client secrets, consent flows,
//! self-refreshing credentials, token storage) and [`client`] (services built from Discovery
//! documents), and offers [`build`], the counterpart of Python's
//! `googleapiclient.discovery.build`.
//!
//! ```no_run
//! use gapi::auth::{ClientSecrets, InstalledFlow, LocalServer};
//!
//! # async fn run() -> gapi::Result<()> {
//! let secrets = ClientSecrets::from_file("client_secret.json")?;
//! let flow = InstalledFlow::new(secrets, ["drive.metadata.readonly"]);
//! let creds = flow.run_local_server(LocalServer::default()).await?;
//! let drive = gapi::build("drive", "v3", creds)?;
//! let files = drive
//!     .method("files.list")?
//!     .param("pageSize", 5)
//!     .param("orderBy", "modifiedByMeTime desc")
//!     .execute()
//!     .await?;
//! println!("{files:#}");
//! # Ok(())
//! # }
//! ```
//!
//! # Which Discovery documents are compiled in
//!
//! A cargo feature per API embeds that API's preferred version, so [`build`] needs no network
//! and no runtime: `drive`, `gmail`, `calendar`, `sheets`, `docs`, `tasks` and `people` by
//! default (the Google Workspace APIs an installed app calls most, ~0.4 MB of binary), and
//! `admin`, `chat`, `classroom`, `driveactivity`, `forms`, `groupssettings`, `keep`,
//! `licensing`, `oauth2`, `script`, `slides`, `youtube`, `aiplatform`, `bigquery`,
//! `cloudresourcemanager`, `compute`, `firestore`, `iam`, `logging`, `monitoring`, `pubsub`,
//! `run`, `secretmanager`, `sqladmin`, `storage`, `translate`, `vision` on demand; `all-apis`
//! embeds all 610 documents (~12 MB). With `default-features = false` nothing is embedded.
//!
//! A document that is not embedded is fetched from Google's Discovery service on first use
//! by [`discover`] (or [`ServiceBuilder::build_async`](client::ServiceBuilder::build_async),
//! whose [`discovery`](client::ServiceBuilder::discovery) fetcher can point at the emulator)
//! and cached on disk, revalidated by ETag; [`build_from_document`] takes any document you
//! hold. [`build`] of a document that is not embedded fails, naming the feature to enable.
//!
//! ```toml
//! gapi = { version = "0.1", default-features = false, features = ["drive"] }
//! ```
#![deny(missing_docs)]

pub use gapi_auth as auth;
pub use gapi_client as client;
/// The runtime of typed modules made by `gapi codegen` (see [`gapi_client::typed`]).
pub use gapi_client::typed;
pub use gapi_discovery as discovery;

pub use gapi_client::Service;

/// gapi-client's (one behaviour for both crates): each sends to `GAPI_ENDPOINT` when it is set
/// ([`ENDPOINT_VAR`]), so an unchanged program can be pointed at the emulator from outside.
pub use gapi_client::{ENDPOINT_VAR, build, build_from_document, discover};

/// Where documents not compiled in are fetched from and cached (see [`discover`]).
pub use gapi_client::DiscoveryFetcher;

mod error;
pub use error::{Error, Result};

/// JSON values and the `json!` macro, for request bodies and responses (so a program needs no
/// `serde_json` dependency of its own to start).
pub use serde_json::{Value, json};

/// The streams of [`client::MethodCall::pages`] and [`client::MethodCall::items`]: `Unpin`,
/// with an inherent `next().await`.
pub use gapi_client::{Items, Pages};

/// What an upload reads from: a file, bytes in memory or any async reader.
#[cfg(feature = "media")]
pub use gapi_client::media::MediaSource;

/// Stream combinators (`map`, `try_collect`, ...) for the page and item streams, without a
/// `futures-util` dependency of your own.
pub use futures_util::{StreamExt, TryStreamExt};
