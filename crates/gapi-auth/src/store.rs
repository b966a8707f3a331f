//! Token storage: one `authorized_user` JSON file per profile, written atomically (temp file in
//! the same directory, fsync, rename) with mode 0600, under an exclusive lock on a `.lock`
//! sibling so concurrent processes never lose a rotated refresh token.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::credentials::{AuthorizedUser, Credentials};
use crate::error::{Error, ErrorKind, Result};

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// Stores credentials as files under `<dir>/credentials/<profile>.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStore {
    dir: PathBuf,
}

/// An exclusive, cross-process lock on one profile; released on drop.
#[derive(Debug)]
pub struct StoreLock {
    _file: File,
}

fn check_profile(profile: &str) -> Result<()> {
    let ok = !profile.is_empty()
        && profile.len() <= 64
        && !profile.starts_with('.')
        && profile
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'));
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Config,
            format!("invalid profile name `{profile}`"),
        )
        .with_hint("use letters, digits, '-', '_', '.', '@' (at most 64 characters)"))
    }
}

impl FileStore {
    /// A store rooted at `dir` (the config directory; files go in `dir/credentials/`).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FileStore { dir: dir.into() }
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

    fn credentials_dir(&self) -> PathBuf {
        self.dir.join("credentials")
    }

    /// Where `profile`'s credentials live: `<dir>/credentials/<profile>.json`.
    pub fn path_for(&self, profile: &str) -> PathBuf {
        self.credentials_dir().join(format!("{profile}.json"))
    }

    fn lock_path(&self, profile: &str) -> PathBuf {
        self.credentials_dir().join(format!("{profile}.json.lock"))
    }

    fn ensure_dir(&self) -> Result<PathBuf> {
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

    /// Takes the exclusive lock of `profile`, blocking until other holders release it.
    pub fn lock(&self, profile: &str) -> Result<StoreLock> {
        check_profile(profile)?;
        self.ensure_dir()?;
        let path = self.lock_path(profile);
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options
            .open(&path)
            .map_err(|e| Error::io(format!("cannot open lock file {}", path.display()), e))?;
        file.lock()
            .map_err(|e| Error::io(format!("cannot lock {}", path.display()), e))?;
        Ok(StoreLock { _file: file })
    }

    /// [`FileStore::lock`] without blocking the async runtime.
    pub async fn lock_async(&self, profile: &str) -> Result<StoreLock> {
        let store = self.clone();
        let profile = profile.to_string();
        tokio::task::spawn_blocking(move || store.lock(&profile))
            .await
            .map_err(|e| Error::new(ErrorKind::Io, format!("lock task failed: {e}")))?
    }

    pub(crate) fn read_authorized_user(&self, profile: &str) -> Result<Option<AuthorizedUser>> {
        check_profile(profile)?;
        let path = self.path_for(profile);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            Error::new(
                ErrorKind::Store,
                format!(
                    "{} is not an authorized_user credentials file: {e}",
                    path.display()
                ),
            )
            .with_hint(format!(
                "delete it and log in again with `gapi auth login{}`",
                profile_flag(profile)
            ))
        })
    }

    /// Loads `profile` (None when it has never been saved), with a default HTTP client. The
    /// returned credentials persist their refreshes back to this store.
    pub async fn load(&self, profile: &str) -> Result<Option<Credentials>> {
        self.load_with_http(profile, None).await
    }

    /// Like [`FileStore::load`] with the HTTP client used for refreshes.
    pub async fn load_with_http(
        &self,
        profile: &str,
        http: Option<reqwest::Client>,
    ) -> Result<Option<Credentials>> {
        check_profile(profile)?;
        let path = self.path_for(profile);
        if !path.exists() {
            return Ok(None);
        }
        let creds = Credentials::from_authorized_user_file(&path, http)?;
        Ok(Some(creds.with_store(self.clone(), profile)))
    }

    /// Saves `creds` as `profile` (atomically, 0600, under the profile lock).
    pub async fn save(&self, profile: &str, creds: &Credentials) -> Result<()> {
        let lock = self.lock_async(profile).await?;
        let result = self.write_locked(profile, creds);
        drop(lock);
        result
    }

    /// Saves while the caller holds the lock (used by refreshes).
    pub(crate) fn write_locked(&self, profile: &str, creds: &Credentials) -> Result<()> {
        check_profile(profile)?;
        let json = creds.to_authorized_user_json();
        write_atomic(
            &self.ensure_dir()?,
            &self.path_for(profile),
            json.as_bytes(),
        )
    }

    /// Deletes `profile`'s file; returns whether it existed.
    pub async fn delete(&self, profile: &str) -> Result<bool> {
        let lock = self.lock_async(profile).await?;
        let path = self.path_for(profile);
        let result = match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(Error::io(format!("cannot delete {}", path.display()), e)),
        };
        drop(lock);
        let _ = std::fs::remove_file(self.lock_path(profile));
        result
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

fn profile_flag(profile: &str) -> String {
    if profile == DEFAULT_PROFILE {
        String::new()
    } else {
        format!(" --profile {profile}")
    }
}

/// Writes `bytes` to `path` atomically: temp file in `dir` (0600), fsync, rename, fsync dir.
pub(crate) fn write_atomic(dir: &Path, path: &Path, bytes: &[u8]) -> Result<()> {
    let ctx = |what: &str| format!("cannot {what} {}", path.display());
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .suffix(".json")
        .tempfile_in(dir)
        .map_err(|e| Error::io(ctx("create a temporary file for"), e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::io(ctx("set permissions for"), e))?;
    }
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io(ctx("write"), e))?;
    tmp.persist(path)
        .map_err(|e| Error::io(ctx("replace"), e.error))?;
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_profiles() {
        let s = FileStore::new("/x");
        assert_eq!(
            s.path_for("default"),
            PathBuf::from("/x/credentials/default.json")
        );
        assert!(check_profile("work-1").is_ok());
        assert!(check_profile("../etc").is_err());
        assert!(check_profile("a/b").is_err());
        assert!(check_profile("").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_is_private_and_leaves_no_temp_on_failure() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        write_atomic(dir.path(), &path, b"{\"v\":1}").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // Replacing a directory with a file fails: the old content must stay and no temp remain.
        let target = dir.path().join("sub");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("keep"), "x").unwrap();
        assert!(write_atomic(dir.path(), &target, b"new").is_err());
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
