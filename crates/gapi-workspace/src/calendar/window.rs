//! Time windows ("today", "the next N days", from/to) computed in a calendar's own time zone,
//! as the RFC 3339 `timeMin`/`timeMax` of `events.list`. Days are calendar days of that zone,
//! so a window across a daylight-saving change is 23 or 25 hours long, as a person expects.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

use crate::error::{Error, Result};

/// A point in time as a person gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum TimeInput {
    /// An exact instant (`2026-03-10T09:00:00+01:00`, `...Z`).
    Instant(Timestamp),
    /// A wall-clock time in the calendar's zone (`2026-03-10T09:00`, `2026-03-10 09:00`).
    Civil(DateTime),
    /// A whole day (`2026-03-10`).
    Date(Date),
}

impl TimeInput {
    /// Parses `2026-03-10`, `2026-03-10T09:00[:00]` (also with a space) or an RFC 3339 time
    /// with an offset.
    pub fn parse(text: &str) -> Result<TimeInput> {
        let t = text.trim();
        if let Ok(ts) = t.parse::<Timestamp>() {
            return Ok(TimeInput::Instant(ts));
        }
        // (jiff reads the date part of a date-time as a date: look at the shape first.)
        if t.len() == 10
            && let Ok(d) = t.parse::<Date>()
        {
            return Ok(TimeInput::Date(d));
        }
        if let Ok(dt) = t.replacen(' ', "T", 1).parse::<DateTime>() {
            return Ok(TimeInput::Civil(dt));
        }
        Err(Error::invalid(format!(
            "{text:?} is not a time; give a date (2026-03-10), a local time (2026-03-10T09:00) or an RFC 3339 time (2026-03-10T09:00:00+01:00)"
        )))
    }

    /// The instant this input means in `tz` (a date means its first moment).
    pub fn start_in(&self, tz: &TimeZone) -> Result<Zoned> {
        let z = match self {
            TimeInput::Instant(ts) => ts.to_zoned(tz.clone()),
            TimeInput::Civil(dt) => dt.to_zoned(tz.clone()).map_err(zone_err)?,
            TimeInput::Date(d) => d
                .to_zoned(tz.clone())
                .map_err(zone_err)?
                .start_of_day()
                .map_err(zone_err)?,
        };
        Ok(z)
    }
}

impl std::str::FromStr for TimeInput {
    type Err = Error;
    fn from_str(s: &str) -> Result<TimeInput> {
        TimeInput::parse(s)
    }
}

/// Which stretch of time to list.
#[derive(Debug, Clone, PartialEq)]
pub enum Window {
    /// From the start of today to the start of tomorrow.
    Today,
    /// From the start of today through the end of the N-th day (`Days(1)` = today).
    Days(u32),
    /// From `from` to `to`; a date as `to` includes that whole day.
    Between {
        /// The start.
        from: TimeInput,
        /// The end.
        to: TimeInput,
    },
}

/// A window made concrete in a zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Bounds {
    /// The zone's IANA name (`Europe/Berlin`).
    pub time_zone: String,
    /// The start, in the zone.
    pub start: Zoned,
    /// The end (exclusive), in the zone.
    pub end: Zoned,
}

impl Bounds {
    /// `timeMin`: the start as RFC 3339 with the zone's offset (`2026-03-29T00:00:00+01:00`).
    pub fn time_min(&self) -> String {
        rfc3339(&self.start)
    }
    /// `timeMax`: the end as RFC 3339 with the zone's offset.
    pub fn time_max(&self) -> String {
        rfc3339(&self.end)
    }
}

/// A zoned time as RFC 3339 with its offset, seconds precision.
pub fn rfc3339(z: &Zoned) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Looks up an IANA zone (the bundled database, so every machine answers the same).
pub fn time_zone(name: &str) -> Result<TimeZone> {
    TimeZone::get(name).map_err(|e| Error::invalid(format!("unknown time zone {name:?}: {e}")))
}

fn zone_err(e: jiff::Error) -> Error {
    Error::invalid(format!("time out of range: {e}"))
}

