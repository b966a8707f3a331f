//! Token storage: one `authorized_user` JSON file per profile, written atomically (temp file in
//! the same directory, fsync, rename) with mode 0600, under an exclusive lock on a `.lock`
//! sibling so concurrent processes never lose a rotated refresh token. A profile's temp files
//! are named after it (`.<profile>.json.tmp-XXXXXX`), so a write killed half way leaves nothing
//! that outlives the profile's next write or its deletion.

mod keyring;

pub use keyring::{KeyringMarker, StoreKind, probe_keyring};

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use crate::credentials::BoxFuture;
use crate::credentials::LoadOptions;
use crate::credentials::authorized_user::{AuthorizedUser, GrantStore, UserCredentials};
use crate::credentials::{AUTHORIZED_USER_TYPE, Credentials};
use crate::error::{Error, ErrorKind, Result};
use crate::files::credential_file::load_json;
use crate::fsread::{ReadError, read_small_text, something_exists};
use crate::profile::validate_profile as check_profile;
pub use crate::warnings::file_warnings;
use keyring::{KEYRING_MARKER_TYPE, KEYRING_SERVICE};

/// Stores credentials as files under `<dir>/credentials/<profile>.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStore {
    dir: PathBuf,
    /// Where saves go (`--store`); None: where each profile already is, else a file.
    kind: Option<StoreKind>,
}

/// An exclusive, cross-process lock on one profile; released on drop.
#[derive(Debug)]
pub struct StoreLock {
    _file: File,
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

    /// Reads `profile`'s file as stored (None when nothing is there). A file that exists but
    /// cannot be used is an error naming the file, the reason and the command that repairs it.
    pub(crate) fn read_authorized_user(&self, profile: &str) -> Result<Option<AuthorizedUser>> {
        check_profile(profile)?;
        let path = self.path_for(profile);
        let Some(text) = self.read_profile_text(profile)? else {
            return Ok(None);
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| broken_profile(profile, &path, &safe_json_error(&e), true))
    }

    /// The text of `profile`'s file; None when nothing at all is at its path.
    fn read_profile_text(&self, profile: &str) -> Result<Option<String>> {
        let path = self.path_for(profile);
        match read_small_text(&path) {
            Ok(text) => match KeyringMarker::parse(&text) {
                // The file only names the keyring entry that holds the profile.
                Some(marker) => match keyring::read(&marker)? {
                    Some(json) => Ok(Some(json)),
                    None => Err(broken_profile(
                        profile,
                        &path,
                        &format!("its entry in {} is gone", marker.describe()),
                        true,
                    )),
                },
                None => Ok(Some(text)),
            },
            Err(ReadError::NotFound(_)) => Ok(None),
            Err(e @ ReadError::NotRegular(_)) => {
                Err(broken_profile(profile, &path, &e.to_string(), false))
            }
            Err(e) => Err(broken_profile(profile, &path, &e.to_string(), true)),
        }
    }

    /// True when something (even a broken file or a directory) is at `profile`'s path: such a
    /// profile exists, and using anything else in its place would act as another account.
    pub fn exists(&self, profile: &str) -> Result<bool> {
        check_profile(profile)?;
        Ok(something_exists(&self.path_for(profile)))
    }

    /// Loads `profile` (None when it has never been saved), with a default HTTP client. The
    /// returned credentials persist their refreshes back to this store.
    pub async fn load(&self, profile: &str) -> Result<Option<Credentials>> {
        self.load_with_http(profile, None).await
    }

    /// Like [`FileStore::load`] with the HTTP client used for refreshes. A file that exists but
    /// is unreadable, truncated, empty, of another type or a directory is an error
    /// ([`ErrorKind::Store`]), never `None`.
    pub async fn load_with_http(
        &self,
        profile: &str,
        http: Option<reqwest::Client>,
    ) -> Result<Option<Credentials>> {
        let opts = LoadOptions {
            http,
            ..Default::default()
        };
        self.load_with_options(profile, &opts).await
    }

