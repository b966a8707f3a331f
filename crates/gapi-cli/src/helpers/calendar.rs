//! `gapi calendar +agenda | +insert`.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use gapi_workspace::calendar::{self, Agenda, EventTime, NewEvent, TimeInput, Window};
use serde_json::{Value, json};

use super::ctx::{Ctx, ws};
use super::{CommonFlags, OutputFlags};
use crate::cli::{Format, GlobalArgs};

const CALENDAR_GET: &str = "calendars.get";
const LIST: &str = "events.list";
const INSERT: &str = "events.insert";

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
    days: Option<u32>,
    /// The start (a date, a local time, or an RFC 3339 time).
    #[arg(long, value_name = "TIME", requires = "to")]
    from: Option<String>,
    /// The end (a date includes that whole day).
    #[arg(long, value_name = "TIME", requires = "from")]
    to: Option<String>,
    /// The calendar (default: your own).
    #[arg(long, value_name = "ID", default_value = "primary")]
    calendar: String,
    /// Output format (default: a readable list).
    #[arg(long, value_enum)]
    format: Option<Format>,
    #[command(flatten)]
    common: CommonFlags,
    #[command(flatten)]
    out: OutputFlags,
}

#[derive(Debug, Clone, Args)]
pub struct InsertArgs {
    /// The title.
    #[arg(long, value_name = "TEXT")]
    summary: String,
    /// The start: 2026-03-10 (all day), 2026-03-10T14:00 (calendar's zone) or RFC 3339.
    #[arg(long, value_name = "TIME")]
    start: String,
    /// The end (default: one hour after a timed start; the same day for a date).
    #[arg(long, value_name = "TIME")]
    end: Option<String>,
    /// An attendee's address (repeatable).
    #[arg(long, value_name = "ADDR")]
    attendee: Vec<String>,
    /// Add a Google Meet link.
    #[arg(long)]
    meet: bool,
    /// A description.
    #[arg(long, value_name = "TEXT")]
    description: Option<String>,
    /// A place.
    #[arg(long, value_name = "TEXT")]
    location: Option<String>,
    /// The calendar (default: your own).
    #[arg(long, value_name = "ID", default_value = "primary")]
    calendar: String,
    #[command(flatten)]
    common: CommonFlags,
    #[command(flatten)]
    out: OutputFlags,
}

pub async fn run(global: &GlobalArgs, helper: CalendarHelper) -> anyhow::Result<ExitCode> {
    match helper {
        CalendarHelper::Agenda(a) => agenda(global, a).await,
        CalendarHelper::Insert(a) => insert(global, a).await,
    }
}

fn time(text: &str) -> anyhow::Result<TimeInput> {
    TimeInput::parse(text).map_err(ws)
}

fn zone_call(ctx: &Ctx<'_>, calendar: &str) -> anyhow::Result<gapi_client::MethodCall> {
    Ok(ctx
        .offline()
        .method(CALENDAR_GET)?
        .param("calendarId", calendar)
        .fields("timeZone"))
}

async fn agenda(global: &GlobalArgs, a: AgendaArgs) -> anyhow::Result<ExitCode> {
    let ctx = Ctx::new(global, "calendar", &a.common, Some(&a.out), a.format)?;
    ctx.check_policy(&[CALENDAR_GET, LIST])?;
    let window = match (&a.days, &a.from, &a.to) {
        (Some(0), _, _) => return Err(crate::exit::usage("--days must be 1 or more")),
        (Some(n), _, _) => Window::Days(*n),
        (None, Some(f), Some(t)) => Window::Between {
            from: time(f)?,
            to: time(t)?,
        },
        _ => Window::Today,
    };
    if ctx.dry_run() {
        return ctx.print_dry_run(
            &[zone_call(&ctx, &a.calendar)?],
            Some(format!(
                "{LIST} of the window in the calendar's time zone (singleEvents, by start time)"
            )),
        );
    }
    let svc = ctx.service(&[CALENDAR_GET, LIST]).await?;
    let agenda = calendar::agenda(&svc, &a.calendar, &window)
        .await
        .map_err(ws)?;
    let text = crate::output::visible_lines(&agenda.to_text()).into_owned();
    ctx.output(&agenda_json(&agenda), Some(text), a.format.is_some())
}

fn time_json(t: &EventTime) -> Value {
    match t {
        EventTime::Date(d) => json!({"date": d.to_string()}),
        EventTime::DateTime(z) => json!({"dateTime": calendar::rfc3339(z)}),
    }
}

fn agenda_json(a: &Agenda) -> Value {
    json!({
        "calendarId": a.calendar_id,
        "timeZone": a.bounds.time_zone,
        "timeMin": a.bounds.time_min(),
        "timeMax": a.bounds.time_max(),
        "items": a.events.iter().map(|e| json!({
            "when": e.when(),
            "summary": e.summary,
            "location": e.location,
            "allDay": e.all_day,
            "start": time_json(&e.start),
            "end": time_json(&e.end),
            "meetLink": e.meet_link,
            "attendees": e.attendees,
            "id": e.id,
        })).collect::<Vec<_>>(),
    })
}

async fn insert(global: &GlobalArgs, a: InsertArgs) -> anyhow::Result<ExitCode> {
    let ctx = Ctx::new(global, "calendar", &a.common, Some(&a.out), None)?;
    ctx.check_policy(&[CALENDAR_GET, INSERT])?;
    let ev = NewEvent {
        summary: a.summary.clone(),
        start: time(&a.start)?,
        end: a.end.as_deref().map(time).transpose()?,
        attendees: a.attendee.clone(),
        description: a.description.clone(),
        location: a.location.clone(),
        meet: a.meet,
    };
    // Checked now (in UTC) so that a bad event is refused before anything is sent; the
    // request itself uses the calendar's zone.
    let body = calendar::event_body(&ev, "UTC").map_err(ws)?;
    if ctx.dry_run() {
        return ctx.print_dry_run(
            &[zone_call(&ctx, &a.calendar)?],
            Some(format!(
                "{INSERT} of this event, local times in the calendar's time zone: {body}"
            )),
        );
    }
    let svc = ctx.service(&[CALENDAR_GET, INSERT]).await?;
    let created = calendar::insert(&svc, &a.calendar, &ev).await.map_err(ws)?;
    ctx.output(&created, None, false)
}
