//! Downloading files and folder trees: a plan made from Drive's listing (folders
//! recursively; Google Docs exported to a chosen format; names made safe and unique), then
//! executed with gapi-client's checked, resumable media downloads. An export larger than
//! `files.export` allows (10 MB) is fetched from the file's `exportLinks` instead.

use std::path::{Path, PathBuf};

use gapi_client::Service;
use gapi_client::media::{DownloadOptions, MediaClient};
use serde_json::Value;

use super::paths::{FILE_FIELDS, FOLDER_MIME, children};
use crate::error::{Error, Result};
use crate::mail::safe_filename;

/// The formats Google Docs types are exported to (MIME types).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFormats {
    /// Google Docs (default: Word, `.docx`).
    pub document: String,
    /// Google Sheets (default: Excel, `.xlsx`).
    pub spreadsheet: String,
    /// Google Slides (default: PowerPoint, `.pptx`).
    pub presentation: String,
    /// Google Drawings (default: PDF).
    pub drawing: String,
}

impl Default for ExportFormats {
    fn default() -> Self {
        ExportFormats {
            document: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                .into(),
            spreadsheet: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
            presentation:
                "application/vnd.openxmlformats-officedocument.presentationml.presentation".into(),
            drawing: "application/pdf".into(),
        }
    }
}

impl ExportFormats {
    /// Every type to one format given by extension or MIME type (`pdf`, `text/plain`), where
    /// that type offers it; the others keep their default. Errors on an unknown format.
    pub fn all(format: &str) -> Result<ExportFormats> {
        let mime = mime_of(format)
            .ok_or_else(|| Error::invalid(format!("unknown export format {format:?}; use pdf, docx, xlsx, pptx, odt, ods, odp, txt, md, html, csv, tsv, epub, rtf, png, jpg, svg or a MIME type")))?;
        let mut f = ExportFormats::default();
        let offers = |list: &[&str], own: &str| list.contains(&mime) || mime.contains(own);
        if offers(
            &[
                "application/pdf",
                "text/plain",
                "text/markdown",
                "text/html",
                "application/rtf",
                "application/vnd.oasis.opendocument.text",
                "application/epub+zip",
                "application/zip",
            ],
            "wordprocessingml",
        ) {
            f.document = mime.to_string();
        }
        if offers(
            &[
                "application/pdf",
                "text/csv",
                "text/tab-separated-values",
                "application/vnd.oasis.opendocument.spreadsheet",
                "application/zip",
            ],
            "spreadsheetml",
        ) {
            f.spreadsheet = mime.to_string();
        }
        if offers(
            &[
                "application/pdf",
                "text/plain",
                "application/vnd.oasis.opendocument.presentation",
                "image/png",
                "image/jpeg",
                "image/svg+xml",
            ],
            "presentationml",
        ) {
            f.presentation = mime.to_string();
        }
        if offers(
            &[
                "application/pdf",
                "image/png",
                "image/jpeg",
                "image/svg+xml",
            ],
            "\0",
        ) {
            f.drawing = mime.to_string();
        }
        Ok(f)
    }

    /// The export MIME type for a Google type, `None` for types that cannot be downloaded
    /// (Forms, Sites, shortcuts...).
    pub fn for_google_type(&self, mime: &str) -> Option<&str> {
        match mime {
            "application/vnd.google-apps.document" => Some(&self.document),
            "application/vnd.google-apps.spreadsheet" => Some(&self.spreadsheet),
            "application/vnd.google-apps.presentation" => Some(&self.presentation),
            "application/vnd.google-apps.drawing" => Some(&self.drawing),
            _ => None,
        }
    }
}

const FORMATS: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("odp", "application/vnd.oasis.opendocument.presentation"),
    ("txt", "text/plain"),
    ("md", "text/markdown"),
    ("html", "text/html"),
    ("csv", "text/csv"),
    ("tsv", "text/tab-separated-values"),
    ("epub", "application/epub+zip"),
    ("rtf", "application/rtf"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("svg", "image/svg+xml"),
    ("zip", "application/zip"),
];

fn mime_of(format: &str) -> Option<&'static str> {
    let f = format.trim().trim_start_matches('.').to_ascii_lowercase();
    FORMATS
        .iter()
        .find(|(ext, mime)| *ext == f || *mime == f)
        .map(|(_, m)| *m)
}

/// The file extension for an export MIME type (`docx` for Word...).
pub fn extension_for(mime: &str) -> Option<&'static str> {
    FORMATS.iter().find(|(_, m)| *m == mime).map(|(e, _)| *e)
}

