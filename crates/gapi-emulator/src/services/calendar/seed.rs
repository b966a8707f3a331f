//! The seeded calendars (part of the emulator's seeded world): every test user has a primary
//! calendar named by their email, in a time zone other than UTC, so time-window code that
//! forgets the calendar's zone is caught. They start without events (tests add their own).

use std::collections::BTreeMap;

use super::model::{Calendar, CalendarData};

/// (user, primary calendar's time zone)
pub(crate) const PRIMARY_ZONES: &[(&str, &str)] = &[
    ("alice@example.com", "Europe/Berlin"),
    ("bob@example.com", "America/New_York"),
    ("carol@example.com", "Asia/Tokyo"),
];

/// The seeded primary calendar of `email` (empty), for users without a seeded zone UTC.
pub(crate) fn primary(email: &str) -> Calendar {
    let zone = PRIMARY_ZONES
        .iter()
        .find(|(u, _)| u.eq_ignore_ascii_case(email))
        .map(|(_, z)| *z)
        .unwrap_or("UTC");
    Calendar {
        id: email.to_ascii_lowercase(),
        owner: email.to_ascii_lowercase(),
        summary: email.to_ascii_lowercase(),
        time_zone: zone.to_owned(),
        events: BTreeMap::new(),
        change_seq: 1,
        sync_epoch: 1,
    }
}

/// Calendar's seeded state.
pub(crate) fn seeded() -> CalendarData {
    let mut data = CalendarData::default();
    for (user, _) in PRIMARY_ZONES {
        data.calendars.insert((*user).to_owned(), primary(user));
    }
    data
}
