//! The OS keyring as a profile's storage (`gapi auth login --store keyring`): the profile's
//! `authorized_user` JSON (tokens and client secret) lives in one keyring entry (Secret Service
//! on Linux, Keychain on macOS, Credential Manager on Windows); the profile file on disk holds
//! only a non-secret marker naming that entry. No keyring reachable is an error that names
//! `--store file`: secrets are never written anywhere else in its place.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// The `type` of the marker file that says a profile lives in the OS keyring.
pub(super) const KEYRING_MARKER_TYPE: &str = "gapi_keyring";

/// The keyring service name every gapi entry is filed under.
pub(super) const KEYRING_SERVICE: &str = "gapi";

/// Where a profile's secrets are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    /// A 0600 `authorized_user` file (the format google-auth and gcloud read).
    File,
    /// The OS keyring; the file on disk is only a marker.
    Keyring,
}

impl StoreKind {
    /// Parses `file` or `keyring` (from `--store` or `GAPI_CREDENTIAL_STORE`).
    pub fn parse(value: &str) -> Result<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "file" => Ok(StoreKind::File),
            "keyring" => Ok(StoreKind::Keyring),
            other => Err(Error::new(
                ErrorKind::Config,
                format!("unknown credential store `{other}`"),
            )
            .with_hint("use `file` or `keyring`")),
        }
    }
}

/// The non-secret marker stored at a keyring profile's path.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct KeyringMarker {
    /// Always `gapi_keyring`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The profile name.
    pub profile: String,
    /// The account, for display (not secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The keyring service of the entry.
    pub service: String,
    /// The keyring user name of the entry.
    pub user: String,
}

impl KeyringMarker {
    /// Parses `text` as a marker; None when it is anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let marker: KeyringMarker = serde_json::from_str(text).ok()?;
        (marker.kind == KEYRING_MARKER_TYPE).then_some(marker)
    }

    /// The marker's JSON (no secrets).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Where the entry is, for `gapi auth status`.
    pub fn describe(&self) -> String {
        format!(
            "the OS keyring (service `{}`, user `{}`)",
            self.service, self.user
        )
    }
}

fn unreachable(detail: &str) -> Error {
    Error::new(
        ErrorKind::Store,
        format!("the OS keyring is not reachable: {detail}"),
    )
    .with_hint(
        "log in with `--store file` to keep the tokens in a private file under the config \
         directory instead, or start a keyring (on Linux a Secret Service such as \
         gnome-keyring in a D-Bus session) and try again",
    )
}

/// A keyring that answers but refuses access until the user unlocks it (a locked Secret
/// Service collection whose unlock prompt could not be shown or was dismissed, a locked
/// Keychain). Said as what it is: nothing is wrong with the login.
fn locked(detail: &str) -> Error {
    Error::new(
        ErrorKind::Store,
        format!("the OS keyring is locked: unlock it, then run this command again ({detail})"),
    )
    .with_hint(
        "unlock the keyring with your desktop's keyring manager (on Linux the `login` \
         collection of the Secret Service), or keep the tokens in a private file under the \
         config directory with `--store file`",
    )
}

/// The user name of the entry [`probe_keyring`] writes and deletes (one per process, so two
/// logins probing at once do not delete each other's).
fn probe_user() -> String {
    format!("gapi-probe-{}", std::process::id())
}

#[cfg(feature = "keyring")]
mod imp {
    use super::*;

    fn map(e: keyring::Error) -> Error {
        match e {
            keyring::Error::NoDefaultStore => unreachable("no keyring service was found"),
            keyring::Error::NoStorageAccess(p) => locked(&p.to_string()),
            keyring::Error::PlatformFailure(p) => unreachable(&p.to_string()),
            other => Error::new(ErrorKind::Store, format!("OS keyring error: {other}")),
        }
    }

    fn entry(m: &KeyringMarker) -> Result<keyring::Entry> {
        keyring::Entry::new(&m.service, &m.user).map_err(map)
    }

    pub(crate) fn probe() -> Result<()> {
        // A write, not a read: a locked collection still answers a search (with nothing),
        // and only refuses when something is stored in it.
        let e = keyring::Entry::new(KEYRING_SERVICE, &probe_user()).map_err(map)?;
        e.set_password("gapi checks that the keyring accepts a write; this entry is deleted")
            .map_err(map)?;
        match e.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map(e)),
        }
    }

    pub(crate) fn read(m: &KeyringMarker) -> Result<Option<String>> {
        match entry(m)?.get_password() {
            Ok(text) => Ok(Some(text)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map(e)),
        }
    }

    pub(crate) fn write(m: &KeyringMarker, json: &str) -> Result<()> {
        entry(m)?.set_password(json).map_err(map)
    }

    pub(crate) fn delete(m: &KeyringMarker) -> Result<bool> {
        match entry(m)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(map(e)),
        }
    }
}

#[cfg(not(feature = "keyring"))]
mod imp {
    use super::*;

    fn off() -> Error {
        unreachable("this build of gapi-auth has no keyring support (cargo feature `keyring`)")
    }
    pub(crate) fn probe() -> Result<()> {
        let _ = (probe_user, locked);
        Err(off())
    }
    pub(crate) fn read(_: &KeyringMarker) -> Result<Option<String>> {
        Err(off())
    }
    pub(crate) fn write(_: &KeyringMarker, _: &str) -> Result<()> {
        Err(off())
    }
    pub(crate) fn delete(_: &KeyringMarker) -> Result<bool> {
        Err(off())
    }
}

/// Checks the OS keyring accepts a write, by writing and deleting a test entry (call before
/// a login, so the user is not sent through a consent screen whose result cannot be kept). A
/// locked keyring is an error saying so ("unlock it"); an unreachable one names
/// `--store file`.
pub fn probe_keyring() -> Result<()> {
    imp::probe()
}

pub(crate) use imp::{delete, read, write};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_kinds_parse_and_unknown_ones_are_refused() {
        assert_eq!(StoreKind::parse("keyring").unwrap(), StoreKind::Keyring);
        assert_eq!(StoreKind::parse(" File ").unwrap(), StoreKind::File);
        let e = StoreKind::parse("vault").unwrap_err();
        assert!(e.to_string().contains("vault"), "{e}");
    }

    #[test]
    fn only_a_gapi_keyring_document_is_a_marker() {
        let m = KeyringMarker {
            kind: KEYRING_MARKER_TYPE.into(),
            profile: "work".into(),
            account: Some("a@example.com".into()),
            service: KEYRING_SERVICE.into(),
            user: "/cfg:work".into(),
        };
        assert_eq!(KeyringMarker::parse(&m.to_json()), Some(m));
        assert_eq!(
            KeyringMarker::parse(r#"{"type":"authorized_user","client_id":"x"}"#),
            None
        );
        assert_eq!(KeyringMarker::parse("not json"), None);
    }
}
