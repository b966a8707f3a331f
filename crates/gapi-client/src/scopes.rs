//! Choosing an OAuth scope for a method: which of the method's accepted scopes the user has
//! granted, narrowest first.

/// How broad a scope is: lower is narrower (read-only and metadata scopes before full ones).
fn breadth(scope: &str) -> u32 {
    let s = scope.rsplit('/').next().unwrap_or(scope);
    let mut b = 10;
    if s.contains("readonly") {
        b -= 4;
    }
    if s.contains("metadata") {
        b -= 2;
    }
    if s.contains(".file") || s.contains("appdata") || s.contains("appfolder") {
        b -= 3;
    }
    if scope.ends_with("/cloud-platform") {
        b += 5;
    }
    b
}

/// The method's accepted scopes sorted narrowest first.
pub fn narrowest_first(accepted: &[String]) -> Vec<String> {
    let mut v = accepted.to_vec();
    v.sort_by_key(|s| breadth(s));
    v
}

/// The narrowest accepted scope the user has granted, or `None` when none of them is granted
/// (then the user must log in again asking for one of `accepted`).
/// A method that accepts no scope (public data) needs none: `Some("")` is never returned;
/// check `accepted.is_empty()` first.
pub fn pick_granted(accepted: &[String], granted: &[String]) -> Option<String> {
    narrowest_first(accepted)
        .into_iter()
        .find(|a| granted.iter().any(|g| g == a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_narrowest_granted() {
        let accepted: Vec<String> = [
            "https://www.googleapis.com/auth/drive",
            "https://www.googleapis.com/auth/drive.metadata.readonly",
            "https://www.googleapis.com/auth/drive.readonly",
        ]
        .map(String::from)
        .to_vec();
        let granted = vec![
            "https://www.googleapis.com/auth/drive".to_string(),
            "https://www.googleapis.com/auth/drive.metadata.readonly".to_string(),
        ];
        assert_eq!(
            pick_granted(&accepted, &granted).as_deref(),
            Some("https://www.googleapis.com/auth/drive.metadata.readonly")
        );
        assert_eq!(pick_granted(&accepted, &["x".to_string()]), None);
        assert_eq!(
            narrowest_first(&accepted)[2],
            "https://www.googleapis.com/auth/drive"
        );
    }
}
