//! Where a store keeps its files: the configuration folder (`$GAPI_CONFIG_DIR`, else
//! `$XDG_CONFIG_HOME/gapi`, else `~/.config/gapi`), `credentials/<profile>.json` in it (made
//! 0700), the profile's lock file beside it, and the saved profiles' names.

use std::path::{Path, PathBuf};

use super::keyring::StoreKind;
use crate::error::{Error, ErrorKind, Result};
use crate::profile::validate_profile as check_profile;

/// Stores credentials as files under `<dir>/credentials/<profile>.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStore {
    pub(super) dir: PathBuf,
    /// Where saves go (`--store`); None: where each profile already is, else a file.
    pub(super) kind: Option<StoreKind>,
}

impl FileStore {
    /// A store rooted at `dir` (the config directory; files go in `dir/credentials/`).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FileStore {
            dir: dir.into(),
            kind: None,
        }
    }

    /// `$GAPI_CONFIG_DIR`, else `$XDG_CONFIG_HOME/gapi`, else `~/.config/gapi`.
    pub fn default_location() -> Result<Self> {
        let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        if let Some(dir) = non_empty("GAPI_CONFIG_DIR") {
            return Ok(Self::new(dir));
        }
        if let Some(xdg) = non_empty("XDG_CONFIG_HOME") {
            return Ok(Self::new(PathBuf::from(xdg).join("gapi")));
        }
        let home = non_empty("HOME").or_else(|| non_empty("USERPROFILE"));
        match home {
            Some(home) => Ok(Self::new(PathBuf::from(home).join(".config").join("gapi"))),
            None => Err(Error::new(
                ErrorKind::Config,
                "cannot find a configuration directory: HOME is not set",
            )
            .with_hint("set GAPI_CONFIG_DIR to a private directory")),
        }
    }

    /// The configuration directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(super) fn credentials_dir(&self) -> PathBuf {
        self.dir.join("credentials")
    }

    /// Where `profile`'s credentials live: `<dir>/credentials/<profile>.json`.
    pub fn path_for(&self, profile: &str) -> PathBuf {
        self.credentials_dir().join(format!("{profile}.json"))
    }

    pub(super) fn lock_path(&self, profile: &str) -> PathBuf {
        self.credentials_dir().join(format!("{profile}.json.lock"))
    }

    pub(super) fn ensure_dir(&self) -> Result<PathBuf> {
        let dir = self.credentials_dir();
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder
            .create(&dir)
            .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
        Ok(dir)
    }

    /// The saved profile names, sorted.
    pub fn list(&self) -> Result<Vec<String>> {
        let dir = self.credentials_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(format!("cannot list {}", dir.display()), e)),
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let profile = name.strip_suffix(".json")?;
                check_profile(profile).ok()?;
                Some(profile.to_string())
            })
            .collect();
        names.sort();
        Ok(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_paths() {
        let s = FileStore::new("/x");
        assert_eq!(
            s.path_for("default"),
            PathBuf::from("/x/credentials/default.json")
        );
    }
}
