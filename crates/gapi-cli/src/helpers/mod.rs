//! The `+helper` commands: everyday Workspace work in one line (`gapi gmail +send`,
//! `gapi sheets +append`...), thin over `gapi-workspace`.
//!
//! A helper is named with a leading `+` beside an API's Discovery methods. Its words are
//! parsed here (clap, one module per API) and it runs on the same services as any method
//! call ([`ctx::Ctx`]): the same credentials and profiles, retry policy, the global
//! `--read-only` and `--allow` policy (checked on every method the helper will call before
//! anything is sent),
//! `--dry-run`, `-o FILE`, `--format` and `--jq`.

mod calendar;
mod ctx;
mod docs;
mod drive;
mod gmail;
mod sheets;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Args, FromArgMatches, Parser, Subcommand};

use crate::cli::GlobalArgs;

/// Whether the API-call words `rest` (`gmail +send ...`) name a helper: an API that has
/// helpers, then a word starting with `+` (other APIs' words go to the method-call path,
/// which says what the API has).
pub fn is_helper(rest: &[OsString]) -> bool {
    let api = rest.first().and_then(|w| w.to_str());
    api.is_some_and(|a| command().get_subcommands().any(|s| s.get_name() == a))
        && rest
            .get(1)
            .and_then(|w| w.to_str())
            .is_some_and(|w| w.starts_with('+'))
}

/// The clap command of every helper (`gapi [GLOBALS] <api> +<helper> [flags]`). The global
/// options stand before the API name or after the helper's words, except `--subject`
/// (domain-wide delegation), which goes before the API name: after a mail helper's words
/// `--subject` is the mail's subject.
pub fn command() -> clap::Command {
    <HelperCli as clap::CommandFactory>::command().mut_arg("subject", |a| a.global(false))
}

/// Shell completion for `gapi <api> +...`: the API's helpers when the word starts with `+`,
/// a helper's flags after it; `None` when the words are not a helper's.
pub fn complete(api: &str, rest: &[String], cur: &str) -> Option<Vec<String>> {
    let cmd = command();
    let api_cmd = cmd.find_subcommand(api)?;
    let names = |c: &clap::Command| -> Vec<String> {
        c.get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect()
    };
    match rest.first() {
        None if cur.starts_with('+') => Some(names(api_cmd)),
        Some(helper) if helper.starts_with('+') => {
            let sub = api_cmd.find_subcommand(helper)?;
            let flags = sub
                .get_arguments()
                .chain(cmd.get_arguments())
                .filter(|a| !a.is_hide_set())
                .filter_map(|a| a.get_long().map(|l| format!("--{l}")));
            Some(if cur.starts_with('-') {
                flags.collect()
            } else {
                Vec::new()
            })
        }
        _ => None,
    }
}

/// A parsed helper command line.
#[derive(Debug, Clone)]
pub struct Helper {
    /// The global options, read wherever they stood.
    pub global: GlobalArgs,
    /// Which helper, with its arguments.
    api: ApiHelper,
}

impl Helper {
    /// Reads a helper from the matches of [`command`].
    pub fn from_matches(matches: &clap::ArgMatches) -> Result<Helper, clap::Error> {
        let cli = HelperCli::from_arg_matches(matches)?;
        Ok(Helper {
            global: cli.global,
            api: cli.api,
        })
    }
}

/// Runs a helper.
pub async fn run(global: &GlobalArgs, helper: Helper) -> anyhow::Result<ExitCode> {
    match helper.api {
        ApiHelper::Gmail(h) => gmail::run(global, h).await,
        ApiHelper::Calendar(h) => calendar::run(global, h).await,
        ApiHelper::Sheets(h) => sheets::run(global, h).await,
        ApiHelper::Docs(h) => docs::run(global, h).await,
        ApiHelper::Drive(h) => drive::run(global, h).await,
    }
}

#[derive(Debug, Parser)]
#[command(name = "gapi", disable_version_flag = true)]
struct HelperCli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    api: ApiHelper,
}

