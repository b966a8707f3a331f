//! The grammar of `gapi sheets +read | +append` (run by `crate::helpers`).

use std::path::PathBuf;

use crate::cli::Format;
use clap::{Args, Subcommand};

use super::{CommonFlags, OutputFlags};

#[derive(Debug, Clone, Subcommand)]
pub enum SheetsHelper {
    /// Read a range as CSV (default, exact), JSON rows or a table.
    #[command(
        name = "+read",
        after_help = "Example:\n  gapi sheets +read --spreadsheet 1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms --range \"Sheet1!A1:D\" > out.csv"
    )]
    Read(ReadArgs),
    /// Append CSV rows after the table in a range (quotes, commas, newlines and Unicode kept).
    #[command(
        name = "+append",
        after_help = "Example:\n  gapi sheets +append --spreadsheet 1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms --range Sheet1 --csv new-rows.csv\n  cat rows.csv | gapi sheets +append --spreadsheet ID --range Sheet1 -"
    )]
    Append(AppendArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ReadArgs {
    /// The spreadsheet id.
    #[arg(long, value_name = "ID")]
    pub spreadsheet: String,
    /// The range in A1 notation (`Sheet1`, `Sheet1!A1:C10`).
    #[arg(long, value_name = "RANGE")]
    pub range: String,
    /// csv (default: the cells as text, exactly), json (rows), ndjson (a row per line),
    /// table (the first row as header).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    #[command(flatten)]
    pub common: CommonFlags,
    #[command(flatten)]
    pub out: OutputFlags,
}

#[derive(Debug, Clone, Args)]
pub struct AppendArgs {
    /// The spreadsheet id.
    #[arg(long, value_name = "ID")]
    pub spreadsheet: String,
    /// Where the table is, in A1 notation (`Sheet1`, `Sheet1!A:C`).
    #[arg(long, value_name = "RANGE")]
    pub range: String,
    /// The CSV file to append (`-`: stdin).
    #[arg(long, value_name = "FILE", conflicts_with = "stdin")]
    pub csv: Option<PathBuf>,
    /// `-`: the CSV from stdin.
    #[arg(value_name = "-", value_parser = dash)]
    pub stdin: Option<String>,
    /// Store the text as it is (RAW) instead of as if typed (USER_ENTERED: numbers, dates,
    /// formulas).
    #[arg(long)]
    pub raw: bool,
    #[command(flatten)]
    pub common: CommonFlags,
    #[command(flatten)]
    pub out: OutputFlags,
}

fn dash(s: &str) -> Result<String, String> {
    if s == "-" {
        Ok(s.to_string())
    } else {
        Err(format!(
            "unexpected argument {s:?}: give the CSV with --csv FILE, or `-` for stdin"
        ))
    }
}
