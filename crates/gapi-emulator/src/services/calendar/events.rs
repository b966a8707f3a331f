//! `events.insert/get/patch/update/delete`. Deleted events stay as `cancelled` (as Google
//! keeps them): their id cannot be reused, a second delete is 410 and sync lists them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Map, Value, json};

use super::model::Calendar;
use super::times::{self, zone};
use super::{Shared, calendar_mut, check_event_body, not_found, require};
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::{Params, SMALL_BODY_LIMIT, read_limited};
use crate::framework::caller::Caller;
use crate::framework::random;
use crate::framework::time::now_ms;

async fn read_body(body: axum::body::Body) -> Result<Value, ApiError> {
    let bytes = read_limited(body, SMALL_BODY_LIMIT).await?;
    let v: Value = serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("Invalid JSON payload received. {e}.")))?;
    check_event_body(&v)?;
    Ok(v)
}

/// `conferenceDataVersion` (0 or 1).
fn conference_version(params: &Params) -> Result<u8, ApiError> {
    match params.get("conferenceDataVersion") {
        None => Ok(0),
        Some("0") => Ok(0),
        Some("1") => Ok(1),
        Some(other) => Err(ApiError::invalid_param(
            "conferenceDataVersion",
            format!("Invalid conferenceDataVersion: {other} (0 or 1)."),
        )),
    }
}

fn meet_code() -> String {
    let letters: Vec<char> = random::token(16)
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .chain("abcdefghij".chars())
        .take(10)
        .collect();
    let s: String = letters.into_iter().collect();
    format!("{}-{}-{}", &s[..3], &s[3..7], &s[7..10])
}

/// Applies `conferenceData` as Calendar does: ignored at version 0; at version 1 a
/// `createRequest` for `hangoutsMeet` becomes a Meet conference (`entryPoints`, `hangoutLink`).
fn apply_conference(
    resource: &mut Value,
    version: u8,
    previous: Option<&Value>,
) -> Result<(), ApiError> {
    let Some(obj) = resource.as_object_mut() else {
        return Ok(());
    };
    if version == 0 {
        match previous.and_then(|p| p.get("conferenceData")) {
            Some(old) => {
                obj.insert("conferenceData".into(), old.clone());
            }
            None => {
                obj.remove("conferenceData");
            }
        }
        return Ok(());
    }
    let Some(request) = obj
        .get("conferenceData")
        .and_then(|c| c.get("createRequest"))
        .cloned()
    else {
        return Ok(());
    };
    if obj["conferenceData"].get("entryPoints").is_some() {
        return Ok(());
    }
    let kind = request
        .pointer("/conferenceSolutionKey/type")
        .and_then(Value::as_str)
        .unwrap_or("");
    if kind != "hangoutsMeet" {
        return Err(ApiError::bad_request(format!(
            "Invalid conference type value: {kind}"
        )));
    }
    if request
        .get("requestId")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(ApiError::bad_request(
            "Invalid conference create request: requestId is required.",
        ));
    }
    let code = meet_code();
    let link = format!("https://meet.google.com/{code}");
    let mut create = request.clone();
    create["status"] = json!({"statusCode": "success"});
    obj.insert(
        "conferenceData".into(),
        json!({
            "createRequest": create,
            "entryPoints": [{"entryPointType": "video", "uri": link, "label": format!("meet.google.com/{code}")}],
            "conferenceSolution": {
                "key": {"type": "hangoutsMeet"},
                "name": "Google Meet",
                "iconUri": "https://fonts.gstatic.com/s/i/productlogo/meet_2020q4/v6/web-512dp/logo_meet_2020q4_color_2x_web_512dp.png",
            },
            "conferenceId": code,
        }),
    );
    obj.insert("hangoutLink".into(), json!(link));
    Ok(())
}

/// The zone answers are written in: `timeZone` of the request, else the calendar's.
pub(crate) fn answer_zone(params: &Params, cal: &Calendar) -> Result<jiff::tz::TimeZone, ApiError> {
    zone(params.non_empty("timeZone").unwrap_or(&cal.time_zone))
}

/// `POST .../events`.
pub(crate) async fn insert(
    State(state): State<Shared>,
    Path(calendar_id): Path<String>,
    caller: Caller,
    params: Params,
    body: axum::body::Body,
) -> ApiResult {
    require(&caller, "events.insert")?;
    let version = conference_version(&params)?;
    let mut resource = read_body(body).await?;
    let mut data = state.data.write();
    let cal = calendar_mut(&mut data, &caller, &calendar_id)?;
    let id = match resource.get("id").and_then(Value::as_str) {
        Some(id) if !times::valid_id(id) => {
            return Err(ApiError::bad_request("Invalid resource id value.").at("id", "parameter"));
        }
        Some(id) if cal.events.contains_key(id) => {
            return Err(ApiError::new(
                409,
                "ALREADY_EXISTS",
                "duplicate",
                "The requested identifier already exists.",
            ));
        }
        Some(id) => id.to_owned(),
        None => times::new_id(),
    };
    apply_conference(&mut resource, version, None)?;
    let zone = answer_zone(&params, cal)?;
    let event = times::store_new(
        cal,
        &id,
        resource,
        now_ms(),
        &caller.email.to_ascii_lowercase(),
    )?;
    Ok(json_ok(&times::render(event, &zone)))
}

