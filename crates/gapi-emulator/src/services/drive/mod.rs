//! The Drive v3 subset: files list/get/create/update/delete/copy, media upload (simple,
//! multipart, resumable) and download (with ranges), about.get, and batch requests.

pub(crate) mod about;
pub(crate) mod changes;
pub(crate) mod download;
pub(crate) mod export;
pub(crate) mod files;
pub(crate) mod list;
pub(crate) mod metadata;
pub(crate) mod model;
pub(crate) mod order;
pub(crate) mod permissions;
pub(crate) mod query;
pub(crate) mod scopes;
pub(crate) mod trash_ids;
pub(crate) mod upload;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::framework::Ctx;
use crate::framework::api_error::ApiError;
use crate::framework::fields;
use crate::framework::service::Service;
use crate::framework::store::Store;
use crate::world::drives::root_id;
use crate::world::users::{TestUser, find_account, test_users};

use model::{DriveFile, UploadSession, UserDrive};

/// Drive's saved state: every user's files and the open upload sessions.
#[derive(Serialize, Deserialize, Default)]
pub(crate) struct DriveData {
    pub drives: BTreeMap<String, UserDrive>,
    pub uploads: HashMap<String, UploadSession>,
}

impl DriveData {
    /// Every test user's seeded Drive, no uploads.
    fn seeded() -> Self {
        Self {
            drives: test_users()
                .iter()
                .map(|u| (u.email.to_owned(), UserDrive::seeded(u.email)))
                .collect(),
            uploads: HashMap::new(),
        }
    }
}

/// What Drive's handlers reach: the shared context (base URL, tokens) and Drive's state.
pub(crate) struct DriveSvc {
    pub core: Ctx,
    pub data: Arc<Store<DriveData>>,
}

/// Handle passed to Drive's handlers.
pub(crate) type Shared = Arc<DriveSvc>;

/// The Drive v3 service.
pub(crate) fn service(core: &Ctx) -> Service {
    let state = Arc::new(DriveSvc {
        core: core.clone(),
        data: core.persistent("drive", DriveData::seeded),
    });
    Service::new("drive", routes().with_state(state))
}

/// Routes of the Drive subset.
fn routes() -> Router<Shared> {
    Router::new()
        .route("/drive/v3/files", get(list::list).post(files::create))
        .route(
            "/drive/v3/files/{file_id}",
            get(files::get).patch(files::update).delete(files::delete),
        )
        .route("/drive/v3/files/{file_id}/copy", post(files::copy))
        .route("/drive/v3/files/{file_id}/export", get(export::export))
        .route("/drive/v3/files/generateIds", get(trash_ids::generate_ids))
        .route(
            "/drive/v3/files/trash",
            axum::routing::delete(trash_ids::empty_trash),
        )
        .route(
            "/drive/v3/files/{file_id}/permissions",
            get(permissions::list).post(permissions::create),
        )
        .route(
            "/drive/v3/files/{file_id}/permissions/{permission_id}",
            get(permissions::get)
                .patch(permissions::update)
                .delete(permissions::delete),
        )
        .route(
            "/drive/v3/changes/startPageToken",
            get(changes::start_page_token),
        )
        .route("/drive/v3/changes", get(changes::list))
        .route("/drive/v3/about", get(about::about))
        .route(
            "/upload/drive/v3/files",
            post(upload::create).put(upload::resume),
        )
        .route(
            "/upload/drive/v3/files/{file_id}",
            axum::routing::patch(upload::update).put(upload::resume_update),
        )
}

/// The test user behind an email (tokens are only ever issued to test users).
pub(crate) fn owner(email: &str) -> Result<&'static TestUser, ApiError> {
    if email.starts_with("principal://") {
        // A federated (STS) token: Drive takes none, as Google's APIs that do not support
        // workload identity federation answer; impersonate a service account instead.
        return Err(ApiError::invalid_credentials(
            "ACCESS_TOKEN_TYPE_UNSUPPORTED",
            Some("drive.googleapis.com"),
            "A federated token from STS cannot call Drive: exchange it for a service account's token (service_account_impersonation_url).",
        ));
    }
    find_account(email).ok_or_else(|| {
        ApiError::new(
            500,
            "INTERNAL",
            "backendError",
            "The token's user is not a test user.",
        )
    })
}

/// The caller's Drive, created empty if needed.
pub(crate) fn drive_mut<'a>(data: &'a mut DriveData, email: &str) -> &'a mut UserDrive {
    data.drives
        .entry(email.to_owned())
        .or_insert_with(|| UserDrive {
            root_id: root_id(email),
            files: Default::default(),
            generated_ids: Default::default(),
            changes: Default::default(),
        })
}

/// A file resource as answered, honouring `fields` (default `kind,id,name,mimeType`).
pub(crate) fn render_file(
    file: &DriveFile,
    owner: &TestUser,
    base_url: &str,
    fields_param: Option<&str>,
) -> Result<Value, ApiError> {
    render_file_for(file, owner, true, base_url, fields_param)
}

/// [`render_file`] for a viewer who may not be the owner (a file shared with them).
pub(crate) fn render_file_for(
    file: &DriveFile,
    owner: &TestUser,
    viewer_is_owner: bool,
    base_url: &str,
    fields_param: Option<&str>,
) -> Result<Value, ApiError> {
    let mut full = file.to_json(owner, base_url);
    if !viewer_is_owner {
        full["ownedByMe"] = json!(false);
        full["owners"][0]["me"] = json!(false);
    }
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
    let t = crate::framework::random::token(24);
    format!("1{}", &t[..32.min(t.len())])
}
