//! Recurring events as `singleEvents=true` shows them: each `RRULE` (`FREQ` DAILY, WEEKLY,
//! MONTHLY, YEARLY with `INTERVAL`, `COUNT`, `UNTIL`, and `BYDAY` for weekly rules) expanded
//! into instances in the event's own time zone (so 09:00 stays 09:00 across a DST change),
//! with Google's instance ids (`<id>_20260302T080000Z`, `<id>_20260302` all day),
//! `recurringEventId` and `originalStartTime`.

use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, Zoned};
use serde_json::{Value, json};

use super::model::StoredEvent;
use super::times::datetime_in;

/// Most instances one event expands to.
const MAX_INSTANCES: usize = 1000;

/// One occurrence.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Instance {
    pub start_ms: i64,
    pub end_ms: i64,
}

#[derive(Debug, Default)]
struct Rule {
    freq: String,
    interval: i64,
    count: Option<usize>,
    until_ms: Option<i64>,
    by_day: Vec<Weekday>,
}

fn weekday(code: &str) -> Option<Weekday> {
    Some(
        match code.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '+') {
            "MO" => Weekday::Monday,
            "TU" => Weekday::Tuesday,
            "WE" => Weekday::Wednesday,
            "TH" => Weekday::Thursday,
            "FR" => Weekday::Friday,
            "SA" => Weekday::Saturday,
            "SU" => Weekday::Sunday,
            _ => return None,
        },
    )
}

fn parse_until(text: &str, zone: &TimeZone) -> Option<i64> {
    if let Some(utc) = text.strip_suffix('Z') {
        let dt = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%S", utc).ok()?;
        return Some(
            dt.to_zoned(TimeZone::UTC)
                .ok()?
                .timestamp()
                .as_millisecond(),
        );
    }
    if text.len() == 8 {
        let d = jiff::civil::Date::strptime("%Y%m%d", text).ok()?;
        // The whole day counts.
        let end = d.tomorrow().ok()?.to_zoned(zone.clone()).ok()?;
        return Some(end.timestamp().as_millisecond() - 1);
    }
    let dt = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%S", text).ok()?;
    Some(dt.to_zoned(zone.clone()).ok()?.timestamp().as_millisecond())
}

fn parse_rule(event: &Value, zone: &TimeZone) -> Option<Rule> {
    let lines = event.get("recurrence")?.as_array()?;
    let text = lines
        .iter()
        .filter_map(Value::as_str)
        .find_map(|l| l.strip_prefix("RRULE:"))?;
    let mut rule = Rule {
        interval: 1,
        ..Default::default()
    };
    for part in text.split(';') {
        let (k, v) = part.split_once('=')?;
        match k {
            "FREQ" => rule.freq = v.to_owned(),
            "INTERVAL" => rule.interval = v.parse().ok().filter(|n| *n > 0)?,
            "COUNT" => rule.count = Some(v.parse().ok()?),
            "UNTIL" => rule.until_ms = Some(parse_until(v, zone)?),
            "BYDAY" => rule.by_day = v.split(',').map(weekday).collect::<Option<_>>()?,
            _ => {}
        }
    }
    matches!(
        rule.freq.as_str(),
        "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY"
    )
    .then_some(rule)
}

/// The zone an event's times repeat in: its start's `timeZone`, else the calendar's.
fn event_zone(event: &StoredEvent, cal_zone: &str) -> TimeZone {
    event.resource["start"]["timeZone"]
        .as_str()
        .and_then(|z| TimeZone::get(z).ok())
        .or_else(|| TimeZone::get(cal_zone).ok())
        .unwrap_or(TimeZone::UTC)
}