/// `GET .../events/{eventId}`.
pub(crate) async fn get(
    State(state): State<Shared>,
    Path((calendar_id, event_id)): Path<(String, String)>,
    caller: Caller,
    params: Params,
) -> ApiResult {
    require(&caller, "events.get")?;
    let mut data = state.data.write();
    let cal = calendar_mut(&mut data, &caller, &calendar_id)?;
    let zone = answer_zone(&params, cal)?;
    match cal.events.get(&event_id) {
        Some(e) if !e.cancelled => Ok(json_ok(&times::render(e, &zone))),
        _ => Err(not_found()),
    }
}

/// Protected members a client cannot change.
const KEPT: &[&str] = &[
    "kind",
    "id",
    "created",
    "creator",
    "organizer",
    "iCalUID",
    "htmlLink",
    "eventType",
];

fn merge(target: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (k, v) in patch {
        if KEPT.contains(&k.as_str()) {
            continue;
        }
        match (target.get_mut(k), v) {
            (_, Value::Null) => {
                target.remove(k);
            }
            (Some(Value::Object(t)), Value::Object(p)) => merge(t, p),
            _ => {
                target.insert(k.clone(), v.clone());
            }
        }
    }
}

async fn change(
    state: Shared,
    calendar_id: String,
    event_id: String,
    caller: Caller,
    params: Params,
    body: axum::body::Body,
    replace: bool,
) -> ApiResult {
    let version = conference_version(&params)?;
    let body = read_body(body).await?;
    let mut data = state.data.write();
    let cal = calendar_mut(&mut data, &caller, &calendar_id)?;
    let zone = answer_zone(&params, cal)?;
    let tz_name = cal.time_zone.clone();
    let Some(existing) = cal.events.get(&event_id).filter(|e| !e.cancelled).cloned() else {
        return Err(not_found());
    };
    let mut resource = existing.resource.clone();
    let (Some(target), Some(patch)) = (resource.as_object_mut(), body.as_object()) else {
        return Err(ApiError::bad_request(
            "The request body must be a JSON object.",
        ));
    };
    if replace {
        target.retain(|k, _| KEPT.contains(&k.as_str()) || k == "status");
    }
    merge(target, patch);
    apply_conference(&mut resource, version, Some(&existing.resource))?;
    let (start_ms, end_ms) = times::span(&resource, &tz_name)?;
    cal.change_seq += 1;
    let seq = cal.change_seq;
    let Some(event) = cal.events.get_mut(&event_id) else {
        return Err(not_found());
    };
    event.resource = resource;
    event.start_ms = start_ms;
    event.end_ms = end_ms;
    event.updated_ms = now_ms().max(event.updated_ms + 1);
    event.seq = seq;
    Ok(json_ok(&times::render(event, &zone)))
}

/// `PATCH .../events/{eventId}`: JSON merge (`null` removes).
pub(crate) async fn patch(
    State(state): State<Shared>,
    Path((calendar_id, event_id)): Path<(String, String)>,
    caller: Caller,
    params: Params,
    body: axum::body::Body,
) -> ApiResult {
    require(&caller, "events.patch")?;
    change(state, calendar_id, event_id, caller, params, body, false).await
}

/// `PUT .../events/{eventId}`: the body replaces the event (server members kept).
pub(crate) async fn update(
    State(state): State<Shared>,
    Path((calendar_id, event_id)): Path<(String, String)>,
    caller: Caller,
    params: Params,
    body: axum::body::Body,
) -> ApiResult {
    require(&caller, "events.update")?;
    change(state, calendar_id, event_id, caller, params, body, true).await
}

/// `DELETE .../events/{eventId}`: 204; the event stays as `cancelled` (a second delete is
/// Google's 410 `deleted`).
pub(crate) async fn delete(
    State(state): State<Shared>,
    Path((calendar_id, event_id)): Path<(String, String)>,
    caller: Caller,
) -> ApiResult {
    require(&caller, "events.delete")?;
    let mut data = state.data.write();
    let cal = calendar_mut(&mut data, &caller, &calendar_id)?;
    cal.change_seq += 1;
    let seq = cal.change_seq;
    let Some(event) = cal.events.get_mut(&event_id) else {
        return Err(not_found());
    };
    if event.cancelled {
        return Err(ApiError::new(
            410,
            "FAILED_PRECONDITION",
            "deleted",
            "Resource has been deleted",
        ));
    }
    event.cancelled = true;
    event.seq = seq;
    event.updated_ms = now_ms().max(event.updated_ms + 1);
    Ok(StatusCode::NO_CONTENT.into_response())
}
