//! Profile names: the name a stored login goes by, and the default one. At the bottom of the
//! crate because errors (their remedies name a profile unless it is the default), credentials
//! and the store all speak of profiles.

use crate::error::{Error, ErrorKind, Result};

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// Checks a profile name before anything is asked of the user: letters, digits, `-`, `_`,
/// `.`, `@`, at most 64 characters, not starting with `.`, no `..` (so no path separators).
pub fn validate_profile(profile: &str) -> Result<()> {
    let ok = !profile.is_empty()
        && profile.len() <= 64
        && !profile.starts_with('.')
        && !profile.contains("..")
        && profile
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'));
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Config,
            format!("invalid profile name `{profile}`"),
        )
        .with_hint(
            "use letters, digits, '-', '_', '.', '@' (at most 64 characters, not starting \
             with '.', no '..')",
        ))
    }
}

/// `Some(name)` unless `name` is the default profile (how remedies name a profile).
pub(crate) fn named(name: &str) -> Option<String> {
    (name != DEFAULT_PROFILE).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names() {
        assert!(validate_profile("work-1").is_ok());
        assert!(validate_profile("../etc").is_err());
        assert!(validate_profile("a/b").is_err());
        assert!(validate_profile("a\\b").is_err());
        assert!(validate_profile("a..b").is_err());
        assert!(validate_profile("..").is_err());
        assert!(validate_profile("nul\0").is_err());
        assert!(validate_profile("me@example.com").is_ok());
        assert!(validate_profile(&"x".repeat(65)).is_err());
        assert!(validate_profile("").is_err());
        assert_eq!(named(DEFAULT_PROFILE), None);
        assert_eq!(named("work").as_deref(), Some("work"));
    }
}
