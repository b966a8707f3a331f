//! The cross-process lock of one profile: an exclusive lock on `<profile>.json.lock`, taken
//! around every read-modify-write of the profile, so concurrent processes never lose a rotated
//! refresh token. A lock file deleted while others wait on it is noticed and taken anew.

use std::fs::{File, OpenOptions};
use std::path::Path;

use super::paths::FileStore;
use crate::error::{Error, ErrorKind, Result};
use crate::profile::validate_profile as check_profile;

/// An exclusive, cross-process lock on one profile; released on drop.
#[derive(Debug)]
pub struct StoreLock {
    _file: File,
}

impl FileStore {
    /// Takes the exclusive lock of `profile`, blocking until other holders release it.
    ///
    /// The lock file may be deleted by [`FileStore::delete`] while others wait on it: a lock
    /// taken on a file that is no longer at the path is dropped and taken again, so two
    /// processes never both believe they hold the profile.
    pub fn lock(&self, profile: &str) -> Result<StoreLock> {
        check_profile(profile)?;
        self.ensure_dir()?;
        let path = self.lock_path(profile);
        loop {
            let file = open_lock_file(&path)?;
            file.lock()
                .map_err(|e| Error::io(format!("cannot lock {}", path.display()), e))?;
            if same_file(&file, &path) {
                return Ok(StoreLock { _file: file });
            }
        }
    }

    /// [`FileStore::lock`] without blocking the async runtime.
    pub async fn lock_async(&self, profile: &str) -> Result<StoreLock> {
        let store = self.clone();
        let profile = profile.to_string();
        tokio::task::spawn_blocking(move || store.lock(&profile))
            .await
            .map_err(|e| Error::new(ErrorKind::Io, format!("lock task failed: {e}")))?
    }

    /// Releases `profile`'s lock; after a failed save that left nothing stored (a first
    /// login whose tokens could not be kept), its lock file goes too, unlinked while held as
    /// [`FileStore::delete`] does, so a failed login leaves no file behind.
    pub(crate) fn release(&self, profile: &str, lock: StoreLock, failed: bool) {
        let nothing_stored = matches!(
            std::fs::symlink_metadata(self.path_for(profile)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound
        );
        if failed && nothing_stored {
            let _ = std::fs::remove_file(self.lock_path(profile));
        }
        drop(lock);
    }
}

fn open_lock_file(path: &Path) -> Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(f) => Ok(f),
        // A read-only folder: an existing lock file still locks when opened for reading.
        Err(e) => File::open(path)
            .map_err(|_| Error::io(format!("cannot open lock file {}", path.display()), e)),
    }
}

/// Whether the open `file` is still the one at `path` (not unlinked or replaced).
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_is_exclusive() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        let held = store.lock("p").unwrap();
        let f = File::open(store.lock_path("p")).unwrap();
        assert!(
            f.try_lock().is_err(),
            "second lock must fail while the first is held"
        );
        drop(held);
        assert!(f.try_lock().is_ok());
    }
}