    /// Like [`FileStore::load_with_http`], with the scopes and delegation subject a stored
    /// service-account key (or other non-user profile) mints its tokens for.
    pub async fn load_with_options(
        &self,
        profile: &str,
        opts: &LoadOptions,
    ) -> Result<Option<Credentials>> {
        check_profile(profile)?;
        let path = self.path_for(profile);
        let Some(text) = self.read_profile_text(profile)? else {
            return Ok(None);
        };
        for warning in crate::warnings::file_warnings(&path) {
            tracing::warn!("{warning}");
        }
        let kind = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_string));
        if let Some(kind) = kind.filter(|k| k != AUTHORIZED_USER_TYPE) {
            // A service-account key (or another credential file) stored as a profile.
            let loaded = load_json(&text, opts).map_err(|e| {
                broken_profile(profile, &path, &format!("{kind}: {}", e.message()), true)
            })?;
            return Ok(Some(loaded.credentials));
        }
        let creds = parse_authorized_user(&text, opts.http.clone())
            .map_err(|reason| broken_profile(profile, &path, &reason, true))?;
        Ok(Some(self.bind(profile, creds)))
    }

    /// `creds` persisting every refresh (and rotated refresh token) of a user's grant to
    /// `profile` of this store at once, under the profile's lock (other types keep no
    /// long-lived secret that changes, and are returned as they are).
    pub fn bind(&self, profile: &str, creds: Credentials) -> Credentials {
        creds.with_store(Arc::new(ProfileGrant {
            store: self.clone(),
            profile: profile.to_string(),
        }))
    }

    /// Saves `creds` as `profile` (atomically, 0600, under the profile lock).
    pub async fn save(&self, profile: &str, creds: &Credentials) -> Result<()> {
        let Some(user) = creds.user() else {
            return Err(Error::new(
                ErrorKind::Store,
                format!(
                    "{} credentials are not saved as a login; store their file with save_credentials_file",
                    creds.kind().describe()
                ),
            ));
        };
        let lock = self.lock_async(profile).await?;
        let result = self.write_locked(profile, user);
        drop(lock);
        result
    }

    /// The keyring marker at `profile`'s path, when the profile lives in the OS keyring.
    pub fn keyring_marker(&self, profile: &str) -> Option<KeyringMarker> {
        check_profile(profile).ok()?;
        read_small_text(&self.path_for(profile))
            .ok()
            .and_then(|text| KeyringMarker::parse(&text))
    }

    /// Where `profile` is kept (None when it does not exist).
    pub fn stored_in(&self, profile: &str) -> Result<Option<StoreKind>> {
        if !self.exists(profile)? {
            return Ok(None);
        }
        Ok(Some(match self.keyring_marker(profile) {
            Some(_) => StoreKind::Keyring,
            None => StoreKind::File,
        }))
    }

    /// This store with every login and refresh it saves kept in `kind` (`--store`): a
    /// profile saved in the other kind moves over (its old keyring entry is deleted). Without
    /// it each profile stays where it is, a new one goes to a file.
    pub fn storing_in(mut self, kind: StoreKind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// Saves `creds` as `profile` in the given storage (see [`FileStore::storing_in`]).
    pub async fn save_in(&self, profile: &str, creds: &Credentials, kind: StoreKind) -> Result<()> {
        self.clone().storing_in(kind).save(profile, creds).await
    }

    /// Stores a credential file of another type (a service-account key, an external-account
    /// configuration...) as `profile`, after checking it loads: atomically, mode 0600, under
    /// the profile lock. Later loads of the profile use it as is. When the profile it replaces
    /// lived in the OS keyring, that keyring entry is deleted once the file is in place (a
    /// failure to delete it is logged, as for any save that leaves the keyring).
    pub async fn save_credentials_file(&self, profile: &str, json: &str) -> Result<()> {
        check_profile(profile)?;
        load_json(json, &Default::default())?;
        let lock = self.lock_async(profile).await?;
        let old = self.keyring_marker(profile);
        let dir = self.ensure_dir()?;
        self.remove_stale_temps(profile);
        let result = write_atomic(
            &dir,
            &self.path_for(profile),
            &temp_prefix(profile),
            json.as_bytes(),
        );
        if result.is_ok()
            && let Some(old) = old
            && let Err(e) = keyring::delete(&old)
        {
            tracing::warn!("could not delete the profile's old keyring entry: {e}");
        }
        drop(lock);
        result
    }

    /// Saves while the caller holds the lock (used by refreshes). Removes the temp files an
    /// interrupted earlier write of this profile left behind (the lock says none is in use).
    pub(crate) fn write_locked(&self, profile: &str, creds: &UserCredentials) -> Result<()> {
        check_profile(profile)?;
        let json = creds.to_authorized_user_json();
        let old = self.keyring_marker(profile);
        let kind = self.kind.unwrap_or(match old {
            Some(_) => StoreKind::Keyring,
            None => StoreKind::File,
        });
        if kind == StoreKind::Keyring {
            // Remembered per profile: the secrets go to the keyring only, and the marker is
            // written after them, so an unreachable keyring leaves nothing new on disk.
            let marker = KeyringMarker {
                kind: KEYRING_MARKER_TYPE.to_string(),
                profile: profile.to_string(),
                account: creds.account(),
                service: KEYRING_SERVICE.to_string(),
                user: format!("{}:{profile}", self.dir.display()),
            };
            let marker = match old {
                Some(old) if old.service == marker.service && old.user == marker.user => {
                    KeyringMarker {
                        account: marker.account.or(old.account),
                        ..old
                    }
                }
                _ => marker,
            };
            keyring::write(&marker, &json)?;
            if self.keyring_marker(profile).as_ref() == Some(&marker) {
                return Ok(());
            }
            let dir = self.ensure_dir()?;
            self.remove_stale_temps(profile);
            return write_atomic(
                &dir,
                &self.path_for(profile),
                &temp_prefix(profile),
                marker.to_json().as_bytes(),
            );
        }
        let dir = self.ensure_dir()?;
        self.remove_stale_temps(profile);
        write_atomic(
            &dir,
            &self.path_for(profile),
            &temp_prefix(profile),
            json.as_bytes(),
        )?;
        if let Some(old) = old
            && let Err(e) = keyring::delete(&old)
        {
            tracing::warn!("could not delete the profile's old keyring entry: {e}");
        }
        Ok(())
    }

    /// Deletes stale temp files of `profile` (call only while holding its lock). Returns how
    /// many were removed. Also removes temp files of the old unattributed `.tmp-*.json` form
    /// once they are a minute old (no write takes that long).
    fn remove_stale_temps(&self, profile: &str) -> usize {
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

    /// Deletes every file of `profile`: its credentials (whatever is at the path, even a
    /// directory), stale temp files and its lock file. Returns whether credentials existed.
    pub async fn delete(&self, profile: &str) -> Result<bool> {
        let lock = self.lock_async(profile).await?;
        let path = self.path_for(profile);
        if let Some(marker) = self.keyring_marker(profile) {
            // The keyring entry goes first: if it cannot, the marker stays to say where it is.
            keyring::delete(&marker)?;
        }
        let result = match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(&path).map(|()| true),
            Ok(_) => std::fs::remove_file(&path).map(|()| true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
        .map_err(|e| Error::io(format!("cannot delete {}", path.display()), e));
        self.remove_stale_temps(profile);
        // Unlinked while held: waiters notice the file is gone and lock the new one.
        let _ = std::fs::remove_file(self.lock_path(profile));
        drop(lock);
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

/// One profile of a [`FileStore`] as the place a user's grant writes its refreshes through.
struct ProfileGrant {
    store: FileStore,
    profile: String,
}

impl GrantStore for ProfileGrant {
    fn profile(&self) -> &str {
        &self.profile
    }

    fn lock(&self) -> BoxFuture<'_, Result<Box<dyn Send>>> {
        Box::pin(async move {
            let lock = self.store.lock_async(&self.profile).await?;
            Ok(Box::new(lock) as Box<dyn Send>)
        })
    }

    fn read(&self) -> Result<Option<AuthorizedUser>> {
        self.store.read_authorized_user(&self.profile)
    }

    fn write(&self, creds: &UserCredentials) -> Result<()> {
        self.store.write_locked(&self.profile, creds)
    }
}

/// Parses `authorized_user` JSON; the error text never quotes the file's content (a secret
/// in a field of the wrong type must not reach a message).
pub(crate) fn parse_authorized_user(
    text: &str,
    http: Option<reqwest::Client>,
) -> std::result::Result<Credentials, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| safe_json_error(&e))?;
    let found = match &value {
        serde_json::Value::Object(map) => {
            let other_type = map
                .get("type")
                .and_then(|t| t.as_str())
                .is_some_and(|t| t != AUTHORIZED_USER_TYPE);
            // Checked first so "type service_account" beats "missing field client_id".
            if !other_type && let Err(e) = serde_json::from_value::<AuthorizedUser>(value) {
                return Err(safe_json_error(&e));
            }
            None
        }
        serde_json::Value::Array(_) => Some("a list"),
        serde_json::Value::String(_) => Some("a string"),
        serde_json::Value::Number(_) => Some("a number"),
        serde_json::Value::Bool(_) => Some("a boolean"),
        serde_json::Value::Null => Some("null"),
    };
    if let Some(found) = found {
        return Err(format!("expected a JSON object, found {found}"));
    }
    Credentials::from_authorized_user_json(text, http).map_err(|e| e.message().to_string())
}

/// A serde_json error described without the values it may quote.
pub(crate) fn safe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let at = format!("line {} column {}", e.line(), e.column());
    match e.classify() {
        Category::Eof if e.line() <= 1 && e.column() == 0 => "the file is empty".to_string(),
        Category::Eof => format!("the file ends early (truncated?) at {at}"),
        Category::Syntax => format!("not valid JSON at {at}"),
        Category::Io => "the file could not be read".to_string(),
        Category::Data => {
            let text = e.to_string();
            let text = text.strip_suffix(" at line 0 column 0").unwrap_or(&text);
            match text.split_once(", expected ") {
                Some((_, expected)) => format!("a field has the wrong type (expected {expected})"),
                None => text.to_string(),
            }
        }
    }
}

