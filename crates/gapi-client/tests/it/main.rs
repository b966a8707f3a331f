//! gapi-client's integration tests, ONE test binary with a module per area (as gapi-emulator's:
//! 17 binaries each linking tokio, reqwest, rustls, axum and the emulator cost minutes of
//! linking on two cores). `*_mock` modules run the client against a mock Google server
//! (`gapi_testkit::mock`), `emulator_*`/`media_emulator` against gapi-emulator, the rest
//! against the bundled documents, the fuzz corpora or a Python peer.
//!
//! Run one area with a module filter: `cargo test -p gapi-client --test it -- media_mock::`;
//! the fuzz corpora with `cargo test -p gapi-client --tests _corpus`. `python_differential` and
//! `storage_emulator` need the test peers (`. target/test-env.sh`); they fail, never skip,
//! without them.

mod all_documents;
mod batch_mock;
mod discovery_fetch;
mod download_integrity_mock;
mod emulator_batch_quota;
mod emulator_drive;
mod emulator_follow;
mod endpoint_env;
mod execute_as_emulator;
mod fuzz_corpus;
mod headers_and_paging_mock;
mod http_client_mock;
mod media_emulator;
mod media_mock;
mod param_values;
mod policy_property;
mod python_differential;
mod retry_transport;
mod storage_emulator;
mod wire_reliability_mock;
