//! The agenda: the events of a window, expanded (recurring events as their instances), in
//! start order, with their times in the calendar's own zone and all-day events as dates.

use futures_util::TryStreamExt;
use gapi_client::Service;
use jiff::civil::Date;
use jiff::{Timestamp, Zoned};
use serde_json::Value;

use super::window::{Bounds, Window, bounds, time_zone};
use crate::error::{Error, Result};

/// When an event starts or ends.
#[derive(Debug, Clone, PartialEq)]
pub enum EventTime {
    /// An all-day event's date (an end date is exclusive, as Calendar stores it).
    Date(Date),
    /// A timed event's moment, in the calendar's zone.
    DateTime(Zoned),
}

/// One event of an agenda.
#[derive(Debug, Clone, PartialEq)]
pub struct AgendaEvent {
    /// The event (or instance) id.
    pub id: String,
    /// The title (`(no title)` when empty).
    pub summary: String,
    /// The start.
    pub start: EventTime,
    /// The end.
    pub end: EventTime,
    /// Whether it lasts whole days.
    pub all_day: bool,
    /// Where.
    pub location: Option<String>,
    /// `confirmed`, `tentative`, `cancelled`.
    pub status: Option<String>,
    /// The Meet link, if any.
    pub meet_link: Option<String>,
    /// The attendees' addresses.
    pub attendees: Vec<String>,
    /// The event as the API answered it.
    pub raw: Value,
}

impl AgendaEvent {
    /// A readable time span: `2026-03-10 09:00-10:00`, `2026-03-10 23:00 - 2026-03-11 01:00`,
    /// `2026-03-10 (all day)`, `2026-03-10 - 2026-03-12 (all day)`.
    pub fn when(&self) -> String {
        match (&self.start, &self.end) {
            (EventTime::Date(s), EventTime::Date(e)) => {
                let last = e.yesterday().unwrap_or(*e);
                if last <= *s {
                    format!("{s} (all day)")
                } else {
                    format!("{s} - {last} (all day)")
                }
            }
            (EventTime::DateTime(s), EventTime::DateTime(e)) if s.date() == e.date() => {
                format!(
                    "{} {}-{}",
                    s.date(),
                    s.strftime("%H:%M"),
                    e.strftime("%H:%M")
                )
            }
            (s, e) => format!("{} - {}", show(s), show(e)),
        }
    }
}

fn show(t: &EventTime) -> String {
    match t {
        EventTime::Date(d) => d.to_string(),
        EventTime::DateTime(z) => z.strftime("%Y-%m-%d %H:%M").to_string(),
    }
}

/// The events of a window on one calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Agenda {
    /// The calendar.
    pub calendar_id: String,
    /// The window, in the calendar's zone.
    pub bounds: Bounds,
    /// The events, by start time.
    pub events: Vec<AgendaEvent>,
}

impl Agenda {
    /// One line per event: when, summary, location; a line saying so when there is none.
    pub fn to_text(&self) -> String {
        if self.events.is_empty() {
            return format!(
                "No events from {} to {} ({}).\n",
                self.bounds.time_min(),
                self.bounds.time_max(),
                self.bounds.time_zone
            );
        }
        let width = self
            .events
            .iter()
            .map(|e| e.when().chars().count())
            .max()
            .unwrap_or(0);
        let mut out = String::new();
        for e in &self.events {
            let when = e.when();
            let pad = width - when.chars().count();
            out.push_str(&format!("{when}{}  {}", " ".repeat(pad), e.summary));
            if let Some(l) = &e.location {
                out.push_str(&format!("  @ {l}"));
            }
            out.push('\n');
        }
        out
    }
}

/// The calendar's own time zone (`calendars.get`).
pub async fn calendar_time_zone(service: &Service, calendar_id: &str) -> Result<String> {
    let cal = service
        .method("calendars.get")?
        .param("calendarId", calendar_id)
        .fields("timeZone")
        .execute()
        .await?;
    cal.get("timeZone")
        .and_then(Value::as_str)
        .filter(|z| !z.is_empty())
        .map(str::to_string)
        .ok_or_else(|| Error::response("calendar.calendars.get", "no timeZone"))
}

/// The agenda of `window` on `calendar_id` (`primary` for the user's own) from now.
pub async fn agenda(service: &Service, calendar_id: &str, window: &Window) -> Result<Agenda> {
    agenda_at(service, calendar_id, window, Timestamp::now()).await
}

/// [`agenda`] as of `now` (for a fixed "today").
pub async fn agenda_at(
    service: &Service,
    calendar_id: &str,
    window: &Window,
    now: Timestamp,
) -> Result<Agenda> {
    let zone = calendar_time_zone(service, calendar_id).await?;
    let b = bounds(window, &zone, now)?;
    let items: Vec<Value> = service
        .method("events.list")?
        .param("calendarId", calendar_id)
        .param("timeMin", b.time_min())
        .param("timeMax", b.time_max())
        .param("timeZone", zone.as_str())
        .param("singleEvents", true)
        .param("orderBy", "startTime")
        .param("maxResults", 2500)
        .items("items")
        .try_collect()
        .await?;
    let tz = time_zone(&zone)?;
    let mut events = Vec::with_capacity(items.len());
    for item in items {
        if item.get("status").and_then(Value::as_str) == Some("cancelled") {
            continue;
        }
        events.push(event_of(item, &tz)?);
    }
    Ok(Agenda {
        calendar_id: calendar_id.to_string(),
        bounds: b,
        events,
    })
}

/// Reads one `Event` resource, its times put in zone `tz`.
pub fn event_of(item: Value, tz: &jiff::tz::TimeZone) -> Result<AgendaEvent> {
    let time = |key: &str| -> Result<EventTime> {
        let t = &item[key];
        if let Some(d) = t.get("date").and_then(Value::as_str) {
            return d.parse::<Date>().map(EventTime::Date).map_err(|e| {
                Error::response("calendar.events.list", format!("bad {key}.date {d:?}: {e}"))
            });
        }
        let dt = t.get("dateTime").and_then(Value::as_str).ok_or_else(|| {
            Error::response("calendar.events.list", format!("event without {key} time"))
        })?;
        let ts: Timestamp = dt.parse().map_err(|e| {
            Error::response(
                "calendar.events.list",
                format!("bad {key}.dateTime {dt:?}: {e}"),
            )
        })?;
        Ok(EventTime::DateTime(ts.to_zoned(tz.clone())))
    };
    let start = time("start")?;
    let end = time("end")?;
    let s = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_string);
    Ok(AgendaEvent {
        id: s("id").unwrap_or_default(),
        summary: s("summary")
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "(no title)".into()),
        all_day: matches!(start, EventTime::Date(_)),
        start,
        end,
        location: s("location").filter(|l| !l.is_empty()),
        status: s("status"),
        meet_link: s("hangoutLink"),
        attendees: item
            .get("attendees")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.get("email").and_then(Value::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        raw: item,
    })
}
