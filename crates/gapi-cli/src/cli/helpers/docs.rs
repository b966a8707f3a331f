//! The grammar of `gapi docs +write | +create | +read` (run by `crate::helpers`).

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::{CommonFlags, OutputFlags};

#[derive(Debug, Clone, Subcommand)]
pub enum DocsHelper {
    /// Append Markdown to a document: headings, bold, italic, links, lists, code spans.
    #[command(
        name = "+write",
        after_help = "Example:\n  gapi docs +write --document 1mBq3Xf0ZkFv2y4c6QW8sHk1 --markdown notes.md"
    )]
    Write(WriteArgs),
    /// Create a document from Markdown: prints its id.
    #[command(
        name = "+create",
        after_help = "Example:\n  gapi docs +create --title \"Weekly notes\" --markdown notes.md"
    )]
    Create(CreateArgs),
    /// Read a document as Markdown (default) or plain text.
    #[command(
        name = "+read",
        after_help = "Example:\n  gapi docs +read --document 1mBq3Xf0ZkFv2y4c6QW8sHk1 --format text"
    )]
    Read(ReadArgs),
}

#[derive(Debug, Clone, Args)]
pub struct WriteArgs {
    /// The document id.
    #[arg(long, value_name = "ID")]
    pub document: String,
    /// The Markdown file (`-`: stdin).
    #[arg(long, value_name = "FILE")]
    pub markdown: PathBuf,
    #[command(flatten)]
    pub common: CommonFlags,
    #[command(flatten)]
    pub out: OutputFlags,
}

#[derive(Debug, Clone, Args)]
pub struct CreateArgs {
    /// The new document's title.
    #[arg(long, value_name = "TEXT")]
    pub title: String,
    /// The Markdown file (`-`: stdin); none: an empty document.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonFlags,
    #[command(flatten)]
    pub out: OutputFlags,
}

/// What `+read` prints.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum DocFormat {
    /// Markdown.
    #[default]
    Markdown,
    /// Plain text.
    Text,
    /// The document as the API answers it.
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ReadArgs {
    /// The document id.
    #[arg(long, value_name = "ID")]
    pub document: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: DocFormat,
    #[command(flatten)]
    pub common: CommonFlags,
    #[command(flatten)]
    pub out: OutputFlags,
}
