//! `gapi auth policy set|show|clear`: the command side of a policy pinned to a profile (the
//! stored form and the rule every call obeys are in `call::stored_policy`). Narrowing needs
//! nobody; lifting a limit (`clear`, or a `set` that [`gapi_client::Policy::widenings`] finds
//! wider) needs a person: refused without an interactive terminal, asked for at one.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::process::ExitCode;

use anyhow::Context;
use gapi_auth::FileStore;
use gapi_client::Policy;

use crate::call::stored_policy::{Scope, StoredPolicy, load_in, path_in, save};
use crate::cli::{GlobalArgs, PolicyCommand};
use crate::exit;

/// Runs `gapi auth policy ...`.
pub fn run(global: &GlobalArgs, store: &FileStore, cmd: PolicyCommand) -> anyhow::Result<ExitCode> {
    let profile = global.profile.as_str();
    let all = match &cmd {
        PolicyCommand::Show(a) => a.all_profiles,
        PolicyCommand::Set(a) => a.all_profiles,
        PolicyCommand::Clear(a) => a.all_profiles,
    };
    // `--all-profiles` with a `--profile` flag names two policies at once: storing, showing or
    // clearing the wrong one silently would leave a limit where the person thinks there is none.
    // (GAPI_PROFILE in the environment is only the shell's default, which `--all-profiles` is
    // explicit enough to set aside.)
    if let (true, Some(crate::cli::Origin::Flag(flag))) = (all, global.origin("profile")) {
        return Err(exit::usage_hint(
            format!("`--all-profiles` and `{flag} {profile}` name two different policies"),
            format!(
                "drop `{flag} {profile}` for the policy every identity obeys, or `--all-profiles` for profile {profile}'s own"
            ),
        ));
    }
    let scope = if all {
        Scope::AllProfiles
    } else {
        Scope::Profile(profile)
    };
    let whose = scope.describe();
    let flag = scope.flag();
    let current = load_in(store.dir(), scope)?;
    match cmd {
        PolicyCommand::Show(args) => {
            let shown = current.clone().unwrap_or_default();
            if args.json {
                let mut v = serde_json::to_value(&shown)?;
                if all {
                    v["allProfiles"] = true.into();
                } else {
                    v["profile"] = profile.into();
                }
                v["stored"] = current.is_some().into();
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else if current.is_none() && all {
                println!("No policy is stored for every profile: each profile's own applies.");
            } else if current.is_none() {
                println!("Profile {profile} has no stored policy: every method is allowed.");
            } else {
                if all {
                    println!("for: every profile and identity");
                } else {
                    println!("profile: {profile}");
                }
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
        PolicyCommand::Clear(_) => {
            let Some(old) = current else {
                eprintln!("No policy is stored for {whose}; nothing to clear.");
                return Ok(ExitCode::SUCCESS);
            };
            let why = old
                .to_policy(scope)
                .widenings(&Policy::new())
                .into_iter()
                .chain(std::iter::once("it removes the policy".to_string()))
                .collect::<Vec<_>>();
            if !confirmed(
                &format!("`gapi auth policy clear{flag}` would widen the policy for {whose}"),
                &format!("This widens the policy for {whose}"),
                &why,
            )? {
                return Ok(ExitCode::from(exit::USAGE));
            }
            let path = path_in(store.dir(), scope);
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove {}", path.display()))?;
            eprintln!("Cleared the policy for {whose}.");
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
                let why = old.to_policy(scope).widenings(&new.to_policy(scope));
                if !why.is_empty()
                    && !confirmed(
                        &format!("`gapi auth policy set{flag}` would widen the policy for {whose}"),
                        &format!("This widens the policy for {whose}"),
                        &why,
                    )?
                {
                    return Ok(ExitCode::from(exit::USAGE));
                }
            }
            let path = save(store.dir(), scope, &new)?;
            eprintln!("Stored the policy for {whose} in {}.", path.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A person's yes at a terminal to lifting a limit; refused (an error) without a terminal.
/// `refused`: what the command would do ("`gapi auth policy clear` would widen the policy of
/// profile work"); `asked`: the question's first words at the terminal; `why`: the reasons.
fn confirmed(refused: &str, asked: &str, why: &[String]) -> anyhow::Result<bool> {
    if !at_terminal() {
        return Err(exit::usage_hint(
            format!(
                "{refused} ({}), and that needs a person: there is no terminal to ask on. \
                 Nothing was changed",
                why.join("; ")
            ),
            "run it yourself in a terminal; a policy can be narrowed without one",
        ));
    }
    if ask_yes(&format!("{asked}: {}.", why.join("; ")))? {
        return Ok(true);
    }
    eprintln!("Cancelled; the policy is unchanged.");
    Ok(false)
}

/// Under a stored policy (for every profile, or the profile's), a command that hands out a
/// credential working outside gapi (`what`: `print-access-token`), where no policy holds,
/// needs a person's yes at a terminal: refused (exit 2) without one. An agent under a policy
/// must not take the token and call Google directly. True when it may go on.
pub fn may_hand_out_credential(global: &GlobalArgs, what: &str) -> anyhow::Result<bool> {
    let policies = crate::call::stored_policy::stored_for(global)?;
    if policies.is_empty() {
        return Ok(true);
    }
    let policies = policies.join(" and ");
    if !at_terminal() {
        return Err(exit::usage_hint(
            format!(
                "`gapi auth {what}` hands out a credential that works outside gapi, where \
                 {policies} does not hold; under a stored policy that needs a person: there \
                 is no terminal to ask on. Nothing was printed"
            ),
            "run it yourself in a terminal (it asks you to confirm), or call the API through \
             gapi, which obeys the policy (`gapi auth policy show` prints it)",
        ));
    }
    if ask_yes(&format!(
        "`gapi auth {what}` hands out a credential that works outside gapi, beyond {policies}."
    ))? {
        return Ok(true);
    }
    eprintln!("Cancelled; nothing was printed.");
    Ok(false)
}

/// Whether a person can be asked: stdin and stderr are a terminal.
fn at_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Shows `intro`, asks "Type yes to confirm: " and reads one line: whether it was yes.
fn ask_yes(intro: &str) -> anyhow::Result<bool> {
    eprintln!("{intro}");
    eprint!("Type yes to confirm: ");
    let _ = std::io::stderr().flush();
    let mut answer = Vec::new();
    std::io::stdin()
        .lock()
        .take(1024)
        .read_until(b'\n', &mut answer)?;
    Ok(String::from_utf8_lossy(&answer)
        .trim()
        .eq_ignore_ascii_case("yes"))
}
