//! A local stand-in for Google: OAuth 2.0 endpoints, the Discovery service and a Drive v3 subset.
//!
//! The emulator lets an installed app (and gapi's own tests and demo) run the whole
//! "authorize a user, then call an API" story offline. It listens on loopback only (unless
//! [`EmulatorConfig::allow_remote`] is set), serves the same bundled Discovery documents the
//! client uses (with `rootUrl` pointing at itself), and offers a loopback-only control API under
//! `/__emulator/` for fault injection, token expiry and request inspection (see the crate README).
//!
//! ```no_run
//! # async fn demo() -> Result<(), gapi_emulator::EmulatorError> {
//! use gapi_emulator::{Emulator, EmulatorConfig};
//! let emulator = Emulator::start(EmulatorConfig { auto_approve: true, ..Default::default() }).await?;
//! println!("Google stand-in at {}", emulator.base_url());
//! let secrets = emulator.client_secrets_json(); // {"installed": {...}} pointing at the emulator
//! # let _ = secrets;
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod config;
mod error;
mod framework;
#[doc(hidden)]
pub mod fuzzing;
mod server;
mod services;
mod world;

pub use config::EmulatorConfig;
pub use error::EmulatorError;
pub use framework::persist::{JournalRepair, repair_journal};
pub use server::{Emulator, RunningEmulator};
pub use world::clients::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, WEB_CLIENT_ID, WEB_CLIENT_REDIRECT_URI,
    WEB_CLIENT_SECRET,
};
pub use world::drives::{SeedFile, seeded_files};
pub use world::users::{TestUser, test_users};
