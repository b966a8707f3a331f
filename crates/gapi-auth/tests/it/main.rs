//! gapi-auth's integration tests, ONE test binary with a module per area (as gapi-emulator's:
//! 22 binaries each linking tokio, reqwest, rustls and axum cost minutes of linking on two
//! cores). `support` is an in-test OAuth server with a scripted browser, `google_mock` a mock
//! of Google's token, IAM Credentials and metadata endpoints; `emulator*` run against gapi-emulator, `peer_*` against
//! the pinned Python google-auth and Node oidc-provider.
//!
//! Run one area with a module filter: `cargo test -p gapi-auth --test it -- loopback::`; the
//! fuzz corpora with `cargo test -p gapi-auth --tests _corpus`. `peer_*` and
//! `emulator_service_account` need the test peers (`. target/test-env.sh`).

mod console;
mod credentials;
mod device;
mod emulator;
mod emulator_metadata;
mod emulator_service_account;
mod file_limits;
mod fuzz_corpus;
mod google_mock;
mod headless;
mod loopback;
mod no_program_names;
mod peer_oidc_provider;
mod peer_python_adc;
mod peer_python_aws;
mod peer_python_google_auth;
mod peer_python_identity_pool;
mod peer_python_service_account;
mod providers;
mod relogin;
mod secrecy;
mod store;
mod support;
mod warnings_log;
