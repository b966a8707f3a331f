//! The scopes a method accepts, read from its bundled Discovery document (`scopes` of
//! `gmail.users.messages.send`), so a dedicated service checks tokens exactly as the document
//! (and Google) says instead of keeping its own copy of the lists.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use gapi_discovery::model::RestDescription;

use super::api_error::ApiError;
use super::caller::Caller;

/// Method id → scopes, per (api, version), parsed on first use.
type ScopeTable = HashMap<String, Vec<String>>;

fn tables() -> &'static Mutex<HashMap<(String, String), &'static ScopeTable>> {
    static TABLES: OnceLock<Mutex<HashMap<(String, String), &'static ScopeTable>>> =
        OnceLock::new();
    TABLES.get_or_init(Default::default)
}

fn table(api: &str, version: &str) -> &'static ScopeTable {
    let key = (api.to_owned(), version.to_owned());
    if let Some(t) = tables().lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return t;
    }
    let mut map = ScopeTable::new();
    if let Ok(Some(text)) = gapi_discovery::bundle::document_json(api, version)
        && let Ok(doc) = RestDescription::from_json(&text)
    {
        for (_, m) in doc.all_methods() {
            map.insert(m.id.clone(), m.scopes.clone());
        }
    }
    // Leaked once per API version (a handful): the tables live as long as the process.
    let leaked: &'static ScopeTable = Box::leak(Box::new(map));
    tables()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, leaked);
    leaked
}

/// The scopes the bundled document lists for `method_id` (e.g. `gmail.users.messages.send`).
pub(crate) fn scopes_of(api: &str, version: &str, method_id: &str) -> &'static [String] {
    table(api, version)
        .get(method_id)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Google's 403 unless the caller's token carries one of the method's scopes; `service`
/// (`gmail.googleapis.com`) goes into the ErrorInfo.
pub(crate) fn require_method(
    caller: &Caller,
    api: &str,
    version: &str,
    method_id: &str,
    service: &str,
) -> Result<(), ApiError> {
    let accepted = scopes_of(api, version, method_id);
    if accepted.is_empty() || accepted.iter().any(|s| caller.has(s)) {
        return Ok(());
    }
    let list: Vec<&str> = accepted.iter().map(String::as_str).collect();
    Err(ApiError::insufficient_scope_for(&list, Some(service)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_scopes_from_the_bundled_document() {
        let send = scopes_of("gmail", "v1", "gmail.users.messages.send");
        assert!(send.iter().any(|s| s.ends_with("/gmail.send")), "{send:?}");
        assert!(!send.iter().any(|s| s.ends_with("/gmail.readonly")));
        assert!(scopes_of("gmail", "v1", "gmail.no.such").is_empty());
    }
}
