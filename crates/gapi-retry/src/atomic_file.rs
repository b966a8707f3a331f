//! Replacing a file so that a reader sees the old bytes or the new ones, never half of them:
//! the one way gapi's crates write what they keep (tokens, the ADC file, the Discovery cache,
//! `--follow` state, upload sessions, download sidecars, the CLI's policies). A temp file beside the target is created exclusively (no existing file or
//! symlink is ever opened) and private (0600 on Unix), written, synced, renamed over the
//! target, and the folder synced. A write killed half way leaves only the temp file, named
//! `prefix` + 12 hex digits, which its owner may remove later.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically through a temp file in its folder named `prefix` + 12
/// random hex digits. On an error the temp file is removed and `path` is left as it was.
pub fn write_atomic(path: &Path, prefix: &str, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let (tmp, mut file) = create_temp(dir, prefix)?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            std::fs::rename(&tmp, path)
        });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    // The rename itself is durable once the folder is synced (best effort off Unix).
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// A new, empty, private file in `dir` named `prefix` + 12 random hex digits.
fn create_temp(dir: &Path, prefix: &str) -> io::Result<(PathBuf, File)> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    for _ in 0..16 {
        let mut raw = [0u8; 6];
        getrandom::fill(&mut raw).map_err(io::Error::other)?;
        let mut name = String::from(prefix);
        for b in raw {
            name.push_str(&format!("{b:02x}"));
        }
        let path = dir.join(name);
        match options.open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("16 temporary names in {} were all taken", dir.display()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "gapi-atomic-{name}-{}-{}",
            std::process::id(),
            getrandom::u64().unwrap()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn replaces_the_file_privately_and_leaves_no_temp_file() {
        let dir = scratch("replace");
        let path = dir.join("token.json");
        std::fs::write(&path, b"old").unwrap();
        write_atomic(&path, ".token.json.tmp-", b"new bytes").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new bytes");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("token.json")]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_rename_keeps_the_old_file_and_removes_the_temp_file() {
        let dir = scratch("fail");
        // The target is a non-empty folder: the rename fails after the bytes were written.
        let path = dir.join("state");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("inside"), b"kept").unwrap();
        let err = write_atomic(&path, ".state.tmp-", b"new").unwrap_err();
        assert_ne!(err.kind(), io::ErrorKind::AlreadyExists, "{err}");
        assert_eq!(std::fs::read(path.join("inside")).unwrap(), b"kept");
        let temps = std::fs::read_dir(&dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with(".state.tmp-")
            })
            .count();
        assert_eq!(temps, 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