/// How one item is fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DownloadKind {
    /// A folder: created locally.
    Folder,
    /// A file with content: `files.get?alt=media`.
    Media,
    /// A Google Docs file: exported to `mime`.
    Export {
        /// The target MIME type.
        mime: String,
        /// The file's `exportLinks` URL for that type, if Drive gave one.
        link: Option<String>,
    },
    /// Left out, and why.
    Skip(String),
}

/// One item to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedDownload {
    /// The Drive id.
    pub id: String,
    /// The local path, relative to the target folder.
    pub path: PathBuf,
    /// How.
    pub kind: DownloadKind,
}

/// Plans the download of the file or folder `item` (a `files.get`/`files.list` entry with
/// `id`, `name`, `mimeType`, `exportLinks`), folders recursively.
pub async fn plan_download(
    drive: &Service,
    item: &Value,
    formats: &ExportFormats,
) -> Result<Vec<PlannedDownload>> {
    let mut out = Vec::new();
    let name = safe_filename(item["name"].as_str().unwrap_or("untitled"));
    let mut queue = vec![(item.clone(), PathBuf::from(&name))];
    while let Some((file, path)) = queue.pop() {
        let id = file["id"].as_str().unwrap_or_default().to_string();
        let mime = file["mimeType"].as_str().unwrap_or_default();
        if mime == FOLDER_MIME {
            out.push(PlannedDownload {
                id: id.clone(),
                path: path.clone(),
                kind: DownloadKind::Folder,
            });
            let mut kids = children(drive, &id, None).await?;
            kids.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
            let mut taken: Vec<String> = Vec::new();
            let mut planned = Vec::new();
            for kid in kids {
                let mut kid_name = safe_filename(kid["name"].as_str().unwrap_or("untitled"));
                if let Some(ext) = kind_of(&kid, formats).1 {
                    kid_name = format!("{kid_name}.{ext}");
                }
                let unique = unique_name(&kid_name, &taken);
                taken.push(unique.to_ascii_lowercase());
                planned.push((kid, path.join(unique)));
            }
            // Depth first, in name order.
            queue.extend(planned.into_iter().rev());
            continue;
        }
        let (kind, ext) = kind_of(&file, formats);
        let path = match (ext, out.is_empty()) {
            (Some(ext), true) => PathBuf::from(format!("{}.{ext}", path.display())),
            _ => path,
        };
        out.push(PlannedDownload { id, path, kind });
    }
    Ok(out)
}

fn kind_of(file: &Value, formats: &ExportFormats) -> (DownloadKind, Option<&'static str>) {
    let mime = file["mimeType"].as_str().unwrap_or_default();
    if mime == FOLDER_MIME {
        return (DownloadKind::Folder, None);
    }
    if !mime.starts_with("application/vnd.google-apps.") {
        return (DownloadKind::Media, None);
    }
    match formats.for_google_type(mime) {
        Some(target) => (
            DownloadKind::Export {
                mime: target.to_string(),
                link: file
                    .get("exportLinks")
                    .and_then(|l| l.get(target))
                    .and_then(Value::as_str)
                    .map(str::to_string),
            },
            extension_for(target),
        ),
        None => (
            DownloadKind::Skip(format!("{mime} files cannot be downloaded or exported")),
            None,
        ),
    }
}

/// `name`, or `name (2).ext`... when a case-insensitive equal name is taken.
fn unique_name(name: &str, taken: &[String]) -> String {
    if !taken.contains(&name.to_ascii_lowercase()) {
        return name.to_string();
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
        _ => (name, String::new()),
    };
    (2..)
        .map(|n| format!("{stem} ({n}){ext}"))
        .find(|c| !taken.contains(&c.to_ascii_lowercase()))
        .unwrap_or_else(|| name.to_string())
}

/// What a tree download did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DownloadReport {
    /// Files written, with their sizes.
    pub files: Vec<(PathBuf, u64)>,
    /// Folders made.
    pub folders: Vec<PathBuf>,
    /// Items left out, and why.
    pub skipped: Vec<(PathBuf, String)>,
    /// Items that failed, with the error (the others went on).
    pub failed: Vec<(PathBuf, String)>,
}

