//! Replays the fuzz corpora (`fuzz/corpus/<target>/`) through the same entry functions as the
//! fuzz targets (`gapi_emulator::fuzzing`), as ordinary tests on stable Rust: every input that
//! ever found a bug, and the minimized coverage of the fuzzing runs recorded in RELIABILITY.md,
//! must parse or be refused without a panic and keep the targets' invariants.

use gapi_testkit::fuzz::replay;

const CRATE: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn drive_query_corpus() {
    replay(CRATE, "drive_query", gapi_emulator::fuzzing::drive_query);
}

#[test]
fn drive_fields_corpus() {
    replay(CRATE, "drive_fields", gapi_emulator::fuzzing::drive_fields);
}

#[test]
fn range_corpus() {
    replay(CRATE, "range", gapi_emulator::fuzzing::range);
}
