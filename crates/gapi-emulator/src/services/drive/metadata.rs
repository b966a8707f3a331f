//! Applying a request's metadata (the File resource in a body) to a stored file: which fields
//! are writable when, and what the parents must be.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::framework::api_error::ApiError;
use crate::framework::time::parse_rfc3339;

use super::model::{DriveFile, FILE_FIELDS, FOLDER_MIME, UserDrive};
use super::scopes::{DriveScopes, Need};
use crate::framework::caller::Caller;

/// Which operation the metadata belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Create,
    Update,
    Copy,
}

fn not_writable(field: &str) -> ApiError {
    ApiError::new(
        403,
        "PERMISSION_DENIED",
        "fieldNotWritable",
        format!("The resource body includes fields which are not directly writable: {field}."),
    )
}

fn wrong_type(field: &str, expected: &str) -> ApiError {
    ApiError::bad_request(format!(
        "Invalid JSON payload received. Invalid value at '{field}': expected {expected}."
    ))
}

fn string(field: &str, v: &Value) -> Result<String, ApiError> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| wrong_type(field, "a string"))
}

fn time(field: &str, v: &Value) -> Result<u64, ApiError> {
    let text = string(field, v)?;
    parse_rfc3339(&text).ok_or_else(|| {
        ApiError::invalid_param(
            field,
            format!("Invalid value for {field}: '{text}' is not an RFC 3339 date."),
        )
    })
}

fn merge_props(
    field: &str,
    target: &mut BTreeMap<String, String>,
    v: &Value,
) -> Result<(), ApiError> {
    let Some(obj) = v.as_object() else {
        return Err(wrong_type(field, "an object of strings"));
    };
    for (k, val) in obj {
        match val {
            Value::Null => {
                target.remove(k);
            }
            Value::String(s) => {
                target.insert(k.clone(), s.clone());
            }
            _ => return Err(wrong_type(field, "an object of strings")),
        }
    }
    Ok(())
}

/// Resolves `root` and checks a parent folder exists, is a folder and may receive files.
pub(crate) fn resolve_parent(
    drive: &UserDrive,
    caller: &Caller,
    id: &str,
) -> Result<String, ApiError> {
    if id == "root" || id == drive.root_id {
        return Ok(drive.root_id.clone());
    }
    let Some(parent) = drive.files.get(id) else {
        return Err(ApiError::file_not_found(id));
    };
    caller.check(Need::Write, parent)?;
    if parent.mime_type != FOLDER_MIME {
        return Err(ApiError::new(
            403,
            "PERMISSION_DENIED",
            "teamDrivesParentLimit",
            format!("The parent {id} is not a folder."),
        ));
    }
    Ok(parent.id.clone())
}

/// Applies `meta` to `file`.
pub(crate) fn apply(
    file: &mut DriveFile,
    meta: &Map<String, Value>,
    mode: Mode,
    drive: &UserDrive,
    caller: &Caller,
) -> Result<(), ApiError> {
    for (key, value) in meta {
        match key.as_str() {
            "kind" => {
                if value.as_str() != Some("drive#file") {
                    return Err(ApiError::bad_request("kind must be \"drive#file\"."));
                }
            }
            "name" => file.name = string(key, value)?,
            "mimeType" => file.mime_type = string(key, value)?,
            "description" => {
                file.description = match value {
                    Value::Null => None,
                    v => Some(string(key, v)?),
                }
            }
            "starred" => {
                file.starred = value
                    .as_bool()
                    .ok_or_else(|| wrong_type(key, "a boolean"))?
            }
            "trashed" if mode == Mode::Update => {
                file.trashed = value
                    .as_bool()
                    .ok_or_else(|| wrong_type(key, "a boolean"))?
            }
            "properties" => merge_props(key, &mut file.properties, value)?,
            "appProperties" => merge_props(key, &mut file.app_properties, value)?,
            "originalFilename" => file.original_filename = Some(string(key, value)?),
            "modifiedTime" => file.modified_ms = time(key, value)?,
            "viewedByMeTime" => file.viewed_by_me_ms = Some(time(key, value)?),
            "createdTime" if mode != Mode::Update => file.created_ms = time(key, value)?,
            "parents" if mode != Mode::Update => {
                let Some(items) = value.as_array() else {
                    return Err(wrong_type(key, "an array of folder ids"));
                };
                if items.len() > 1 {
                    return Err(ApiError::new(
                        403,
                        "PERMISSION_DENIED",
                        "cannotAddParent",
                        "A file can only have one parent folder.",
                    ));
                }
                if let Some(first) = items.first() {
                    let id = string("parents", first)?;
                    file.parents = vec![resolve_parent(drive, caller, &id)?];
                }
            }
            "parents" => {
                return Err(ApiError::new(
                    403,
                    "PERMISSION_DENIED",
                    "fieldNotWritable",
                    "The parents field is not directly writable in update requests. Use the addParents and removeParents parameters instead.",
                ));
            }
            "id" if mode != Mode::Update => {
                let id = string(key, value)?;
                if !drive.generated_ids.contains(&id) || drive.files.contains_key(&id) {
                    return Err(ApiError::invalid_param(
                        "id",
                        "The provided file ID is not usable. Use an id from files.generateIds.",
                    ));
                }
                file.id = id;
            }
            other if FILE_FIELDS.contains(&other) => return Err(not_writable(other)),
            other => {
                return Err(ApiError::bad_request(format!(
                    "Invalid JSON payload received. Unknown name \"{other}\": Cannot find field."
                )));
            }
        }
    }
    Ok(())
}
