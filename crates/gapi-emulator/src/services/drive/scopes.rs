//! What a Drive token's scopes allow: `drive` everything, `drive.readonly` reading,
//! `drive.metadata(.readonly)` metadata, `drive.file` only the files its own app created.

use crate::framework::api_error::ApiError;
use crate::framework::caller::Caller;

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

/// Drive's scope rules on the shared [`Caller`].
pub(crate) trait DriveScopes {
    /// 403 unless some scope could allow `need` on some file.
    fn require(&self, need: Need) -> Result<(), ApiError>;
    /// Whether the file is visible at all (`drive.file` sees only its app's files).
    fn sees(&self, file: &DriveFile) -> bool;
    /// Checks `need` on `file`: 404 when the file is invisible to this token, 403 when it is
    /// visible but the scopes do not allow the operation.
    fn check(&self, need: Need, file: &DriveFile) -> Result<(), ApiError>;
}

/// The scopes that allow `need` (for the 403's `WWW-Authenticate`), as Drive's documents list
/// them for the methods that need it.
fn accepted(need: Need) -> &'static [&'static str] {
    match need {
        Need::ReadMeta => &[
            DRIVE,
            DRIVE_FILE,
            DRIVE_METADATA,
            DRIVE_METADATA_READONLY,
            DRIVE_READONLY,
        ],
        Need::ReadContent => &[DRIVE, DRIVE_FILE, DRIVE_READONLY],
        Need::WriteMeta => &[DRIVE, DRIVE_FILE, DRIVE_METADATA],
        Need::Write => &[DRIVE, DRIVE_FILE],
    }
}

fn denied(need: Need) -> ApiError {
    ApiError::insufficient_scope_for(accepted(need), Some("drive.googleapis.com"))
}

/// Whether a scope other than `drive.file` grants `need` on every file.
fn broad(caller: &Caller, need: Need) -> bool {
    caller.has(DRIVE)
        || match need {
            Need::ReadMeta => {
                caller.has(DRIVE_READONLY)
                    || caller.has(DRIVE_METADATA)
                    || caller.has(DRIVE_METADATA_READONLY)
            }
            Need::ReadContent => caller.has(DRIVE_READONLY),
            Need::WriteMeta => caller.has(DRIVE_METADATA),
            Need::Write => false,
        }
}

fn owns_via_app(caller: &Caller, file: &DriveFile) -> bool {
    caller.has(DRIVE_FILE) && file.app_client.as_deref() == Some(caller.client_id.as_str())
}

impl DriveScopes for Caller {
    fn require(&self, need: Need) -> Result<(), ApiError> {
        if broad(self, need) || self.has(DRIVE_FILE) {
            Ok(())
        } else {
            Err(denied(need))
        }
    }

    fn sees(&self, file: &DriveFile) -> bool {
        broad(self, Need::ReadMeta) || owns_via_app(self, file)
    }

    fn check(&self, need: Need, file: &DriveFile) -> Result<(), ApiError> {
        if !self.sees(file) {
            return Err(ApiError::file_not_found(&file.id));
        }
        if broad(self, need) || owns_via_app(self, file) {
            Ok(())
        } else {
            Err(denied(need))
        }
    }
}
