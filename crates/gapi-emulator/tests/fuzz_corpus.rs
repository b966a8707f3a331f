//! Replays the fuzz corpora (`fuzz/corpus/<target>/`) through the same entry functions as the
//! fuzz targets (`gapi_emulator::fuzzing`), as ordinary tests on stable Rust: every input that
//! ever found a bug, and the minimized coverage of the fuzzing runs recorded in RELIABILITY.md,
//! must parse or be refused without a panic and keep the targets' invariants.

use std::path::Path;

/// Feeds every file of `fuzz/corpus/<target>` to `entry`; the corpus must not be empty.
fn replay(target: &str, entry: impl Fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} is empty", dir.display());
    for file in &files {
        let data = std::fs::read(file).expect("corpus file");
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| entry(&data)));
        assert!(
            outcome.is_ok(),
            "{} breaks the {target} target",
            file.display()
        );
    }
}

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
