//! Every scope Google's authorization server knows, as far as the emulator can tell: the union
//! of `auth.oauth2.scopes` of all bundled Discovery documents, plus `openid`, `email` and
//! `profile`. The authorization endpoint refuses anything else with `invalid_scope`, as Google
//! does (so a typo fails at sign-in, not later as 403s).
//!
//! Built once, on the first question, by decompressing each bundled document and reading only
//! its `auth` member.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Deserialize, Default)]
struct Auth {
    #[serde(default)]
    oauth2: OAuth2,
}

#[derive(Deserialize, Default)]
struct OAuth2 {
    #[serde(default)]
    scopes: HashMap<String, Scope>,
}

#[derive(Deserialize)]
struct Scope {
    #[serde(default)]
    description: String,
}

/// Scope URL → the description a document gives it.
fn table() -> &'static HashMap<String, String> {
    static TABLE: OnceLock<HashMap<String, String>> = OnceLock::new();
    TABLE.get_or_init(build)
}

fn build() -> HashMap<String, String> {
    let mut out: HashMap<String, String> = HashMap::new();
    for (name, description) in [
        ("openid", "Associate you with your personal info on Google"),
        ("email", "See your primary Google Account email address"),
        (
            "profile",
            "See your personal info, including any personal info you've made publicly available",
        ),
    ] {
        out.insert(name.to_owned(), description.to_owned());
    }
    for entry in gapi_discovery::bundle::entries() {
        let text = match gapi_discovery::bundle::document_json(entry.name, entry.version) {
            Ok(Some(text)) => text,
            Ok(None) => continue,
            Err(e) => {
                tracing::error!(
                    "bundled document {}:{} unreadable: {e}",
                    entry.name,
                    entry.version
                );
                continue;
            }
        };
        let Some(auth) = auth_member(&text) else {
            continue;
        };
        for (scope, info) in auth.oauth2.scopes {
            out.entry(scope).or_insert(info.description);
        }
    }
    out
}

/// The document's top-level `auth` member, read without parsing the rest of the document.
/// Discovery documents put `auth` before `schemas` and `resources` (the bulk), so this reads a
/// few kilobytes (the zstd decompression is most of the cost: ~0.4 s for all 610 documents
/// in a release build, `cargo bench -p gapi-discovery --features all-apis,search-index --bench
/// decode`).
fn auth_member(text: &str) -> Option<Auth> {
    const KEY: &str = "\"auth\"";
    let mut from = 0;
    while let Some(at) = text[from..].find(KEY) {
        let rest = text[from + at + KEY.len()..].trim_start();
        if let Some(value) = rest.strip_prefix(':') {
            let mut de = serde_json::Deserializer::from_str(value);
            if let Ok(auth) = Auth::deserialize(&mut de)
                && !auth.oauth2.scopes.is_empty()
            {
                return Some(auth);
            }
        }
        from += at + KEY.len();
    }
    None
}

/// Whether Google would accept `scope` at its authorization endpoint.
pub(crate) fn is_known(scope: &str) -> bool {
    table().contains_key(scope)
}

/// The description of a known scope (for the consent page).
pub(crate) fn description(scope: &str) -> Option<&'static str> {
    table()
        .get(scope)
        .map(String::as_str)
        .filter(|d| !d.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_real_scopes_and_refuses_typos() {
        let started = std::time::Instant::now();
        assert!(is_known(
            "https://www.googleapis.com/auth/drive.metadata.readonly"
        ));
        eprintln!("built {} scopes in {:?}", table().len(), started.elapsed());
        assert!(is_known("https://www.googleapis.com/auth/calendar.events"));
        assert!(is_known("https://mail.google.com/"));
        assert!(is_known("openid") && is_known("email") && is_known("profile"));
        assert!(is_known("https://www.googleapis.com/auth/userinfo.email"));
        assert!(!is_known(
            "https://www.googleapis.com/auth/drive.readonly.metadata"
        ));
        assert!(!is_known("https://www.googleapis.com/auth/"));
        assert!(table().len() > 300, "{}", table().len());
        assert!(description("https://www.googleapis.com/auth/drive").is_some());
    }
}
