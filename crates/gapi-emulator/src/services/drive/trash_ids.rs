//! `files.generateIds` (ids a later create may claim) and `files.emptyTrash`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::json;

use super::scopes::{DriveScopes, Need};
use super::{Shared, drive_mut, new_file_id};
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::Params;
use crate::framework::caller::Caller;

const DRIVE: &str = "https://www.googleapis.com/auth/drive";
/// Unused generated ids kept per user; past it the oldest batch is forgotten.
const MAX_GENERATED: usize = 10_000;

/// `GET /drive/v3/files/generateIds?count=N` (1-1000, default 10).
pub(crate) async fn generate_ids(
    State(state): State<Shared>,
    caller: Caller,
    params: Params,
) -> ApiResult {
    caller.require(Need::Write)?;
    let count = match params.get("count") {
        None => 10,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| {
                ApiError::invalid_param(
                    "count",
                    format!("Invalid value '{text}' for count (1-1000)"),
                )
            })?,
    };
    let space = params.get("space").unwrap_or("drive");
    if space != "drive" && space != "appDataFolder" {
        return Err(ApiError::invalid_param(
            "space",
            format!("Invalid space: {space} (drive or appDataFolder)."),
        ));
    }
    let ids: Vec<String> = (0..count).map(|_| new_file_id()).collect();
    let mut data = state.data.write();
    let drive = drive_mut(&mut data, &caller.email);
    if drive.generated_ids.len() + count > MAX_GENERATED {
        drive.generated_ids.clear();
    }
    drive.generated_ids.extend(ids.iter().cloned());
    Ok(json_ok(&json!({
        "kind": "drive#generatedIds",
        "space": space,
        "ids": ids,
    })))
}

/// `DELETE /drive/v3/files/trash`: deletes every trashed file of the user for good (and the
/// contents of trashed folders). Needs the full `drive` scope, as Drive.
pub(crate) async fn empty_trash(State(state): State<Shared>, caller: Caller) -> ApiResult {
    if !caller.has(DRIVE) {
        return Err(ApiError::insufficient_scope_for(
            &[DRIVE],
            Some("drive.googleapis.com"),
        ));
    }
    let mut data = state.data.write();
    let drive = drive_mut(&mut data, &caller.email);
    let mut doomed: Vec<String> = drive
        .files
        .values()
        .filter(|f| f.trashed)
        .map(|f| f.id.clone())
        .collect();
    let mut i = 0;
    while i < doomed.len() {
        let parent = doomed[i].clone();
        doomed.extend(
            drive
                .files
                .values()
                .filter(|f| f.parents.contains(&parent) && !f.trashed)
                .map(|f| f.id.clone()),
        );
        i += 1;
    }
    super::changes::sync(drive);
    for id in doomed {
        drive.files.remove(&id);
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