/// The bounds of `window` in zone `tz_name` at the moment `now`.
pub fn bounds(window: &Window, tz_name: &str, now: Timestamp) -> Result<Bounds> {
    let tz = time_zone(tz_name)?;
    let today = now.to_zoned(tz.clone()).start_of_day().map_err(zone_err)?;
    let after_days = |n: i64| -> Result<Zoned> {
        // Calendar days: the date n days on, at its first moment (DST-proof).
        let date = today
            .date()
            .checked_add(jiff::Span::new().days(n))
            .map_err(zone_err)?;
        date.to_zoned(tz.clone())
            .map_err(zone_err)?
            .start_of_day()
            .map_err(zone_err)
    };
    let (start, end) = match window {
        Window::Today => (today.clone(), after_days(1)?),
        Window::Days(0) => return Err(Error::invalid("the number of days must be at least 1")),
        Window::Days(n) if *n > 3660 => {
            return Err(Error::invalid("at most 3660 days (ten years) at a time"));
        }
        Window::Days(n) => (today.clone(), after_days(i64::from(*n))?),
        Window::Between { from, to } => {
            let start = from.start_in(&tz)?;
            let end = match to {
                TimeInput::Date(d) => {
                    let next = d.checked_add(jiff::Span::new().days(1)).map_err(zone_err)?;
                    TimeInput::Date(next).start_in(&tz)?
                }
                other => other.start_in(&tz)?,
            };
            if end <= start {
                return Err(Error::invalid(format!(
                    "the end ({}) is not after the start ({})",
                    rfc3339(&end),
                    rfc3339(&start)
                )));
            }
            (start, end)
        }
    };
    Ok(Bounds {
        time_zone: tz_name.to_string(),
        start,
        end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn today_and_days_follow_the_zone_across_dst() {
        // 2026-03-28 23:30 UTC is already the 29th in Berlin, the day clocks go forward.
        let now = at("2026-03-28T23:30:00Z");
        let b = bounds(&Window::Today, "Europe/Berlin", now).unwrap();
        assert_eq!(b.time_min(), "2026-03-29T00:00:00+01:00");
        assert_eq!(b.time_max(), "2026-03-30T00:00:00+02:00");
        assert_eq!(
            b.end.timestamp().as_second() - b.start.timestamp().as_second(),
            23 * 3600
        );
        let b = bounds(&Window::Days(3), "America/New_York", now).unwrap();
        assert_eq!(b.time_min(), "2026-03-28T00:00:00-04:00");
        assert_eq!(b.time_max(), "2026-03-31T00:00:00-04:00");
        let b = bounds(&Window::Days(1), "Asia/Tokyo", now).unwrap();
        assert_eq!(b.time_min(), "2026-03-29T00:00:00+09:00");
        assert!(bounds(&Window::Days(0), "UTC", now).is_err());
        assert!(bounds(&Window::Today, "Mars/Olympus", now).is_err());
    }

    #[test]
    fn explicit_windows_take_dates_civil_times_and_instants() {
        let now = at("2026-01-01T00:00:00Z");
        let w = Window::Between {
            from: TimeInput::parse("2026-10-24").unwrap(),
            to: TimeInput::parse("2026-10-25").unwrap(),
        };
        let b = bounds(&w, "Europe/Berlin", now).unwrap();
        assert_eq!(b.time_min(), "2026-10-24T00:00:00+02:00");
        assert_eq!(
            b.time_max(),
            "2026-10-26T00:00:00+01:00",
            "a date as `to` includes the day"
        );
        let w = Window::Between {
            from: TimeInput::parse("2026-10-24 09:30").unwrap(),
            to: TimeInput::parse("2026-10-24T10:00:00Z").unwrap(),
        };
        let b = bounds(&w, "Europe/Berlin", now).unwrap();
        assert_eq!(b.time_min(), "2026-10-24T09:30:00+02:00");
        assert_eq!(b.time_max(), "2026-10-24T12:00:00+02:00");
        let backwards = Window::Between {
            from: TimeInput::parse("2026-10-25").unwrap(),
            to: TimeInput::parse("2026-10-24T10:00").unwrap(),
        };
        assert!(
            bounds(&backwards, "UTC", now)
                .unwrap_err()
                .to_string()
                .contains("not after")
        );
        assert!(TimeInput::parse("tomorrow").is_err());
    }
}
