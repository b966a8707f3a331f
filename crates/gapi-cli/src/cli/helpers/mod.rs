//! The grammar of the `+helper` commands (`gapi gmail +send ...`), one module per API: what
//! the parser needs to read a helper's words, and nothing of the code that runs it
//! (`crate::helpers`), so the grammar imports no running code.

pub mod calendar;
pub mod docs;
pub mod drive;
pub mod gmail;
pub mod sheets;

use std::ffi::OsString;

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
    pub api: ApiHelper,
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

#[derive(Debug, Parser)]
#[command(name = "gapi", disable_version_flag = true)]
struct HelperCli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    api: ApiHelper,
}

/// The helpers, by API.
#[derive(Debug, Clone, Subcommand)]
pub enum ApiHelper {
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
