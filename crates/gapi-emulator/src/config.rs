//! How an emulator instance is set up: where it listens, whether it asks for consent, where it
//! keeps its state.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// Settings for [`crate::Emulator::start`]; `Default` gives an in-memory emulator on a free
/// loopback port that shows the consent page.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Address to listen on; port 0 picks a free port. Non-loopback addresses are refused unless
    /// `allow_remote` is set.
    pub addr: SocketAddr,
    /// Skip the consent page and approve as the `login_hint` user (or the first test user), for
    /// scripts and the demo.
    pub auto_approve: bool,
    /// Keep the state (files, tokens, upload sessions) in this directory so it survives a
    /// restart. `None` keeps everything in memory.
    pub data_dir: Option<PathBuf>,
    /// Lifetime of issued access tokens (Google's is 3599 s).
    pub token_lifetime: Duration,
    /// Allow listening on a non-loopback address. The `/__emulator/` control API still only
    /// answers loopback peers.
    pub allow_remote: bool,
    /// Polling interval announced by the device flow (Google uses 5 s); `slow_down` adds 5 s.
    pub device_poll_interval: Duration,
    /// Refresh tokens die this long after they were issued (`invalid_grant`, "Token has been
    /// expired or revoked."), as Google's do after 7 days while the OAuth consent screen is in
    /// "Testing" mode; grants of only name, email and profile scopes are exempt, as at Google.
    /// `None` (the default): refresh tokens live until revoked.
    pub refresh_token_lifetime: Option<Duration>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            auto_approve: false,
            data_dir: None,
            token_lifetime: Duration::from_secs(3599),
            allow_remote: false,
            device_poll_interval: Duration::from_secs(5),
            refresh_token_lifetime: None,
        }
    }
}