/// Builds the error for a profile whose file exists but cannot be used.
fn broken_profile(profile: &str, path: &Path, reason: &str, replaceable: bool) -> Error {
    let profile_name = crate::profile::named(profile);
    let remedy = if replaceable {
        crate::error::Remedy::ReplaceByLogIn {
            profile: profile_name,
            client_secrets_needed: true,
        }
    } else {
        crate::error::Remedy::RemoveAndLogIn {
            path: path.to_path_buf(),
            profile: profile_name,
            client_secrets_needed: true,
        }
    };
    Error::new(
        ErrorKind::Store,
        format!(
            "the credentials file of profile `{profile}`, {}, cannot be used: {reason}",
            path.display()
        ),
    )
    .with_remedy(remedy)
}

/// The name prefix of `profile`'s temp files, `.<profile>.json.tmp-`.
fn temp_prefix(profile: &str) -> String {
    format!(".{profile}.json.tmp-")
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

/// Writes `bytes` to `path` atomically: temp file in `dir` (0600) named `prefix` + random,
/// fsync, rename, fsync dir.
pub(crate) fn write_atomic(dir: &Path, path: &Path, prefix: &str, bytes: &[u8]) -> Result<()> {
    let ctx = |what: &str| format!("cannot {what} {}", path.display());
    let mut tmp = tempfile::Builder::new()
        .prefix(prefix)
        .suffix("")
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
    fn profile_paths() {
        let s = FileStore::new("/x");
        assert_eq!(
            s.path_for("default"),
            PathBuf::from("/x/credentials/default.json")
        );
        assert!(check_profile("../etc").is_err());
        assert!(check_profile("a\\b").is_err());
        assert!(check_profile("..").is_err());
        assert!(check_profile("me@example.com").is_ok());
        assert!(check_profile("").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_is_private_and_leaves_no_temp_on_failure() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        write_atomic(dir.path(), &path, ".tmp-", b"{\"v\":1}").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // Replacing a directory with a file fails: the old content must stay and no temp remain.
        let target = dir.path().join("sub");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("keep"), "x").unwrap();
        assert!(write_atomic(dir.path(), &target, ".tmp-", b"new").is_err());
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
