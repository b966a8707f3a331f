//! Event times as Calendar reads and writes them: `dateTime` with an offset (or a civil time
//! with `timeZone`), all-day `date`s at midnight in the calendar's zone, `timeMin`/`timeMax`
//! bounds, and answers written in the calendar's (or the request's) zone.

use base64::Engine;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::{Value, json};

use super::model::{Calendar, StoredEvent};
use crate::framework::api_error::ApiError;
use crate::framework::time::rfc3339;

/// The IANA zone `name`, or Calendar's 400.
pub(crate) fn zone(name: &str) -> Result<TimeZone, ApiError> {
    TimeZone::get(name).map_err(|_| {
        ApiError::new(
            400,
            "INVALID_ARGUMENT",
            "timeRangeEmpty",
            format!("Invalid time zone definition: {name}"),
        )
        .at("timeZone", "parameter")
    })
}

fn bad(reason: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(400, "INVALID_ARGUMENT", reason, message)
}

/// Milliseconds of a `start`/`end` object; `which` is `start` or `end` (for errors).
fn point_ms(v: &Value, which: &str, cal_zone: &str) -> Result<(i64, bool), ApiError> {
    let obj = v
        .as_object()
        .ok_or_else(|| bad("required", format!("Missing {which} time.")))?;
    if let Some(text) = obj.get("dateTime").and_then(Value::as_str) {
        if let Ok(ts) = text.parse::<Timestamp>() {
            return Ok((ts.as_millisecond(), false));
        }
        let Some(zone_name) = obj.get("timeZone").and_then(Value::as_str) else {
            return Err(bad(
                "invalid",
                format!("Missing time zone definition for {which} time."),
            ));
        };
        let tz = TimeZone::get(zone_name).map_err(|_| {
            bad(
                "invalid",
                format!("Invalid time zone definition for {which} time."),
            )
        })?;
        let civil = text
            .parse::<jiff::civil::DateTime>()
            .map_err(|_| bad("invalid", format!("Invalid {which} time.")))?;
        let zoned = civil
            .to_zoned(tz)
            .map_err(|_| bad("invalid", format!("Invalid {which} time.")))?;
        return Ok((zoned.timestamp().as_millisecond(), false));
    }
    if let Some(text) = obj.get("date").and_then(Value::as_str) {
        let date = text
            .parse::<jiff::civil::Date>()
            .map_err(|_| bad("invalid", format!("Invalid {which} time.")))?;
        let zoned = date
            .to_zoned(zone(cal_zone)?)
            .map_err(|_| bad("invalid", format!("Invalid {which} time.")))?;
        return Ok((zoned.timestamp().as_millisecond(), true));
    }
    Err(bad("required", format!("Missing {which} time.")))
}

/// The span of an event resource; Calendar's 400s for missing, malformed or empty spans.
pub(crate) fn span(resource: &Value, cal_zone: &str) -> Result<(i64, i64), ApiError> {
    let start = resource.get("start").unwrap_or(&Value::Null);
    let end = resource.get("end").unwrap_or(&Value::Null);
    if start.is_null() {
        return Err(bad("required", "Missing start time."));
    }
    if end.is_null() {
        return Err(bad("required", "Missing end time."));
    }
    let (s, s_day) = point_ms(start, "start", cal_zone)?;
    let (e, e_day) = point_ms(end, "end", cal_zone)?;
    if s_day != e_day {
        return Err(bad(
            "invalid",
            "Start and end times must either both be date or both be dateTime.",
        ));
    }
    if e < s || (e == s && s_day) {
        return Err(bad("timeRangeEmpty", "The specified time range is empty."));
    }
    Ok((s, e))
}

/// `ms` in `zone`, as Calendar writes `dateTime` (`2026-12-01T11:00:00+01:00`, `Z` in UTC).
pub(crate) fn datetime_in(ms: i64, zone: &TimeZone) -> String {
    let Ok(ts) = Timestamp::from_millisecond(ms) else {
        return rfc3339(0);
    };
    let zoned = ts.to_zoned(zone.clone());
    if zoned.offset().seconds() == 0 && zone.iana_name() == Some("UTC") {
        return zoned.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    }
    zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// A `timeMin`/`timeMax`/`updatedMin` bound (RFC 3339 with an offset, as Calendar requires).
pub(crate) fn bound(
    params: &crate::framework::body::Params,
    name: &str,
) -> Result<Option<i64>, ApiError> {
    match params.non_empty(name) {
        None => Ok(None),
        Some(text) => text
            .parse::<Timestamp>()
            .map(|t| Some(t.as_millisecond()))
            .map_err(|_| {
                ApiError::new(400, "INVALID_ARGUMENT", "badRequest", "Bad Request")
                    .at(name, "parameter")
                    .help(format!(
                        "{name} must be RFC 3339 with an offset (2026-03-01T00:00:00Z): got {text}"
                    ))
            }),
    }
}

/// Whether `id` is a valid client-chosen event id (base32hex: `a-v`, `0-9`, 5-1024 chars).
pub(crate) fn valid_id(id: &str) -> bool {
    (5..=1024).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'v').contains(&b))
}

