//! `files.get` (metadata or `alt=media`), `files.create` (metadata only), `files.update`,
//! `files.delete` and `files.copy`.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;

use super::Shared;
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::{Params, SMALL_BODY_LIMIT, json_object, read_limited};
use crate::framework::time::now_ms;

use super::metadata::{self, Mode};
use super::model::{DriveFile, FOLDER_MIME};
use super::scopes::{DriveScopes, Need};
use super::{download, drive_mut, new_file_id, owner, render_file};
use crate::framework::caller::Caller;

/// Checks `alt` (only `json` and, where allowed, `media`).
pub(crate) fn alt_media(params: &Params, media_allowed: bool) -> Result<bool, ApiError> {
    match params.get("alt") {
        None | Some("json") => Ok(false),
        Some("media") if media_allowed => Ok(true),
        Some(other) => Err(ApiError::invalid_param(
            "alt",
            format!(
                "Invalid value '{other}' for alt (this method supports json{})",
                if media_allowed { " and media" } else { "" }
            ),
        )),
    }
}

/// A fresh file owned by the caller, created now.
pub(crate) fn blank_file(caller: &Caller, root_id: &str) -> DriveFile {
    let now = now_ms();
    DriveFile {
        id: new_file_id(),
        name: "Untitled".to_owned(),
        mime_type: "application/octet-stream".to_owned(),
        parents: vec![root_id.to_owned()],
        trashed: false,
        starred: false,
        created_ms: now,
        modified_ms: now,
        modified_by_me_ms: Some(now),
        viewed_by_me_ms: Some(now),
        description: None,
        content: None,
        version: 1,
        app_client: Some(caller.client_id.clone()),
        properties: BTreeMap::new(),
        app_properties: BTreeMap::new(),
        original_filename: None,
        permissions: Vec::new(),
    }
}

/// `GET /drive/v3/files/{fileId}`.
pub(crate) async fn get(
    State(state): State<Shared>,
    caller: Caller,
    Path(file_id): Path<String>,
    params: Params,
    headers: HeaderMap,
) -> ApiResult {
    let media = alt_media(&params, true)?;
    caller.require(if media {
        Need::ReadContent
    } else {
        Need::ReadMeta
    })?;
    let user = owner(&caller.email)?;
    let inner = state.data.read();
    let drive = inner.drives.get(&caller.email);
    if !media
        && let Some(d) = drive
        && (file_id == "root" || file_id == d.root_id)
    {
        let root = root_folder(&d.root_id, &caller);
        return Ok(json_ok(&render_file(
            &root,
            user,
            &state.core.base_url,
            params.get("fields"),
        )?));
    }
    // The caller's own file, else one shared with them (read-only).
    let (file, file_owner) = match drive.and_then(|d| d.files.get(&file_id)) {
        Some(file) => (file, user),
        None => {
            let (owner_email, file) =
                super::permissions::shared_with(&inner, &caller.email, &file_id)
                    .ok_or_else(|| ApiError::file_not_found(&file_id))?;
            (file, owner(owner_email)?)
        }
    };
    if media {
        caller.check(Need::ReadContent, file)?;
        return download::send(file, &headers);
    }
    caller.check(Need::ReadMeta, file)?;
    Ok(json_ok(&super::render_file_for(
        file,
        file_owner,
        file_owner.email == user.email,
        &state.core.base_url,
        params.get("fields"),
    )?))
}

fn root_folder(root_id: &str, caller: &Caller) -> DriveFile {
    let mut root = blank_file(caller, root_id);
    root.id = root_id.to_owned();
    root.name = "My Drive".to_owned();
    root.mime_type = FOLDER_MIME.to_owned();
    root.parents = Vec::new();
    root.app_client = None;
    root.created_ms = 1_735_689_600_000;
    root.modified_ms = root.created_ms;
    root
}

/// `POST /drive/v3/files` (metadata only; content goes through /upload).
pub(crate) async fn create(
    State(state): State<Shared>,
    caller: Caller,
    params: Params,
    body: axum::body::Body,
) -> ApiResult {
    alt_media(&params, false)?;
    caller.require(Need::Write)?;
    if params.get("uploadType").is_some() {
        return Err(ApiError::bad_request(
            "Media uploads go to /upload/drive/v3/files (use the mediaUpload path of the discovery document).",
        ));
    }
    let meta = json_object(&read_limited(body, SMALL_BODY_LIMIT).await?)?;
    let user = owner(&caller.email)?;
    let mut inner = state.data.write();
    let drive = drive_mut(&mut inner, &caller.email);
    let mut file = blank_file(&caller, &drive.root_id);
    metadata::apply(&mut file, &meta, Mode::Create, drive, &caller)?;
    let answer = render_file(&file, user, &state.core.base_url, params.get("fields"))?;
    drive.generated_ids.remove(&file.id);
    drive.files.insert(file.id.clone(), file);
    Ok(json_ok(&answer))
}

