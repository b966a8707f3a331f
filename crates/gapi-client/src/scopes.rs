//! Choosing an OAuth scope for a method: which of the method's accepted scopes the user has
//! granted, narrowest first, which one to suggest to a user who has none of them, and the
//! scope pre-check ([`MethodCall::check_scopes`]) that says so before anything is sent.

use crate::error::Error;
use crate::method_call::MethodCall;

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

/// What a call needs of its scope, for [`by_usefulness`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reading metadata (a GET without media).
    Read,
    /// Reading content (a media download, `alt=media`).
    ReadContent,
    /// Changing something (any method that is not a GET).
    Write,
}

impl Access {
    /// The access an HTTP method needs (`media` = a media download).
    pub fn of(http_method: &str, media: bool) -> Access {
        match (http_method.eq_ignore_ascii_case("GET"), media) {
            (false, _) => Access::Write,
            (true, true) => Access::ReadContent,
            (true, false) => Access::Read,
        }
    }
}

/// Scopes for one narrow purpose that a general call should not be pointed at: an app's
/// hidden folder, photos, Meet recordings, Apps Script files, installed apps.
fn special_purpose(scope: &str) -> bool {
    let s = scope.rsplit('/').next().unwrap_or(scope);
    ["appdata", "appfolder", "photos", "meet", "scripts", "apps"]
        .iter()
        .any(|w| s.split('.').any(|part| part == *w))
}

/// Whether a scope cannot do what the access needs: a read-only scope for a write, a
/// metadata-only scope for content.
fn cannot_serve(scope: &str, access: Access) -> bool {
    let s = scope.rsplit('/').next().unwrap_or(scope);
    match access {
        Access::Write => s.contains("readonly"),
        Access::ReadContent => s.contains("metadata"),
        Access::Read => false,
    }
}

/// The method's accepted scopes ordered for a suggestion: first the narrowest one that lets
/// the call do its job (for a Drive write `drive.file`, for a download `drive.readonly`), and
/// special-purpose scopes (`drive.appdata`, `drive.photos.readonly`) and scopes that cannot do
/// the job (read-only for a write) last.
pub fn by_usefulness(accepted: &[String], access: Access) -> Vec<String> {
    let mut v = accepted.to_vec();
    v.sort_by_key(|s| (special_purpose(s), cannot_serve(s, access), breadth(s)));
    v
}

/// The scope pre-check on what is known without I/O: `Ok` when the method accepts no scope
/// (public data), when nothing is known of the granted scopes, or when one of them is among
/// the method's; else the error naming the method's scopes, the most useful for `access`
/// first ([`Error::scopes_to_grant`]).
pub fn check_granted(
    method_id: &str,
    accepted: &[String],
    granted: &[String],
    access: Access,
) -> Result<(), Error> {
    if accepted.is_empty() || granted.is_empty() || pick_granted(accepted, granted).is_some() {
        return Ok(());
    }
    Err(Error::scope_not_granted(
        method_id,
        by_usefulness(accepted, access),
    ))
}

impl MethodCall {
    /// The scope pre-check: whether the service's credentials were granted a scope this
    /// method accepts, for a call needing `access` ([`Access::of`]). Checked without I/O
    /// before sending, so a call that would get `403 insufficientPermissions` is not made
    /// (and a user is told which scope to add); credentials that do not say what they were
    /// granted (API keys, fixed tokens, no credentials) pass.
    pub fn check_scopes(&self, access: Access) -> Result<(), Error> {
        let granted = self
            .service()
            .transport()
            .authenticator()
            .granted_scopes()
            .unwrap_or_default();
        check_granted(&self.method().id, self.scopes(), &granted, access)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drive(names: &[&str]) -> Vec<String> {
        names
            .iter()
            .map(|n| format!("https://www.googleapis.com/auth/{n}"))
            .collect()
    }

    #[test]
    fn suggestions_let_the_method_do_its_job() {
        let create = drive(&["drive", "drive.appdata", "drive.file"]);
        assert!(by_usefulness(&create, Access::Write)[0].ends_with("/drive.file"));
        let get = drive(&[
            "drive",
            "drive.appdata",
            "drive.file",
            "drive.meet.readonly",
            "drive.metadata",
            "drive.metadata.readonly",
            "drive.photos.readonly",
            "drive.readonly",
        ]);
        assert!(by_usefulness(&get, Access::Read)[0].ends_with("/drive.metadata.readonly"));
        assert!(by_usefulness(&get, Access::ReadContent)[0].ends_with("/drive.readonly"));
        let update = drive(&[
            "drive",
            "drive.appdata",
            "drive.file",
            "drive.metadata",
            "drive.scripts",
        ]);
        let order = by_usefulness(&update, Access::Write);
        assert!(order[0].ends_with("/drive.file"), "{order:?}");
        assert!(
            !order[..2]
                .iter()
                .any(|s| s.contains("appdata") || s.contains("scripts"))
        );
        assert_eq!(Access::of("POST", false), Access::Write);
        assert_eq!(Access::of("GET", true), Access::ReadContent);
    }

    #[test]
    fn the_pre_check_names_the_most_useful_scope_first() {
        let accepted = drive(&["drive", "drive.file", "drive.readonly"]);
        let granted = drive(&["youtube.readonly"]);
        let err =
            check_granted("drive.files.create", &accepted, &granted, Access::Write).unwrap_err();
        assert!(err.is_auth(), "{err}");
        assert_eq!(err.hint(), Some(crate::Hint::GrantScope));
        assert!(
            err.scopes_to_grant().unwrap()[0].ends_with("/drive.file"),
            "{err}"
        );
        assert!(err.to_string().contains("drive.files.create"), "{err}");
        // A granted scope, unknown grants, a public method: nothing to say.
        assert!(check_granted("m", &accepted, &drive(&["drive"]), Access::Write).is_ok());
        assert!(check_granted("m", &accepted, &[], Access::Write).is_ok());
        assert!(check_granted("m", &[], &granted, Access::Write).is_ok());
    }

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
