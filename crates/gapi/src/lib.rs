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
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
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

pub use gapi_client::{DiscoveryFetcher, Error, Service, build, build_from_document, discover};
