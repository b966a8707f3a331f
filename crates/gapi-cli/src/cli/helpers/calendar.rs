//! The grammar of `gapi calendar +agenda | +insert` (run by `crate::helpers`).

use crate::cli::Format;
use clap::{Args, Subcommand};

use super::{CommonFlags, OutputFlags};

#[derive(Debug, Clone, Subcommand)]
pub enum CalendarHelper {
    /// What is on a calendar: today, the next N days, or a span, in the calendar's own time
    /// zone (a readable table; --format json|ndjson|table|csv for data).
    #[command(
        name = "+agenda",
        after_help = "Example:\n  gapi calendar +agenda --days 7\n  gapi calendar +agenda --from 2026-03-10 --to 2026-03-12 --calendar team@example.com"
    )]
    Agenda(AgendaArgs),
    /// Create an event; local times are read in the calendar's zone, dates make an all-day
    /// event.
    #[command(
        name = "+insert",
        after_help = "Example:\n  gapi calendar +insert --summary \"Design review\" --start 2026-03-10T14:00 --end 2026-03-10T15:00 --attendee ann@example.com --meet"
    )]
    Insert(InsertArgs),
}

#[derive(Debug, Clone, Args)]
pub struct AgendaArgs {
    /// Today and the next days: N days from the start of today (1 = today).
    #[arg(long, value_name = "N", conflicts_with_all = ["from", "to"])]
    pub days: Option<u32>,
    /// The start (a date, a local time, or an RFC 3339 time).
    #[arg(long, value_name = "TIME", requires = "to")]
    pub from: Option<String>,
    /// The end (a date includes that whole day).
    #[arg(long, value_name = "TIME", requires = "from")]
    pub to: Option<String>,
    /// The calendar (default: your own).
    #[arg(long, value_name = "ID", default_value = "primary")]
    pub calendar: String,
    /// Output format (default: a readable list).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    #[command(flatten)]
    pub common: CommonFlags,
    #[command(flatten)]
    pub out: OutputFlags,
}

#[derive(Debug, Clone, Args)]
pub struct InsertArgs {
    /// The title.
    #[arg(long, value_name = "TEXT")]
    pub summary: String,
    /// The start: 2026-03-10 (all day), 2026-03-10T14:00 (calendar's zone) or RFC 3339.
    #[arg(long, value_name = "TIME")]
    pub start: String,
    /// The end (default: one hour after a timed start; the same day for a date).
    #[arg(long, value_name = "TIME")]
    pub end: Option<String>,
    /// An attendee's address (repeatable).
    #[arg(long, value_name = "ADDR")]
    pub attendee: Vec<String>,
    /// Add a Google Meet link.
    #[arg(long)]
    pub meet: bool,
    /// A description.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// A place.
    #[arg(long, value_name = "TEXT")]
    pub location: Option<String>,
    /// The calendar (default: your own).
    #[arg(long, value_name = "ID", default_value = "primary")]
    pub calendar: String,
    #[command(flatten)]
    pub common: CommonFlags,
    #[command(flatten)]
    pub out: OutputFlags,
}
