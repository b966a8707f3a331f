//! Uploading local files and folder trees: a plan made from the file system first (folders
//! before what they hold, files with their parent), then executed through Drive's
//! `files.create` (folders) and media uploads (resumable above 5 MiB, checksummed), one file
//! at a time. A failed file is reported and the rest go on.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gapi_client::Service;
use gapi_client::media::{MediaSource, Progress};
use serde_json::{Value, json};

use super::paths::{FOLDER_MIME, create_folder};
use crate::error::{Error, Result};

/// Where a planned item goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parent {
    /// An existing folder (`root` = My Drive).
    Id(String),
    /// A folder of the plan (its index in [`UploadPlan::folders`]), created before.
    Planned(usize),
}

/// A folder to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFolder {
    /// The local folder.
    pub local: PathBuf,
    /// Its name in Drive.
    pub name: String,
    /// Where it goes.
    pub parent: Parent,
}

/// A file to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    /// The local file.
    pub local: PathBuf,
    /// Its name in Drive.
    pub name: String,
    /// Where it goes.
    pub parent: Parent,
    /// Its size.
    pub size: u64,
    /// Its MIME type (from the extension).
    pub mime: String,
}

/// What an upload will do: folders in creation order (parents first), then files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadPlan {
    /// Folders to create.
    pub folders: Vec<PlannedFolder>,
    /// Files to upload.
    pub files: Vec<PlannedFile>,
    /// Local entries left out, and why (symbolic links, devices...).
    pub skipped: Vec<(PathBuf, String)>,
}

impl UploadPlan {
    /// The bytes to upload.
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

/// Plans the upload of `paths` (files and folders, folders recursively) into the Drive folder
/// `parent_id`. Entries are sorted by name; symbolic links are skipped (never followed, so a
/// loop cannot make the plan endless).
pub fn plan_upload<P: AsRef<Path>>(paths: &[P], parent_id: &str) -> Result<UploadPlan> {
    let mut plan = UploadPlan::default();
    for p in paths {
        add(&mut plan, p.as_ref(), Parent::Id(parent_id.to_string()))?;
    }
    Ok(plan)
}

fn add(plan: &mut UploadPlan, path: &Path, parent: Parent) -> Result<()> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| Error::io(path, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .or_else(|| {
            std::fs::canonicalize(path)
                .ok()
                .and_then(|c| c.file_name().map(|n| n.to_string_lossy().into_owned()))
        })
        .ok_or_else(|| Error::invalid(format!("{} has no name to upload under", path.display())))?;
    if meta.file_type().is_symlink() {
        plan.skipped
            .push((path.to_path_buf(), "symbolic link (not followed)".into()));
    } else if meta.is_dir() {
        plan.folders.push(PlannedFolder {
            local: path.to_path_buf(),
            name,
            parent,
        });
        let me = Parent::Planned(plan.folders.len() - 1);
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Error::io(path, e))?
            .map(|e| e.map(|e| e.path()).map_err(|err| Error::io(path, err)))
            .collect::<Result<_>>()?;
        entries.sort();
        for e in entries {
            add(plan, &e, me.clone())?;
        }
    } else if meta.is_file() {
        plan.files.push(PlannedFile {
            mime: crate::mail::guess_mime(&name),
            local: path.to_path_buf(),
            name,
            parent,
            size: meta.len(),
        });
    } else {
        plan.skipped
            .push((path.to_path_buf(), "not a regular file or folder".into()));
    }
    Ok(())
}

/// The Google type a file converts to on upload (`--convert`), by its extension.
pub fn google_type_for(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "doc" | "docx" | "odt" | "rtf" | "txt" | "html" | "htm" | "md" => {
            "application/vnd.google-apps.document"
        }
        "xls" | "xlsx" | "ods" | "csv" | "tsv" => "application/vnd.google-apps.spreadsheet",
        "ppt" | "pptx" | "odp" => "application/vnd.google-apps.presentation",
        _ => return None,
    })
}

/// A step of a tree upload, for progress display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeEvent {
    /// A folder was created.
    FolderCreated {
        /// The local folder.
        local: PathBuf,
        /// Its Drive id.
        id: String,
    },
    /// Bytes of a file were sent.
    FileProgress {
        /// The local file.
        local: PathBuf,
        /// Bytes sent so far.
        done: u64,
        /// The file's size.
        total: u64,
    },
    /// A file is uploaded.
    FileDone {
        /// The local file.
        local: PathBuf,
        /// Its Drive id.
        id: String,
    },
    /// A file or folder failed (the rest go on).
    Failed {
        /// The local path.
        local: PathBuf,
        /// Why.
        error: String,
    },
}

/// A callback for the steps of a tree upload.
pub type EventSink = Arc<dyn Fn(&TreeEvent) + Send + Sync>;

/// Options of a tree upload.
#[derive(Clone, Default)]
pub struct TreeUploadOptions {
    /// Convert files to Google types where Drive can (`report.docx` becomes a Doc named
    /// `report`).
    pub convert: bool,
    /// Called for every step.
    pub on_event: Option<EventSink>,
}

impl std::fmt::Debug for TreeUploadOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TreeUploadOptions")
            .field("convert", &self.convert)
            .finish_non_exhaustive()
    }
}

