//! `permissions.list`, `get`, `create`, `update` and `delete`: sharing a file with another test
//! user (or a domain, or anyone with the link). A user a file is shared with can read it by id
//! (`files.get`, `alt=media`, `files.export`); only the owner changes its permissions.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Map, Value, json};

use super::Shared;
use super::model::{DriveFile, Permission};
use super::scopes::{DriveScopes, Need};
use super::{DriveData, owner};
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::{Params, SMALL_BODY_LIMIT, json_object, read_limited};
use crate::framework::caller::Caller;
use crate::framework::fields;
use crate::world::users::{TestUser, find_user};

/// A file of another user's Drive that `email` may read through a permission:
/// `(owner's email, file)`.
pub(crate) fn shared_with<'a>(
    data: &'a DriveData,
    email: &str,
    file_id: &str,
) -> Option<(&'a str, &'a DriveFile)> {
    data.drives.iter().find_map(|(owner_email, drive)| {
        let file = drive.files.get(file_id)?;
        let grants = file.permissions.iter().any(|p| {
            p.kind == "anyone"
                || p.email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
        });
        (owner_email != email && grants).then_some((owner_email.as_str(), file))
    })
}

fn permission_json(p: &Permission) -> Value {
    let mut v = json!({
        "kind": "drive#permission",
        "id": p.id,
        "type": p.kind,
        "role": p.role,
        "deleted": false,
        "pendingOwner": false,
    });
    if let Some(email) = &p.email {
        v["emailAddress"] = json!(email);
        if let Some(user) = find_user(email) {
            v["displayName"] = json!(user.name);
        }
    }
    if let Some(domain) = &p.domain {
        v["domain"] = json!(domain);
    }
    if p.kind == "anyone" {
        v["allowFileDiscovery"] = json!(false);
    }
    v
}

fn owner_permission(user: &TestUser) -> Value {
    json!({
        "kind": "drive#permission",
        "id": user.permission_id,
        "type": "user",
        "role": "owner",
        "emailAddress": user.email,
        "displayName": user.name,
        "deleted": false,
        "pendingOwner": false,
    })
}

/// Applies `fields` to a permission or a list (default: Drive's `kind,id,type,role`).
fn select(value: Value, params: &Params, list: bool) -> Result<Value, ApiError> {
    let default = if list {
        "kind,permissions(kind,id,type,role)"
    } else {
        "kind,id,type,role"
    };
    let text = params
        .get("fields")
        .filter(|f| !f.trim().is_empty())
        .unwrap_or(default);
    Ok(fields::apply(&value, &fields::parse(text)?))
}

fn not_found(id: &str) -> ApiError {
    ApiError::new(
        404,
        "NOT_FOUND",
        "notFound",
        format!("Permission not found: {id}."),
    )
    .at("permissionId", "parameter")
}

fn not_owner() -> ApiError {
    ApiError::new(
        403,
        "PERMISSION_DENIED",
        "insufficientFilePermissions",
        "The user does not have sufficient permissions for this file.",
    )
}

/// The caller's own file, for changing its permissions (403 for a file only shared with them).
fn own_file_mut<'a>(
    data: &'a mut DriveData,
    caller: &Caller,
    file_id: &str,
) -> Result<&'a mut DriveFile, ApiError> {
    if shared_with(data, &caller.email, file_id).is_some() {
        return Err(not_owner());
    }
    let file = data
        .drives
        .get_mut(&caller.email)
        .and_then(|d| d.files.get_mut(file_id))
        .ok_or_else(|| ApiError::file_not_found(file_id))?;
    caller.check(Need::Write, file)?;
    Ok(file)
}

/// `GET /drive/v3/files/{fileId}/permissions`.
pub(crate) async fn list(
    State(state): State<Shared>,
    caller: Caller,
    Path(file_id): Path<String>,
    params: Params,
) -> ApiResult {
    caller.require(Need::ReadMeta)?;
    let data = state.data.read();
    let (owner_email, file) = match data
        .drives
        .get(&caller.email)
        .and_then(|d| d.files.get(&file_id))
    {
        Some(file) => (caller.email.as_str(), file),
        None => shared_with(&data, &caller.email, &file_id)
            .ok_or_else(|| ApiError::file_not_found(&file_id))?,
    };
    caller.check(Need::ReadMeta, file)?;
    let mut all = vec![owner_permission(owner(owner_email)?)];
    all.extend(file.permissions.iter().map(permission_json));
    let body = json!({"kind": "drive#permissionList", "permissions": all});
    Ok(json_ok(&select(body, &params, true)?))
}

/// `GET /drive/v3/files/{fileId}/permissions/{permissionId}`.
pub(crate) async fn get(
    State(state): State<Shared>,
    caller: Caller,
    Path((file_id, permission_id)): Path<(String, String)>,
    params: Params,
) -> ApiResult {
    caller.require(Need::ReadMeta)?;
    let data = state.data.read();
    let file = data
        .drives
        .get(&caller.email)
        .and_then(|d| d.files.get(&file_id))
        .ok_or_else(|| ApiError::file_not_found(&file_id))?;
    caller.check(Need::ReadMeta, file)?;
    let me = owner(&caller.email)?;
    let value = if permission_id == me.permission_id {
        owner_permission(me)
    } else {
        let p = file
            .permissions
            .iter()
            .find(|p| p.id == permission_id)
            .ok_or_else(|| not_found(&permission_id))?;
        permission_json(p)
    };
    Ok(json_ok(&select(value, &params, false)?))
}

