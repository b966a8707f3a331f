//! Keeps the emulator's state in a data directory: loaded at start, replaced atomically
//! (temp file, fsync, rename) after every change, guarded by a lock file against two
//! emulators sharing one directory. The file is one JSON object: a `format` marker and one
//! member per persistent store (named by the store).

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::error::EmulatorError;

use super::store::Persisted;

const STATE_FILE: &str = "state.json";
const LOCK_FILE: &str = ".lock";
/// Marks the layout of `state.json` (one member per store).
const FORMAT: &str = "gapi-emulator-state/2";

/// Owner of a data directory while the emulator runs.
pub(crate) struct Persister {
    dir: PathBuf,
    _lock: File,
    /// The last saved JSON of every store, as written; also serialises writers.
    latest: Mutex<Map<String, Value>>,
}

fn data_err(path: &Path, message: impl Into<String>) -> EmulatorError {
    EmulatorError::Data {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

impl Persister {
    /// Creates (0700) and locks `dir`, and loads its state if there is one.
    pub(crate) fn open(dir: &Path) -> Result<Self, EmulatorError> {
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
        let mut latest = match fs::read(&state_path) {
            Ok(bytes) => match serde_json::from_slice::<Value>(&bytes) {
                Ok(Value::Object(map)) => map,
                Ok(_) => return Err(invalid(&state_path, "not a JSON object")),
                Err(e) => return Err(invalid(&state_path, &e.to_string())),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Map::new(),
            Err(e) => return Err(data_err(&state_path, format!("cannot read: {e}"))),
        };
        match latest.remove("format") {
            None if latest.is_empty() => {}
            Some(Value::String(f)) if f == FORMAT => {}
            _ => {
                return Err(invalid(
                    &state_path,
                    "it was written by another version of the emulator",
                ));
            }
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            _lock: lock,
            latest: Mutex::new(latest),
        })
    }

    /// The saved JSON of the store `name`, if the directory had one.
    pub(crate) fn loaded(&self, name: &str) -> Option<Value> {
        self.latest
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .cloned()
    }

    /// Writes the state file again if any store changed since the last save.
    pub(crate) fn save(&self, stores: &[Arc<dyn Persisted>]) -> Result<(), EmulatorError> {
        // Holding the lock while collecting and writing keeps saves in order: a change made
        // after a store's flag was taken is written by the next save.
        let mut latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
        let mut changed = false;
        for store in stores {
            match store.take_if_dirty() {
                None => {}
                Some(Ok(value)) => {
                    latest.insert(store.name().to_owned(), value);
                    changed = true;
                }
                Some(Err(e)) => {
                    tracing::error!(
                        "could not serialize the emulator's {} state: {e}",
                        store.name()
                    );
                }
            }
        }
        if !changed {
            return Ok(());
        }
        latest.insert("format".to_owned(), Value::String(FORMAT.to_owned()));
        let bytes = serde_json::to_vec(&*latest);
        latest.remove("format");
        let bytes = bytes
            .map_err(|e| data_err(&self.dir, format!("could not serialize the state: {e}")))?;
        write_atomically(&self.dir.join(STATE_FILE), &bytes)
    }
}

fn invalid(path: &Path, why: &str) -> EmulatorError {
    data_err(
        path,
        format!("the saved state is not valid ({why}); move the file away to start fresh"),
    )
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