/// What a tree upload did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadReport {
    /// Folders created: local path and Drive id.
    pub folders: Vec<(PathBuf, String)>,
    /// Files uploaded: local path and the created file (`id`, `name`, `mimeType`, `size`,
    /// `md5Checksum`).
    pub files: Vec<(PathBuf, Value)>,
    /// What failed, with the error text (the files of a failed folder included).
    pub failed: Vec<(PathBuf, String)>,
    /// Bytes uploaded.
    pub bytes: u64,
}

/// Runs an upload plan on `drive`.
pub async fn upload_plan(
    drive: &Service,
    plan: &UploadPlan,
    opts: &TreeUploadOptions,
) -> Result<UploadReport> {
    let emit = |e: TreeEvent| {
        if let Some(f) = &opts.on_event {
            f(&e);
        }
    };
    let mut report = UploadReport::default();
    let mut folder_ids: Vec<Option<String>> = Vec::with_capacity(plan.folders.len());
    let parent_id = |p: &Parent, ids: &[Option<String>]| -> Option<String> {
        match p {
            Parent::Id(id) => Some(id.clone()),
            Parent::Planned(i) => ids.get(*i).cloned().flatten(),
        }
    };
    for folder in &plan.folders {
        let Some(parent) = parent_id(&folder.parent, &folder_ids) else {
            folder_ids.push(None);
            report.failed.push((
                folder.local.clone(),
                "its parent folder could not be created".into(),
            ));
            continue;
        };
        match create_folder(drive, &parent, &folder.name).await {
            Ok(id) => {
                emit(TreeEvent::FolderCreated {
                    local: folder.local.clone(),
                    id: id.clone(),
                });
                report.folders.push((folder.local.clone(), id.clone()));
                folder_ids.push(Some(id));
            }
            Err(e) => {
                emit(TreeEvent::Failed {
                    local: folder.local.clone(),
                    error: e.to_string(),
                });
                report.failed.push((folder.local.clone(), e.to_string()));
                folder_ids.push(None);
            }
        }
    }
    for file in &plan.files {
        let Some(parent) = parent_id(&file.parent, &folder_ids) else {
            report
                .failed
                .push((file.local.clone(), "its folder could not be created".into()));
            continue;
        };
        match upload_file(drive, file, &parent, opts).await {
            Ok(created) => {
                emit(TreeEvent::FileDone {
                    local: file.local.clone(),
                    id: created["id"].as_str().unwrap_or_default().to_string(),
                });
                report.bytes += file.size;
                report.files.push((file.local.clone(), created));
            }
            Err(e) => {
                emit(TreeEvent::Failed {
                    local: file.local.clone(),
                    error: e.to_string(),
                });
                report.failed.push((file.local.clone(), e.to_string()));
            }
        }
    }
    Ok(report)
}

async fn upload_file(
    drive: &Service,
    file: &PlannedFile,
    parent: &str,
    opts: &TreeUploadOptions,
) -> Result<Value> {
    let mut meta = json!({"name": file.name, "parents": [parent]});
    if opts.convert
        && let Some(google) = google_type_for(&file.name)
    {
        meta["mimeType"] = json!(google);
        meta["name"] = json!(
            file.name
                .rsplit_once('.')
                .map_or(file.name.as_str(), |(s, _)| s)
        );
    }
    let mut call = drive
        .method("files.create")?
        .body(meta)
        .fields("id,name,mimeType,size,md5Checksum,parents")
        .upload(MediaSource::path(&file.local))
        .content_type(file.mime.clone());
    if let Some(f) = opts.on_event.clone() {
        let local = file.local.clone();
        let total = file.size;
        call = call.progress(Progress::new(move |done, _| {
            f(&TreeEvent::FileProgress {
                local: local.clone(),
                done,
                total,
            })
        }));
    }
    let created = call.send().await?;
    if created.get("mimeType").and_then(Value::as_str) == Some(FOLDER_MIME) {
        return Err(Error::response(
            "drive.files.create",
            "a folder was created for a file",
        ));
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_folders_before_their_files_and_skips_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("proj");
        std::fs::create_dir_all(root.join("b/c")).unwrap();
        std::fs::write(root.join("a.txt"), "aa").unwrap();
        std::fs::write(root.join("b/c/d.csv"), "1,2").unwrap();
        std::fs::write(dir.path().join("single.pdf"), "%PDF").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&root, root.join("b/loop")).unwrap();
        let plan = plan_upload(&[root.clone(), dir.path().join("single.pdf")], "root").unwrap();
        let names: Vec<&str> = plan.folders.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["proj", "b", "c"]);
        assert_eq!(plan.folders[0].parent, Parent::Id("root".into()));
        assert_eq!(plan.folders[2].parent, Parent::Planned(1));
        let files: Vec<(&str, &Parent, &str)> = plan
            .files
            .iter()
            .map(|f| (f.name.as_str(), &f.parent, f.mime.as_str()))
            .collect();
        assert_eq!(
            files,
            [
                ("a.txt", &Parent::Planned(0), "text/plain"),
                ("d.csv", &Parent::Planned(2), "text/csv"),
                ("single.pdf", &Parent::Id("root".into()), "application/pdf"),
            ]
        );
        assert_eq!(plan.total_bytes(), 2 + 3 + 4);
        #[cfg(unix)]
        assert_eq!(plan.skipped.len(), 1);
        assert!(plan_upload(&[dir.path().join("missing")], "root").is_err());
        assert_eq!(
            google_type_for("x.DOCX"),
            Some("application/vnd.google-apps.document")
        );
        assert_eq!(google_type_for("x.bin"), None);
    }
}
