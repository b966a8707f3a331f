//! Drive folders by path: `Reports/2026/Q1` resolved name by name from My Drive (or any
//! folder), with a clear error for a missing or ambiguous name, and created when asked.

use futures_util::TryStreamExt;
use gapi_client::Service;
use serde_json::{Value, json};

use crate::error::{Error, Result};

/// Google's folder MIME type.
pub const FOLDER_MIME: &str = "application/vnd.google-apps.folder";

/// The fields read for each file.
pub(crate) const FILE_FIELDS: &str = "id,name,mimeType,size,md5Checksum,parents,trashed";

/// A `q` string literal: `'it\'s'`.
pub fn q_literal(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The non-trashed children of `parent_id` (`root` for My Drive), optionally only those named
/// `name`, every page.
pub async fn children(drive: &Service, parent_id: &str, name: Option<&str>) -> Result<Vec<Value>> {
    let mut q = format!("{} in parents and trashed = false", q_literal(parent_id));
    if let Some(n) = name {
        q.push_str(&format!(" and name = {}", q_literal(n)));
    }
    Ok(drive
        .method("files.list")?
        .param("q", q)
        .param("pageSize", 1000)
        .fields(format!("nextPageToken,files({FILE_FIELDS},exportLinks)"))
        .items("files")
        .try_collect()
        .await?)
}

fn components(path: &str) -> Vec<&str> {
    path.split('/')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// The one child of `parent` called `name` (`folders_only`: folders only); `None` when
/// there is none, an error when there are several.
async fn one_child(
    drive: &Service,
    parent: &str,
    name: &str,
    folders_only: bool,
) -> Result<Option<Value>> {
    let mut found = children(drive, parent, Some(name)).await?;
    if folders_only {
        found.retain(|f| f["mimeType"] == FOLDER_MIME);
    }
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.pop()),
        n => Err(Error::invalid(format!(
            "{n} items are named {name:?} in the same folder (ids {}); give the id instead of the path",
            found
                .iter()
                .filter_map(|f| f["id"].as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// The file or folder at `path` (`Reports/2026/q1.csv`) under `root_id` (`root` = My Drive).
pub async fn resolve_path(drive: &Service, root_id: &str, path: &str) -> Result<Value> {
    let parts = components(path);
    if parts.is_empty() {
        return Ok(drive
            .method("files.get")?
            .param("fileId", root_id)
            .fields(FILE_FIELDS)
            .execute()
            .await?);
    }
    let mut parent = root_id.to_string();
    let mut walked = String::new();
    for (i, name) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let item = one_child(drive, &parent, name, !last)
            .await?
            .ok_or_else(|| {
                Error::invalid(format!(
                    "no {} named {name:?} in {}",
                    if last { "file or folder" } else { "folder" },
                    if walked.is_empty() {
                        "My Drive".to_string()
                    } else {
                        walked.clone()
                    }
                ))
            })?;
        if last {
            return Ok(item);
        }
        parent = item["id"].as_str().unwrap_or_default().to_string();
        walked = if walked.is_empty() {
            name.to_string()
        } else {
            format!("{walked}/{name}")
        };
    }
    unreachable!("the loop returns on the last component")
}

/// The id of the folder at `path` under `root_id`, creating the folders that are missing.
pub async fn ensure_folder_path(drive: &Service, root_id: &str, path: &str) -> Result<String> {
    let mut parent = root_id.to_string();
    for name in components(path) {
        parent = match one_child(drive, &parent, name, true).await? {
            Some(f) => f["id"].as_str().unwrap_or_default().to_string(),
            None => create_folder(drive, &parent, name).await?,
        };
    }
    Ok(parent)
}

/// Creates a folder `name` in `parent_id`; returns its id.
pub async fn create_folder(drive: &Service, parent_id: &str, name: &str) -> Result<String> {
    let f = drive
        .method("files.create")?
        .body(json!({"name": name, "mimeType": FOLDER_MIME, "parents": [parent_id]}))
        .fields("id")
        .execute()
        .await?;
    f.get("id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| Error::response("drive.files.create", "no id"))
}

/// A file by id, or by path from My Drive when the text contains `/` or is not an id.
pub async fn resolve(drive: &Service, id_or_path: &str) -> Result<Value> {
    if !id_or_path.contains('/') {
        match drive
            .method("files.get")?
            .param("fileId", id_or_path)
            .fields(format!("{FILE_FIELDS},exportLinks"))
            .execute()
            .await
        {
            Ok(f) => return Ok(f),
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e.into()),
        }
    }
    resolve_path(drive, "root", id_or_path).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn q_literals_escape() {
        assert_eq!(super::q_literal("it's a\\b"), r"'it\'s a\\b'");
        assert_eq!(super::components("/a//b/ c /"), ["a", "b", "c"]);
    }
}
