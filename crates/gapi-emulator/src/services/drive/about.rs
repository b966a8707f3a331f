//! `GET /drive/v3/about`: the user and storage quota (`fields` is required, as in Drive v3).

use axum::extract::State;

use serde_json::json;

use super::Shared;
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::Params;

use super::scopes::{DriveScopes, Need};
use crate::framework::caller::Caller;
use crate::framework::fields;

const QUOTA_LIMIT: u64 = 15 * 1024 * 1024 * 1024;

/// `about.get`.
pub(crate) async fn about(
    State(state): State<Shared>,
    caller: Caller,
    params: Params,
) -> ApiResult {
    caller.require(Need::ReadMeta)?;
    let Some(fields_text) = params.non_empty("fields") else {
        return Err(ApiError::new(
            400,
            "INVALID_ARGUMENT",
            "required",
            "The 'fields' parameter is required for this method.",
        )
        .at("fields", "parameter"));
    };
    let selection = fields::parse(fields_text)?;
    fields::check_names(
        &selection,
        &[
            "kind",
            "user",
            "storageQuota",
            "importFormats",
            "exportFormats",
            "maxImportSizes",
            "maxUploadSize",
            "appInstalled",
            "folderColorPalette",
            "driveThemes",
            "canCreateDrives",
            "canCreateTeamDrives",
            "teamDriveThemes",
        ],
        "",
    )?;
    let owner = super::owner(&caller.email)?;
    let (usage, trash) = {
        let inner = state.data.read();
        inner
            .drives
            .get(&caller.email)
            .map(|d| {
                d.files.values().fold((0u64, 0u64), |(u, t), f| {
                    let n = f.content.as_ref().map(|c| c.len() as u64).unwrap_or(0);
                    (u + n, if f.trashed { t + n } else { t })
                })
            })
            .unwrap_or((0, 0))
    };
    let full = json!({
        "kind": "drive#about",
        "user": {
            "kind": "drive#user",
            "displayName": owner.name,
            "emailAddress": owner.email,
            "me": true,
            "permissionId": owner.permission_id,
        },
        "storageQuota": {
            "limit": QUOTA_LIMIT.to_string(),
            "usage": usage.to_string(),
            "usageInDrive": usage.to_string(),
            "usageInDriveTrash": trash.to_string(),
        },
        "maxUploadSize": (crate::framework::body::UPLOAD_LIMIT as u64).to_string(),
        "appInstalled": false,
        "canCreateDrives": false,
        "importFormats": {},
        "exportFormats": {},
        "folderColorPalette": ["#ac725e", "#d06b64", "#f83a22"],
    });
    Ok(json_ok(&fields::apply(&full, &selection)))
}
