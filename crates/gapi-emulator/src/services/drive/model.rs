//! Drive files as stored, and their JSON form (the Drive v3 `File` resource).

use std::collections::{BTreeMap, BTreeSet};

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::framework::random::sha256_hex;
use crate::framework::time::rfc3339;
use crate::world::drives::{BASE_MS, root_id, seeded_files};
use crate::world::users::TestUser;

pub(crate) use crate::world::drives::FOLDER_MIME;

/// One user's Drive.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct UserDrive {
    pub root_id: String,
    pub files: BTreeMap<String, DriveFile>,
    /// Ids handed out by `files.generateIds` and not used yet (a create may claim one).
    #[serde(default)]
    pub generated_ids: BTreeSet<String>,
    /// What `changes.list` reports (see `changes.rs`).
    #[serde(default)]
    pub changes: ChangeLog,
}

impl UserDrive {
    /// The Drive `email` starts with: its seeded files (`crate::world::drives`), none for a
    /// user without any.
    pub(crate) fn seeded(email: &str) -> Self {
        let root = root_id(email);
        let parse = |t: &str| crate::framework::time::parse_rfc3339(t).unwrap_or(BASE_MS);
        let files = seeded_files(email)
            .into_iter()
            .map(|s| {
                let file = DriveFile {
                    id: s.id.clone(),
                    name: s.name,
                    mime_type: s.mime_type.to_owned(),
                    parents: vec![s.parent_id.unwrap_or_else(|| root.clone())],
                    trashed: s.trashed,
                    starred: s.starred,
                    created_ms: parse(&s.created_time),
                    modified_ms: parse(&s.modified_time),
                    modified_by_me_ms: Some(parse(&s.modified_by_me_time)),
                    viewed_by_me_ms: Some(parse(&s.modified_by_me_time) + 30 * 60_000),
                    description: None,
                    content: s.content.map(Bytes::from),
                    version: 1,
                    app_client: None,
                    properties: BTreeMap::new(),
                    app_properties: BTreeMap::new(),
                    original_filename: None,
                    permissions: Vec::new(),
                };
                (s.id, file)
            })
            .collect();
        UserDrive {
            root_id: root,
            files,
            generated_ids: Default::default(),
            changes: Default::default(),
        }
    }
}

/// A sharing entry of a file (Drive's `Permission` resource, minus shared drives). The owner's
/// permission is implicit: it is the file's owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Permission {
    pub id: String,
    /// `user`, `group`, `domain` or `anyone`.
    pub kind: String,
    /// `writer`, `commenter` or `reader`.
    pub role: String,
    pub email: Option<String>,
    pub domain: Option<String>,
}

/// One entry of a Drive's change log: the latest change of one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ChangeEntry {
    pub seq: u64,
    pub file_id: String,
    pub removed: bool,
    pub time_ms: u64,
}

/// A Drive's changes, derived from file versions: each `changes.*` call first records every
/// file whose `version` moved (or that disappeared) since the last look, so no write path has
/// to remember to log. A file's older entry is replaced by its newest, as Drive coalesces.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct ChangeLog {
    /// The last sequence number used (page tokens are `seq + 1`).
    pub seq: u64,
    /// File id → the version last recorded.
    pub seen: BTreeMap<String, u64>,
    /// In `seq` order.
    pub entries: Vec<ChangeEntry>,
}

/// A stored file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DriveFile {
    pub id: String,
    pub name: String,
    pub mime_type: String,
    pub parents: Vec<String>,
    pub trashed: bool,
    pub starred: bool,
    pub created_ms: u64,
    pub modified_ms: u64,
    pub modified_by_me_ms: Option<u64>,
    pub viewed_by_me_ms: Option<u64>,
    pub description: Option<String>,
    #[serde(with = "b64", default)]
    pub content: Option<Bytes>,
    pub version: u64,
    /// Client id of the app that created the file (what `drive.file` grants access to).
    pub app_client: Option<String>,
    pub properties: BTreeMap<String, String>,
    pub app_properties: BTreeMap<String, String>,
    pub original_filename: Option<String>,
    /// Sharing entries besides the owner.
    #[serde(default)]
    pub permissions: Vec<Permission>,
}

impl DriveFile {
    /// Google Docs-type files and folders have no downloadable content.
    pub(crate) fn is_google_type(&self) -> bool {
        self.mime_type.starts_with("application/vnd.google-apps.")
    }

