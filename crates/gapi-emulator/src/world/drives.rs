//! The deterministic starting Drives of the test users, public so tests can compute expected
//! answers ("the five most recently modified files") without hard-coding them. The Drive
//! service turns them into its state (`services::drive::model::UserDrive::seeded`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::framework::time::rfc3339;

/// MIME type of folders.
pub(crate) const FOLDER_MIME: &str = "application/vnd.google-apps.folder";

/// One seeded file as the emulator serves it at start (and after a reset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedFile {
    /// Drive file id (33 characters, stable across runs).
    pub id: String,
    /// File name.
    pub name: String,
    /// MIME type (`application/vnd.google-apps.folder` for folders).
    pub mime_type: &'static str,
    /// Parent folder id, or `None` for the user's My Drive root.
    pub parent_id: Option<String>,
    /// Whether the file is in the trash (Drive lists trashed files unless `q` excludes them).
    pub trashed: bool,
    /// Whether the file is starred.
    pub starred: bool,
    /// `createdTime`, RFC 3339.
    pub created_time: String,
    /// `modifiedTime`, RFC 3339 (later than `modified_by_me_time` for files someone else edited).
    pub modified_time: String,
    /// `modifiedByMeTime`, RFC 3339; distinct for every file of a user.
    pub modified_by_me_time: String,
    /// The content (`None` for folders and Google Docs-type files).
    pub content: Option<Vec<u8>>,
}

/// Kinds of seeded content.
#[derive(Clone, Copy)]
enum Content {
    None,
    Text,
    Binary(usize),
}

/// (name, mimeType, parent template index, trashed, starred, content)
type Template = (
    &'static str,
    &'static str,
    Option<usize>,
    bool,
    bool,
    Content,
);

const TEMPLATE: [Template; 30] = [
    ("Projects", FOLDER_MIME, None, false, false, Content::None),
    ("Photos", FOLDER_MIME, None, false, false, Content::None),
    ("Reports", FOLDER_MIME, None, false, false, Content::None),
    ("Archive", FOLDER_MIME, None, false, false, Content::None),
    (
        "Quarterly report Q1.pdf",
        "application/pdf",
        Some(2),
        false,
        false,
        Content::Binary(4096),
    ),
    (
        "Quarterly report Q2.pdf",
        "application/pdf",
        Some(2),
        false,
        false,
        Content::Binary(5120),
    ),
    (
        "Budget 2025",
        "application/vnd.google-apps.spreadsheet",
        Some(0),
        false,
        false,
        Content::None,
    ),
    (
        "Roadmap",
        "application/vnd.google-apps.document",
        Some(0),
        false,
        true,
        Content::None,
    ),
    (
        "Team offsite slides",
        "application/vnd.google-apps.presentation",
        None,
        false,
        false,
        Content::None,
    ),
    ("notes.txt", "text/plain", None, false, false, Content::Text),
    (
        "todo.md",
        "text/markdown",
        None,
        false,
        false,
        Content::Text,
    ),
    (
        "beach.jpg",
        "image/jpeg",
        Some(1),
        false,
        false,
        Content::Binary(20_000),
    ),
    (
        "mountains.png",
        "image/png",
        Some(1),
        false,
        false,
        Content::Binary(30_000),
    ),
    (
        "family.jpg",
        "image/jpeg",
        Some(1),
        false,
        true,
        Content::Binary(25_000),
    ),
    (
        "contacts.csv",
        "text/csv",
        None,
        false,
        false,
        Content::Text,
    ),
    (
        "old-draft.txt",
        "text/plain",
        None,
        true,
        false,
        Content::Text,
    ),
    (
        "Meeting notes",
        "application/vnd.google-apps.document",
        None,
        false,
        false,
        Content::None,
    ),
    (
        "invoice-1042.pdf",
        "application/pdf",
        None,
        false,
        false,
        Content::Binary(3000),
    ),
    (
        "invoice-1043.pdf",
        "application/pdf",
        None,
        false,
        false,
        Content::Binary(3100),
    ),
    (
        "data.json",
        "application/json",
        None,
        false,
        false,
        Content::Text,
    ),
    (
        "backup.zip",
        "application/zip",
        Some(3),
        false,
        false,
        Content::Binary(300_000),
    ),
    (
        "README.md",
        "text/markdown",
        Some(0),
        false,
        false,
        Content::Text,
    ),
    (
        "script.py",
        "text/x-python",
        Some(0),
        false,
        false,
        Content::Text,
    ),
    (
        "Expenses",
        "application/vnd.google-apps.spreadsheet",
        None,
        false,
        true,
        Content::None,
    ),
    (
        "Letter draft",
        "application/vnd.google-apps.document",
        None,
        true,
        false,
        Content::None,
    ),
    (
        "diagram.svg",
        "image/svg+xml",
        None,
        false,
        false,
        Content::Text,
    ),
    (
        "presentation.pdf",
        "application/pdf",
        None,
        false,
        false,
        Content::Binary(8000),
    ),
    (
        "song.mp3",
        "audio/mpeg",
        None,
        false,
        false,
        Content::Binary(50_000),
    ),
    (
        "hello world.txt",
        "text/plain",
        None,
        false,
        false,
        Content::Text,
    ),
    (
        "it's quoted.txt",
        "text/plain",
        None,
        false,
        false,
        Content::Text,
    ),
];