/// The instances of a recurring event that start before `until_ms`; `None` when the event
/// does not recur (or its rule is not one the emulator expands).
pub(crate) fn expand(event: &StoredEvent, cal_zone: &str, until_ms: i64) -> Option<Vec<Instance>> {
    let zone = event_zone(event, cal_zone);
    let rule = parse_rule(&event.resource, &zone)?;
    let first = Timestamp::from_millisecond(event.start_ms)
        .ok()?
        .to_zoned(zone.clone());
    let duration = event.end_ms - event.start_ms;
    let limit = rule.count.unwrap_or(MAX_INSTANCES).min(MAX_INSTANCES);
    let stop = rule.until_ms.unwrap_or(i64::MAX).min(until_ms);
    let mut out = Vec::new();
    let push = |z: &Zoned, out: &mut Vec<Instance>| -> bool {
        let ms = z.timestamp().as_millisecond();
        if ms > stop || out.len() >= limit {
            return false;
        }
        if ms >= event.start_ms {
            out.push(Instance {
                start_ms: ms,
                end_ms: ms + duration,
            });
        }
        true
    };
    let step = |n: i64| -> Option<Span> {
        let k = n * rule.interval;
        Some(match rule.freq.as_str() {
            "DAILY" => Span::new().try_days(k).ok()?,
            "WEEKLY" => Span::new().try_weeks(k).ok()?,
            "MONTHLY" => Span::new().try_months(k).ok()?,
            _ => Span::new().try_years(k).ok()?,
        })
    };
    for n in 0..(MAX_INSTANCES as i64 * 7) {
        let base = first.checked_add(step(n)?).ok()?;
        if rule.freq == "WEEKLY" && !rule.by_day.is_empty() {
            // The days of this week (weeks start on Monday), at the first instance's time.
            let monday = base
                .checked_sub(Span::new().days(i64::from(base.weekday().to_monday_zero_offset())))
                .ok()?;
            let mut days: Vec<i8> = rule
                .by_day
                .iter()
                .map(|d| d.to_monday_zero_offset())
                .collect();
            days.sort_unstable();
            days.dedup();
            for d in days {
                let z = monday.checked_add(Span::new().days(i64::from(d))).ok()?;
                if !push(&z, &mut out) {
                    return Some(out);
                }
            }
        } else if matches!(rule.freq.as_str(), "MONTHLY" | "YEARLY")
            && (base.day() != first.day() || base.month() != first.month() && rule.freq == "YEARLY")
        {
            // RFC 5545: a date the month does not have (the 31st, Feb 29) is skipped.
            continue;
        } else if !push(&base, &mut out) {
            return Some(out);
        }
    }
    Some(out)
}

