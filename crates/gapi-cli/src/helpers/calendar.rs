//! `gapi calendar +agenda | +insert`.

use std::process::ExitCode;

use gapi_workspace::calendar::{self, Agenda, EventTime, NewEvent, TimeInput, Window};
use serde_json::{Value, json};

use super::ctx::{Ctx, ws};
use crate::cli::GlobalArgs;
use crate::cli::helpers::calendar::{AgendaArgs, CalendarHelper, InsertArgs};

const CALENDAR_GET: &str = "calendars.get";
const LIST: &str = "events.list";
const INSERT: &str = "events.insert";

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
