//! gapi-cli's integration tests, ONE test binary with a module per area (as gapi-emulator's:
//! 28 binaries each linking tokio, reqwest, rustls and the emulator cost minutes of linking on
//! two cores). Every test drives the real `gapi` binary (`CARGO_BIN_EXE_gapi`) as a child
//! process against an emulator it starts; `common` holds what the modules share (the emulator
//! plus a private config folder, running `gapi`), `gapi-testkit` what every crate shares.
//!
//! Run one area with a module filter: `cargo test -p gapi-cli --test it -- cli_batch::`.
//! `browser_e2e`, `cli_mcp`, `keyring_store` and the Python-backed modules need the test peers
//! (`. target/test-env.sh`); they fail, never skip, without them.

mod browser_e2e;
mod cli_api;
mod cli_auth;
mod cli_auth_kill;
mod cli_auth_safety;
mod cli_batch;
mod cli_completions;
mod cli_credentials;
mod cli_emulator_apis;
mod cli_emulator_data;
mod cli_external_account;
mod cli_helpers;
mod cli_identity;
mod cli_jq;
mod cli_mcp;
mod cli_mcp_small;
mod cli_mcp_upstream;
mod cli_media;
mod cli_policy;
mod cli_profile_policy;
mod cli_reachable;
mod cli_service_account;
mod cli_skills;
mod cli_snapshots;
mod cli_surface;
mod cli_validate;
mod common;
mod incremental;
mod keyring_store;
mod output_formats;
mod refresh_diagnosis;
mod remote_login;
mod soak;
mod terminal_escapes;
