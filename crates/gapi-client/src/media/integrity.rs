//! What proves a download right: the object's identity and checksums as the server states
//! them (the method's metadata, `ETag`, `x-goog-hash`), the digest of the bytes received, and
//! the `<target>.part.meta` sidecar that ties a leftover `.part` to the object it came from.
//!
//! Drive states `sha256Checksum` / `md5Checksum` (hex), `headRevisionId` and `version`; Cloud
//! Storage `crc32c` / `md5Hash` (base64) and `generation`, and sends `x-goog-hash:
//! crc32c=...,md5=...` with media. Checksums are kept here as lowercase hex.

use std::path::Path;

use base64::Engine as _;
use http::header::{ETAG, HeaderMap};
use md5::Digest as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The metadata fields that identify an object's content or state its checksums, in the
/// names Google's APIs use; a method's response schema is searched for them.
pub const INTEGRITY_FIELDS: &[&str] = gapi_discovery::INTEGRITY_FIELDS;

/// What the server says about one object: enough to prove that two downloads (or a `.part`
/// and the object now) are of the same bytes, and to check the bytes once received.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ObjectFacts {
    /// The size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// A value that changes whenever the content does (Cloud Storage `generation`, Drive
    /// `headRevisionId` or `version`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The media response's strong `ETag` (sent back as `If-Range` when resuming).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// SHA-256 of the content, lowercase hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// MD5 of the content, lowercase hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
    /// CRC-32C of the content, 8 lowercase hex digits (big-endian).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crc32c: Option<String>,
}

impl ObjectFacts {
    /// Reads the facts from a metadata response (Drive `File`, Cloud Storage `Object`).
    pub fn from_metadata(v: &Value) -> ObjectFacts {
        let text = |k: &str| match v.get(k) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        ObjectFacts {
            size: text("size").and_then(|s| s.parse().ok()),
            version: text("generation")
                .or_else(|| text("headRevisionId"))
                .or_else(|| text("version")),
            etag: None,
            sha256: text("sha256Checksum").and_then(|h| hex_checksum(&h, 32)),
            md5: text("md5Checksum")
                .and_then(|h| hex_checksum(&h, 16))
                .or_else(|| text("md5Hash").and_then(|b| b64_checksum(&b, 16))),
            crc32c: text("crc32c").and_then(|b| b64_checksum(&b, 4)),
        }
    }

    /// Reads the facts a media response carries: a strong `ETag`, `x-goog-hash`,
    /// `x-goog-generation`, `x-goog-stored-content-length`.
    pub fn from_headers(headers: &HeaderMap) -> ObjectFacts {
        let mut f = ObjectFacts {
            etag: headers
                .get(ETAG)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|e| !e.is_empty() && !e.starts_with("W/"))
                .map(str::to_string),
            version: headers
                .get("x-goog-generation")
                .and_then(|v| v.to_str().ok())
                .map(|s| s.trim().to_string()),
            size: headers
                .get("x-goog-stored-content-length")
                .and_then(|v| v.to_str().ok())
                .and_then(|s| s.trim().parse().ok()),
            ..ObjectFacts::default()
        };
        for value in headers.get_all("x-goog-hash") {
            let Ok(value) = value.to_str() else { continue };
            for item in value.split(',') {
                match item.trim().split_once('=') {
                    Some(("crc32c", b)) => f.crc32c = b64_checksum(b, 4),
                    Some(("md5", b)) => f.md5 = b64_checksum(b, 16),
                    _ => {}
                }
            }
        }
        f
    }

    /// Fills what `self` does not know from `other`.
    pub fn merge(mut self, other: ObjectFacts) -> ObjectFacts {
        self.size = self.size.or(other.size);
        self.version = self.version.or(other.version);
        self.etag = self.etag.or(other.etag);
        self.sha256 = self.sha256.or(other.sha256);
        self.md5 = self.md5.or(other.md5);
        self.crc32c = self.crc32c.or(other.crc32c);
        self
    }

    /// Whether both describe the same content: `Some(true)` when a checksum or version is
    /// known to both and every field known to both agrees, `Some(false)` when one differs,
    /// `None` when nothing comparable is known (the `ETag` is left to `If-Range`).
    pub fn same_content(&self, other: &ObjectFacts) -> Option<bool> {
        let mut proved = false;
        for (a, b) in [
            (&self.sha256, &other.sha256),
            (&self.md5, &other.md5),
            (&self.crc32c, &other.crc32c),
            (&self.version, &other.version),
        ] {
            if let (Some(a), Some(b)) = (a, b) {
                if a != b {
                    return Some(false);
                }
                proved = true;
            }
        }
        if let (Some(a), Some(b)) = (self.size, other.size)
            && a != b
        {
            return Some(false);
        }
        proved.then_some(true)
    }

    /// The strongest checksum stated, to check the received bytes against.
    pub fn checksum(&self) -> Option<(ChecksumKind, &str)> {
        if let Some(h) = &self.sha256 {
            return Some((ChecksumKind::Sha256, h));
        }
        if let Some(h) = &self.md5 {
            return Some((ChecksumKind::Md5, h));
        }
        self.crc32c.as_deref().map(|h| (ChecksumKind::Crc32c, h))
    }
}

