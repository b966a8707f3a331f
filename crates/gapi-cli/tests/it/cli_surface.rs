//! Small promises of the command line's surface: an API word without an API name
//! (`gapi describe :v3`) is a usage error (exit 2) that says what to write, and stderr carries
//! no colour codes unless it is a terminal and `NO_COLOR` is not set.

use crate::common;

use common::{Setup, run};

#[tokio::test]
async fn an_api_word_without_a_name_or_version_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    for (args, says) in [
        (vec!["describe", ":v3"], "names no API"),
        (vec!["describe", ":"], "names no API"),
        (vec![":v3", "files", "list"], "names no API"),
        (vec!["describe", "drive:"], "names no version"),
        (vec!["describe", "nosuchapi:v1"], "unknown API `nosuchapi`"),
    ] {
        let mut cmd = common::gapi_in(dir.path());
        cmd.args(&args);
        let out = run(cmd).await;
        assert_eq!(out.code, 2, "gapi {}: {}", args.join(" "), out.stderr);
        assert!(
            out.stderr.contains(says),
            "gapi {}: {}",
            args.join(" "),
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{}", out.stdout);
    }
}

/// `gapi -vvv --anonymous drive about get` against the emulator: it logs (debug lines) and
/// fails (401), so both log lines and the error are on stderr.
fn logging_call(setup: &Setup) -> Vec<String> {
    [
        "-vvv",
        "--anonymous",
        "drive",
        "about",
        "get",
        "-p",
        "fields=user",
        "--endpoint",
        &format!("{}/", setup.base()),
    ]
    .map(String::from)
    .to_vec()
}

#[tokio::test]
async fn no_colour_codes_on_a_stderr_that_is_not_a_terminal() {
    let setup = Setup::new(true).await;
    let mut cmd = setup.gapi();
    // Without NO_COLOR: only the pipe decides.
    cmd.env_remove("NO_COLOR").args(logging_call(&setup));
    let out = run(cmd).await;
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("DEBUG"), "{}", out.stderr);
    assert!(out.stderr.contains("error:"), "{}", out.stderr);
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
}

/// Under a terminal (util-linux `script` gives the command one) colour is on, and `NO_COLOR`
/// turns it off: so the check above would see colour codes if they were written.
#[tokio::test]
async fn no_color_turns_colour_off_on_a_terminal() {
    let setup = Setup::new(true).await;
    let line = format!(
        "{} {}",
        env!("CARGO_BIN_EXE_gapi"),
        logging_call(&setup).join(" ")
    );
    let mut seen = Vec::new();
    for no_color in [None, Some("1")] {
        let mut cmd = tokio::process::Command::new("script");
        cmd.args(["-q", "-e", "-c", &line, "/dev/null"])
            .env("GAPI_CONFIG_DIR", setup.config_dir())
            .env_remove("GAPI_PROFILE")
            .env_remove("GAPI_ENDPOINT")
            .env_remove("RUST_LOG")
            .env("TERM", "xterm")
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true);
        match no_color {
            Some(v) => cmd.env("NO_COLOR", v),
            None => cmd.env_remove("NO_COLOR"),
        };
        let out = tokio::time::timeout(std::time::Duration::from_secs(60), cmd.output())
            .await
            .expect("script finished")
            .expect("util-linux `script` runs (it gives the command a terminal)");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let logs: Vec<&str> = text.lines().filter(|l| l.contains("DEBUG")).collect();
        assert!(!logs.is_empty(), "{no_color:?}: {text:?}");
        seen.push(logs.join("\n"));
    }
    assert!(
        seen[0].contains('\u{1b}'),
        "a terminal gets colour: {:?}",
        seen[0]
    );
    assert!(!seen[1].contains('\u{1b}'), "NO_COLOR=1: {:?}", seen[1]);
}