#[derive(Debug, Clone, Subcommand)]
enum ApiHelper {
    /// Gmail helpers.
    #[command(subcommand)]
    Gmail(gmail::GmailHelper),
    /// Calendar helpers.
    #[command(subcommand)]
    Calendar(calendar::CalendarHelper),
    /// Sheets helpers.
    #[command(subcommand)]
    Sheets(sheets::SheetsHelper),
    /// Docs helpers.
    #[command(subcommand)]
    Docs(docs::DocsHelper),
    /// Drive helpers.
    #[command(subcommand)]
    Drive(drive::DriveHelper),
}

/// The flags every helper takes, with the meaning they have on a method call.
#[derive(Debug, Clone, Args, Default)]
pub struct CommonFlags {
    /// Filter the result with a jq program (strings print raw).
    #[arg(long, value_name = "EXPR")]
    pub jq: Option<String>,
    /// Print the requests instead of sending them (needs no credentials; sends nothing).
    #[arg(long)]
    pub dry_run: bool,
    /// Retry POST/PATCH too on 5xx/429 (they may not be idempotent).
    #[arg(long)]
    pub retry_all: bool,
}

/// `-o FILE` and `--force`, as on a method call.
#[derive(Debug, Clone, Args, Default)]
pub struct OutputFlags {
    /// Write the result to this file instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// With -o: replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Text from `--X TEXT`, `--X-file FILE` or stdin (`-`), read once.
pub fn read_text(
    text: Option<&str>,
    file: Option<&std::path::Path>,
    what: &str,
) -> anyhow::Result<Option<String>> {
    use anyhow::Context;
    if let Some(t) = text {
        return Ok(Some(t.to_string()));
    }
    let Some(path) = file else { return Ok(None) };
    if path.as_os_str() == "-" {
        return std::io::read_to_string(std::io::stdin())
            .with_context(|| format!("reading the {what} from stdin"))
            .map(Some);
    }
    std::fs::read_to_string(path)
        .map_err(|e| {
            crate::exit::usage(format!(
                "cannot read the {what} file {}: {e}",
                path.display()
            ))
        })
        .map(Some)
}

#[cfg(test)]
mod tests {
    use crate::cli::{Action, parse};

    fn p(args: &[&str]) -> Result<crate::cli::Parsed, clap::Error> {
        parse(args.iter().map(OsString::from).collect())
    }
    use std::ffi::OsString;

    #[test]
    fn subject_before_the_api_is_delegation_after_a_mail_helper_the_mail_subject() {
        let parsed = p(&[
            "gapi",
            "--subject",
            "boss@corp.example",
            "--profile",
            "sa",
            "gmail",
            "+send",
            "--to",
            "a@example.com",
            "--subject",
            "Hi",
            "--body",
            "x",
        ])
        .unwrap();
        assert_eq!(parsed.global.subject.as_deref(), Some("boss@corp.example"));
        assert_eq!(parsed.global.profile_request(), Some("sa"));
        let Action::Helper(h) = parsed.action else {
            panic!("a helper")
        };
        let super::ApiHelper::Gmail(super::gmail::GmailHelper::Send(args)) = h.api else {
            panic!("gmail +send")
        };
        assert_eq!(args.subject(), "Hi");
        // Without a leading --subject, no delegation.
        let parsed = p(&[
            "gapi",
            "gmail",
            "+send",
            "--to",
            "a@example.com",
            "--subject",
            "Hi",
            "--body",
            "x",
            "--profile",
            "work",
        ])
        .unwrap();
        assert_eq!(parsed.global.subject, None);
        assert_eq!(parsed.global.profile_request(), Some("work"));
        assert!(parsed.global.origin("subject").is_none());
        // A helper without a mail subject refuses it after its words.
        assert!(
            p(&[
                "gapi",
                "gmail",
                "+read",
                "--message-id",
                "x",
                "--subject",
                "b@x"
            ])
            .is_err()
        );
        // A global given twice is refused, as for a method call.
        let e = p(&[
            "gapi",
            "--profile",
            "a",
            "gmail",
            "+read",
            "--message-id",
            "x",
            "--profile",
            "b",
        ])
        .unwrap_err();
        assert!(e.to_string().contains("given both before and after"), "{e}");
    }
}
