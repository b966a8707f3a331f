//! Replays the fuzz corpora (`fuzz/corpus/<target>/`) through the same entry functions as the
//! fuzz targets (`gapi_client::fuzzing`), as ordinary tests on stable Rust: every input that
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
fn uri_template_corpus() {
    replay("uri_template", gapi_client::fuzzing::uri_template);
}

#[test]
fn param_cast_corpus() {
    replay("param_cast", gapi_client::fuzzing::param_cast);
}

#[test]
fn batch_response_corpus() {
    replay("batch_response", gapi_client::fuzzing::batch_response);
}

#[test]
fn api_error_corpus() {
    replay("api_error", gapi_client::fuzzing::api_error);
}

#[test]
fn content_range_corpus() {
    replay("content_range", gapi_client::fuzzing::content_range);
}

/// The emulator's multipart target reads back the client's own upload framing, so its corpus
/// is replayed here, where both crates are at hand.
#[test]
fn emulator_multipart_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../gapi-emulator/fuzz/corpus/multipart");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} is empty", dir.display());
    for file in &files {
        let data = std::fs::read(file).expect("corpus file");
        let outcome = std::panic::catch_unwind(|| {
            gapi_emulator::fuzzing::multipart(&data, gapi_client::fuzzing::multipart_upload_body)
        });
        assert!(
            outcome.is_ok(),
            "{} breaks the multipart target",
            file.display()
        );
    }
}
