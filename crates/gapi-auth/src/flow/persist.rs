//! Keep a login between runs in one builder call, as Python's quickstart does with
//! `token.json` by hand:
//!
//! ```no_run
//! # async fn run() -> gapi_auth::Result<()> {
//! use gapi_auth::{ClientSecrets, InstalledFlow, LocalServer};
//! let secrets = ClientSecrets::from_file("client_secret.json")?;
//! let creds = InstalledFlow::new(secrets, ["drive.readonly"])
//!     .persist_to("token.json")
//!     .run_local_server(LocalServer::default())
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! When the file holds a grant of this client for (at least) these scopes, it is loaded and
//! no flow runs; an expired access token is refreshed at once, and a grant the server no
//! longer honours (revoked, expired) runs the flow again. Otherwise the flow runs and its
//! grant is saved: the `authorized_user` JSON of gcloud and google-auth, written atomically
//! with mode 0600 (in a folder made 0700 if missing). Every later refresh (and rotated
//! refresh token) is written back under a lock file beside it, so two processes sharing the
//! file never lose one. A repeat consent issues no refresh token, so a flow run for a client
//! that had a grant asks with `prompt=consent`, and one that gets none asks again with it.
//!
//! [`app_token_file`] is an app's own default place (`~/.config/<app>/token.json`), apart
//! from the `gapi` CLI's profiles.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::credentials::BoxFuture;

use crate::credentials::Credentials;
use crate::credentials::authorized_user::{AuthorizedUser, GrantStore, UserCredentials};
use crate::error::{Error, ErrorKind, Result};
use crate::flow::InstalledFlow;
use crate::flow::console::ConsoleOptions;
use crate::flow::device::DeviceOptions;
use crate::flow::loopback::LocalServer;
use crate::fsread::{ReadError, read_small_text};
use crate::store::write_atomic;

impl InstalledFlow {
    /// Keeps the login in `path` between runs: loads a usable stored grant (no flow), refreshes
    /// it, or runs the flow and saves its grant there. See [`PersistentFlow`].
    pub fn persist_to(self, path: impl Into<PathBuf>) -> PersistentFlow {
        PersistentFlow {
            flow: self,
            path: path.into(),
        }
    }
}

/// An [`InstalledFlow`] whose login is kept in a file ([`InstalledFlow::persist_to`]); run it
/// with the same `run_*` methods.
#[must_use = "a flow does nothing until one of its `run_*` methods is awaited"]
#[derive(Debug)]
pub struct PersistentFlow {
    flow: InstalledFlow,
    path: PathBuf,
}

/// What the stored file says about this flow.
enum Stored {
    /// Nothing at the path.
    Nothing,
    /// A grant of another client, or for fewer scopes: replaced by a new login.
    Unusable { same_client: bool },
    /// A grant of this client for these scopes.
    Usable(Credentials),
}

impl PersistentFlow {
    /// The file the login is kept in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stored login, or the loopback flow ([`InstalledFlow::run_local_server`]) saved.
    pub fn run_local_server(self, server: LocalServer) -> BoxFuture<'static, Result<Credentials>> {
        Box::pin(self.local_server(server))
    }

    async fn local_server(self, server: LocalServer) -> Result<Credentials> {
        let (flow, file) = match self.prepare().await? {
            Ready::Stored(creds) => return Ok(creds),
            Ready::Run(flow, file) => (flow, file),
        };
        let creds = flow.run_local_server(server).await?;
        file.save(creds).await
    }

    /// The stored login, or the console flow ([`InstalledFlow::run_console`]) saved.
    pub fn run_console(self, options: ConsoleOptions) -> BoxFuture<'static, Result<Credentials>> {
        Box::pin(self.console(options))
    }

    async fn console(self, options: ConsoleOptions) -> Result<Credentials> {
        let (flow, file) = match self.prepare().await? {
            Ready::Stored(creds) => return Ok(creds),
            Ready::Run(flow, file) => (flow, file),
        };
        let creds = flow.run_console(options).await?;
        file.save(creds).await
    }

    /// The stored login, or the device flow ([`InstalledFlow::run_device`]) saved.
    pub fn run_device(self, options: DeviceOptions) -> BoxFuture<'static, Result<Credentials>> {
        Box::pin(self.device(options))
    }

    async fn device(self, options: DeviceOptions) -> Result<Credentials> {
        let (flow, file) = match self.prepare().await? {
            Ready::Stored(creds) => return Ok(creds),
            Ready::Run(flow, file) => (flow, file),
        };
        let creds = flow.run_device(options).await?;
        file.save(creds).await
    }

    /// The stored grant when it can be used (refreshed if its access token expired), else
    /// the flow to run.
    async fn prepare(self) -> Result<Ready> {
        let file = FileGrant { path: self.path };
        let same_client = match file.judge(&self.flow)? {
            Stored::Usable(creds) => match creds.access_token().await {
                Ok(_) => return Ok(Ready::Stored(creds)),
                // Revoked, expired or otherwise refused: only a new consent helps.
                Err(e) if e.needs_login() => {
                    tracing::warn!(
                        "the login stored in {} no longer works ({e}); signing in again",
                        file.path.display()
                    );
                    true
                }
                Err(e) => return Err(e),
            },
            Stored::Unusable { same_client } => same_client,
            Stored::Nothing => false,
        };
        let mut flow = self.flow;
        flow.persist_path = Some(file.path.clone());
        // This client had a grant: a consent without prompt=consent would issue no refresh
        // token (Google's rule), and a login without one lasts an hour.
        if same_client && !flow.asks_consent() {
            flow = flow.prompt("consent");
        }
        Ok(Ready::Run(Box::new(flow), Arc::new(file)))
    }
}