/// An instance as `events.list` answers it: the event's resource with this occurrence's
/// times, its own id, `recurringEventId` and `originalStartTime`.
pub(crate) fn instance_json(
    rendered: &Value,
    event: &StoredEvent,
    inst: &Instance,
    cal_zone: &str,
    answer_zone: &TimeZone,
) -> Value {
    let mut v = rendered.clone();
    let id = v["id"].as_str().unwrap_or("").to_owned();
    let all_day = v["start"].get("date").is_some();
    let zone = event_zone(event, cal_zone);
    let (start, end, suffix) = if all_day {
        let day = |ms: i64| {
            Timestamp::from_millisecond(ms)
                .map(|t| t.to_zoned(zone.clone()).date())
                .unwrap_or_default()
        };
        let (s, e) = (day(inst.start_ms), day(inst.end_ms));
        (
            json!({"date": s.to_string()}),
            json!({"date": e.to_string()}),
            s.strftime("%Y%m%d").to_string(),
        )
    } else {
        let mut s = json!({"dateTime": datetime_in(inst.start_ms, answer_zone)});
        let mut e = json!({"dateTime": datetime_in(inst.end_ms, answer_zone)});
        if let Some(tz) = v["start"].get("timeZone") {
            s["timeZone"] = tz.clone();
        }
        if let Some(tz) = v["end"].get("timeZone") {
            e["timeZone"] = tz.clone();
        }
        let utc = Timestamp::from_millisecond(inst.start_ms)
            .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
            .unwrap_or_default();
        (s, e, utc)
    };
    if let Some(obj) = v.as_object_mut() {
        obj.remove("recurrence");
        obj.insert("id".into(), json!(format!("{id}_{suffix}")));
        obj.insert("recurringEventId".into(), json!(id));
        obj.insert("originalStartTime".into(), start.clone());
        obj.insert("start".into(), start);
        obj.insert("end".into(), end);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(resource: Value, start_ms: i64, end_ms: i64) -> StoredEvent {
        StoredEvent {
            resource,
            start_ms,
            end_ms,
            created_ms: 0,
            updated_ms: 0,
            seq: 1,
            cancelled: false,
        }
    }

    fn ms(text: &str) -> i64 {
        text.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn weekly_byday_keeps_local_time_across_dst() {
        // Mondays and Wednesdays 09:00 Berlin from 2026-03-23 (CET) over the DST change on 03-29.
        let e = event(
            json!({"id": "abcde", "start": {"dateTime": "2026-03-23T09:00:00+01:00"}, "end": {"dateTime": "2026-03-23T09:30:00+01:00"}, "recurrence": ["RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4"]}),
            ms("2026-03-23T08:00:00Z"),
            ms("2026-03-23T08:30:00Z"),
        );
        let got = expand(&e, "Europe/Berlin", i64::MAX).unwrap();
        let starts: Vec<i64> = got.iter().map(|i| i.start_ms).collect();
        assert_eq!(
            starts,
            vec![
                ms("2026-03-23T08:00:00Z"),
                ms("2026-03-25T08:00:00Z"),
                ms("2026-03-30T07:00:00Z"),
                ms("2026-04-01T07:00:00Z"),
            ]
        );
        let zone = TimeZone::get("Europe/Berlin").unwrap();
        let v = instance_json(&e.resource, &e, &got[2], "Europe/Berlin", &zone);
        assert_eq!(v["id"], "abcde_20260330T070000Z");
        assert_eq!(v["recurringEventId"], "abcde");
        assert_eq!(v["start"]["dateTime"], "2026-03-30T09:00:00+02:00");
        assert!(v.get("recurrence").is_none());
    }

    #[test]
    fn daily_until_and_all_day_monthly() {
        let e = event(
            json!({"id": "x1234", "start": {"dateTime": "2026-01-01T10:00:00Z"}, "end": {"dateTime": "2026-01-01T11:00:00Z"}, "recurrence": ["RRULE:FREQ=DAILY;INTERVAL=2;UNTIL=20260107T235959Z"]}),
            ms("2026-01-01T10:00:00Z"),
            ms("2026-01-01T11:00:00Z"),
        );
        assert_eq!(expand(&e, "UTC", i64::MAX).unwrap().len(), 4);
        assert_eq!(
            expand(&e, "UTC", ms("2026-01-03T10:00:00Z")).unwrap().len(),
            2
        );
        let d = event(
            json!({"id": "y1234", "start": {"date": "2026-01-31"}, "end": {"date": "2026-02-01"}, "recurrence": ["RRULE:FREQ=MONTHLY;COUNT=3"]}),
            ms("2026-01-30T23:00:00Z"),
            ms("2026-01-31T23:00:00Z"),
        );
        let got = expand(&d, "Europe/Berlin", i64::MAX).unwrap();
        assert_eq!(got.len(), 3);
        let zone = TimeZone::get("Europe/Berlin").unwrap();
        let v = instance_json(&d.resource, &d, &got[1], "Europe/Berlin", &zone);
        assert_eq!(
            v["start"]["date"], "2026-03-31",
            "months without a 31st are skipped"
        );
        assert_eq!(v["end"]["date"], "2026-04-01");
        assert_eq!(v["id"], "y1234_20260331");
        assert!(expand(&event(json!({"id": "z"}), 0, 1), "UTC", i64::MAX).is_none());
    }
}
