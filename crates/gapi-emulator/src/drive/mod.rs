//! The Drive v3 subset: files list/get/create/update/delete/copy, media upload (simple,
//! multipart, resumable) and download (with ranges), about.get, and batch requests.

pub(crate) mod about;
pub(crate) mod auth;
pub(crate) mod batch;
pub(crate) mod download;
pub(crate) mod fields;
pub(crate) mod files;
pub(crate) mod list;
pub(crate) mod metadata;
pub(crate) mod model;
pub(crate) mod multipart;
pub(crate) mod order;
pub(crate) mod query;
pub(crate) mod upload;

use axum::Router;
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::api_error::ApiError;
use crate::state::Inner;
use crate::users::{TestUser, find_user};

use model::{DriveFile, UserDrive};

/// Routes of the Drive subset.
pub(crate) fn routes() -> Router<crate::state::Shared> {
    Router::new()
        .route("/drive/v3/files", get(list::list).post(files::create))
        .route(
            "/drive/v3/files/{file_id}",
            get(files::get).patch(files::update).delete(files::delete),
        )
        .route("/drive/v3/files/{file_id}/copy", post(files::copy))
        .route("/drive/v3/about", get(about::about))
        .route(
            "/upload/drive/v3/files",
            post(upload::create).put(upload::resume),
        )
        .route("/batch/drive/v3", post(batch::batch))
        .route("/batch", post(batch::batch))
        .route(
            "/upload/drive/v3/files/{file_id}",
            axum::routing::patch(upload::update).put(upload::resume_update),
        )
}

/// The test user behind an email (tokens are only ever issued to test users).
pub(crate) fn owner(email: &str) -> Result<&'static TestUser, ApiError> {
    find_user(email).ok_or_else(|| {
        ApiError::new(
            500,
            "INTERNAL",
            "backendError",
            "The token's user is not a test user.",
        )
    })
}

/// The caller's Drive, created empty if needed.
pub(crate) fn drive_mut<'a>(inner: &'a mut Inner, email: &str) -> &'a mut UserDrive {
    inner
        .data
        .drives
        .entry(email.to_owned())
        .or_insert_with(|| UserDrive {
            root_id: crate::seed::root_id(email),
            files: Default::default(),
        })
}

/// A file resource as answered, honouring `fields` (default `kind,id,name,mimeType`).
pub(crate) fn render_file(
    file: &DriveFile,
    owner: &TestUser,
    base_url: &str,
    fields_param: Option<&str>,
) -> Result<Value, ApiError> {
    let full = file.to_json(owner, base_url);
    match fields_param.filter(|f| !f.trim().is_empty()) {
        None => Ok(json!({
            "kind": "drive#file",
            "id": file.id,
            "name": file.name,
            "mimeType": file.mime_type,
        })),
        Some(text) => {
            let sel = fields::parse(text)?;
            fields::check_names(&sel, model::FILE_FIELDS, "")?;
            Ok(fields::apply(&full, &sel))
        }
    }
}

/// A fresh file id (33 characters like Drive's).
pub(crate) fn new_file_id() -> String {
    let t = crate::random::token(24);
    format!("1{}", &t[..32.min(t.len())])
}