/// 2025-06-01T12:00:00Z: the newest seeded `modifiedByMeTime`.
pub(crate) const BASE_MS: u64 = 1_748_779_200_000;
const HOUR_MS: u64 = 3_600_000;

fn file_id(email: &str, index: usize) -> String {
    let digest = Sha256::digest(format!("{email}/{index}").as_bytes());
    format!("1{}", &URL_SAFE_NO_PAD.encode(digest)[..32])
}

/// The id of a user's My Drive root folder.
pub(crate) fn root_id(email: &str) -> String {
    let digest = Sha256::digest(format!("{email}/root").as_bytes());
    format!("0A{}", &URL_SAFE_NO_PAD.encode(digest)[..17])
}

fn content_for(kind: Content, name: &str, email: &str, index: usize) -> Option<Vec<u8>> {
    match kind {
        Content::None => None,
        Content::Text => {
            let mut text = String::new();
            for line in 1..=(index % 7 + 1) * 3 {
                text.push_str(&format!("{name}: seeded for {email}, line {line}\n"));
            }
            Some(text.into_bytes())
        }
        Content::Binary(len) => Some(
            (0..len)
                .map(|j| ((j * 31 + index * 7) % 251) as u8)
                .collect(),
        ),
    }
}

/// The files a test user starts with: about thirty each for alice and bob (folders, Docs-type
/// files, binaries, some nested, some trashed, two starred), none for carol or unknown emails.
/// Every file of a user has a distinct `modifiedByMeTime`.
pub fn seeded_files(email: &str) -> Vec<SeedFile> {
    let multiplier = match email {
        "alice@example.com" => 7,
        "bob@example.com" => 11,
        _ => return Vec::new(),
    };
    TEMPLATE
        .iter()
        .enumerate()
        .map(|(i, (name, mime, parent, trashed, starred, content))| {
            // A permutation of 0..30 (7 and 11 are coprime with 30): distinct times per user.
            let rank = (i * multiplier % 30) as u64;
            let by_me = BASE_MS - rank * 3 * HOUR_MS;
            let modified = if i % 5 == 2 {
                by_me + 48 * HOUR_MS + 60_000
            } else {
                by_me
            };
            SeedFile {
                id: file_id(email, i),
                name: (*name).to_owned(),
                mime_type: mime,
                parent_id: parent.map(|p| file_id(email, p)),
                trashed: *trashed,
                starred: *starred,
                created_time: rfc3339(BASE_MS - 120 * 24 * HOUR_MS + i as u64 * HOUR_MS),
                modified_time: rfc3339(modified),
                modified_by_me_time: rfc3339(by_me),
                content: content_for(*content, name, email, i),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_times_are_distinct_and_ids_stable() {
        for email in ["alice@example.com", "bob@example.com"] {
            let files = seeded_files(email);
            assert_eq!(files.len(), 30);
            let mut times: Vec<_> = files
                .iter()
                .map(|f| f.modified_by_me_time.clone())
                .collect();
            times.sort();
            times.dedup();
            assert_eq!(times.len(), 30, "{email}");
            assert_eq!(files[0].id, file_id(email, 0));
            assert_eq!(files[0].id.len(), 33);
        }
        assert!(seeded_files("carol@example.com").is_empty());
        assert_ne!(
            seeded_files("alice@example.com")[0].id,
            seeded_files("bob@example.com")[0].id
        );
    }
}
