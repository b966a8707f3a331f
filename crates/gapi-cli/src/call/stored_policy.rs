//! A policy pinned to a profile, kept as
//! `<config>/policies/<profile>.json` (0600, in a 0700 folder beside `credentials/`).
//!
//! Every service a command builds ([`effective`]) obeys the stored policy of the profile it
//! runs under, narrowed by the call's own flags and environment (`--read-only`, `--allow`,
//! `GAPI_READ_ONLY`), which can add limits but never lift one: the library checks every
//! request against both ([`gapi_client::Policy::narrowed_by`]). So a CLI call, each `--batch`
//! line and each `gapi mcp` call obey it alike.
//!
//! Narrowing the stored policy (or setting the first one) needs nothing; lifting a limit
//! (`clear`, or a `set` that [`gapi_client::Policy::widenings`] finds wider) needs a person:
//! it is refused without an interactive terminal, and asked for at one. An agent that runs
//! commands in a pseudo-terminal and answers for the user is beyond what a prompt can stop.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use gapi_auth::FileStore;
use gapi_client::Policy;
use serde::{Deserialize, Serialize};

use crate::cli::GlobalArgs;

/// The stored form of a profile's policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StoredPolicy {
    /// Only GET methods.
    #[serde(default)]
    pub read_only: bool,
    /// Method-id patterns allowed (none: all).
    #[serde(default)]
    pub allow: Vec<String>,
    /// Method-id patterns refused (wins over `allow`).
    #[serde(default)]
    pub deny: Vec<String>,
}

impl StoredPolicy {
    /// As the library's policy, naming where it comes from in its refusals.
    pub fn to_policy(&self, profile: &str) -> Policy {
        Policy::new()
            .read_only(self.read_only)
            .allow(self.allow.iter().cloned())
            .deny(self.deny.iter().cloned())
            .labelled(format!("the policy stored with profile {profile}"))
    }
}

/// Where `profile`'s policy is kept under the configuration folder `dir`.
pub fn path_in(dir: &Path, profile: &str) -> PathBuf {
    dir.join("policies").join(format!("{profile}.json"))
}

/// The stored policy of `profile` in the default configuration folder, if any. An unreadable
/// or damaged policy file is an error (the call does not run without its policy).
pub fn load(profile: &str) -> anyhow::Result<Option<StoredPolicy>> {
    // A name that is not a valid profile can have no stored policy (set validates it).
    if gapi_auth::validate_profile(profile).is_err() {
        return Ok(None);
    }
    let Ok(store) = FileStore::default_location() else {
        return Ok(None);
    };
    load_in(store.dir(), profile)
}

pub fn load_in(dir: &Path, profile: &str) -> anyhow::Result<Option<StoredPolicy>> {
    let path = path_in(dir, profile);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        // No such file, or a configuration "folder" that is not one: no policy is stored.
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None);
        }
        Err(e) => {
            return Err(anyhow::Error::new(e).context(format!(
                "cannot read the policy of profile {profile} ({}); nothing was sent",
                path.display()
            )));
        }
    };
    let policy = serde_json::from_str(&text).with_context(|| {
        format!(
            "the policy of profile {profile} ({}) is damaged; nothing was sent. \
             Set it again with `gapi auth policy set`, or remove it with `gapi auth policy clear`",
            path.display()
        )
    })?;
    Ok(Some(policy))
}

/// `--read-only` (or `GAPI_READ_ONLY`) and `--allow` as the library's policy. Every service
/// of a call carries it ([`super::prepare::service_for`]), so every request it prepares (dry
/// run, call, page, batch line, upload, download, MCP call) is judged on the URL it sends.
pub fn policy_of(global: &GlobalArgs) -> gapi_client::Policy {
    gapi_client::Policy::new()
        .read_only(global.read_only)
        .allow(global.allow.iter().cloned())
}

/// The policy a call under `global.profile` obeys: the profile's stored policy narrowed by
/// the call's flags and environment (`--read-only`, `--allow`, `GAPI_READ_ONLY`).
pub fn effective(global: &GlobalArgs) -> anyhow::Result<Policy> {
    let flags = policy_of(global);
    Ok(match load(&global.profile)? {
        Some(stored) => stored.to_policy(&global.profile).narrowed_by(flags),
        None => flags,
    })
}

/// Writes the policy 0600 in a 0700 folder, atomically (a temporary file renamed over it).
pub fn save(dir: &Path, profile: &str, policy: &StoredPolicy) -> anyhow::Result<PathBuf> {
    let path = path_in(dir, profile);
    let folder = path.parent().expect("policies/<profile>.json has a folder");
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(folder)
        .with_context(|| format!("cannot create {}", folder.display()))?;
    // tempfile creates its files 0600.
    let mut tmp = tempfile::NamedTempFile::new_in(folder)
        .with_context(|| format!("cannot write in {}", folder.display()))?;
    tmp.write_all(serde_json::to_string_pretty(policy)?.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_policy_round_trips_0600_and_damage_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load_in(dir.path(), "p").unwrap(), None);
        let p = StoredPolicy {
            read_only: true,
            allow: vec!["drive.*".into()],
            deny: vec!["drive.files.delete".into()],
        };
        let path = save(dir.path(), "p", &p).unwrap();
        assert_eq!(load_in(dir.path(), "p").unwrap(), Some(p));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let mode = std::fs::metadata(path.parent().unwrap())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        std::fs::write(&path, "{\"readOnly\": tru").unwrap();
        let err = load_in(dir.path(), "p").unwrap_err();
        assert!(format!("{err:#}").contains("damaged"), "{err:#}");
    }
}