fn text<'a>(body: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::invalid_param(
            key,
            format!("{key} must be a string."),
        )),
    }
}

fn check_role(role: &str) -> Result<(), ApiError> {
    match role {
        "writer" | "commenter" | "reader" => Ok(()),
        "owner" => Err(ApiError::new(
            403,
            "PERMISSION_DENIED",
            "forbidden",
            "The emulator does not transfer ownership (transferOwnership is not supported).",
        )),
        "organizer" | "fileOrganizer" => Err(ApiError::invalid_param(
            "permission.role",
            "The organizer roles exist only in shared drives, which the emulator does not serve.",
        )),
        other => Err(ApiError::invalid_param(
            "permission.role",
            format!("Invalid role: {other} (writer, commenter or reader)."),
        )),
    }
}

/// A permission from a `permissions.create` body.
fn new_permission(body: &Map<String, Value>) -> Result<Permission, ApiError> {
    let kind = text(body, "type")?
        .ok_or_else(|| ApiError::invalid_param("permission.type", "Required: permission.type."))?;
    let role = text(body, "role")?
        .ok_or_else(|| ApiError::invalid_param("permission.role", "Required: permission.role."))?;
    check_role(role)?;
    let email = text(body, "emailAddress")?.map(str::to_owned);
    let domain = text(body, "domain")?.map(str::to_owned);
    let id = match kind {
        "user" | "group" => {
            let email = email.as_deref().ok_or_else(|| {
                ApiError::invalid_param(
                    "permission.emailAddress",
                    "An email address is required for user and group permissions.",
                )
            })?;
            match find_user(email) {
                Some(user) => user.permission_id.to_owned(),
                None => numeric_id(email),
            }
        }
        "domain" => numeric_id(domain.as_deref().ok_or_else(|| {
            ApiError::invalid_param(
                "permission.domain",
                "A domain is required for domain permissions.",
            )
        })?),
        "anyone" => "anyoneWithLink".to_owned(),
        other => {
            return Err(ApiError::invalid_param(
                "permission.type",
                format!("Invalid permission type: {other} (user, group, domain or anyone)."),
            ));
        }
    };
    Ok(Permission {
        id,
        kind: kind.to_owned(),
        role: role.to_owned(),
        email: email.map(|e| e.to_ascii_lowercase()),
        domain,
    })
}

/// A stable 20-digit id for an email or domain (as Drive's numeric permission ids).
fn numeric_id(seed: &str) -> String {
    let hex = crate::framework::random::sha256_hex(seed.to_ascii_lowercase().as_bytes());
    hex.bytes()
        .take(20)
        .map(|b| char::from(b'0' + b % 10))
        .collect()
}

/// `POST /drive/v3/files/{fileId}/permissions`.
pub(crate) async fn create(
    State(state): State<Shared>,
    caller: Caller,
    Path(file_id): Path<String>,
    params: Params,
    body: axum::body::Body,
) -> ApiResult {
    caller.require(Need::Write)?;
    let body = json_object(&read_limited(body, SMALL_BODY_LIMIT).await?)?;
    let permission = new_permission(&body)?;
    let mut data = state.data.write();
    let file = own_file_mut(&mut data, &caller, &file_id)?;
    if permission.email.as_deref() == Some(caller.email.as_str()) {
        return Err(ApiError::bad_request(
            "The owner already has access to the file.",
        ));
    }
    // Sharing again with the same grantee changes its role, as Drive does.
    file.permissions.retain(|p| p.id != permission.id);
    file.permissions.push(permission.clone());
    file.version += 1;
    Ok(json_ok(&select(
        permission_json(&permission),
        &params,
        false,
    )?))
}

/// `PATCH /drive/v3/files/{fileId}/permissions/{permissionId}` (the role).
pub(crate) async fn update(
    State(state): State<Shared>,
    caller: Caller,
    Path((file_id, permission_id)): Path<(String, String)>,
    params: Params,
    body: axum::body::Body,
) -> ApiResult {
    caller.require(Need::Write)?;
    let body = json_object(&read_limited(body, SMALL_BODY_LIMIT).await?)?;
    let role = text(&body, "role")?
        .ok_or_else(|| ApiError::invalid_param("permission.role", "Required: permission.role."))?;
    check_role(role)?;
    let mut data = state.data.write();
    let file = own_file_mut(&mut data, &caller, &file_id)?;
    let p = file
        .permissions
        .iter_mut()
        .find(|p| p.id == permission_id)
        .ok_or_else(|| not_found(&permission_id))?;
    p.role = role.to_owned();
    let answer = permission_json(p);
    file.version += 1;
    Ok(json_ok(&select(answer, &params, false)?))
}

/// `DELETE /drive/v3/files/{fileId}/permissions/{permissionId}`.
pub(crate) async fn delete(
    State(state): State<Shared>,
    caller: Caller,
    Path((file_id, permission_id)): Path<(String, String)>,
) -> ApiResult {
    caller.require(Need::Write)?;
    let me = owner(&caller.email)?;
    if permission_id == me.permission_id {
        return Err(ApiError::new(
            403,
            "PERMISSION_DENIED",
            "cannotDeletePermission",
            "The owner of a file cannot be removed.",
        ));
    }
    let mut data = state.data.write();
    let file = own_file_mut(&mut data, &caller, &file_id)?;
    let before = file.permissions.len();
    file.permissions.retain(|p| p.id != permission_id);
    if file.permissions.len() == before {
        return Err(not_found(&permission_id));
    }
    file.version += 1;
    Ok(StatusCode::NO_CONTENT.into_response())
}
