//! `events.list`: time windows, `q`, `orderBy`, paging, and sync tokens (`nextSyncToken` on
//! the last page; with `syncToken` only what changed since, deleted events as `cancelled`;
//! 410 `fullSyncRequired` when the token is expired or not one of ours), plus the control
//! endpoint that expires every token.

use axum::extract::{Path, State};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::events::answer_zone;
use super::model::{Calendar, StoredEvent};
use super::recurrence;
use super::times::{self, bound};
use super::{Shared, calendar_mut, require};
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::{Params, body_object, string_field};
use crate::framework::caller::Caller;
use crate::framework::time::rfc3339;

/// Parameters Calendar refuses next to `syncToken`.
const NOT_WITH_SYNC: &[&str] = &[
    "iCalUID",
    "orderBy",
    "privateExtendedProperty",
    "q",
    "sharedExtendedProperty",
    "timeMin",
    "timeMax",
    "updatedMin",
];

fn gone() -> ApiError {
    ApiError::new(
        410,
        "FAILED_PRECONDITION",
        "fullSyncRequired",
        "Sync token is no longer valid, a full sync is required.",
    )
    .help("Drop the local copy and list again without syncToken (a full sync).")
}

fn sync_token(cal: &Calendar) -> String {
    URL_SAFE_NO_PAD.encode(format!(
        "gapi-sync:{}:{}:{}",
        cal.id, cal.sync_epoch, cal.change_seq
    ))
}

/// The change number a token was minted at, or 410.
fn read_sync_token(cal: &Calendar, token: &str) -> Result<u64, ApiError> {
    let text = URL_SAFE_NO_PAD
        .decode(token.trim_end_matches('='))
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(gone)?;
    let mut parts = text.rsplitn(3, ':');
    let seq: u64 = parts.next().and_then(|s| s.parse().ok()).ok_or_else(gone)?;
    let epoch: u64 = parts.next().and_then(|s| s.parse().ok()).ok_or_else(gone)?;
    let head = parts.next().ok_or_else(gone)?;
    if head != format!("gapi-sync:{}", cal.id) || epoch != cal.sync_epoch || seq > cal.change_seq {
        return Err(gone());
    }
    Ok(seq)
}

fn page_token(offset: usize, since: Option<u64>) -> String {
    URL_SAFE_NO_PAD.encode(format!(
        "p:{offset}:{}",
        since.map(|s| s.to_string()).unwrap_or_default()
    ))
}

fn read_page_token(text: &str) -> Result<(usize, Option<u64>), ApiError> {
    let bad = || ApiError::invalid_param("pageToken", "Invalid page token value.");
    let decoded = URL_SAFE_NO_PAD
        .decode(text)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(bad)?;
    let mut parts = decoded.splitn(3, ':');
    if parts.next() != Some("p") {
        return Err(bad());
    }
    let offset = parts.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let since = match parts.next() {
        Some("") | None => None,
        Some(s) => Some(s.parse().map_err(|_| bad())?),
    };
    Ok((offset, since))
}

/// One listed event or instance, with what it sorts by.
struct Item {
    start: i64,
    end: i64,
    created: u64,
    updated: u64,
    seq: u64,
    value: Value,
}

fn text_matches(e: &StoredEvent, q: &str) -> bool {
    let q = q.to_lowercase();
    ["summary", "description", "location"].iter().any(|k| {
        e.resource
            .get(*k)
            .and_then(Value::as_str)
            .is_some_and(|v| v.to_lowercase().contains(&q))
    })
}

