//! Starting, serving and stopping the emulator. Connections are served by hyper directly (not
//! `axum::serve`) so that each socket gets TCP_NODELAY, each request knows its peer address, and
//! a fault can abort a connection mid-body (`drop_after_bytes`).

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

use crate::config::EmulatorConfig;
use crate::error::EmulatorError;
use crate::framework::conn::{ConnInfo, RootRouter};
use crate::framework::persist::{Persister, write_atomically};
use crate::framework::{Core, Ctx};
use crate::world::clients::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, OOB};

/// Entry point: `Emulator::start(config)`.
pub struct Emulator;

impl Emulator {
    /// Binds the listening socket, loads or seeds the state and starts serving in the
    /// background. The emulator is ready when this returns.
    pub async fn start(config: EmulatorConfig) -> Result<RunningEmulator, EmulatorError> {
        if !config.addr.ip().is_loopback() && !config.allow_remote {
            return Err(EmulatorError::NonLoopback(config.addr));
        }
        let persister = match &config.data_dir {
            Some(dir) => Some(Persister::open(dir)?),
            None => None,
        };
        let listener =
            TcpListener::bind(config.addr)
                .await
                .map_err(|source| EmulatorError::Bind {
                    addr: config.addr,
                    source,
                })?;
        let addr = listener
            .local_addr()
            .map_err(|source| EmulatorError::Bind {
                addr: config.addr,
                source,
            })?;
        let base_url = format!("http://{addr}");
        let data_dir = config.data_dir.clone();
        let core = Core::new(config, base_url.clone(), persister);
        let router = crate::framework::router::build(&core, crate::services::all(&core));
        let errors = core.load_errors();
        if !errors.is_empty() {
            let dir = data_dir.unwrap_or_default();
            return Err(EmulatorError::Data {
                path: dir.join("state.json"),
                message: format!(
                    "the saved state is not valid ({}); move the file away to start fresh",
                    errors.join("; ")
                ),
            });
        }
        // Write seeded stores at once so a data dir is never empty after a start.
        core.save_if_dirty()?;
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let task = tokio::spawn(serve(listener, router, shutdown_rx));
        tracing::info!("gapi emulator listening on {base_url}");
        Ok(RunningEmulator {
            addr,
            base_url,
            shutdown: shutdown_tx,
            task: Some(task),
            _core: core,
        })
    }
}

/// A started emulator. Dropping it stops the server too; [`RunningEmulator::shutdown`] waits
/// for the connections to finish.
pub struct RunningEmulator {
    addr: SocketAddr,
    base_url: String,
    shutdown: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
    _core: Ctx,
}

impl std::fmt::Debug for RunningEmulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningEmulator")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl RunningEmulator {
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The address actually bound (the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The built-in installed client's id.
    pub fn client_id(&self) -> &str {
        DEFAULT_CLIENT_ID
    }

    /// A ready `client_secret.json` (`{"installed": {...}}`) pointing at this emulator.
    pub fn client_secrets_json(&self) -> serde_json::Value {
        let base = &self.base_url;
        serde_json::json!({"installed": {
            "client_id": DEFAULT_CLIENT_ID,
            "project_id": "gapi-emulator",
            "auth_uri": format!("{base}/o/oauth2/auth"),
            "token_uri": format!("{base}/token"),
            "auth_provider_x509_cert_url": format!("{base}/oauth2/v1/certs"),
            "client_secret": DEFAULT_CLIENT_SECRET,
            "redirect_uris": ["http://localhost", OOB],
        }})
    }

    /// Writes [`Self::client_secrets_json`] to `path` atomically with mode 0600.
    pub fn write_client_secrets(&self, path: &Path) -> Result<(), EmulatorError> {
        let mut text = serde_json::to_string_pretty(&self.client_secrets_json())
            .unwrap_or_else(|_| "{}".to_owned());
        text.push('\n');
        write_atomically(path, text.as_bytes())
    }

    /// The seeded service account's JSON key (as the Cloud console writes it), its `token_uri`
    /// this emulator's; the key is a fixed public test key, good for this emulator only.
    pub fn service_account_key_json(&self) -> serde_json::Value {
        crate::world::robot_key::service_account_key_json(&self.base_url)
    }

    /// Writes [`Self::service_account_key_json`] to `path` atomically with mode 0600.
    pub fn write_service_account_key(&self, path: &Path) -> Result<(), EmulatorError> {
        let mut text = serde_json::to_string_pretty(&self.service_account_key_json())
            .unwrap_or_else(|_| "{}".to_owned());
        text.push('\n');
        write_atomically(path, text.as_bytes())
    }

    /// Stops accepting, lets in-flight requests finish (briefly), and returns when done.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Serves until Ctrl-C (or until the server stops), then shuts down. The CLI uses this.
    pub async fn wait(mut self) {
        let Some(mut task) = self.task.take() else {
            return;
        };
        tokio::select! {
            _ = &mut task => {}
            _ = tokio::signal::ctrl_c() => {
                let _ = self.shutdown.send(true);
                let _ = task.await;
            }
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

/// Resolves once shutdown is requested (or the sender is gone).
async fn shutdown_requested(rx: &mut watch::Receiver<bool>) {
    loop {
        if *rx.borrow_and_update() {
            return;
        }
        if rx.changed().await.is_err() {
            return;
        }
    }
}

async fn serve(listener: TcpListener, router: Router, mut shutdown: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(pair) => pair,
                    Err(e) => {
                        // Typically EMFILE: back off instead of spinning.
                        tracing::warn!("accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                connections.spawn(serve_connection(stream, peer, router.clone(), shutdown.clone()));
            }
            _ = shutdown_requested(&mut shutdown) => break,
        }
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(Duration::from_secs(3), drain)
        .await
        .is_err()
    {
        connections.abort_all();
    }
}

async fn serve_connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    let abort = Arc::new(Notify::new());
    let info = ConnInfo {
        peer,
        abort: abort.clone(),
    };
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(info.clone());
        request.extensions_mut().insert(RootRouter(router.clone()));
        let router = router.clone();
        async move {
            Ok::<_, std::convert::Infallible>(
                crate::framework::dispatch::dispatch(router, request.map(axum::body::Body::new))
                    .await,
            )
        }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(30))
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = abort.notified() => {
            // Dropping the connection closes the socket without answering.
        }
        _ = shutdown_requested(&mut shutdown) => {
            connection.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(Duration::from_secs(2), connection.as_mut()).await;
        }
    }
}
