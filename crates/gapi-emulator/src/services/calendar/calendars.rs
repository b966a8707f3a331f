//! `calendarList.list`, `calendarList.get` and `calendars.get`: the caller's calendars with
//! their time zones.

use axum::extract::{Path, State};
use serde_json::{Value, json};

use super::model::Calendar;
use super::{Shared, calendar_mut, require};
use crate::framework::api_error::{ApiResult, json_ok};
use crate::framework::caller::Caller;

fn entry_json(c: &Calendar, primary: bool) -> Value {
    let mut v = json!({
        "kind": "calendar#calendarListEntry",
        "etag": format!("\"{}\"", c.change_seq),
        "id": c.id,
        "summary": c.summary,
        "timeZone": c.time_zone,
        "colorId": "14",
        "backgroundColor": "#9fe1e7",
        "foregroundColor": "#000000",
        "selected": true,
        "accessRole": "owner",
        "defaultReminders": [{"method": "popup", "minutes": 10}],
        "conferenceProperties": {"allowedConferenceSolutionTypes": ["hangoutsMeet"]},
    });
    if primary {
        v["primary"] = json!(true);
        v["notificationSettings"] = json!({"notifications": [
            {"type": "eventCreation", "method": "email"},
            {"type": "eventChange", "method": "email"},
            {"type": "eventCancellation", "method": "email"},
            {"type": "eventResponse", "method": "email"},
        ]});
    }
    v
}

/// `GET /calendar/v3/users/me/calendarList`.
pub(crate) async fn list_entries(State(state): State<Shared>, caller: Caller) -> ApiResult {
    require(&caller, "calendarList.list")?;
    let mut data = state.data.write();
    calendar_mut(&mut data, &caller, "primary")?;
    let me = caller.email.to_ascii_lowercase();
    let items: Vec<Value> = data
        .calendars
        .values()
        .filter(|c| c.owner == me)
        .map(|c| entry_json(c, c.id == me))
        .collect();
    Ok(json_ok(&json!({
        "kind": "calendar#calendarList",
        "etag": "\"p32g9nb5m6vv8g0g\"",
        "nextSyncToken": "CAAQ-gapi-emulator",
        "items": items,
    })))
}

/// `GET /calendar/v3/users/me/calendarList/{calendarId}`.
pub(crate) async fn get_entry(
    State(state): State<Shared>,
    Path(id): Path<String>,
    caller: Caller,
) -> ApiResult {
    require(&caller, "calendarList.get")?;
    let mut data = state.data.write();
    let cal = calendar_mut(&mut data, &caller, &id)?;
    let primary = cal.id == caller.email.to_ascii_lowercase();
    Ok(json_ok(&entry_json(cal, primary)))
}

/// `GET /calendar/v3/calendars/{calendarId}`.
pub(crate) async fn get(
    State(state): State<Shared>,
    Path(id): Path<String>,
    caller: Caller,
) -> ApiResult {
    require(&caller, "calendars.get")?;
    let mut data = state.data.write();
    let cal = calendar_mut(&mut data, &caller, &id)?;
    Ok(json_ok(&json!({
        "kind": "calendar#calendar",
        "etag": format!("\"{}\"", cal.change_seq),
        "id": cal.id,
        "summary": cal.summary,
        "timeZone": cal.time_zone,
        "conferenceProperties": {"allowedConferenceSolutionTypes": ["hangoutsMeet"]},
    })))
}
