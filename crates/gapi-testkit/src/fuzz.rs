//! The one fuzz-corpus replayer: feeds each file of a committed corpus to a fuzz target's
//! entry function (the same `fuzzing::*` function the cargo-fuzz target calls) on stable Rust,
//! and fails, naming the file, when one panics.

use std::path::Path;

/// Feeds every file of `<manifest_dir>/fuzz/corpus/<target>` to `entry`; the corpus must not
/// be empty. Pass `env!("CARGO_MANIFEST_DIR")` of the crate under test.
pub fn replay(manifest_dir: &str, target: &str, entry: impl Fn(&[u8])) {
    let dir = Path::new(manifest_dir).join("fuzz/corpus").join(target);
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
