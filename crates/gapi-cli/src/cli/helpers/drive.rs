//! The grammar of `gapi drive +upload | +download` (run by `crate::helpers`).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::CommonFlags;

#[derive(Debug, Clone, Subcommand)]
pub enum DriveHelper {
    /// Upload files and folders (recursively) into a Drive folder, with progress and a summary.
    #[command(
        name = "+upload",
        after_help = "Example:\n  gapi drive +upload ./photos report.pdf --to Backups/2026\n  gapi drive +upload notes.docx --parent 1AbCdEfGhIjK --convert"
    )]
    Upload(UploadArgs),
    /// Download a file or folder (recursively) by id or path; Google Docs files are exported.
    #[command(
        name = "+download",
        after_help = "Example:\n  gapi drive +download Reports/2026 -o ./reports\n  gapi drive +download 1AbCdEfGhIjK -o . --export-format pdf"
    )]
    Download(DownloadArgs),
}

#[derive(Debug, Clone, Args)]
pub struct UploadArgs {
    /// Files and folders to upload.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The Drive folder id to upload into (default: My Drive).
    #[arg(long, value_name = "ID", conflicts_with = "to")]
    pub parent: Option<String>,
    /// The Drive folder path to upload into, from My Drive (missing folders are created).
    #[arg(long, value_name = "FOLDER/PATH")]
    pub to: Option<String>,
    /// Convert files to Google Docs types where Drive can (`report.docx` becomes a Doc).
    #[arg(long)]
    pub convert: bool,
    #[command(flatten)]
    pub common: CommonFlags,
}

#[derive(Debug, Clone, Args)]
pub struct DownloadArgs {
    /// A file or folder id, or a path from My Drive (`Reports/2026/q1.csv`).
    #[arg(value_name = "ID|PATH")]
    pub item: String,
    /// The local folder to download into (created if missing).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
    /// Replace local files that exist (without it they are kept and reported).
    #[arg(long)]
    pub force: bool,
    /// Export Google Docs files to this format (pdf, docx, xlsx, txt, md, csv... or a MIME
    /// type) where the type offers it; default: docx, xlsx, pptx, pdf.
    #[arg(long, value_name = "FORMAT")]
    pub export_format: Option<String>,
    #[command(flatten)]
    pub common: CommonFlags,
}
