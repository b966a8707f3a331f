//! Calendar's saved state: calendars (each with its time zone) and their events, every event
//! numbered by the calendar's change counter so `syncToken` can answer "what changed since".

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::world::calendars::{PRIMARY_ZONES, primary_zone};

/// One calendar.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Calendar {
    /// The calendar id (a user's primary calendar: their email).
    pub id: String,
    /// Who owns it (lower-case email).
    pub owner: String,
    pub summary: String,
    /// IANA zone (`Europe/Berlin`).
    pub time_zone: String,
    pub events: BTreeMap<String, StoredEvent>,
    /// Raised by every change; each event remembers the value of its last change.
    pub change_seq: u64,
    /// Sync tokens minted before this epoch are expired (410).
    pub sync_epoch: u64,
}

impl Calendar {
    /// The primary calendar of `email`, empty, in its seeded zone (`crate::world::calendars`).
    pub(crate) fn primary(email: &str) -> Self {
        Calendar {
            id: email.to_ascii_lowercase(),
            owner: email.to_ascii_lowercase(),
            summary: email.to_ascii_lowercase(),
            time_zone: primary_zone(email).to_owned(),
            events: BTreeMap::new(),
            change_seq: 1,
            sync_epoch: 1,
        }
    }
}

/// An event: the resource as the client wrote it plus what the server keeps.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredEvent {
    /// The resource (client fields and server fields), times as given.
    pub resource: Value,
    pub start_ms: i64,
    pub end_ms: i64,
    pub created_ms: u64,
    pub updated_ms: u64,
    /// The calendar's `change_seq` at this event's last change.
    pub seq: u64,
    /// Deleted: kept, as Google keeps them, with `status: cancelled`.
    pub cancelled: bool,
}

/// Calendar's state: calendars by id.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct CalendarData {
    pub calendars: BTreeMap<String, Calendar>,
}

impl CalendarData {
    /// Calendar's seeded state: the seeded users' primary calendars.
    pub(crate) fn seeded() -> Self {
        let calendars = PRIMARY_ZONES
            .iter()
            .map(|(user, _)| ((*user).to_owned(), Calendar::primary(user)))
            .collect();
        CalendarData { calendars }
    }
}
