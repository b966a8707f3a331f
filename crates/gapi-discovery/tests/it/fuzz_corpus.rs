//! Replays the fuzz corpora (`fuzz/corpus/<target>/`) through the same entry functions as the
//! fuzz targets (`gapi_discovery::fuzzing`), as ordinary tests on stable Rust: every input that
//! ever found a bug, and the minimized coverage of the fuzzing runs recorded in RELIABILITY.md,
//! must parse or be refused without a panic and keep the targets' invariants.

use gapi_testkit::fuzz::replay;

#[test]
fn discovery_document_corpus() {
    replay(
        env!("CARGO_MANIFEST_DIR"),
        "discovery_document",
        gapi_discovery::fuzzing::discovery_document,
    );
}
