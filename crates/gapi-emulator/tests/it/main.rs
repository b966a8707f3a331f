//! gapi-emulator's integration tests, ONE test binary with a module per area (ripgrep's and
//! uv's layout: 24 binaries each linking tokio, reqwest and rustls cost minutes on two cores).
//! The emulator is tested black-box over HTTP with plain reqwest, never with gapi's client;
//! the shared helpers (start, token minting, the OAuth dance, Google's error shape, the peer
//! runners) are in `gapi-testkit`.
//!
//! Run one area with a module filter: `cargo test -p gapi-emulator --test it -- gmail::`.
//! `real_clients*` need the test peers (`. target/test-env.sh`); they fail, never skip,
//! without them.

mod batch;
mod calendar;
mod curl_flow;
mod device_flow;
mod discovery;
mod docs;
mod drive_files;
mod faults;
mod fidelity;
mod fuzz_corpus;
mod generic_apis;
mod gmail;
mod iam_credentials;
mod oauth_flow;
mod people;
mod persistence;
mod quota_faults;
mod real_clients;
mod real_clients_workspace;
mod robustness;
mod sheets;
mod sts;
mod uploads;
mod workspace_persistence;
