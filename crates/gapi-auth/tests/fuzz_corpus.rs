//! Replays the fuzz corpora (`fuzz/corpus/<target>/`) through the same entry functions as the
//! fuzz targets (`gapi_auth::flow::fuzzing`), as ordinary tests on stable Rust: every input that
//! ever found a bug, and the minimized coverage of the fuzzing runs recorded in RELIABILITY.md,
//! must parse or be refused without a panic and keep the targets' invariants.

#[path = "../../../tests/support/fuzz_replay.rs"]
mod fuzz_replay;

use fuzz_replay::replay;

#[test]
fn loopback_request_corpus() {
    replay(
        "loopback_request",
        gapi_auth::flow::fuzzing::loopback_request,
    );
}

#[test]
fn client_secrets_corpus() {
    replay("client_secrets", gapi_auth::flow::fuzzing::client_secrets);
}

#[test]
fn credentials_file_corpus() {
    replay(
        "credentials_file",
        gapi_auth::flow::fuzzing::credentials_file,
    );
}

#[test]
fn token_response_corpus() {
    replay("token_response", gapi_auth::flow::fuzzing::token_response);
}

#[test]
fn expiry_corpus() {
    replay("expiry", gapi_auth::flow::fuzzing::expiry);
}

#[test]
fn paste_corpus() {
    replay("paste", gapi_auth::flow::fuzzing::paste);
}