/// A fresh event id (26 base32hex characters).
pub(crate) fn new_id() -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuv";
    let mut buf = [0u8; 26];
    getrandom::fill(&mut buf).expect("the operating system's random number generator failed");
    buf.iter()
        .map(|b| ALPHABET[usize::from(*b) % 32] as char)
        .collect()
}

/// Fills the server-side members of a new event resource and stores it under `id`.
pub(crate) fn store_new<'a>(
    cal: &'a mut Calendar,
    id: &str,
    mut resource: Value,
    now: u64,
    creator: &str,
) -> Result<&'a StoredEvent, ApiError> {
    let (start_ms, end_ms) = span(&resource, &cal.time_zone)?;
    let eid = base64::engine::general_purpose::STANDARD_NO_PAD.encode(format!("{id} {}", cal.id));
    let defaults = json!({
        "kind": "calendar#event",
        "id": id,
        "status": "confirmed",
        "htmlLink": format!("https://www.google.com/calendar/event?eid={eid}"),
        "created": rfc3339(now),
        "creator": {"email": creator, "self": true},
        "organizer": {"email": cal.id, "self": true},
        "iCalUID": format!("{id}@google.com"),
        "sequence": 0,
        "reminders": {"useDefault": true},
        "eventType": "default",
    });
    if let (Some(obj), Some(d)) = (resource.as_object_mut(), defaults.as_object()) {
        for (k, v) in d {
            if k == "id" || k == "kind" || k == "created" || !obj.contains_key(k) {
                obj.insert(k.clone(), v.clone());
            }
        }
    }
    cal.change_seq += 1;
    let event = StoredEvent {
        resource,
        start_ms,
        end_ms,
        created_ms: now,
        updated_ms: now,
        seq: cal.change_seq,
        cancelled: false,
    };
    cal.events.insert(id.to_owned(), event);
    Ok(&cal.events[id])
}

/// The event as answered, times in `zone`.
pub(crate) fn render(event: &StoredEvent, zone: &TimeZone) -> Value {
    let mut v = event.resource.clone();
    v["etag"] = json!(format!(
        "\"{}\"",
        event.updated_ms * 1000 + event.seq % 1000
    ));
    v["updated"] = json!(rfc3339(event.updated_ms));
    if event.cancelled {
        v["status"] = json!("cancelled");
    }
    for (key, ms) in [("start", event.start_ms), ("end", event.end_ms)] {
        if v[key].get("dateTime").is_some() {
            v[key]["dateTime"] = json!(datetime_in(ms, zone));
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_zones() {
        let (s, e) = span(
            &json!({"start": {"dateTime": "2026-12-01T10:00:00Z"}, "end": {"dateTime": "2026-12-01T11:00:00", "timeZone": "Europe/Berlin"}}),
            "UTC",
        )
        .unwrap();
        assert_eq!(e - s, 0, "11:00 Berlin is 10:00Z in winter");
        let berlin = zone("Europe/Berlin").unwrap();
        assert_eq!(datetime_in(s, &berlin), "2026-12-01T11:00:00+01:00");
        assert_eq!(
            datetime_in(s, &zone("UTC").unwrap()),
            "2026-12-01T10:00:00Z"
        );
        let (ds, _) = span(
            &json!({"start": {"date": "2026-07-01"}, "end": {"date": "2026-07-02"}}),
            "Europe/Berlin",
        )
        .unwrap();
        assert_eq!(datetime_in(ds, &berlin), "2026-07-01T00:00:00+02:00");
        assert!(
            span(
                &json!({"start": {"date": "2026-07-01"}, "end": {"date": "2026-07-01"}}),
                "UTC"
            )
            .is_err()
        );
        assert!(span(&json!({"start": {"dateTime": "2026-07-01T10:00:00"}, "end": {"dateTime": "2026-07-01T11:00:00Z"}}), "UTC").is_err());
        assert!(
            span(
                &json!({"start": {"dateTime": "2026-07-01T10:00:00Z"}}),
                "UTC"
            )
            .is_err()
        );
        assert!(valid_id("abcv0123") && !valid_id("abcw0123") && !valid_id("ab"));
        assert!(valid_id(&new_id()));
    }
}
