//! A policy pinned to a profile, kept as
//! `<config>/policies/<profile>.json` (0600, in a 0700 folder beside `credentials/`), and a
//! policy for every identity, kept as `<config>/policies/+all-profiles.json` (`+` is in no
//! profile name, so the two never meet).
//!
//! Every service a command builds ([`effective`]) obeys the policy for every identity,
//! narrowed by the stored policy of the profile it runs under, narrowed by the call's own
//! flags and environment (`--read-only`, `--allow`, `GAPI_READ_ONLY`): each can add limits
//! but never lift one, as the library checks every request against all of them
//! ([`gapi_client::Policy::narrowed_by`]). So a CLI call, each `--batch` line and each
//! `gapi mcp` call obey them alike, and the one for every identity holds whatever identity
//! the call chooses (another profile, `GOOGLE_APPLICATION_CREDENTIALS`, ADC, an API key,
//! `GAPI_ACCESS_TOKEN`, none).
//!
//! Narrowing the stored policy (or setting the first one) needs nothing; lifting a limit
//! (`clear`, or a `set` that [`gapi_client::Policy::widenings`] finds wider) needs a person:
//! it is refused without an interactive terminal, and asked for at one. An agent that runs
//! commands in a pseudo-terminal and answers for the user is beyond what a prompt can stop.

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

/// Whose policy: one profile's, or the one for every identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// The policy stored with this profile.
    Profile(&'a str),
    /// The policy every call obeys, whatever identity it runs as.
    AllProfiles,
}

/// The file name (without `.json`) of the policy for every identity: `+` is in no profile
/// name ([`gapi_auth::validate_profile`]).
const ALL_PROFILES_FILE: &str = "+all-profiles";

impl Scope<'_> {
    /// How messages name it: `profile work`, `every profile`.
    pub fn describe(&self) -> String {
        match self {
            Scope::Profile(p) => format!("profile {p}"),
            Scope::AllProfiles => "every profile".to_string(),
        }
    }

    /// How refusals and `print-access-token` name the stored policy: `the policy stored with
    /// profile work`, `the policy stored for every profile`.
    pub fn label(&self) -> String {
        match self {
            Scope::Profile(p) => format!("the policy stored with profile {p}"),
            Scope::AllProfiles => "the policy stored for every profile".to_string(),
        }
    }

    /// The flags that name it on `gapi auth policy ...` (`--profile work`, `--all-profiles`).
    pub fn flag(&self) -> String {
        match self {
            Scope::Profile(p) if *p == gapi_auth::DEFAULT_PROFILE => String::new(),
            Scope::Profile(p) => format!(" --profile {p}"),
            Scope::AllProfiles => " --all-profiles".to_string(),
        }
    }
}

impl StoredPolicy {
    /// As the library's policy, naming where it comes from in its refusals.
    pub fn to_policy(&self, scope: Scope<'_>) -> Policy {
        let label = match scope {
            Scope::Profile(_) => scope.label(),
            Scope::AllProfiles => format!(
                "{} and identity (`gapi auth policy show --all-profiles`)",
                scope.label()
            ),
        };
        Policy::new()
            .read_only(self.read_only)
            .allow(self.allow.iter().cloned())
            .deny(self.deny.iter().cloned())
            .labelled(label)
    }
}

/// Where the policy of `scope` is kept under the configuration folder `dir`.
pub fn path_in(dir: &Path, scope: Scope<'_>) -> PathBuf {
    let name = match scope {
        Scope::Profile(p) => p,
        Scope::AllProfiles => ALL_PROFILES_FILE,
    };
    dir.join("policies").join(format!("{name}.json"))
}

/// The stored policy of `scope` in the default configuration folder, if any. An unreadable
/// or damaged policy file is an error (the call does not run without its policy).
pub fn load(scope: Scope<'_>) -> anyhow::Result<Option<StoredPolicy>> {
    // A name that is not a valid profile can have no stored policy (set validates it).
    if let Scope::Profile(p) = scope
        && gapi_auth::validate_profile(p).is_err()
    {
        return Ok(None);
    }
    let Ok(store) = FileStore::default_location() else {
        return Ok(None);
    };
    load_in(store.dir(), scope)
}

/// The stored policy of `scope` under the configuration folder `dir`, if any.
pub fn load_in(dir: &Path, scope: Scope<'_>) -> anyhow::Result<Option<StoredPolicy>> {
    let path = path_in(dir, scope);
    let whose = scope.describe();
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
                "cannot read the policy for {whose} ({}); nothing was sent",
                path.display()
            )));
        }
    };
    let policy = serde_json::from_str(&text).with_context(|| {
        format!(
            "the policy for {whose} ({}) is damaged; nothing was sent. Set it again with \
             `gapi auth policy set{flag}`, or remove it with `gapi auth policy clear{flag}`",
            path.display(),
            flag = scope.flag()
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

/// The policy a call under `global.profile` obeys: the policy for every identity, narrowed
/// by the profile's stored policy, narrowed by the call's flags and environment
/// (`--read-only`, `--allow`, `GAPI_READ_ONLY`). Whatever identity the call runs as (the
/// profile's credentials, the environment's, ADC, an API key, none), all of them hold.
pub fn effective(global: &GlobalArgs) -> anyhow::Result<Policy> {
    let mut policy = Policy::new();
    for scope in [Scope::AllProfiles, Scope::Profile(&global.profile)] {
        if let Some(stored) = load(scope)? {
            policy = policy.narrowed_by(stored.to_policy(scope));
        }
    }
    Ok(policy.narrowed_by(policy_of(global)))
}

/// The stored policies a call under `global.profile` obeys (for every identity, the
/// profile's), as they name themselves: what `gapi auth print-access-token` and the other
/// commands handing out credentials must not escape.
pub fn stored_for(global: &GlobalArgs) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for scope in [Scope::AllProfiles, Scope::Profile(&global.profile)] {
        if load(scope)?.is_some() {
            out.push(scope.label());
        }
    }
    Ok(out)
}

/// Writes the policy 0600 in a 0700 folder, atomically (a temporary file renamed over it).
pub fn save(dir: &Path, scope: Scope<'_>, policy: &StoredPolicy) -> anyhow::Result<PathBuf> {
    let path = path_in(dir, scope);
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
    let json = serde_json::to_string_pretty(policy)?;
    gapi_retry::atomic_file::write_atomic(&path, ".policy.tmp-", json.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_policy_round_trips_0600_and_damage_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p_scope = Scope::Profile("p");
        assert_eq!(load_in(dir.path(), p_scope).unwrap(), None);
        let p = StoredPolicy {
            read_only: true,
            allow: vec!["drive.*".into()],
            deny: vec!["drive.files.delete".into()],
        };
        let path = save(dir.path(), p_scope, &p).unwrap();
        assert_eq!(load_in(dir.path(), p_scope).unwrap(), Some(p.clone()));
        // The policy for every identity is a file no profile name can reach.
        let all = save(dir.path(), Scope::AllProfiles, &p).unwrap();
        assert_ne!(all, path);
        assert!(gapi_auth::validate_profile("+all-profiles").is_err());
        assert_eq!(load_in(dir.path(), Scope::AllProfiles).unwrap(), Some(p));
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
        let err = load_in(dir.path(), p_scope).unwrap_err();
        assert!(format!("{err:#}").contains("damaged"), "{err:#}");
    }
}
