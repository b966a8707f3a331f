//! Request extensions the accept loop (`crate::server`) adds to every request.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use tokio::sync::Notify;

/// Per-connection facts made available to handlers as a request extension.
#[derive(Clone)]
pub(crate) struct ConnInfo {
    /// The client's address (the control API answers loopback peers only).
    pub peer: SocketAddr,
    /// Notifying this closes the connection at once, without a response.
    pub abort: Arc<Notify>,
}

/// The whole router, as a request extension: batch runs its parts through it.
#[derive(Clone)]
pub(crate) struct RootRouter(pub Router);
