//! Replays the fuzz corpora (`fuzz/corpus/<target>/`) through the same entry functions as the
//! fuzz targets (`gapi_emulator::fuzzing`), as ordinary tests on stable Rust: every input that
//! ever found a bug, and the minimized coverage of the fuzzing runs recorded in RELIABILITY.md,
//! must parse or be refused without a panic and keep the targets' invariants.

#[path = "../../../tests/support/fuzz_replay.rs"]
mod fuzz_replay;

use fuzz_replay::replay;

#[test]
fn drive_query_corpus() {
    replay("drive_query", gapi_emulator::fuzzing::drive_query);
}

#[test]
fn drive_fields_corpus() {
    replay("drive_fields", gapi_emulator::fuzzing::drive_fields);
}

#[test]
fn range_corpus() {
    replay("range", gapi_emulator::fuzzing::range);
}
