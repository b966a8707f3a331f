//! Token storage: one `authorized_user` JSON file per profile, written atomically (temp file in
//! the same directory, fsync, rename) with mode 0600, under an exclusive lock on a `.lock`
//! sibling so concurrent processes never lose a rotated refresh token. A profile's temp files
//! are named after it (`.<profile>.json.tmp-XXXXXX`), so a write killed half way leaves nothing
//! that outlives the profile's next write or its deletion.

mod atomic;
mod keyring;
mod lock;
mod paths;

use atomic::temp_prefix;
pub(crate) use atomic::write_atomic;
pub use keyring::{KeyringMarker, StoreKind, probe_keyring};
pub use lock::StoreLock;
pub use paths::FileStore;

use std::path::Path;
use std::sync::Arc;

use crate::credentials::authorized_user::{AuthorizedUser, GrantStore, UserCredentials};
use crate::credentials::{AUTHORIZED_USER_TYPE, BoxFuture, Credentials, LoadOptions};
use crate::error::{Error, ErrorKind, Result};
use crate::files::authorized_user::{parse_authorized_user, safe_json_error};
use crate::files::credential_file::load_json;
use crate::fsread::{ReadError, read_small_text, something_exists};
use crate::profile::validate_profile as check_profile;
pub use crate::warnings::file_warnings;
use keyring::{KEYRING_MARKER_TYPE, KEYRING_SERVICE};

impl FileStore {
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
        http: Option<gapi_retry::HttpClient>,
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
        self.release(profile, lock, result.is_err());
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
        self.ensure_dir()?;
        self.remove_stale_temps(profile);
        let result = write_atomic(
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
        self.release(profile, lock, result.is_err());
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
            self.ensure_dir()?;
            self.remove_stale_temps(profile);
            return write_atomic(
                &self.path_for(profile),
                &temp_prefix(profile),
                marker.to_json().as_bytes(),
            );
        }
        self.ensure_dir()?;
        self.remove_stale_temps(profile);
        write_atomic(
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
