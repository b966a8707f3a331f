//! What each followable list method is: where its items are, which token starts the next
//! round, how a round starts from nothing, and which answer means "your token is too old".

use serde_json::Value;

use crate::error::Error;

/// A list method with a sync mechanism.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncKind {
    /// Drive `changes.list`: `pageToken` from `changes.getStartPageToken`, each round ending
    /// with `newStartPageToken`.
    DriveChanges,
    /// Calendar `events.list`: a full listing ending with `nextSyncToken`, then `syncToken`
    /// for the changes; 410 GONE means a full sync again.
    CalendarEvents,
    /// Gmail `users.history.list`: `startHistoryId` from `users.getProfile`, the answer's
    /// `historyId` for the next round; 404 means the id is too old (start again from the
    /// profile's).
    GmailHistory,
    /// People `people.connections.list`: a full listing with `requestSyncToken`, then
    /// `syncToken`; `EXPIRED_SYNC_TOKEN` means a full sync again.
    PeopleConnections,
}

impl SyncKind {
    /// The kind of a method id (`drive.changes.list`), if it can be followed.
    pub fn for_method(method_id: &str) -> Option<SyncKind> {
        Some(match method_id {
            "drive.changes.list" => SyncKind::DriveChanges,
            "calendar.events.list" => SyncKind::CalendarEvents,
            "gmail.users.history.list" => SyncKind::GmailHistory,
            "people.people.connections.list" => SyncKind::PeopleConnections,
            _ => return None,
        })
    }

    /// The method ids that can be followed.
    pub const METHODS: &'static [&'static str] = &[
        "drive.changes.list",
        "calendar.events.list",
        "gmail.users.history.list",
        "people.people.connections.list",
    ];

    /// The array member of a page holding the items.
    pub fn items_field(self) -> &'static str {
        match self {
            SyncKind::DriveChanges => "changes",
            SyncKind::CalendarEvents => "items",
            SyncKind::GmailHistory => "history",
            SyncKind::PeopleConnections => "connections",
        }
    }

    /// The parameters the follower sets itself (never part of what is followed).
    pub(crate) fn token_params(self) -> &'static [&'static str] {
        match self {
            SyncKind::DriveChanges => &["pageToken"],
            SyncKind::CalendarEvents => &["pageToken", "syncToken"],
            SyncKind::GmailHistory => &["pageToken", "startHistoryId"],
            SyncKind::PeopleConnections => &["pageToken", "syncToken", "requestSyncToken"],
        }
    }

    /// Parameters the API refuses next to a sync token.
    pub(crate) fn refused_params(self) -> &'static [&'static str] {
        match self {
            SyncKind::CalendarEvents => &[
                "timeMin",
                "timeMax",
                "q",
                "orderBy",
                "updatedMin",
                "iCalUID",
                "privateExtendedProperty",
                "sharedExtendedProperty",
            ],
            _ => &[],
        }
    }

    /// Whether `err` says the stored token can no longer be used (start again).
    pub(crate) fn is_expired(self, err: &Error) -> bool {
        let Some(api) = err.api() else {
            return false;
        };
        match self {
            SyncKind::CalendarEvents => api.code == 410,
            SyncKind::GmailHistory => api.code == 404,
            SyncKind::PeopleConnections => {
                api.reason.as_deref() == Some("EXPIRED_SYNC_TOKEN")
                    || api.details.as_array().is_some_and(|d| {
                        d.iter().any(|x| {
                            x.get("reason").and_then(Value::as_str) == Some("EXPIRED_SYNC_TOKEN")
                        })
                    })
            }
            SyncKind::DriveChanges => false,
        }
    }
}
