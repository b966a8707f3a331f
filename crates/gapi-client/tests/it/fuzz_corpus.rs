//! Replays the fuzz corpora (`fuzz/corpus/<target>/`) through the same entry functions as the
//! fuzz targets (`gapi_client::fuzzing`), as ordinary tests on stable Rust: every input that
//! ever found a bug, and the minimized coverage of the fuzzing runs recorded in RELIABILITY.md,
//! must parse or be refused without a panic and keep the targets' invariants.

use gapi_testkit::fuzz::replay;

const CRATE: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn uri_template_corpus() {
    replay(CRATE, "uri_template", gapi_client::fuzzing::uri_template);
}

#[test]
fn param_cast_corpus() {
    replay(CRATE, "param_cast", gapi_client::fuzzing::param_cast);
}

#[test]
fn batch_response_corpus() {
    replay(
        CRATE,
        "batch_response",
        gapi_client::fuzzing::batch_response,
    );
}

#[test]
fn api_error_corpus() {
    replay(CRATE, "api_error", gapi_client::fuzzing::api_error);
}

#[test]
fn policy_route_corpus() {
    replay(CRATE, "policy_route", gapi_client::fuzzing::policy_route);
}

#[test]
fn content_range_corpus() {
    replay(CRATE, "content_range", gapi_client::fuzzing::content_range);
}

/// The emulator's multipart target reads back the client's own upload framing, so its corpus
/// is replayed here, where both crates are at hand.
#[test]
fn emulator_multipart_corpus() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../gapi-emulator/fuzz/corpus/multipart");
    gapi_testkit::fuzz::replay_dir(&dir, "multipart", |data| {
        gapi_emulator::fuzzing::multipart(data, gapi_client::fuzzing::multipart_upload_body)
    });
}
