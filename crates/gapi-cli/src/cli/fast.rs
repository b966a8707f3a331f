//! The fast path of [`super::parse`] for API calls, the commands run most often.
//!
//! Building clap's tree of every fixed command (`auth login` and its twenty options, the
//! emulator's, `mcp`'s ...) and the `--help` text that lists the call flags costs more than
//! the rest of a dry run's argument parsing. An API call needs none of it: clap would only
//! hand its words over to [`super::CallArgs`] as an external subcommand. So when the first
//! word after the leading global options can only be an API name, the call's words go to
//! [`super::CallArgs`] directly, exactly as that external subcommand would have carried them.

use std::ffi::OsString;

use super::{global_command, globals_behind_words, split_leading_globals};

/// The names the fixed commands' tree answers to (its subcommands and clap's `help`). A test
/// keeps this list equal to the tree; any other first word is an API call.
pub(super) const FIXED_WORDS: &[&str] = &[
    "auth",
    "emulator",
    "demo",
    "apis",
    "describe",
    "search",
    "codegen",
    "skills",
    "completions",
    "mcp",
    "help",
];

/// The arguments clap would pass to the API-call parser for `args` (the whole command line,
/// program name first), or `None` when `args` is not certainly an API call and the full parse
/// must decide (a fixed command, an option clap itself reads such as `--help`, or a
/// global option's environment variable that is not Unicode, which the full parse reports).
pub(super) fn api_call(args: &[OsString]) -> Option<Vec<OsString>> {
    let (leading, rest) = split_leading_globals(args.get(1..)?);
    let first = rest.first()?.to_str()?;
    if first.is_empty() || first.starts_with('-') || FIXED_WORDS.contains(&first) {
        return None;
    }
    let env_is_text = global_command()
        .get_arguments()
        .filter_map(|a| a.get_env())
        .all(|var| std::env::var_os(var).is_none_or(|v| v.to_str().is_some()));
    env_is_text.then(|| globals_behind_words(leading, rest))
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use clap::CommandFactory;

    use super::*;
    use crate::cli::{Cli, parse_moved};

    /// The list the fast path trusts is the tree's own: every subcommand name and alias.
    #[test]
    fn fixed_words_are_the_command_trees() {
        let mut tree: Vec<String> = vec!["help".into()];
        for sub in Cli::command().get_subcommands() {
            tree.push(sub.get_name().to_string());
            tree.extend(sub.get_all_aliases().map(String::from));
        }
        tree.sort();
        let mut listed: Vec<String> = FIXED_WORDS.iter().map(|w| w.to_string()).collect();
        listed.sort();
        assert_eq!(listed, tree);
    }

    fn argv(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    /// Whatever the fast path takes parses exactly as the full parse does, errors included,
    /// and what it leaves (fixed commands, clap's own flags) goes to the full parse.
    #[test]
    fn the_fast_path_parses_as_the_full_parse() {
        let calls: &[&[&str]] = &[
            &[
                "gapi",
                "drive",
                "files",
                "list",
                "-p",
                "pageSize=5",
                "--dry-run",
            ],
            &["gapi", "--profile", "w", "-vv", "drive", "about", "get"],
            &[
                "gapi",
                "--endpoint=http://127.0.0.1:1/",
                "drive",
                "files",
                "get",
                "--",
                "-x",
            ],
            &["gapi", "drive:v2", "files", "list", "--format", "table"],
            &["gapi", "drive", "files", "list", "--bogus"],
            &["gapi", "drive", "files", "list", "--format", "yaml"],
            &["gapi", "--subject", "", "drive", "about", "get"],
            &[
                "gapi",
                "--profile",
                "a",
                "drive",
                "about",
                "get",
                "--profile",
                "b",
            ],
            &["gapi", "drive", "--help"],
            &["gapi", "nosuchapi"],
        ];
        for words in calls {
            let args = argv(words);
            let rest = api_call(&args).unwrap_or_else(|| panic!("not fast: {words:?}"));
            let fast = crate::cli::parse(args.clone());
            let full = parse_moved(&crate::cli::move_leading_globals(&args));
            match (fast, full) {
                (Ok(f), Ok(s)) => {
                    assert_eq!(format!("{f:?}"), format!("{s:?}"), "{words:?}");
                    assert!(!rest.is_empty());
                }
                (Err(f), Err(s)) => {
                    assert_eq!(f.kind(), s.kind(), "{words:?}");
                    // The ArgumentConflict of a twice-given option is reworded by `parse`.
                    if f.kind() != clap::error::ErrorKind::ArgumentConflict {
                        assert_eq!(f.to_string(), s.to_string(), "{words:?}");
                    }
                }
                (f, s) => panic!("{words:?}: fast {f:?} vs full {s:?}"),
            }
        }
        for words in [
            &["gapi", "auth", "status"][..],
            &["gapi", "--profile", "w", "mcp"],
            &["gapi", "help", "drive"],
            &["gapi", "--help"],
            &["gapi", "-V"],
            &["gapi", "--version"],
            &["gapi"],
            &["gapi", "--profile", "w"],
            &["gapi", ""],
        ] {
            assert!(api_call(&argv(words)).is_none(), "{words:?}");
        }
    }
}
