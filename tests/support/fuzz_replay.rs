//! Feeds each file of a fuzz corpus to a target's entry function on stable Rust and fails,
//! naming the file, when one panics. Used by the crates whose tests are not yet one binary
//! (gapi-auth's and gapi-client's `tests/fuzz_corpus.rs` include this file with `#[path]`);
//! the others use `gapi_testkit::fuzz`, the same code. This file goes when the last crate moves.

use std::path::Path;

/// Feeds every file of `<crate>/fuzz/corpus/<target>` to `entry`; the corpus must not be empty.
pub fn replay(target: &str, entry: impl Fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    replay_dir(&dir, target, entry);
}

/// Feeds every file of `dir` (sorted) to `entry`; the folder must not be empty.
pub fn replay_dir(dir: &Path, target: &str, entry: impl Fn(&[u8])) {
    let mut files: Vec<_> = std::fs::read_dir(dir)
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
