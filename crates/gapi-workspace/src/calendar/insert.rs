//! Creating an event from what a person gives: a title, a start and an end (dates for an
//! all-day event, local times in the calendar's zone, or exact instants), attendees, and a
//! Google Meet link made by Calendar (`conferenceDataVersion=1` with a `createRequest`).

use gapi_client::Service;
use serde_json::{Value, json};

use super::agenda::calendar_time_zone;
use super::window::{TimeInput, rfc3339, time_zone};
use crate::error::{Error, Result};
use crate::mail::Mailbox;

/// An event to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// The title.
    pub summary: String,
    /// The start.
    pub start: TimeInput,
    /// The end; `None`: one hour after a timed start, the same day for a date. A date as the
    /// end is the last day of the event (included).
    pub end: Option<TimeInput>,
    /// Attendees' addresses.
    pub attendees: Vec<String>,
    /// A description.
    pub description: Option<String>,
    /// A place.
    pub location: Option<String>,
    /// Ask Calendar for a Google Meet link.
    pub meet: bool,
}

impl NewEvent {
    /// An event with a title and a start (the rest default).
    pub fn new(summary: impl Into<String>, start: TimeInput) -> NewEvent {
        NewEvent {
            summary: summary.into(),
            start,
            end: None,
            attendees: Vec::new(),
            description: None,
            location: None,
            meet: false,
        }
    }
}

/// The `Event` body for `ev` in the calendar zone `zone`, and whether it asks for a Meet
/// link (then `conferenceDataVersion=1` must go with it).
pub fn event_body(ev: &NewEvent, zone: &str) -> Result<Value> {
    if ev.summary.trim().is_empty() {
        return Err(Error::invalid("the event needs a title (summary)"));
    }
    let tz = time_zone(zone)?;
    let (start, end) = match (&ev.start, &ev.end) {
        (TimeInput::Date(s), None) => (
            json!({"date": s.to_string()}),
            json!({"date": next_day(*s)?}),
        ),
        (TimeInput::Date(s), Some(TimeInput::Date(e))) => {
            if e < s {
                return Err(Error::invalid(format!(
                    "the last day {e} is before the first day {s}"
                )));
            }
            (
                json!({"date": s.to_string()}),
                json!({"date": next_day(*e)?}),
            )
        }
        (TimeInput::Date(_), Some(_)) | (_, Some(TimeInput::Date(_))) => {
            return Err(Error::invalid(
                "give both start and end as dates (an all-day event) or both as times",
            ));
        }
        (s, e) => {
            let start = s.start_in(&tz)?;
            let end = match e {
                Some(e) => e.start_in(&tz)?,
                None => start
                    .checked_add(jiff::Span::new().hours(1))
                    .map_err(|e| Error::invalid(e.to_string()))?,
            };
            if end <= start {
                return Err(Error::invalid(format!(
                    "the end ({}) is not after the start ({})",
                    rfc3339(&end),
                    rfc3339(&start)
                )));
            }
            (
                json!({"dateTime": rfc3339(&start), "timeZone": zone}),
                json!({"dateTime": rfc3339(&end), "timeZone": zone}),
            )
        }
    };
    let mut body = json!({"summary": ev.summary, "start": start, "end": end});
    if let Some(d) = &ev.description {
        body["description"] = json!(d);
    }
    if let Some(l) = &ev.location {
        body["location"] = json!(l);
    }
    if !ev.attendees.is_empty() {
        let mut list = Vec::new();
        for a in &ev.attendees {
            list.push(json!({"email": Mailbox::parse(a)?.email}));
        }
        body["attendees"] = Value::Array(list);
    }
    if ev.meet {
        body["conferenceData"] = json!({"createRequest": {
            "requestId": crate::ids::uuid_v4(),
            "conferenceSolutionKey": {"type": "hangoutsMeet"},
        }});
    }
    Ok(body)
}

fn next_day(d: jiff::civil::Date) -> Result<String> {
    d.tomorrow()
        .map(|t| t.to_string())
        .map_err(|e| Error::invalid(e.to_string()))
}

/// Creates `ev` on `calendar_id` (local times in the calendar's own zone) and returns the
/// event as Calendar answers it (with `htmlLink`, and `hangoutLink` when `meet`).
pub async fn insert(service: &Service, calendar_id: &str, ev: &NewEvent) -> Result<Value> {
    let zone = calendar_time_zone(service, calendar_id).await?;
    let body = event_body(ev, &zone)?;
    let mut call = service
        .method("events.insert")?
        .param("calendarId", calendar_id)
        .body(body);
    if ev.meet {
        call = call.param("conferenceDataVersion", 1);
    }
    Ok(call.execute().await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_for_timed_all_day_and_meet_events() {
        let mut ev = NewEvent::new("Sync", TimeInput::parse("2026-03-29T01:30").unwrap());
        let b = event_body(&ev, "Europe/Berlin").unwrap();
        // 01:30 + 1 h crosses the spring-forward gap: 03:30 CEST.
        assert_eq!(b["start"]["dateTime"], "2026-03-29T01:30:00+01:00");
        assert_eq!(b["end"]["dateTime"], "2026-03-29T03:30:00+02:00");
        assert_eq!(b["start"]["timeZone"], "Europe/Berlin");
        assert!(b.get("conferenceData").is_none());
        ev.meet = true;
        ev.attendees = vec!["Bob <bob@example.com>".into()];
        let b = event_body(&ev, "Europe/Berlin").unwrap();
        assert_eq!(
            b["conferenceData"]["createRequest"]["conferenceSolutionKey"]["type"],
            "hangoutsMeet"
        );
        assert_eq!(b["attendees"], json!([{"email": "bob@example.com"}]));
        let mut day = NewEvent::new("Off", TimeInput::parse("2026-12-24").unwrap());
        assert_eq!(
            event_body(&day, "UTC").unwrap()["end"],
            json!({"date": "2026-12-25"})
        );
        day.end = Some(TimeInput::parse("2026-12-26").unwrap());
        assert_eq!(
            event_body(&day, "UTC").unwrap()["end"],
            json!({"date": "2026-12-27"})
        );
        day.end = Some(TimeInput::parse("2026-12-26T10:00").unwrap());
        assert!(event_body(&day, "UTC").is_err());
        let mut bad = NewEvent::new("x", TimeInput::parse("2026-01-01T10:00").unwrap());
        bad.end = Some(TimeInput::parse("2026-01-01T09:00").unwrap());
        assert!(event_body(&bad, "UTC").is_err());
        bad.end = None;
        bad.attendees = vec!["not an address".into()];
        assert!(event_body(&bad, "UTC").is_err());
        assert!(
            event_body(
                &NewEvent::new(" ", TimeInput::parse("2026-01-01").unwrap()),
                "UTC"
            )
            .is_err()
        );
    }
}
