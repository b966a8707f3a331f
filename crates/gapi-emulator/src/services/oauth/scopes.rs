//! Which scopes the emulator knows (Google's: see `known_scopes`), and how the consent page
//! describes them.

const KNOWN: &[(&str, &str)] = &[
    ("openid", "Associate you with your personal info on Google"),
    ("email", "See your primary Google Account email address"),
    (
        "profile",
        "See your personal info, including any personal info you've made publicly available",
    ),
    (
        "https://www.googleapis.com/auth/userinfo.email",
        "See your primary Google Account email address",
    ),
    (
        "https://www.googleapis.com/auth/userinfo.profile",
        "See your personal info, including any personal info you've made publicly available",
    ),
    (
        "https://www.googleapis.com/auth/drive",
        "See, edit, create, and delete all of your Google Drive files",
    ),
    (
        "https://www.googleapis.com/auth/drive.file",
        "See, edit, create, and delete only the specific Google Drive files you use with this app",
    ),
    (
        "https://www.googleapis.com/auth/drive.readonly",
        "See and download all your Google Drive files",
    ),
    (
        "https://www.googleapis.com/auth/drive.metadata.readonly",
        "See information about your Google Drive files",
    ),
    (
        "https://www.googleapis.com/auth/drive.metadata",
        "View and manage metadata of files in your Google Drive",
    ),
    (
        "https://www.googleapis.com/auth/drive.appdata",
        "See, create, and delete its own configuration data in your Google Drive",
    ),
    (
        "https://www.googleapis.com/auth/cloud-platform",
        "See, edit, configure, and delete your Google Cloud data",
    ),
    (
        "https://www.googleapis.com/auth/devstorage.read_write",
        "Manage your data in Google Cloud Storage",
    ),
];

/// Prefix of Google API scopes (stripped when describing an undescribed scope).
const GOOGLE_PREFIX: &str = "https://www.googleapis.com/auth/";

/// Splits a space-separated scope string, dropping duplicates but keeping order.
pub(crate) fn split(scope: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in scope.split_ascii_whitespace() {
        if !out.iter().any(|o| o == s) {
            out.push(s.to_owned());
        }
    }
    out
}

/// Whether Google knows `scope`: the common ones from the table above without touching the
/// bundle, anything else from the union of the bundled documents' scopes.
fn is_known(scope: &str) -> bool {
    KNOWN.iter().any(|(k, _)| *k == scope) || super::known_scopes::is_known(scope)
}

/// The requested scopes Google would refuse (empty when all are real).
pub(crate) fn unknown(scopes: &[String]) -> Vec<&str> {
    scopes
        .iter()
        .filter(|s| !is_known(s))
        .map(String::as_str)
        .collect()
}

/// Google's `invalid_scope` description for `unknown` scopes.
pub(crate) fn invalid_description(unknown: &[&str]) -> String {
    format!(
        "Some requested scopes were invalid. {{invalid=[{}]}}",
        unknown.join(", ")
    )
}

/// Words for a scope on the consent page.
pub(crate) fn describe(scope: &str) -> String {
    KNOWN
        .iter()
        .find(|(k, _)| *k == scope)
        .map(|(_, d)| (*d).to_owned())
        .or_else(|| super::known_scopes::description(scope).map(str::to_owned))
        .unwrap_or_else(|| {
            let short = scope.strip_prefix(GOOGLE_PREFIX).unwrap_or(scope);
            format!("Access your data for \"{short}\"")
        })
}

/// Normalises the short OpenID scopes to the URLs Google reports back for them.
pub(crate) fn normalise(scope: &str) -> String {
    match scope {
        "email" => "https://www.googleapis.com/auth/userinfo.email".to_owned(),
        "profile" => "https://www.googleapis.com/auth/userinfo.profile".to_owned(),
        other => other.to_owned(),
    }
}
