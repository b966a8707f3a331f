//! `gapi auth policy set|show|clear`: the command side of a policy pinned to a profile (the
//! stored form and the rule every call obeys are in `call::stored_policy`). Narrowing needs
//! nobody; lifting a limit (`clear`, or a `set` that [`gapi_client::Policy::widenings`] finds
//! wider) needs a person: refused without an interactive terminal, asked for at one.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::process::ExitCode;

use anyhow::Context;
use gapi_auth::FileStore;
use gapi_client::Policy;

use crate::call::stored_policy::{StoredPolicy, load_in, path_in, save};
use crate::cli::{GlobalArgs, PolicyCommand};
use crate::exit;

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