/// `PATCH /drive/v3/files/{fileId}` (metadata, `addParents`, `removeParents`).
pub(crate) async fn update(
    State(state): State<Shared>,
    caller: Caller,
    Path(file_id): Path<String>,
    params: Params,
    body: axum::body::Body,
) -> ApiResult {
    alt_media(&params, false)?;
    caller.require(Need::WriteMeta)?;
    let meta = json_object(&read_limited(body, SMALL_BODY_LIMIT).await?)?;
    let user = owner(&caller.email)?;
    let mut inner = state.data.write();
    let answer = update_metadata(&mut inner, &caller, &file_id, &params, &meta, None)?;
    let answer = render_file(&answer, user, &state.core.base_url, params.get("fields"))?;
    Ok(json_ok(&answer))
}

/// Shared by metadata and media updates: applies metadata, parents and new content.
pub(crate) fn update_metadata(
    inner: &mut super::DriveData,
    caller: &Caller,
    file_id: &str,
    params: &Params,
    meta: &serde_json::Map<String, serde_json::Value>,
    content: Option<(bytes::Bytes, Option<String>)>,
) -> Result<DriveFile, ApiError> {
    let drive = drive_mut(inner, &caller.email);
    let mut file = drive
        .files
        .get(file_id)
        .cloned()
        .ok_or_else(|| ApiError::file_not_found(file_id))?;
    caller.check(
        if content.is_some() {
            Need::Write
        } else {
            Need::WriteMeta
        },
        &file,
    )?;
    metadata::apply(&mut file, meta, Mode::Update, drive, caller)?;
    if let Some(remove) = params.non_empty("removeParents") {
        for id in remove.split(',').map(str::trim) {
            let id = if id == "root" {
                drive.root_id.as_str()
            } else {
                id
            };
            file.parents.retain(|p| p != id);
        }
    }
    if let Some(add) = params.non_empty("addParents") {
        for id in add.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let resolved = metadata::resolve_parent(drive, caller, id)?;
            if !file.parents.contains(&resolved) {
                file.parents.push(resolved);
            }
        }
        if file.parents.len() > 1 {
            return Err(ApiError::new(
                403,
                "PERMISSION_DENIED",
                "cannotAddParent",
                "A file can only have one parent folder: remove the old one with removeParents.",
            ));
        }
    }
    if let Some((bytes, mime)) = content {
        if file.mime_type == FOLDER_MIME {
            return Err(ApiError::bad_request("Folders cannot have content."));
        }
        file.content = Some(bytes);
        if let Some(m) = mime
            && !meta.contains_key("mimeType")
        {
            file.mime_type = m;
        }
    }
    let now = now_ms();
    if !meta.contains_key("modifiedTime") {
        file.modified_ms = now;
    }
    file.modified_by_me_ms = Some(now);
    file.version += 1;
    drive.files.insert(file.id.clone(), file.clone());
    Ok(file)
}

/// `DELETE /drive/v3/files/{fileId}`: permanent, children of a folder too.
pub(crate) async fn delete(
    State(state): State<Shared>,
    caller: Caller,
    Path(file_id): Path<String>,
) -> ApiResult {
    caller.require(Need::Write)?;
    let mut inner = state.data.write();
    let drive = drive_mut(&mut inner, &caller.email);
    let file = drive
        .files
        .get(&file_id)
        .ok_or_else(|| ApiError::file_not_found(&file_id))?;
    caller.check(Need::Write, file)?;
    let mut doomed = vec![file_id.clone()];
    let mut i = 0;
    while i < doomed.len() {
        let parent = doomed[i].clone();
        doomed.extend(
            drive
                .files
                .values()
                .filter(|f| f.parents.contains(&parent))
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

/// `POST /drive/v3/files/{fileId}/copy`.
pub(crate) async fn copy(
    State(state): State<Shared>,
    caller: Caller,
    Path(file_id): Path<String>,
    params: Params,
    body: axum::body::Body,
) -> ApiResult {
    alt_media(&params, false)?;
    caller.require(Need::Write)?;
    let meta = json_object(&read_limited(body, SMALL_BODY_LIMIT).await?)?;
    let user = owner(&caller.email)?;
    let mut inner = state.data.write();
    let drive = drive_mut(&mut inner, &caller.email);
    let source = drive
        .files
        .get(&file_id)
        .ok_or_else(|| ApiError::file_not_found(&file_id))?;
    caller.check(Need::ReadContent, source)?;
    if source.mime_type == FOLDER_MIME {
        return Err(ApiError::new(
            403,
            "PERMISSION_DENIED",
            "fileNotCopyable",
            "Folders cannot be copied.",
        ));
    }
    let mut copy = blank_file(&caller, &drive.root_id);
    copy.name = format!("Copy of {}", source.name);
    copy.mime_type = source.mime_type.clone();
    copy.parents = source.parents.clone();
    copy.description = source.description.clone();
    copy.content = source.content.clone();
    copy.properties = source.properties.clone();
    copy.original_filename = source.original_filename.clone();
    metadata::apply(&mut copy, &meta, Mode::Copy, drive, &caller)?;
    let answer = render_file(&copy, user, &state.core.base_url, params.get("fields"))?;
    drive.generated_ids.remove(&copy.id);
    drive.files.insert(copy.id.clone(), copy);
    Ok(json_ok(&answer))
}
