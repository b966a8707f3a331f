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
#![deny(missing_docs)]

pub use gapi_auth as auth;
pub use gapi_client as client;
/// The runtime of typed modules made by `gapi codegen` (see [`gapi_client::typed`]).
pub use gapi_client::typed;
pub use gapi_discovery as discovery;

pub use gapi_client::{Error, Service, build, build_from_document};
