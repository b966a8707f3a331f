//! Limits on which methods may be called at all, checked on the client before any request:
//! read-only (only `GET` methods) and an allow-list of method-id patterns
//! (`drive.files.*`). Meant for agents and scripts that must not change anything, or must
//! stay inside a few methods.

use gapi_discovery::RestMethod;

use crate::error::Error;

/// Which methods may be called. The default allows everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    read_only: bool,
    allow: Vec<String>,
}

impl Policy {
    /// A policy that allows every method.
    pub fn new() -> Policy {
        Policy::default()
    }

    /// Refuses every method whose HTTP verb is not `GET`.
    pub fn read_only(mut self, yes: bool) -> Policy {
        self.read_only = yes;
        self
    }

    /// Allows only methods whose id (`drive.files.list`) matches one of these patterns, where
    /// `*` stands for any run of characters (`drive.files.*`, `*.list`). No patterns: all.
    pub fn allow<I, S>(mut self, patterns: I) -> Policy
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allow.extend(patterns.into_iter().map(Into::into));
        self
    }

    /// Whether this policy allows everything (nothing to check).
    pub fn is_open(&self) -> bool {
        !self.read_only && self.allow.is_empty()
    }

    /// Whether the policy lets `method` be called; the error says which rule refused it.
    pub fn check(&self, method: &RestMethod) -> Result<(), Error> {
        let verb = method.http_method_or_get();
        if self.read_only && !verb.eq_ignore_ascii_case("GET") {
            return Err(Error::invalid_argument(format!(
                "{} is refused: it is a {verb} method and only read-only (GET) methods are allowed",
                method.id
            )));
        }
        if !self.allow.is_empty() && !self.allow.iter().any(|p| glob_match(p, &method.id)) {
            return Err(Error::invalid_argument(format!(
                "{} is refused: it matches none of the allowed methods ({})",
                method.id,
                self.allow.join(", ")
            )));
        }
        Ok(())
    }
}

/// Whether an OAuth scope grants only reading: Google's `*.readonly` scopes (full URL or
/// short name) and the OpenID Connect identity scopes.
pub fn is_read_only_scope(scope: &str) -> bool {
    let short = scope.rsplit('/').next().unwrap_or(scope);
    short.ends_with(".readonly")
        || short.ends_with("readonly")
        || matches!(
            short,
            "openid" | "email" | "profile" | "userinfo.email" | "userinfo.profile"
        )
}

/// `*` matches any run of characters (dots included); everything else matches itself.
fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(i) => rest = &rest[i + middle.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method(id: &str, verb: &str) -> RestMethod {
        RestMethod {
            id: id.into(),
            http_method: verb.into(),
            ..Default::default()
        }
    }

    #[test]
    fn read_only_refuses_everything_but_get() {
        let p = Policy::new().read_only(true);
        assert!(p.check(&method("drive.files.list", "GET")).is_ok());
        assert!(
            p.check(&method("drive.files.list", "")).is_ok(),
            "no verb means GET"
        );
        for verb in ["POST", "PATCH", "PUT", "DELETE"] {
            let err = p
                .check(&method("drive.files.x", verb))
                .unwrap_err()
                .to_string();
            assert!(err.contains(verb) && err.contains("read-only"), "{err}");
        }
    }

    #[test]
    fn read_only_scopes() {
        for s in [
            "drive.readonly",
            "https://www.googleapis.com/auth/drive.metadata.readonly",
            "openid",
            "https://www.googleapis.com/auth/userinfo.email",
            "cloud-platform.read-only-x.readonly",
        ] {
            assert!(is_read_only_scope(s), "{s}");
        }
        for s in [
            "drive",
            "https://www.googleapis.com/auth/drive.file",
            "cloud-platform",
            "gmail.modify",
        ] {
            assert!(!is_read_only_scope(s), "{s}");
        }
    }

    #[test]
    fn allow_patterns_match_method_ids() {
        let p = Policy::new().allow(["drive.files.*", "*.about.get"]);
        assert!(p.check(&method("drive.files.list", "GET")).is_ok());
        assert!(p.check(&method("drive.files.delete", "DELETE")).is_ok());
        assert!(p.check(&method("drive.about.get", "GET")).is_ok());
        assert!(p.check(&method("drive.permissions.list", "GET")).is_err());
        assert!(p.check(&method("drive.filesx", "GET")).is_err());
        assert!(glob_match("a*b*c", "aXbYc") && !glob_match("a*b*c", "aXc"));
        assert!(glob_match("drive.files.get", "drive.files.get"));
        assert!(
            !glob_match("ab*ba", "aba"),
            "prefix and suffix may not overlap"
        );
        assert!(Policy::new().is_open() && !p.is_open());
    }
}
