//! Keeps the emulator's state in a data directory: loaded at start, replaced atomically
//! (temp file, fsync, rename) after every change, guarded by a lock file against two
//! emulators sharing one directory.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::EmulatorError;
use crate::state::Data;

const STATE_FILE: &str = "state.json";
const LOCK_FILE: &str = ".lock";

/// Owner of a data directory while the emulator runs.
pub(crate) struct Persister {
    dir: PathBuf,
    _lock: File,
    /// Highest generation written so far; serialises writers.
    written: Mutex<u64>,
}

fn data_err(path: &Path, message: impl Into<String>) -> EmulatorError {
    EmulatorError::Data {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

impl Persister {
    /// Creates (0700) and locks `dir`, and loads its state if there is one.
    pub(crate) fn open(dir: &Path) -> Result<(Self, Option<Data>), EmulatorError> {
        fs::create_dir_all(dir)
            .map_err(|e| data_err(dir, format!("cannot create the directory: {e}")))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
        }
        let lock_path = dir.join(LOCK_FILE);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| data_err(&lock_path, format!("cannot open the lock file: {e}")))?;
        // std's file locks need Rust 1.89; the workspace builds with 1.95 (see DESIGN.md).
        #[allow(clippy::incompatible_msrv)]
        let locked = lock.try_lock();
        locked.map_err(|_| {
            data_err(
                dir,
                "another emulator is using this data directory; stop it or choose another --data directory",
            )
        })?;
        let state_path = dir.join(STATE_FILE);
        let data = match fs::read(&state_path) {
            Ok(bytes) => Some(serde_json::from_slice(&bytes).map_err(|e| {
                data_err(
                    &state_path,
                    format!(
                        "the saved state is not valid ({e}); move the file away to start fresh"
                    ),
                )
            })?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(data_err(&state_path, format!("cannot read: {e}"))),
        };
        Ok((
            Self {
                dir: dir.to_path_buf(),
                _lock: lock,
                written: Mutex::new(0),
            },
            data,
        ))
    }

    /// Atomically replaces the state file with `bytes`, unless a newer snapshot was written.
    pub(crate) fn save(&self, generation: u64, bytes: &[u8]) -> Result<(), EmulatorError> {
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        if *written >= generation {
            return Ok(());
        }
        write_atomically(&self.dir.join(STATE_FILE), bytes)?;
        *written = generation;
        Ok(())
    }
}

/// Writes `bytes` to `path` so that readers see the old or the new content, never a mix:
/// a 0600 temp file in the same directory, fsync, rename, fsync of the directory.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), EmulatorError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let io = |source| EmulatorError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(0o600))
            .map_err(io)?;
    }
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