/// What [`PersistentFlow::prepare`] found.
enum Ready {
    Stored(Credentials),
    Run(Box<InstalledFlow>, Arc<FileGrant>),
}

impl FileGrant {
    /// Reads the stored file and judges it against `flow`'s client and scopes.
    fn judge(&self, flow: &InstalledFlow) -> Result<Stored> {
        let Some(file) = read_grant(&self.path)? else {
            return Ok(Stored::Nothing);
        };
        let same_client = file.client_id == flow.client_secrets().client_id;
        let granted = file.scopes.clone().unwrap_or_default();
        let covers = flow.scopes().iter().all(|s| granted.contains(s));
        let renewable = file.refresh_token.as_deref().is_some_and(|t| !t.is_empty());
        if !(same_client && covers && renewable) {
            return Ok(Stored::Unusable { same_client });
        }
        let text = serde_json::to_string(&file)
            .map_err(|e| Error::new(ErrorKind::Store, format!("cannot re-encode: {e}")))?;
        let creds = Credentials::from_authorized_user_json(&text, flow.http.clone())
            .map_err(|e| broken(&self.path, e.message()))?;
        Ok(Stored::Usable(creds.with_store(Arc::new(FileGrant {
            path: self.path.clone(),
        }))))
    }

    /// Saves the flow's grant and binds later refreshes to the file.
    async fn save(self: Arc<Self>, creds: Credentials) -> Result<Credentials> {
        let Some(user) = creds.user() else {
            return Ok(creds);
        };
        if !user.has_refresh_token() {
            // Asked with prompt=consent and still none (without it, the flow asks again:
            // `InstalledFlow::finish`): keep what there is.
            tracing::warn!(
                "no refresh token was issued; the login saved in {} lasts only until the \
                 access token expires",
                self.path.display()
            );
        }
        let lock = self.lock().await?;
        let written = self.write(user);
        drop(lock);
        written?;
        Ok(creds.with_store(self))
    }
}

/// The stored grant at `path`: `None` when nothing is there; an error naming the file when it
/// cannot be read or is not an `authorized_user` grant (never quoting it).
fn read_grant(path: &Path) -> Result<Option<AuthorizedUser>> {
    let text = match read_small_text(path) {
        Ok(text) => text,
        Err(ReadError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into_error(format!("cannot read {}", path.display()))),
    };
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| broken(path, &crate::files::authorized_user::safe_json_error(&e)))?;
    let kind = value
        .get("type")
        .and_then(|t| t.as_str())
        .unwrap_or("authorized_user");
    if kind != crate::credentials::AUTHORIZED_USER_TYPE {
        return Err(broken(
            path,
            &format!("it holds `{kind}` credentials, not a user's login"),
        ));
    }
    serde_json::from_value(value)
        .map(Some)
        .map_err(|e| broken(path, &crate::files::authorized_user::safe_json_error(&e)))
}

