//! `changes.getStartPageToken` and `changes.list`, what sync clients live on. The log is
//! derived from file versions (see [`ChangeLog`]): every write path already bumps `version`,
//! so none of them has to remember to log a change.

use axum::extract::State;
use serde_json::{Value, json};

use super::model::{ChangeEntry, ChangeLog, UserDrive};
use super::scopes::{DriveScopes, Need};
use super::{Shared, drive_mut, owner, render_file};
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::Params;
use crate::framework::caller::Caller;
use crate::framework::fields;
use crate::framework::time::{now_ms, rfc3339};

impl ChangeLog {
    fn record(&mut self, file_id: &str, removed: bool, time_ms: u64) {
        self.entries.retain(|e| e.file_id != file_id);
        self.seq += 1;
        self.entries.push(ChangeEntry {
            seq: self.seq,
            file_id: file_id.to_owned(),
            removed,
            time_ms,
        });
    }
}

/// Records every file whose version moved, and every file that is gone, since the last look.
/// Deleting code calls it first, so a file created and deleted between two looks still shows
/// up as removed (as Drive reports it).
pub(crate) fn sync(drive: &mut UserDrive) {
    let log = &mut drive.changes;
    for file in drive.files.values() {
        if log.seen.get(&file.id) != Some(&file.version) {
            log.seen.insert(file.id.clone(), file.version);
            log.record(&file.id, false, file.modified_ms);
        }
    }
    let gone: Vec<String> = log
        .seen
        .keys()
        .filter(|id| !drive.files.contains_key(*id))
        .cloned()
        .collect();
    let now = now_ms();
    for id in gone {
        log.seen.remove(&id);
        log.record(&id, true, now);
    }
}

/// `GET /drive/v3/changes/startPageToken`.
pub(crate) async fn start_page_token(State(state): State<Shared>, caller: Caller) -> ApiResult {
    caller.require(Need::ReadMeta)?;
    let mut data = state.data.write();
    let drive = drive_mut(&mut data, &caller.email);
    sync(drive);
    Ok(json_ok(&json!({
        "kind": "drive#startPageToken",
        "startPageToken": (drive.changes.seq + 1).to_string(),
    })))
}

fn page_token(params: &Params) -> Result<u64, ApiError> {
    let text = params.non_empty("pageToken").ok_or_else(|| {
        ApiError::new(
            400,
            "INVALID_ARGUMENT",
            "required",
            "Required parameter: pageToken",
        )
        .at("pageToken", "parameter")
    })?;
    text.parse::<u64>()
        .ok()
        .filter(|t| *t > 0)
        .ok_or_else(|| ApiError::invalid_param("pageToken", format!("Invalid page token: {text}")))
}

/// `GET /drive/v3/changes?pageToken=`: the changes from that token on, oldest first.
pub(crate) async fn list(State(state): State<Shared>, caller: Caller, params: Params) -> ApiResult {
    caller.require(Need::ReadMeta)?;
    let from = page_token(&params)?;
    let page_size = match params.get("pageSize") {
        None => 100,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| {
                ApiError::invalid_param(
                    "pageSize",
                    format!("Invalid value '{text}' for pageSize (1-1000)"),
                )
            })?,
    };
    let include_removed = params.get("includeRemoved") != Some("false");
    let user = owner(&caller.email)?;
    let base = state.core.base_url.clone();
    let mut data = state.data.write();
    let drive = drive_mut(&mut data, &caller.email);
    sync(drive);
    let mut changes = Vec::new();
    let mut next = None;
    for entry in drive.changes.entries.iter().filter(|e| e.seq >= from) {
        let file = drive.files.get(&entry.file_id);
        if file.is_some_and(|f| !caller.sees(f)) || (entry.removed && !include_removed) {
            continue;
        }
        if changes.len() == page_size {
            next = Some(entry.seq);
            break;
        }
        let mut change = json!({
            "kind": "drive#change",
            "changeType": "file",
            "time": rfc3339(entry.time_ms),
            "removed": entry.removed,
            "fileId": entry.file_id,
        });
        if let Some(file) = file {
            change["file"] = file.to_json(user, &base);
        }
        changes.push(change);
    }
    let mut body = json!({"kind": "drive#changeList", "changes": changes});
    match next {
        Some(seq) => body["nextPageToken"] = json!(seq.to_string()),
        None => body["newStartPageToken"] = json!((drive.changes.seq + 1).to_string()),
    }
    Ok(json_ok(&select(body, &params, user, &base, drive)?))
}

/// `fields` over the change list; without it, Drive's default (each file as
/// `kind,id,name,mimeType`).
fn select(
    mut body: Value,
    params: &Params,
    user: &crate::world::users::TestUser,
    base: &str,
    drive: &UserDrive,
) -> Result<Value, ApiError> {
    match params.get("fields").filter(|f| !f.trim().is_empty()) {
        Some(text) => Ok(fields::apply(&body, &fields::parse(text)?)),
        None => {
            if let Some(items) = body["changes"].as_array_mut() {
                for change in items {
                    let id = change["fileId"].as_str().unwrap_or("").to_owned();
                    if let Some(file) = drive.files.get(&id) {
                        change["file"] = render_file(file, user, base, None)?;
                    }
                }
            }
            Ok(body)
        }
    }
}