/// A checksum algorithm the APIs state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChecksumKind {
    /// SHA-256 (Drive `sha256Checksum`).
    Sha256,
    /// MD5 (Drive `md5Checksum`, Cloud Storage `md5Hash`).
    Md5,
    /// CRC-32C (Cloud Storage `crc32c`).
    Crc32c,
}

impl ChecksumKind {
    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            ChecksumKind::Sha256 => "sha256",
            ChecksumKind::Md5 => "md5",
            ChecksumKind::Crc32c => "crc32c",
        }
    }
}

/// A running digest of the bytes received.
pub(crate) enum Hasher {
    Sha256(Box<sha2::Sha256>),
    Md5(Box<md5::Md5>),
    Crc32c(u32),
}

impl Hasher {
    pub(crate) fn new(kind: ChecksumKind) -> Hasher {
        match kind {
            ChecksumKind::Sha256 => Hasher::Sha256(Box::default()),
            ChecksumKind::Md5 => Hasher::Md5(Box::default()),
            ChecksumKind::Crc32c => Hasher::Crc32c(0),
        }
    }

    pub(crate) fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Sha256(h) => h.update(bytes),
            Hasher::Md5(h) => h.update(bytes),
            Hasher::Crc32c(c) => *c = crc32c::crc32c_append(*c, bytes),
        }
    }

    /// The digest as lowercase hex.
    pub(crate) fn finish(self) -> String {
        match self {
            Hasher::Sha256(h) => to_hex(&h.finalize()),
            Hasher::Md5(h) => to_hex(&h.finalize()),
            Hasher::Crc32c(c) => to_hex(&c.to_be_bytes()),
        }
    }
}

/// The sidecar's content (`<target>.part.meta`, see `partfile`): which object a partial
/// download holds the start of, and under which name.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Sidecar {
    /// The media URL, without secrets.
    pub url: String,
    /// What was known of the object when the partial file was started.
    pub facts: ObjectFacts,
    /// The partial file's name, in the target's folder (absent in sidecars of older versions,
    /// whose partial files are not continued).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
}

