//! A policy pinned to a profile: `gapi auth policy set|show|clear`, kept as
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

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use gapi_auth::FileStore;
use gapi_client::Policy;
use serde::{Deserialize, Serialize};

use crate::cli::{CallArgs, GlobalArgs};
use crate::exit;

/// `gapi auth policy ...`
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Store a policy with the profile (replacing its policy); every call under the profile
    /// obeys it and per-call flags can only narrow it. Lifting a limit asks a person.
    Set(SetArgs),
    /// Print the profile's stored policy.
    Show(ShowArgs),
    /// Remove the profile's policy (asks a person at a terminal; refused without one).
    Clear,
}

/// `gapi auth policy set`
#[derive(Debug, Args)]
pub struct SetArgs {
    /// Allow only methods whose id matches PATTERN (`drive.files.*`, `*` any run); repeatable.
    #[arg(long = "allow", value_name = "PATTERN")]
    pub allow: Vec<String>,
    /// Refuse methods whose id matches PATTERN, even when allowed (deny wins); repeatable.
    #[arg(long = "deny", value_name = "PATTERN")]
    pub deny: Vec<String>,
    /// Refuse every method that is not a GET.
    #[arg(long)]
    pub read_only: bool,
}

/// `gapi auth policy show`
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Print JSON instead of lines.
    #[arg(long)]
    pub json: bool,
}

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
fn path_in(dir: &Path, profile: &str) -> PathBuf {
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

fn load_in(dir: &Path, profile: &str) -> anyhow::Result<Option<StoredPolicy>> {
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

/// The policy a call under `global.profile` obeys: the profile's stored policy narrowed by
/// the call's flags and environment (`args`).
pub fn effective(global: &GlobalArgs, args: &CallArgs) -> anyhow::Result<Policy> {
    let flags = super::api::policy_of(args);
    Ok(match load(&global.profile)? {
        Some(stored) => stored.to_policy(&global.profile).narrowed_by(flags),
        None => flags,
    })
}

/// Runs `gapi auth policy ...`.
pub fn run(global: &GlobalArgs, store: &FileStore, cmd: PolicyCommand) -> anyhow::Result<ExitCode> {
    let profile = global.profile.as_str();
    let current = load_in(store.dir(), profile)?;
    match cmd {
        PolicyCommand::Show(args) => {
            let shown = current.clone().unwrap_or_default();
            if args.json {
                let mut v = serde_json::to_value(&shown)?;
                v["profile"] = profile.into();
                v["stored"] = current.is_some().into();
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else if current.is_none() {
                println!("Profile {profile} has no stored policy: every method is allowed.");
            } else {
                println!("profile: {profile}");
                println!("read-only: {}", if shown.read_only { "yes" } else { "no" });
                let list = |v: &[String], none: &str| {
                    if v.is_empty() {
                        none.to_string()
                    } else {
                        v.join(", ")
                    }
                };
                println!("allow: {}", list(&shown.allow, "every method"));
                println!("deny: {}", list(&shown.deny, "none"));
            }
            Ok(ExitCode::SUCCESS)
        }
        PolicyCommand::Clear => {
            let Some(old) = current else {
                eprintln!("Profile {profile} has no stored policy; nothing to clear.");
                return Ok(ExitCode::SUCCESS);
            };
            let why = old
                .to_policy(profile)
                .widenings(&Policy::new())
                .into_iter()
                .chain(std::iter::once("it removes the policy".to_string()))
                .collect::<Vec<_>>();
            if !confirmed(profile, "clear", &why)? {
                return Ok(ExitCode::from(exit::USAGE));
            }
            let path = path_in(store.dir(), profile);
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove {}", path.display()))?;
            eprintln!("Cleared the policy of profile {profile}.");
            Ok(ExitCode::SUCCESS)
        }
        PolicyCommand::Set(args) => {
            gapi_auth::validate_profile(profile)?;
            for p in args.allow.iter().chain(&args.deny) {
                if p.trim().is_empty() {
                    return Err(exit::usage(
                        "an --allow or --deny pattern is empty; give a method id pattern such as drive.files.*",
                    ));
                }
            }
            let new = StoredPolicy {
                read_only: args.read_only,
                allow: args.allow,
                deny: args.deny,
            };
            if new == StoredPolicy::default() {
                return Err(exit::usage_hint(
                    "a policy needs at least one of --read-only, --allow, --deny",
                    "to remove the stored policy, run `gapi auth policy clear`",
                ));
            }
            if let Some(old) = &current {
                let why = old.to_policy(profile).widenings(&new.to_policy(profile));
                if !why.is_empty() && !confirmed(profile, "set", &why)? {
                    return Ok(ExitCode::from(exit::USAGE));
                }
            }
            let path = save(store.dir(), profile, &new)?;
            eprintln!(
                "Stored the policy of profile {profile} in {}.",
                path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A person's yes at a terminal to lifting a limit; refused (an error) without a terminal.
fn confirmed(profile: &str, verb: &str, why: &[String]) -> anyhow::Result<bool> {
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !terminal {
        return Err(exit::usage_hint(
            format!(
                "`gapi auth policy {verb}` would widen the policy of profile {profile} ({}), and \
                 that needs a person: there is no terminal to ask on. Nothing was changed",
                why.join("; ")
            ),
            "run it yourself in a terminal; a policy can be narrowed without one",
        ));
    }
    eprintln!(
        "This widens the policy of profile {profile}: {}.",
        why.join("; ")
    );
    eprint!("Type yes to confirm: ");
    let _ = std::io::stderr().flush();
    let mut answer = Vec::new();
    std::io::stdin()
        .lock()
        .take(1024)
        .read_until(b'\n', &mut answer)?;
    if String::from_utf8_lossy(&answer)
        .trim()
        .eq_ignore_ascii_case("yes")
    {
        return Ok(true);
    }
    eprintln!("Cancelled; the policy is unchanged.");
    Ok(false)
}

/// Writes the policy 0600 in a 0700 folder, atomically (a temporary file renamed over it).
fn save(dir: &Path, profile: &str, policy: &StoredPolicy) -> anyhow::Result<PathBuf> {
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
