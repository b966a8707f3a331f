//! Google API Discovery documents: the serde model, the directory of APIs, and the bundled
//! documents of public APIs (decompressed lazily, one document at a time).
//!
//! Which documents are compiled in is the build's choice: a cargo feature per featured API
//! (`drive`, `gmail`, `calendar`, `sheets`, ... : its preferred version), `all-apis` for all
//! 610, none by default. [`bundle::entries`] knows every document either way (names, versions,
//! which version is preferred), so a document that is not embedded can be fetched by name
//! (`gapi_client::DiscoveryFetcher`). `search-index` embeds the text `gapi search` ranks.
//!
//! ```
//! let doc = gapi_discovery::RestDescription::from_json(
//!     r#"{"name":"x","version":"v1","rootUrl":"https://x.test/","servicePath":"x/v1/",
//!        "resources":{"items":{"methods":{"list":{"id":"x.items.list","path":"items","httpMethod":"GET"}}}}}"#,
//! ).unwrap();
//! assert_eq!(doc.method("items.list").unwrap().path, "items");
//! ```
#![deny(missing_docs)]

pub mod bundle;
#[rustfmt::skip]
mod catalog;
pub mod directory;
mod frame;
#[doc(hidden)]
pub mod fuzzing;
pub mod lazy;
pub mod lookup;
pub mod method_index;
pub mod model;
pub mod ordered_map;
pub mod search_data;

pub use directory::{Directory, DirectoryItem};
pub use lazy::{Lazy, LazyPart};
pub use lookup::{Found, LookupError, Target};
pub use model::{
    Auth, INTEGRITY_FIELDS, JsonSchema, MediaProtocol, MediaProtocols, MediaUpload, OAuth2,
    RestDescription, RestMethod, RestResource, SchemaRef, ScopeInfo,
};
pub use ordered_map::OrderedMap;
