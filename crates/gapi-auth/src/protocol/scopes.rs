//! Scope names: short Google names (`drive.readonly`) expand to full URLs.

/// Scopes that are used verbatim (OpenID Connect and similar), never expanded.
const VERBATIM: &[&str] = &[
    "openid",
    "email",
    "profile",
    "offline_access",
    "address",
    "phone",
];

/// The prefix Google puts in front of every API scope.
pub const GOOGLE_SCOPE_PREFIX: &str = "https://www.googleapis.com/auth/";

/// Expands a short scope name such as `drive.readonly` to
/// `https://www.googleapis.com/auth/drive.readonly`; full URLs and OpenID scopes stay as they are.
pub fn expand_scope(scope: &str) -> String {
    let scope = scope.trim();
    if scope.contains("://") || VERBATIM.contains(&scope) || scope.starts_with("urn:") {
        scope.to_string()
    } else {
        format!("{GOOGLE_SCOPE_PREFIX}{scope}")
    }
}

/// Expands each scope and drops duplicates and empty entries, keeping the first order seen.
pub fn expand_scopes<I, S>(scopes: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut out: Vec<String> = Vec::new();
    for scope in scopes {
        let scope: String = scope.into();
        for part in scope.split_whitespace() {
            let full = expand_scope(part);
            if !out.contains(&full) {
                out.push(full);
            }
        }
    }
    out
}

/// Parses a space-separated `scope` value returned by a token endpoint.
pub fn parse_scope_list(scope: &str) -> Vec<String> {
    scope.split_whitespace().map(str::to_string).collect()
}

/// The requested scopes the server did not grant (Google may grant fewer than asked).
pub fn missing_scopes(requested: &[String], granted: &[String]) -> Vec<String> {
    requested
        .iter()
        .filter(|r| !granted.contains(r))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_short_names_only() {
        assert_eq!(
            expand_scope("drive.readonly"),
            "https://www.googleapis.com/auth/drive.readonly"
        );
        assert_eq!(expand_scope("openid"), "openid");
        assert_eq!(expand_scope("email"), "email");
        assert_eq!(
            expand_scope("https://www.googleapis.com/auth/drive"),
            "https://www.googleapis.com/auth/drive"
        );
    }

    #[test]
    fn dedups_and_splits() {
        assert_eq!(
            expand_scopes(["drive openid", "drive"]),
            vec![
                "https://www.googleapis.com/auth/drive".to_string(),
                "openid".to_string()
            ]
        );
    }

    #[test]
    fn reports_missing() {
        let req = vec!["a".to_string(), "b".to_string()];
        let got = vec!["b".to_string()];
        assert_eq!(missing_scopes(&req, &got), vec!["a".to_string()]);
    }
}
