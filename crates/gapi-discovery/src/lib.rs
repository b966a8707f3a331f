//! Google API Discovery documents: the serde model, the directory of APIs, and the bundled
//! documents of every public API (decompressed lazily, one document at a time).
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
pub mod directory;
#[doc(hidden)]
pub mod fuzzing;
pub mod lazy;
pub mod lookup;
pub mod method_index;
pub mod model;
pub mod ordered_map;
pub mod search_data;

pub use directory::{Directory, DirectoryItem};
pub use lazy::Lazy;
pub use lookup::{Found, LookupError, Target};
pub use model::{
    Auth, JsonSchema, MediaProtocol, MediaProtocols, MediaUpload, OAuth2, RestDescription,
    RestMethod, RestResource, SchemaRef, ScopeInfo,
};
pub use ordered_map::OrderedMap;
