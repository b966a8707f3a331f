//! The pinned test peers (Python google-auth and google-api-python-client, Node googleapis
//! and oidc-provider, ...), as `scripts/setup-test-deps.sh` installs them and
//! `target/test-env.sh` names them (`GAPI_TEST_PYTHON`, `GAPI_TEST_NODE`,
//! `GAPI_TEST_PEERS_DIR`, ...). A missing peer FAILS the test with the command that installs
//! it: a peer test never skips.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::Duration;

/// How to get the peers, for failure messages.
pub const SETUP_HINT: &str =
    "run `scripts/setup-test-deps.sh && . target/test-env.sh` first (scripts/test.sh does both)";

/// How long a peer may run before the test fails.
pub const PEER_TIMEOUT: Duration = Duration::from_secs(120);

/// The path a required peer variable names; panics with the fix when it is unset, empty or
/// names nothing.
pub fn peer_path(var: &str) -> PathBuf {
    let value = std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| {
            panic!("{var} is not set: this test needs the real test peers; {SETUP_HINT}")
        });
    let path = PathBuf::from(value);
    assert!(
        path.exists(),
        "{var}={} does not exist; {SETUP_HINT}",
        path.display()
    );
    path
}

/// The pinned Python (`GAPI_TEST_PYTHON`, a venv with google-auth and friends).
pub fn python() -> PathBuf {
    peer_path("GAPI_TEST_PYTHON")
}

/// The pinned Node (`GAPI_TEST_NODE`).
pub fn node() -> PathBuf {
    peer_path("GAPI_TEST_NODE")
}

/// The repository's peer scripts (`GAPI_TEST_PEERS_DIR`, `tests/peers/`).
pub fn peers_dir() -> PathBuf {
    peer_path("GAPI_TEST_PEERS_DIR")
}

/// `python <script>`: a command for a script of the pinned Python, stdin closed.
pub fn python_script(script: impl Into<PathBuf>) -> Command {
    let mut cmd = Command::new(python());
    cmd.arg(script.into()).stdin(std::process::Stdio::null());
    cmd
}

/// `node <script>`: a command for a script of the pinned Node, stdin closed.
pub fn node_script(script: impl Into<PathBuf>) -> Command {
    let mut cmd = Command::new(node());
    cmd.arg(script.into()).stdin(std::process::Stdio::null());
    cmd
}

/// Runs `cmd` off the async workers and waits at most [`PEER_TIMEOUT`]; panics (naming the
/// program) when it cannot start or hangs. The exit status is the caller's to judge, e.g.
/// with [`stdout_of`].
pub async fn run(mut cmd: Command) -> Output {
    let what = format!("{:?}", cmd.get_program());
    tokio::time::timeout(
        PEER_TIMEOUT,
        tokio::task::spawn_blocking(move || {
            cmd.output()
                .unwrap_or_else(|e| panic!("cannot run {what}: {e}; {SETUP_HINT}"))
        }),
    )
    .await
    .unwrap_or_else(|_| panic!("the peer did not finish within {PEER_TIMEOUT:?}"))
    .expect("the peer thread does not panic")
}

/// The stdout of a run that must have succeeded; panics with stdout and stderr otherwise.
pub fn stdout_of(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "peer failed ({}):\nstdout: {stdout}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout.into_owned()
}

/// The last line of a successful run's stdout, parsed as JSON (peer scripts report that way).
pub fn last_json_line(output: &Output) -> serde_json::Value {
    let stdout = stdout_of(output);
    let line = stdout.lines().last().unwrap_or("");
    serde_json::from_str(line).unwrap_or_else(|e| {
        panic!(
            "the peer's last line is not JSON ({e}): {line}\nstderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(
        expected = "GAPI_TEST_NO_SUCH_PEER is not set: this test needs the real test peers; run `scripts/setup-test-deps.sh"
    )]
    fn a_missing_peer_fails_with_the_setup_command() {
        peer_path("GAPI_TEST_NO_SUCH_PEER");
    }

    #[tokio::test]
    async fn runs_a_program_and_reads_its_last_json_line() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo noise; echo '{\"ok\": 1}'"]);
        let out = run(cmd).await;
        assert_eq!(last_json_line(&out)["ok"], 1);
    }

    #[tokio::test]
    #[should_panic(expected = "peer failed")]
    async fn a_failing_peer_fails_the_test_with_its_output() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo boom >&2; exit 3"]);
        stdout_of(&run(cmd).await);
    }
}
