//! Drive: folder paths ([`resolve_path`], [`ensure_folder_path`]), tree uploads
//! ([`plan_upload`], [`upload_plan`]) and tree downloads with Google Docs exports
//! ([`plan_download`], [`download_plan`], [`export_file`]), on gapi-client's media transfers
//! (resumable, checksummed).
//!
//! ```no_run
//! # async fn f(drive: gapi_client::Service) -> gapi_workspace::Result<()> {
//! use gapi_workspace::drive;
//! let parent = drive::ensure_folder_path(&drive, "root", "Backups/2026").await?;
//! let plan = drive::plan_upload(&["./photos"], &parent)?;
//! let report = drive::upload_plan(&drive, &plan, &Default::default()).await?;
//! assert!(report.failed.is_empty());
//! # Ok(()) }
//! ```

mod download;
mod paths;
mod upload;

pub use download::{
    DownloadKind, DownloadReport, ExportFormats, PlannedDownload, download_plan, export_file,
    extension_for, plan_download, plan_fields,
};
pub use paths::{
    FOLDER_MIME, children, create_folder, ensure_folder_path, q_literal, resolve, resolve_path,
};
pub use upload::{
    EventSink, Parent, PlannedFile, PlannedFolder, TreeEvent, TreeUploadOptions, UploadPlan,
    UploadReport, google_type_for, plan_upload, upload_plan,
};
