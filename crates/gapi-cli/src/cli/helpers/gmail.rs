//! The grammar of `gapi gmail +send | +draft | +reply | +forward | +read` (run by `crate::helpers`).

use std::path::PathBuf;

use crate::cli::Format;
use clap::{Args, Subcommand};

use super::{CommonFlags, OutputFlags};

#[derive(Debug, Clone, Subcommand)]
pub enum GmailHelper {
    /// Send a mail (attachments, non-ASCII headers, HTML): prints the sent message's id and
    /// threadId.
    #[command(
        name = "+send",
        after_help = "Example:\n  gapi gmail +send --to ann@example.com --subject \"Report\" --body \"Attached.\" --attach report.pdf\n  echo hi | gapi gmail +send --to ann@example.com --subject Hi -"
    )]
    Send(ComposeArgs),
    /// Save a mail as a draft (same arguments as +send): prints the draft's id.
    #[command(
        name = "+draft",
        after_help = "Example:\n  gapi gmail +draft --to ann@example.com --subject \"Plan\" --body-file plan.txt"
    )]
    Draft(ComposeArgs),
    /// Answer a mail in its thread (In-Reply-To, References, `Re:` once, its sender; --all
    /// for everyone), quoting it.
    #[command(
        name = "+reply",
        after_help = "Example:\n  gapi gmail +reply --message-id 18c1f2e3a4b5c6d7 --body \"Thanks, done.\" --all"
    )]
    Reply(ReplyArgs),
    /// Forward a mail with its attachments.
    #[command(
        name = "+forward",
        after_help = "Example:\n  gapi gmail +forward --message-id 18c1f2e3a4b5c6d7 --to bob@example.com --body \"FYI\""
    )]
    Forward(ForwardArgs),
    /// Read a mail: headers decoded, the text body (HTML made readable), attachments listed.
    #[command(
        name = "+read",
        after_help = "Example:\n  gapi gmail +read --message-id 18c1f2e3a4b5c6d7 --save-attachments ./files\n  gapi gmail +read --message-id 18c1f2e3a4b5c6d7 --format json --jq .subject"
    )]
    Read(ReadArgs),
}

/// The body of a mail: `--body TEXT`, `--body-file FILE`, or `-` (stdin).
#[derive(Debug, Args, Clone)]
pub struct BodyArgs {
    /// The body text.
    #[arg(long, value_name = "TEXT", conflicts_with_all = ["body_file", "stdin"])]
    pub body: Option<String>,
    /// Read the body from FILE (`-`: stdin).
    #[arg(long, value_name = "FILE", conflicts_with = "stdin")]
    pub body_file: Option<PathBuf>,
    /// `-`: read the body from stdin.
    #[arg(value_name = "-", value_parser = dash)]
    pub stdin: Option<String>,
    /// The body is HTML (a plain-text alternative is made from it).
    #[arg(long)]
    pub html: bool,
}

fn dash(s: &str) -> Result<String, String> {
    if s == "-" {
        Ok(s.to_string())
    } else {
        Err(format!(
            "unexpected argument {s:?}: the only positional argument is `-` (the body from stdin)"
        ))
    }
}

#[derive(Debug, Clone, Args)]
pub struct ComposeArgs {
    /// A recipient (repeatable; `"Ann <ann@example.com>, bob@example.com"` lists work too).
    #[arg(long, value_name = "ADDR", required = true)]
    pub to: Vec<String>,
    /// A Cc recipient (repeatable).
    #[arg(long, value_name = "ADDR")]
    pub cc: Vec<String>,
    /// A Bcc recipient (repeatable).
    #[arg(long, value_name = "ADDR")]
    pub bcc: Vec<String>,
    /// The subject (any language).
    #[arg(long, value_name = "TEXT", required = true)]
    pub subject: String,
    #[command(flatten)]
    pub body: BodyArgs,
    /// Attach a file (repeatable; its MIME type from the extension).
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// Send from this alias of the account.
    #[arg(long, value_name = "ALIAS")]
    pub from: Option<String>,
    #[command(flatten)]
    pub common: CommonFlags,
    #[command(flatten)]
    pub out: OutputFlags,
}

#[derive(Debug, Clone, Args)]
pub struct ReplyArgs {
    /// The Gmail id of the message to answer.
    #[arg(long, value_name = "ID")]
    pub message_id: String,
    #[command(flatten)]
    pub body: BodyArgs,
    /// Reply to everyone (the original To and Cc, minus you).
    #[arg(long)]
    pub all: bool,
    /// Attach a file (repeatable).
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// Send from this alias of the account.
    #[arg(long, value_name = "ALIAS")]
    pub from: Option<String>,
    /// Save the reply as a draft instead of sending it.
    #[arg(long)]
    pub draft: bool,
    #[command(flatten)]
    pub common: CommonFlags,
    #[command(flatten)]
    pub out: OutputFlags,
}

#[derive(Debug, Clone, Args)]
pub struct ForwardArgs {
    /// The Gmail id of the message to forward.
    #[arg(long, value_name = "ID")]
    pub message_id: String,
    /// A recipient (repeatable).
    #[arg(long, value_name = "ADDR", required = true)]
    pub to: Vec<String>,
    /// A Cc recipient (repeatable).
    #[arg(long, value_name = "ADDR")]
    pub cc: Vec<String>,
    /// A Bcc recipient (repeatable).
    #[arg(long, value_name = "ADDR")]
    pub bcc: Vec<String>,
    #[command(flatten)]
    pub body: BodyArgs,
    /// Attach another file (repeatable; the original's attachments are always carried).
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// Send from this alias of the account.
    #[arg(long, value_name = "ALIAS")]
    pub from: Option<String>,
    #[command(flatten)]
    pub common: CommonFlags,
    #[command(flatten)]
    pub out: OutputFlags,
}

#[derive(Debug, Clone, Args)]
pub struct ReadArgs {
    /// The Gmail id of the message.
    #[arg(long, value_name = "ID")]
    pub message_id: String,
    /// Save the attachments into DIR (created if missing; existing files are kept).
    #[arg(long, value_name = "DIR")]
    pub save_attachments: Option<PathBuf>,
    /// Output format (default: readable text; json for the decoded message).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    #[command(flatten)]
    pub common: CommonFlags,
    #[command(flatten)]
    pub out: OutputFlags,
}
