//! Replays the fuzz corpora (`fuzz/corpus/<target>/`) through the same entry functions as the
//! fuzz targets (`gapi_auth::flow::fuzzing`), as ordinary tests on stable Rust: every input that
//! ever found a bug, and the minimized coverage of the fuzzing runs recorded in RELIABILITY.md,
//! must parse or be refused without a panic and keep the targets' invariants.

use gapi_testkit::fuzz::replay;

const CRATE: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn loopback_request_corpus() {
    replay(
        CRATE,
        "loopback_request",
        gapi_auth::flow::fuzzing::loopback_request,
    );
}

#[test]
fn client_secrets_corpus() {
    replay(
        CRATE,
        "client_secrets",
        gapi_auth::flow::fuzzing::client_secrets,
    );
}

#[test]
fn credentials_file_corpus() {
    replay(
        CRATE,
        "credentials_file",
        gapi_auth::flow::fuzzing::credentials_file,
    );
}

#[test]
fn token_response_corpus() {
    replay(
        CRATE,
        "token_response",
        gapi_auth::flow::fuzzing::token_response,
    );
}

#[test]
fn expiry_corpus() {
    replay(CRATE, "expiry", gapi_auth::flow::fuzzing::expiry);
}

#[test]
fn paste_corpus() {
    replay(CRATE, "paste", gapi_auth::flow::fuzzing::paste);
}