/// Runs a download plan into `dir`; existing files are replaced only with `overwrite`.
pub async fn download_plan(
    drive: &Service,
    plan: &[PlannedDownload],
    dir: &Path,
    overwrite: bool,
) -> Result<DownloadReport> {
    let mut report = DownloadReport::default();
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    for item in plan {
        let target = dir.join(&item.path);
        let result: Result<Option<u64>> = match &item.kind {
            DownloadKind::Folder => std::fs::create_dir_all(&target)
                .map(|()| None)
                .map_err(|e| Error::io(&target, e)),
            DownloadKind::Skip(why) => {
                report.skipped.push((item.path.clone(), why.clone()));
                continue;
            }
            DownloadKind::Media => {
                async {
                    let r = drive
                        .method("files.get")?
                        .param("fileId", item.id.as_str())
                        .download()
                        .overwrite(overwrite)
                        .to_file(&target)
                        .await?;
                    Ok(Some(r.bytes))
                }
                .await
            }
            DownloadKind::Export { mime, link } => {
                export_file(drive, &item.id, mime, link.as_deref(), &target, overwrite)
                    .await
                    .map(Some)
            }
        };
        match result {
            Ok(None) => report.folders.push(item.path.clone()),
            Ok(Some(bytes)) => report.files.push((item.path.clone(), bytes)),
            Err(e) => report.failed.push((item.path.clone(), e.to_string())),
        }
    }
    Ok(report)
}

/// Exports a Google Docs file to `target` in `mime` through `files.export`; when Drive says
/// the export is too large for it (`exportSizeLimitExceeded`, over 10 MB), through the
/// file's `exportLinks` (read from the file when `link` is not given). Returns the size.
pub async fn export_file(
    drive: &Service,
    file_id: &str,
    mime: &str,
    link: Option<&str>,
    target: &Path,
    overwrite: bool,
) -> Result<u64> {
    let direct = drive
        .method("files.export")?
        .param("fileId", file_id)
        .param("mimeType", mime)
        .download()
        .overwrite(overwrite)
        .to_file(target)
        .await;
    match direct {
        Ok(r) => Ok(r.bytes),
        Err(e) if e.api().and_then(|a| a.reason.as_deref()) == Some("exportSizeLimitExceeded") => {
            let url = match link {
                Some(l) => l.to_string(),
                None => {
                    let f = drive
                        .method("files.get")?
                        .param("fileId", file_id)
                        .fields("exportLinks")
                        .execute()
                        .await?;
                    f.get("exportLinks")
                        .and_then(|l| l.get(mime))
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .ok_or_else(|| {
                            Error::invalid(format!(
                                "the export is larger than files.export allows and Drive offers no export link to {mime} for {file_id}"
                            ))
                        })?
                }
            };
            let url = url::Url::parse(&url)
                .map_err(|e| Error::invalid(format!("bad export link {url:?}: {e}")))?;
            let r = MediaClient::new(drive.transport())?
                .download_to_file(
                    url,
                    target,
                    &DownloadOptions::default().overwrite(overwrite),
                )
                .await?;
            Ok(r.bytes)
        }
        Err(e) => Err(e.into()),
    }
}

/// The fields a plan needs for the top item, for a `files.get`.
pub fn plan_fields() -> String {
    format!("{FILE_FIELDS},exportLinks")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_names() {
        let f = ExportFormats::all("pdf").unwrap();
        assert_eq!(f.document, "application/pdf");
        assert_eq!(f.spreadsheet, "application/pdf");
        let f = ExportFormats::all("csv").unwrap();
        assert_eq!(f.spreadsheet, "text/csv");
        assert!(
            f.document.contains("wordprocessing"),
            "documents keep their default"
        );
        let f = ExportFormats::all("md").unwrap();
        assert_eq!(f.document, "text/markdown");
        assert!(ExportFormats::all("exe").is_err());
        assert_eq!(extension_for("text/markdown"), Some("md"));
        assert_eq!(unique_name("a.txt", &["a.txt".into()]), "a (2).txt");
        assert_eq!(
            unique_name("A.TXT", &["a.txt".into(), "a (2).txt".into()]),
            "A (3).TXT"
        );
        let doc = serde_json::json!({"mimeType": "application/vnd.google-apps.document", "exportLinks": {"application/pdf": "https://x/e"}});
        assert_eq!(
            kind_of(&doc, &ExportFormats::all("pdf").unwrap()),
            (
                DownloadKind::Export {
                    mime: "application/pdf".into(),
                    link: Some("https://x/e".into())
                },
                Some("pdf")
            )
        );
        let form = serde_json::json!({"mimeType": "application/vnd.google-apps.form"});
        assert!(matches!(
            kind_of(&form, &ExportFormats::default()).0,
            DownloadKind::Skip(_)
        ));
    }
}
