//! Atomic, private writes: a temp file in the same folder (mode 0600) named after the profile
//! (`.<profile>.json.tmp-XXXXXX`), fsync, rename, fsync the folder. A write killed half way
//! leaves only a temp file that the profile's next write (under its lock) or its deletion
//! removes.

use std::path::Path;

use super::paths::FileStore;
use crate::error::{Error, Result};

/// The name prefix of `profile`'s temp files, `.<profile>.json.tmp-`.
pub(super) fn temp_prefix(profile: &str) -> String {
    format!(".{profile}.json.tmp-")
}

impl FileStore {
    /// Deletes stale temp files of `profile` (call only while holding its lock). Returns how
    /// many were removed. Also removes temp files of the old unattributed `.tmp-*.json` form
    /// once they are a minute old (no write takes that long).
    pub(super) fn remove_stale_temps(&self, profile: &str) -> usize {
        let Ok(entries) = std::fs::read_dir(self.credentials_dir()) else {
            return 0;
        };
        let prefix = temp_prefix(profile);
        let mut removed = 0;
        for entry in entries.filter_map(|e| e.ok()) {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let ours = name.strip_prefix(&prefix).is_some_and(|rest| {
                !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric())
            });
            let legacy = name.starts_with(".tmp-")
                && name.ends_with(".json")
                && entry
                    .metadata()
                    .ok()
                    .and_then(|m| m.modified().ok())
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > std::time::Duration::from_secs(60));
            if (ours || legacy) && std::fs::remove_file(entry.path()).is_ok() {
                tracing::debug!("removed the stale temporary file {name}");
                removed += 1;
            }
        }
        removed
    }
}

/// Writes `bytes` to `path` atomically: temp file in its folder (0600) named `prefix` +
/// random, fsync, rename, fsync the folder (`gapi_retry::atomic_file`).
pub(crate) fn write_atomic(path: &Path, prefix: &str, bytes: &[u8]) -> Result<()> {
    gapi_retry::atomic_file::write_atomic(path, prefix, bytes)
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn atomic_write_is_private_and_leaves_no_temp_on_failure() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        write_atomic(&path, ".tmp-", b"{\"v\":1}").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // Replacing a directory with a file fails: the old content must stay and no temp remain.
        let target = dir.path().join("sub");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("keep"), "x").unwrap();
        assert!(write_atomic(&target, ".tmp-", b"new").is_err());
        assert!(target.join("keep").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp-"))
            .collect();
        assert!(
            leftovers.is_empty(),
            "temp files left behind: {leftovers:?}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{\"v\":1}");
    }
}
