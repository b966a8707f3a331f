//! Running this test binary again, and finding the programs `cargo test` built beside it.
//!
//! A process's environment is shared by every test running in it, so a test of behaviour that
//! reads an environment variable (`GAPI_ENDPOINT`) cannot set it for itself while other tests
//! run. It runs one `#[ignore]`d child test in a fresh copy of this binary instead, with the
//! variable set or removed there only, and reads what the child printed.

use std::path::PathBuf;
use std::process::Command;

/// Runs the `#[ignore]`d test named exactly `test` (`module::name`) in a new process of this
/// test binary, with each `(variable, value)` of `env` set (`None`: removed), and returns its
/// standard output. Fails the calling test, with the child's output, unless exactly that one
/// test ran and passed.
pub fn rerun_test(test: &str, env: &[(&str, Option<&str>)]) -> String {
    let exe = std::env::current_exe().expect("the path of this test binary");
    let mut cmd = Command::new(exe);
    cmd.args([
        "--exact",
        test,
        "--include-ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    for (name, value) in env {
        match value {
            Some(v) => cmd.env(name, v),
            None => cmd.env_remove(name),
        };
    }
    let out = cmd.output().expect("running this test binary again");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "child test {test} with {env:?}:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// What follows `marker` on each line of `output` that has it, in order: the values a child
/// test printed as `marker value` (the harness's own `test ... ` text may precede the first).
pub fn printed_after(output: &str, marker: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|l| l.split_once(marker))
        .map(|(_, value)| value.to_owned())
        .collect()
}

/// The example program `name` of the crate under test: `cargo test` builds examples next to
/// the test binaries, in `target/<profile>/examples/`.
pub fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the path of this test binary");
    exe.parent()
        .and_then(|deps| deps.parent())
        .map(|profile| profile.join("examples").join(name))
        .expect("a test binary in target/<profile>/deps/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_values_are_read_in_order_after_their_marker() {
        let out = "test x ... root: a\nnoise\nroot: b\n";
        assert_eq!(printed_after(out, "root: "), ["a", "b"]);
        assert!(printed_after(out, "none: ").is_empty());
    }

    #[test]
    fn rerun_test_reads_the_childs_environment() {
        let out = rerun_test(
            "process::tests::child_prints_its_variable",
            &[("GAPI_TESTKIT_PROBE", Some("set here"))],
        );
        assert_eq!(printed_after(&out, "probe: "), ["Some(\"set here\")"]);
        let out = rerun_test(
            "process::tests::child_prints_its_variable",
            &[("GAPI_TESTKIT_PROBE", None)],
        );
        assert_eq!(printed_after(&out, "probe: "), ["None"]);
    }

    #[test]
    #[ignore = "run by rerun_test_reads_the_childs_environment"]
    fn child_prints_its_variable() {
        println!("probe: {:?}", std::env::var("GAPI_TESTKIT_PROBE").ok());
    }
}
