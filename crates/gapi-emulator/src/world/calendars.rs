//! The seeded calendars: every test user has a primary calendar named by their email, in a
//! time zone other than UTC, so time-window code that forgets the calendar's zone is caught.
//! They start without events (tests add their own). The Calendar service creates them
//! (`services::calendar::model::Calendar::primary`).

/// (user, primary calendar's time zone)
pub(crate) const PRIMARY_ZONES: &[(&str, &str)] = &[
    ("alice@example.com", "Europe/Berlin"),
    ("bob@example.com", "America/New_York"),
    ("carol@example.com", "Asia/Tokyo"),
];

/// The time zone of `email`'s primary calendar: the seeded one, else UTC.
pub(crate) fn primary_zone(email: &str) -> &'static str {
    PRIMARY_ZONES
        .iter()
        .find(|(u, _)| u.eq_ignore_ascii_case(email))
        .map(|(_, z)| *z)
        .unwrap_or("UTC")
}