/// `GET .../events`.
pub(crate) async fn list(
    State(state): State<Shared>,
    Path(calendar_id): Path<String>,
    caller: Caller,
    params: Params,
) -> ApiResult {
    require(&caller, "events.list")?;
    let max = match params.get("maxResults") {
        None => 250,
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .map(|n| n.min(2500))
            .ok_or_else(|| {
                ApiError::invalid_param("maxResults", format!("Invalid value '{t}'."))
            })?,
    };
    let sync = params.non_empty("syncToken");
    if sync.is_some()
        && let Some(p) = NOT_WITH_SYNC.iter().find(|p| params.non_empty(p).is_some())
    {
        return Err(ApiError::invalid_param(
            p,
            format!("The syncToken parameter cannot be used together with {p}."),
        ));
    }
    let time_min = bound(&params, "timeMin")?;
    let time_max = bound(&params, "timeMax")?;
    let updated_min = bound(&params, "updatedMin")?;
    let single = params.bool("singleEvents")?.unwrap_or(false);
    let show_deleted = params.bool("showDeleted")?.unwrap_or(false);
    let order = params.non_empty("orderBy");
    match order {
        None | Some("updated") => {}
        Some("startTime") if single => {}
        Some("startTime") => {
            return Err(ApiError::bad_request(
                "The requested ordering is not available for the particular query.",
            )
            .at("orderBy", "parameter"));
        }
        Some(other) => {
            return Err(ApiError::invalid_param(
                "orderBy",
                format!("Invalid value '{other}' for orderBy."),
            ));
        }
    }
    let mut data = state.data.write();
    let cal = calendar_mut(&mut data, &caller, &calendar_id)?;
    let zone = answer_zone(&params, cal)?;
    let (offset, page_since) = match params.non_empty("pageToken") {
        Some(t) => read_page_token(t)?,
        None => (0, None),
    };
    let since = match sync {
        Some(t) => Some(read_sync_token(cal, t)?),
        None => page_since,
    };
    let q = params.non_empty("q");
    let horizon = time_max.unwrap_or(i64::MAX);
    let in_window = |start: i64, end: i64| {
        time_min.is_none_or(|m| end > m) && time_max.is_none_or(|m| start < m)
    };
    let mut items: Vec<Item> = Vec::new();
    for e in cal.events.values() {
        let wanted = match since {
            Some(s) => e.seq > s,
            None => show_deleted || !e.cancelled,
        };
        if !wanted
            || updated_min.is_some_and(|m| (e.updated_ms as i64) < m)
            || q.is_some_and(|q| !text_matches(e, q))
        {
            continue;
        }
        let rendered = times::render(e, &zone);
        let expanded = (single && since.is_none() && !e.cancelled)
            .then(|| recurrence::expand(e, &cal.time_zone, horizon))
            .flatten();
        match expanded {
            Some(instances) => {
                for inst in instances.iter().filter(|i| in_window(i.start_ms, i.end_ms)) {
                    items.push(Item {
                        start: inst.start_ms,
                        end: inst.end_ms,
                        created: e.created_ms,
                        updated: e.updated_ms,
                        seq: e.seq,
                        value: recurrence::instance_json(&rendered, e, inst, &cal.time_zone, &zone),
                    });
                }
            }
            None if in_window(e.start_ms, e.end_ms) || since.is_some() => items.push(Item {
                start: e.start_ms,
                end: e.end_ms,
                created: e.created_ms,
                updated: e.updated_ms,
                seq: e.seq,
                value: rendered,
            }),
            None => {}
        }
    }
    match order {
        Some("startTime") => items.sort_by_key(|i| (i.start, i.end, i.created)),
        Some("updated") => items.sort_by_key(|i| (i.updated, i.seq)),
        _ => items.sort_by_key(|i| (i.created, i.seq, i.start)),
    }
    let total = items.len();
    let page: Vec<Value> = items
        .into_iter()
        .skip(offset)
        .take(max)
        .map(|i| i.value)
        .collect();
    let updated = cal.events.values().map(|e| e.updated_ms).max().unwrap_or(0);
    let mut body = json!({
        "kind": "calendar#events",
        "etag": format!("\"{}\"", cal.change_seq),
        "summary": cal.summary,
        "description": "",
        "updated": rfc3339(updated.max(1)),
        "timeZone": cal.time_zone,
        "accessRole": "owner",
        "defaultReminders": [{"method": "popup", "minutes": 10}],
        "items": page,
    });
    if offset + max < total {
        body["nextPageToken"] = json!(page_token(offset + max, since));
    } else {
        body["nextSyncToken"] = json!(sync_token(cal));
    }
    Ok(json_ok(&body))
}

/// `POST /__emulator/calendar/sync/expire` `{"email"?}`: every sync token of that user's
/// calendars (or everyone's) answers 410 from now on.
pub(crate) async fn expire(State(state): State<Shared>, body: axum::body::Body) -> ApiResult {
    let map = body_object(body).await?;
    let only = string_field(&map, "email")?.map(str::to_ascii_lowercase);
    let mut data = state.data.write();
    let mut count = 0;
    for cal in data.calendars.values_mut() {
        if only.as_deref().is_none_or(|o| o == cal.owner) {
            cal.sync_epoch += 1;
            count += 1;
        }
    }
    Ok(json_ok(&json!({"expired": count})))
}