    /// The full resource (every field the emulator knows), for `fields=*` and partial responses.
    pub(crate) fn to_json(&self, owner: &TestUser, base_url: &str) -> Value {
        let mut v = json!({
            "kind": "drive#file",
            "id": self.id,
            "name": self.name,
            "mimeType": self.mime_type,
            "parents": self.parents,
            "starred": self.starred,
            "trashed": self.trashed,
            "explicitlyTrashed": self.trashed,
            "spaces": ["drive"],
            "version": self.version.to_string(),
            "webViewLink": format!("{base_url}/file/d/{}/view", self.id),
            "iconLink": format!("{base_url}/icons/{}", self.mime_type),
            "createdTime": rfc3339(self.created_ms),
            "modifiedTime": rfc3339(self.modified_ms),
            "modifiedByMe": self.modified_by_me_ms.is_some(),
            "owners": [{
                "kind": "drive#user",
                "displayName": owner.name,
                "emailAddress": owner.email,
                "me": true,
                "permissionId": owner.permission_id,
            }],
            "ownedByMe": true,
            "shared": !self.permissions.is_empty(),
            "viewersCanCopyContent": true,
            "writersCanShare": true,
            "capabilities": {
                "canEdit": true,
                "canDelete": true,
                "canDownload": !self.is_google_type(),
                "canTrash": true,
                "canCopy": self.mime_type != FOLDER_MIME,
                "canRename": true,
                "canAddChildren": self.mime_type == FOLDER_MIME,
            },
            "quotaBytesUsed": self.content.as_ref().map(|c| c.len()).unwrap_or(0).to_string(),
        });
        if let Some(t) = self.modified_by_me_ms {
            v["modifiedByMeTime"] = json!(rfc3339(t));
        }
        if let Some(t) = self.viewed_by_me_ms {
            v["viewedByMeTime"] = json!(rfc3339(t));
            v["viewedByMe"] = json!(true);
        }
        if let Some(d) = &self.description {
            v["description"] = json!(d);
        }
        if !self.properties.is_empty() {
            v["properties"] = json!(self.properties);
        }
        if !self.app_properties.is_empty() {
            v["appProperties"] = json!(self.app_properties);
        }
        if let Some(content) = &self.content {
            v["size"] = json!(content.len().to_string());
            v["sha256Checksum"] = json!(sha256_hex(content));
            v["md5Checksum"] = json!(md5_hex(content));
            v["webContentLink"] = json!(format!("{base_url}/drive/v3/files/{}?alt=media", self.id));
            v["headRevisionId"] = json!(format!("rev{}", self.version));
            let name = self.original_filename.as_deref().unwrap_or(&self.name);
            v["originalFilename"] = json!(name);
            if let Some((_, ext)) = name.rsplit_once('.')
                && !ext.is_empty()
            {
                v["fileExtension"] = json!(ext);
                v["fullFileExtension"] = json!(ext);
            }
        }
        v
    }
}

/// Hex MD5 of file content (Drive's `md5Checksum`, which sync clients compare).
pub(crate) fn md5_hex(content: &[u8]) -> String {
    use md5::Digest;
    md5::Md5::digest(content)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Fields of the File resource that `fields` may name (Drive's list; not all are populated).
pub(crate) const FILE_FIELDS: &[&str] = &[
    "kind",
    "id",
    "name",
    "mimeType",
    "description",
    "starred",
    "trashed",
    "explicitlyTrashed",
    "trashingUser",
    "trashedTime",
    "parents",
    "properties",
    "appProperties",
    "spaces",
    "version",
    "webContentLink",
    "webViewLink",
    "iconLink",
    "hasThumbnail",
    "thumbnailLink",
    "thumbnailVersion",
    "viewedByMe",
    "viewedByMeTime",
    "createdTime",
    "modifiedTime",
    "modifiedByMeTime",
    "modifiedByMe",
    "sharedWithMeTime",
    "sharingUser",
    "owners",
    "teamDriveId",
    "driveId",
    "lastModifyingUser",
    "shared",
    "ownedByMe",
    "capabilities",
    "viewersCanCopyContent",
    "copyRequiresWriterPermission",
    "writersCanShare",
    "permissions",
    "permissionIds",
    "hasAugmentedPermissions",
    "folderColorRgb",
    "originalFilename",
    "fullFileExtension",
    "fileExtension",
    "md5Checksum",
    "sha1Checksum",
    "sha256Checksum",
    "size",
    "quotaBytesUsed",
    "headRevisionId",
    "contentHints",
    "imageMediaMetadata",
    "videoMediaMetadata",
    "isAppAuthorized",
    "exportLinks",
    "shortcutDetails",
    "contentRestrictions",
    "resourceKey",
    "linkShareMetadata",
    "labelInfo",
    "inheritedPermissionsDisabled",
    "downloadRestrictions",
];

/// Serde helper: optional bytes as base64 text in the state file.
mod b64 {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use bytes::Bytes;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Bytes>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(b) => s.serialize_some(&STANDARD.encode(b)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Bytes>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|t| {
            STANDARD
                .decode(t.as_bytes())
                .map(Bytes::from)
                .map_err(serde::de::Error::custom)
        })
        .transpose()
    }
}

/// An unfinished (or finished) resumable upload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct UploadSession {
    pub email: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    /// `Some(id)` for an update of an existing file's content.
    pub target: Option<String>,
    pub metadata: serde_json::Map<String, Value>,
    pub mime_type: Option<String>,
    pub total: Option<u64>,
    #[serde(with = "b64", default)]
    pub received: Option<Bytes>,
    /// `fields` of the initiating request, applied to the final answer.
    pub fields: Option<String>,
    /// The finished file's id, once complete.
    pub done: Option<String>,
}
