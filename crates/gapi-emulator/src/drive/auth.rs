//! Who is calling the Drive API and what their token's scopes allow.

use axum::http::{HeaderMap, header};

use crate::api_error::ApiError;
use crate::body::Params;
use crate::state::Shared;
use crate::time::now_ms;

use super::model::DriveFile;

const DRIVE: &str = "https://www.googleapis.com/auth/drive";
const DRIVE_FILE: &str = "https://www.googleapis.com/auth/drive.file";
const DRIVE_READONLY: &str = "https://www.googleapis.com/auth/drive.readonly";
const DRIVE_METADATA: &str = "https://www.googleapis.com/auth/drive.metadata";
const DRIVE_METADATA_READONLY: &str = "https://www.googleapis.com/auth/drive.metadata.readonly";

/// What a call needs to do with a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// See metadata (list, get).
    ReadMeta,
    /// Download content.
    ReadContent,
    /// Change metadata (rename, star, trash, move).
    WriteMeta,
    /// Create, upload, copy, delete.
    Write,
}

/// The authenticated caller of an API request.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub email: String,
    pub client_id: String,
    pub scopes: Vec<String>,
}

impl Caller {
    fn has(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// Whether a scope other than `drive.file` grants `need` on every file.
    fn broad(&self, need: Need) -> bool {
        self.has(DRIVE)
            || match need {
                Need::ReadMeta => {
                    self.has(DRIVE_READONLY)
                        || self.has(DRIVE_METADATA)
                        || self.has(DRIVE_METADATA_READONLY)
                }
                Need::ReadContent => self.has(DRIVE_READONLY),
                Need::WriteMeta => self.has(DRIVE_METADATA),
                Need::Write => false,
            }
    }

    /// 403 unless some scope could allow `need` on some file.
    pub(crate) fn require(&self, need: Need) -> Result<(), ApiError> {
        if self.broad(need) || self.has(DRIVE_FILE) {
            Ok(())
        } else {
            Err(ApiError::insufficient_scope())
        }
    }

    /// Whether the file is visible at all (`drive.file` sees only its app's files).
    pub(crate) fn sees(&self, file: &DriveFile) -> bool {
        self.broad(Need::ReadMeta) || self.owns_via_app(file)
    }

    fn owns_via_app(&self, file: &DriveFile) -> bool {
        self.has(DRIVE_FILE) && file.app_client.as_deref() == Some(self.client_id.as_str())
    }

    /// Checks `need` on `file`: 404 when the file is invisible to this token, 403 when it is
    /// visible but the scopes do not allow the operation.
    pub(crate) fn check(&self, need: Need, file: &DriveFile) -> Result<(), ApiError> {
        if !self.sees(file) {
            return Err(ApiError::file_not_found(&file.id));
        }
        if self.broad(need) || self.owns_via_app(file) {
            Ok(())
        } else {
            Err(ApiError::insufficient_scope())
        }
    }
}

/// Reads the bearer token (`Authorization: Bearer` or `access_token=`) and checks it.
pub(crate) fn authenticate(
    state: &Shared,
    headers: &HeaderMap,
    params: &Params,
) -> Result<Caller, ApiError> {
    let from_header = match headers.get(header::AUTHORIZATION) {
        Some(v) => {
            let text = v.to_str().unwrap_or("");
            let token = text
                .strip_prefix("Bearer ")
                .or_else(|| text.strip_prefix("bearer "))
                .map(str::trim);
            match token {
                Some(t) if !t.is_empty() => Some(t.to_owned()),
                _ => {
                    return Err(ApiError::unauthenticated(
                        "Request had invalid authentication credentials. Expected OAuth 2 access token (Authorization: Bearer ...).",
                    ));
                }
            }
        }
        None => None,
    };
    let Some(token) = from_header.or_else(|| params.non_empty("access_token").map(str::to_owned))
    else {
        return Err(ApiError::unauthenticated(
            "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
        ));
    };
    let inner = state.lock();
    let Some(record) = inner.data.access_tokens.get(&token) else {
        return Err(ApiError::unauthenticated(
            "Request had invalid authentication credentials. The access token is unknown or was revoked: get a new one (refresh or sign in again).",
        ));
    };
    if record.expires_ms <= now_ms() {
        return Err(ApiError::unauthenticated(
            "Request had invalid authentication credentials. The access token expired: refresh it.",
        ));
    }
    Ok(Caller {
        email: record.email.clone(),
        client_id: record.client_id.clone(),
        scopes: record.scopes.clone(),
    })
}
