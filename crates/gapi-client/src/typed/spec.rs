//! [`ApiSpec`]: an API's methods as a generated module carries them.

use std::sync::{Arc, OnceLock};

use gapi_discovery::RestDescription;

use crate::error::Error;

/// The methods of one API version that a generated module calls, as a Discovery document
/// excerpt in JSON: `name`, `version`, `rootUrl`, `servicePath`, `batchPath`, the global
/// `parameters`, and `resources`/`methods` with each method's `id`, `path`, `httpMethod`,
/// `parameters` (type, format, location, required, repeated, enum, pattern), `request` /
/// `response` references, `scopes` and media details; `schemas` holds only the properties
/// paging and download checks look at (`pageToken`, checksums). Google's own format, so the
/// excerpt means what the document means and a newer gapi reads an older module.
///
/// Parsed once per process, on first use.
pub struct ApiSpec {
    json: &'static str,
    parsed: OnceLock<Result<Arc<RestDescription>, String>>,
}

impl std::fmt::Debug for ApiSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiSpec")
            .field("bytes", &self.json.len())
            .finish_non_exhaustive()
    }
}

impl ApiSpec {
    /// An API excerpt (JSON, as above); `const` so a module can hold it in a `static`.
    pub const fn new(json: &'static str) -> ApiSpec {
        ApiSpec {
            json,
            parsed: OnceLock::new(),
        }
    }

    /// The excerpt as given.
    pub fn json(&self) -> &'static str {
        self.json
    }

    /// The excerpt as a Discovery document (parsed on the first call).
    pub fn document(&self) -> Result<Arc<RestDescription>, Error> {
        self.parsed
            .get_or_init(|| {
                RestDescription::from_json(self.json)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(|e| {
                Error::discovery(format!(
                    "the API excerpt of a generated module does not parse ({e}); regenerate the module"
                ))
            })
    }
}