/// The error of a flow run for [`InstalledFlow::persist_to`] that got no refresh token without
/// having asked with `prompt=consent`: the flow asks again with it.
pub(super) fn consent_required(path: &Path) -> Error {
    Error::new(
        ErrorKind::ConsentRequired,
        format!(
            "the server issued no refresh token (this client was granted access before), so \
             the login could not be kept in {}",
            path.display()
        ),
    )
    .with_remedy(crate::error::Remedy::LogInAgain {
        profile: None,
        client_secrets_needed: false,
        prompt_consent: true,
    })
}

fn broken(path: &Path, reason: &str) -> Error {
    Error::new(
        ErrorKind::Store,
        format!(
            "the stored login {} cannot be used: {reason}",
            path.display()
        ),
    )
    .with_hint(format!(
        "delete {} to sign in again, or give persist_to another file",
        path.display()
    ))
}

/// The grant's file as the store its refreshes are written through.
struct FileGrant {
    path: PathBuf,
}

impl FileGrant {
    fn lock_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".lock");
        self.path.with_file_name(name)
    }

    /// The folder of the file, made (0700) when missing.
    fn dir(&self) -> Result<PathBuf> {
        let dir = match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
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
}

impl GrantStore for FileGrant {
    fn profile(&self) -> &str {
        // Not a CLI profile: remedies name none.
        crate::profile::DEFAULT_PROFILE
    }

    fn lock(&self) -> BoxFuture<'_, Result<Box<dyn Send>>> {
        Box::pin(async move {
            self.dir()?;
            let path = self.lock_path();
            let file = tokio::task::spawn_blocking(move || -> Result<std::fs::File> {
                let mut options = std::fs::OpenOptions::new();
                options.create(true).truncate(false).write(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                let file = options
                    .open(&path)
                    .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
                file.lock()
                    .map_err(|e| Error::io(format!("cannot lock {}", path.display()), e))?;
                Ok(file)
            })
            .await
            .map_err(|e| Error::new(ErrorKind::Io, format!("lock task failed: {e}")))??;
            Ok(Box::new(file) as Box<dyn Send>)
        })
    }

    fn read(&self) -> Result<Option<AuthorizedUser>> {
        read_grant(&self.path)
    }

    fn write(&self, creds: &UserCredentials) -> Result<()> {
        self.dir()?;
        let json = creds.to_authorized_user_json();
        write_atomic(&self.path, ".gapi-token-", json.as_bytes())
    }
}

/// An app's own place for its login: `token.json` in a folder named after the app in the
/// user's configuration folder (`$XDG_CONFIG_HOME/<app>` or `~/.config/<app>` on Linux and
/// other Unixes, `~/Library/Application Support/<app>` on macOS, `%APPDATA%\<app>` on
/// Windows). Never the `gapi` CLI's profiles: `app` must be a plain folder name (letters,
/// digits, `.`, `-`, `_`), so one app's login cannot land in another's folder by accident.
pub fn app_token_file(app: &str) -> Result<PathBuf> {
    let valid = !app.is_empty()
        && app.len() <= 100
        && !app.starts_with('.')
        && app
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if !valid {
        return Err(Error::new(
            ErrorKind::Config,
            format!(
                "{app:?} cannot name an app's folder: use letters, digits, '.', '-' and '_' \
                 (not starting with '.')"
            ),
        ));
    }
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let base = if cfg!(windows) {
        env("APPDATA").map(PathBuf::from)
    } else if cfg!(target_os = "macos") {
        env("HOME").map(|h| PathBuf::from(h).join("Library/Application Support"))
    } else {
        env("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".config")))
    };
    match base {
        Some(base) => Ok(base.join(app).join("token.json")),
        None => Err(Error::new(
            ErrorKind::Config,
            "cannot find the user's configuration folder: HOME is not set",
        )
        .with_hint("give persist_to a path of your choice")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_token_file_is_the_apps_own_folder_and_refuses_paths() {
        let path = app_token_file("my-app").unwrap();
        assert!(path.ends_with("my-app/token.json"), "{}", path.display());
        assert!(!path.to_string_lossy().contains("credentials/default.json"));
        for bad in ["", "..", ".hidden", "a/b", "a\\b", "../gapi"] {
            assert!(app_token_file(bad).is_err(), "{bad:?}");
        }
    }
}
