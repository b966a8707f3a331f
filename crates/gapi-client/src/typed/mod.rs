//! The runtime of generated typed modules (`gapi codegen`, `gapi_codegen::Builder`): the small,
//! stable API their code calls. A generated module holds its API's methods as a trimmed
//! Discovery excerpt ([`ApiSpec`]: paths, verbs, parameters, scopes, media; no descriptions,
//! no schemas) and types for the schemas they reach; this runtime turns a typed call into a
//! [`MethodCall`](crate::MethodCall) and the answer into the response type, so casting,
//! validation, retries, paging, media and policies are the untyped client's, unchanged.
//!
//! ```no_run
//! # mod drive { pub struct Drive; impl Drive { pub fn new(_: impl gapi_client::Authenticator) -> Self { Drive } } }
//! // mod drive;  // written by `gapi codegen drive:v3 files.list -o src/drive.rs`
//! # async fn run(credentials: gapi_client::StaticToken) -> gapi_client::Result<()> {
//! let hub = drive::Drive::new(credentials);
//! # /*
//! let page = hub.files().list().page_size(5).execute().await?; // a drive::FileList
//! # */
//! # Ok(()) }
//! ```
//!
//! What a generated module uses, and so what stays stable: [`ApiSpec`], [`Hub`], [`Call`],
//! [`Pages`], [`Items`], [`Upload`], [`Download`], [`Empty`], [`int64`], and the re-exports below (so a
//! module needs no dependency but `gapi`).

mod call;
mod hub;
pub mod int64;
#[cfg(feature = "media")]
mod media;
mod spec;
mod stream;

pub use call::{Call, Empty};
pub use hub::Hub;
#[cfg(feature = "media")]
pub use media::{Download, Upload};
pub use spec::ApiSpec;
pub use stream::{Items, Pages};

pub use crate::auth::Authenticator;
pub use crate::error::{Error, Result};
#[cfg(feature = "media")]
pub use crate::media::{DownloadReport, MediaSource, Progress, UploadProtocol};
pub use crate::method_call::PreparedRequest;
pub use crate::params::ParamValue;
pub use crate::service::ServiceBuilder;
/// serde, as generated types derive it (`#[serde(crate = "gapi::typed::serde")]`).
pub use serde;
/// JSON values for `any` fields and the unknown fields every generated struct keeps.
pub use serde_json::{Map, Value};
