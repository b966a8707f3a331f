//! `orderBy` for `files.list`: comma-separated keys, each optionally followed by `desc`.

use std::cmp::Ordering;

use crate::framework::api_error::ApiError;

use super::model::{DriveFile, FOLDER_MIME};

#[derive(Debug, Clone, Copy)]
enum Key {
    CreatedTime,
    Folder,
    ModifiedByMeTime,
    ModifiedTime,
    Name,
    QuotaBytesUsed,
    Recency,
    SharedWithMeTime,
    Starred,
    ViewedByMeTime,
}

/// A parsed `orderBy`.
#[derive(Debug, Clone)]
pub(crate) struct OrderBy(Vec<(Key, bool)>);

impl OrderBy {
    /// Parses `orderBy`; the default (absent) is `folder,name`.
    pub(crate) fn parse(text: Option<&str>) -> Result<Self, ApiError> {
        let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
            return Ok(Self(vec![(Key::Folder, false), (Key::Name, false)]));
        };
        let mut keys = Vec::new();
        for item in text.split(',') {
            let mut words = item.split_whitespace();
            let name = words.next().unwrap_or("");
            let desc = match words.next() {
                None => false,
                Some(w) if w.eq_ignore_ascii_case("desc") => true,
                Some(w) if w.eq_ignore_ascii_case("asc") => false,
                Some(w) => {
                    return Err(ApiError::invalid_param(
                        "orderBy",
                        format!("Invalid Value: unexpected '{w}' after {name} (use desc)"),
                    ));
                }
            };
            if words.next().is_some() {
                return Err(ApiError::invalid_param(
                    "orderBy",
                    format!("Invalid Value: {item}"),
                ));
            }
            let key = match name {
                "createdTime" => Key::CreatedTime,
                "folder" => Key::Folder,
                "modifiedByMeTime" => Key::ModifiedByMeTime,
                "modifiedTime" => Key::ModifiedTime,
                "name" | "name_natural" => Key::Name,
                "quotaBytesUsed" => Key::QuotaBytesUsed,
                "recency" => Key::Recency,
                "sharedWithMeTime" => Key::SharedWithMeTime,
                "starred" => Key::Starred,
                "viewedByMeTime" => Key::ViewedByMeTime,
                other => {
                    return Err(ApiError::invalid_param(
                        "orderBy",
                        format!(
                            "Invalid Value: unknown sort key '{other}' (use createdTime, folder, modifiedByMeTime, modifiedTime, name, name_natural, quotaBytesUsed, recency, sharedWithMeTime, starred or viewedByMeTime)"
                        ),
                    ));
                }
            };
            keys.push((key, desc));
        }
        Ok(Self(keys))
    }

    /// Compares two files; ties end on the id so pages are stable.
    pub(crate) fn compare(&self, a: &DriveFile, b: &DriveFile) -> Ordering {
        for (key, desc) in &self.0 {
            let ord = compare_key(*key, a, b);
            let ord = if *desc { ord.reverse() } else { ord };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        a.id.cmp(&b.id)
    }
}

fn compare_key(key: Key, a: &DriveFile, b: &DriveFile) -> Ordering {
    match key {
        Key::CreatedTime => a.created_ms.cmp(&b.created_ms),
        // Folders first.
        Key::Folder => (b.mime_type == FOLDER_MIME).cmp(&(a.mime_type == FOLDER_MIME)),
        Key::ModifiedByMeTime => a
            .modified_by_me_ms
            .unwrap_or(0)
            .cmp(&b.modified_by_me_ms.unwrap_or(0)),
        Key::ModifiedTime => a.modified_ms.cmp(&b.modified_ms),
        Key::Name => a
            .name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.name.cmp(&b.name)),
        Key::QuotaBytesUsed => {
            let size = |f: &DriveFile| f.content.as_ref().map(|c| c.len()).unwrap_or(0);
            size(a).cmp(&size(b))
        }
        Key::Recency => recency(a).cmp(&recency(b)),
        Key::SharedWithMeTime => Ordering::Equal,
        // Starred first.
        Key::Starred => b.starred.cmp(&a.starred),
        Key::ViewedByMeTime => a
            .viewed_by_me_ms
            .unwrap_or(0)
            .cmp(&b.viewed_by_me_ms.unwrap_or(0)),
    }
}

fn recency(f: &DriveFile) -> u64 {
    f.modified_ms
        .max(f.modified_by_me_ms.unwrap_or(0))
        .max(f.viewed_by_me_ms.unwrap_or(0))
}
