//! Calendar v3: the user's calendars (each with an IANA time zone), `calendarList`,
//! `calendars.get`, and events insert/get/list/patch/update/delete with time windows,
//! `orderBy=startTime`, recurring events expanded by `singleEvents=true`, Meet conferences (`conferenceDataVersion=1`) and sync tokens
//! (`nextSyncToken`; changes only, deleted events as `cancelled`; 410 `fullSyncRequired` for
//! an expired or unknown token). Scopes come from the Discovery document.

pub(crate) mod calendars;
pub(crate) mod events;
pub(crate) mod list;
pub(crate) mod model;
pub(crate) mod recurrence;
pub(crate) mod times;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::routing::{get, post};
use gapi_discovery::model::{JsonSchema, RestDescription};
use serde_json::Value;

use crate::framework::Ctx;
use crate::framework::api_error::ApiError;
use crate::framework::caller::Caller;
use crate::framework::method_scopes::require_method;
use crate::framework::service::Service;
use crate::framework::store::Store;

use model::{Calendar, CalendarData};

/// What Calendar's handlers reach.
pub(crate) struct CalendarSvc {
    pub data: Arc<Store<CalendarData>>,
}

/// Handle passed to Calendar's handlers.
pub(crate) type Shared = Arc<CalendarSvc>;

/// `calendar-json.googleapis.com`, Calendar's service name in ErrorInfo.
pub(crate) const SERVICE: &str = "calendar-json.googleapis.com";

/// The Calendar service.
pub(crate) fn service(core: &Ctx) -> Service {
    let state = Arc::new(CalendarSvc {
        data: core.persistent("calendar", CalendarData::seeded),
    });
    Service::new(
        "calendar",
        routes()
            .route_layer(axum::middleware::from_fn(
                crate::framework::fields::partial_response,
            ))
            .route_layer(axum::middleware::from_fn(crate::framework::body::buffered))
            .with_state(state),
    )
}

fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/calendar/v3/users/me/calendarList",
            get(calendars::list_entries),
        )
        .route(
            "/calendar/v3/users/me/calendarList/{calendar_id}",
            get(calendars::get_entry),
        )
        .route("/calendar/v3/calendars/{calendar_id}", get(calendars::get))
        .route(
            "/calendar/v3/calendars/{calendar_id}/events",
            get(list::list).post(events::insert),
        )
        .route(
            "/calendar/v3/calendars/{calendar_id}/events/{event_id}",
            get(events::get)
                .patch(events::patch)
                .put(events::update)
                .delete(events::delete),
        )
        .route("/__emulator/calendar/sync/expire", post(list::expire))
}

/// Google's 403 unless the token carries a scope the Discovery document lists for
/// `calendar.<method>`.
pub(crate) fn require(caller: &Caller, method: &str) -> Result<(), ApiError> {
    require_method(
        caller,
        "calendar",
        "v3",
        &format!("calendar.{method}"),
        SERVICE,
    )
}

/// Calendar's 404.
pub(crate) fn not_found() -> ApiError {
    ApiError::new(404, "NOT_FOUND", "notFound", "Not Found")
}

/// The calendar `id` names for `caller` (`primary` is theirs), created on first use for a
/// user's own primary calendar; another user's calendar is a 404 (no sharing).
pub(crate) fn calendar_mut<'a>(
    data: &'a mut CalendarData,
    caller: &Caller,
    id: &str,
) -> Result<&'a mut Calendar, ApiError> {
    let me = caller.email.to_ascii_lowercase();
    let id = if id == "primary" {
        me.clone()
    } else {
        id.to_ascii_lowercase()
    };
    if id == me && !data.calendars.contains_key(&me) {
        data.calendars.insert(me.clone(), Calendar::primary(&me));
    }
    match data.calendars.get_mut(&id) {
        Some(c) if c.owner == me => Ok(c),
        _ => Err(not_found()),
    }
}

fn event_schemas() -> &'static Option<(JsonSchema, HashMap<String, JsonSchema>)> {
    static SCHEMAS: OnceLock<Option<(JsonSchema, HashMap<String, JsonSchema>)>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        let text = gapi_discovery::bundle::document_json("calendar", "v3").ok()??;
        let doc = RestDescription::from_json(&text).ok()?;
        let all: HashMap<String, JsonSchema> = doc
            .schema_names()
            .into_iter()
            .filter_map(|n| doc.schema(&n).map(|s| (n, s)))
            .collect();
        let event = all.get("Event")?.clone();
        Some((event, all))
    })
}

/// Checks an event body against the Discovery `Event` schema (unknown members, wrong types:
/// 400 as Google's JSON reader).
pub(crate) fn check_event_body(body: &Value) -> Result<(), ApiError> {
    if !body.is_object() {
        return Err(ApiError::bad_request(
            "Invalid JSON payload received. The request body must be a JSON object.",
        ));
    }
    if let Some((event, all)) = event_schemas() {
        crate::services::generic::schema::check(body, event, all).map_err(ApiError::bad_request)?;
    }
    Ok(())
}
