//! Replays the fuzz corpora (`fuzz/corpus/<target>/`) through the same entry functions as the
//! fuzz targets (`gapi_auth::fuzzing`), as ordinary tests on stable Rust: every input that
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
fn loopback_request_corpus() {
    replay("loopback_request", gapi_auth::fuzzing::loopback_request);
}

#[test]
fn client_secrets_corpus() {
    replay("client_secrets", gapi_auth::fuzzing::client_secrets);
}

#[test]
fn credentials_file_corpus() {
    replay("credentials_file", gapi_auth::fuzzing::credentials_file);
}

#[test]
fn token_response_corpus() {
    replay("token_response", gapi_auth::fuzzing::token_response);
}

#[test]
fn expiry_corpus() {
    replay("expiry", gapi_auth::fuzzing::expiry);
}