impl Sidecar {
    /// The sidecar of a download of `target`, when there is one of this user's (read without
    /// following a link, bounded).
    pub(crate) async fn load(target: &Path) -> Option<Sidecar> {
        let path = super::partfile::sidecar_path(target);
        let bytes = tokio::task::spawn_blocking(move || super::partfile::read_sidecar(&path))
            .await
            .ok()?
            .map_err(|e| tracing::debug!("download sidecar not used: {e}"))
            .ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Writes this as the sidecar of a download of `target` (replacing, never writing through,
    /// whatever is at its name).
    pub(crate) async fn save(&self, target: &Path) -> std::io::Result<()> {
        let text = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        let path = super::partfile::sidecar_path(target);
        tokio::task::spawn_blocking(move || super::partfile::replace_file(&path, &text))
            .await
            .map_err(std::io::Error::other)?
    }
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A hex checksum of `len` bytes, normalised to lowercase.
fn hex_checksum(s: &str, len: usize) -> Option<String> {
    let s = s.trim();
    (s.len() == 2 * len && s.bytes().all(|b| b.is_ascii_hexdigit())).then(|| s.to_ascii_lowercase())
}

/// A base64 checksum of `len` bytes, as lowercase hex.
fn b64_checksum(s: &str, len: usize) -> Option<String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .ok()?;
    (bytes.len() == len).then(|| to_hex(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_drive_and_storage_metadata() {
        let drive = ObjectFacts::from_metadata(&serde_json::json!({
            "size": "5", "version": "7", "headRevisionId": "rev7",
            "sha256Checksum": "2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824",
            "md5Checksum": "5d41402abc4b2a76b9719d911017c592"
        }));
        assert_eq!(drive.size, Some(5));
        assert_eq!(drive.version.as_deref(), Some("rev7"));
        assert_eq!(
            drive.checksum(),
            Some((
                ChecksumKind::Sha256,
                "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
            ))
        );
        let gcs = ObjectFacts::from_metadata(&serde_json::json!({
            "size": "5", "generation": "1700", "crc32c": "mnG7TA==", "md5Hash": "XUFAKrxLKna5cZ2REBfFkg=="
        }));
        assert_eq!(gcs.md5.as_deref(), Some("5d41402abc4b2a76b9719d911017c592"));
        assert_eq!(gcs.crc32c.as_deref(), Some("9a71bb4c"));
        assert_eq!(gcs.version.as_deref(), Some("1700"));
    }

    #[test]
    fn digests_match_the_stated_forms() {
        for (kind, want) in [
            (
                ChecksumKind::Sha256,
                "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
            ),
            (ChecksumKind::Md5, "5d41402abc4b2a76b9719d911017c592"),
            (ChecksumKind::Crc32c, "9a71bb4c"),
        ] {
            let mut h = Hasher::new(kind);
            h.update(b"he");
            h.update(b"llo");
            assert_eq!(h.finish(), want, "{kind:?}");
        }
    }

    #[test]
    fn reads_x_goog_hash_and_strong_etags_only() {
        let mut h = HeaderMap::new();
        h.append(
            "x-goog-hash",
            "crc32c=mnG7TA==,md5=XUFAKrxLKna5cZ2REBfFkg=="
                .parse()
                .unwrap(),
        );
        h.insert(ETAG, "W/\"weak\"".parse().unwrap());
        let f = ObjectFacts::from_headers(&h);
        assert_eq!(f.crc32c.as_deref(), Some("9a71bb4c"));
        assert_eq!(f.etag, None, "a weak ETag cannot prove byte ranges");
        h.insert(ETAG, "\"abc\"".parse().unwrap());
        assert_eq!(
            ObjectFacts::from_headers(&h).etag.as_deref(),
            Some("\"abc\"")
        );
    }

    #[test]
    fn same_content_needs_a_shared_proof() {
        let a = ObjectFacts {
            sha256: Some("aa".into()),
            size: Some(3),
            ..Default::default()
        };
        let mut b = a.clone();
        assert_eq!(a.same_content(&b), Some(true));
        b.sha256 = Some("bb".into());
        assert_eq!(a.same_content(&b), Some(false));
        let sized = ObjectFacts {
            size: Some(3),
            ..Default::default()
        };
        assert_eq!(
            sized.same_content(&sized),
            None,
            "equal sizes prove nothing"
        );
        let other_size = ObjectFacts {
            size: Some(4),
            ..Default::default()
        };
        assert_eq!(sized.same_content(&other_size), Some(false));
    }
}
