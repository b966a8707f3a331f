//! A real browser in the login: Debian's Chromium driven by playwright-core (tests/peers) clicks
//! through the emulator's consent page, and, under Xvfb, a visible Chromium window shows the
//! `oob:auto` page whose title gapi reads. Needs `scripts/setup-test-deps.sh` (the test command
//! runs it); without those peers these tests fail and say what is missing.

mod common;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use common::{Setup, run};

fn peer_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run scripts/setup-test-deps.sh and source target/test-env.sh (scripts/test.sh does both)")
    })
}

fn artifacts(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/artifacts/screenshots")
        .join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `gapi auth login` with `$BROWSER` handing the URL to the Playwright driver.
async fn browser_login(
    setup: &Setup,
    action: &str,
    shots: &str,
) -> (common::Output, serde_json::Value) {
    let peers = peer_env("GAPI_TEST_PEERS_DIR");
    let log = setup.dir.path().join("browser.log");
    let mut cmd = setup.gapi();
    cmd.args([
        "auth",
        "login",
        "--timeout",
        "90",
        "--scope",
        "drive.readonly",
        "--client-secrets",
    ])
    .arg(&setup.secrets)
    .env("BROWSER", format!("{peers}/browser-open.sh"))
    .env("GAPI_TEST_BROWSER_ACTION", action)
    .env("GAPI_TEST_BROWSER_USER", "bob@example.com")
    .env("GAPI_TEST_SCREENSHOTS", artifacts(shots))
    .env("GAPI_TEST_BROWSER_LOG", &log);
    let out = run(cmd).await;
    // The driver writes its line after the last page loaded; give it a moment to land.
    let mut report = serde_json::Value::Null;
    for _ in 0..100 {
        if let Some(line) = std::fs::read_to_string(&log)
            .ok()
            .and_then(|t| t.lines().last().map(str::to_string))
        {
            report = serde_json::from_str(&line).unwrap_or(serde_json::Value::Null);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let err = std::fs::read_to_string(log.with_extension("log.err")).unwrap_or_default();
    assert!(
        !report.is_null(),
        "the browser driver reported nothing; its stderr:\n{err}\ngapi stderr:\n{}",
        out.stderr
    );
    (out, report)
}

#[tokio::test(flavor = "multi_thread")]
async fn chromium_clicks_allow_and_the_files_list() {
    let setup = Setup::new(false).await;
    let (out, report) = browser_login(&setup, "allow", "allow").await;
    assert_eq!(
        out.code, 0,
        "login failed: {}\nbrowser: {report}",
        out.stderr
    );
    let text = report["text"].as_str().unwrap_or_default().to_lowercase();
    assert!(
        text.contains("success") || text.contains("authoriz"),
        "gapi's success page: {report}"
    );
    assert!(
        report["final_url"]
            .as_str()
            .unwrap_or_default()
            .starts_with("http://localhost:"),
        "{report}"
    );

    let mut cmd = setup.gapi();
    cmd.args([
        "drive",
        "files",
        "list",
        "-p",
        "pageSize=5",
        "-p",
        "orderBy=modifiedByMeTime desc",
    ])
    .args(["--endpoint", &format!("{}/", setup.base())]);
    let list = run(cmd).await;
    assert_eq!(list.code, 0, "{}", list.stderr);
    let v: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    let names: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        common::newest_five("bob@example.com"),
        "the user picked in the browser"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn chromium_clicks_deny_and_login_fails_clearly() {
    let setup = Setup::new(false).await;
    let (out, report) = browser_login(&setup, "deny", "deny").await;
    assert_eq!(
        out.code, 3,
        "access denied is an auth error: {}\nbrowser: {report}",
        out.stderr
    );
    assert!(
        out.stderr.to_lowercase().contains("denied"),
        "{}",
        out.stderr
    );
    assert!(!setup.config_dir().join("credentials/default.json").exists());
}

/// Kills a child process group member on drop.
struct Guard(std::process::Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn title_flow_reads_the_code_from_a_chromium_window_under_xvfb() {
    let chromium = peer_env("GAPI_TEST_CHROMIUM");
    let setup = Setup::new(true).await;
    // A private X server; -displayfd makes it pick a free display number and tell us.
    let mut xvfb = std::process::Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb (Debian xvfb) is installed by scripts/setup-test-deps.sh");
    let stdout = xvfb.stdout.take().unwrap();
    let _xvfb = Guard(xvfb);
    let mut display = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut display).unwrap();
    let display = format!(":{}", display.trim());

    // $BROWSER: a visible (non-headless) Chromium window, as on a desktop.
    let profile = setup.dir.path().join("chromium-profile");
    let script = setup.dir.path().join("open-chromium.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nexec {chromium} --no-sandbox --disable-gpu --disable-quic --no-first-run \
             --disable-background-networking --disable-component-update --disable-sync \
             --user-data-dir={} \"$1\" >/dev/null 2>&1 &\n",
            profile.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();

    let mut cmd = setup.gapi();
    cmd.args([
        "auth",
        "login",
        "--title",
        "--timeout",
        "60",
        "--client-secrets",
    ])
    .arg(&setup.secrets)
    .env("DISPLAY", &display)
    .env("BROWSER", &script);
    let out = run(cmd).await;
    let _ = std::process::Command::new("pkill")
        .args(["-f", &profile.display().to_string()])
        .status();
    assert_eq!(out.code, 0, "title flow failed: {}", out.stderr);
    assert!(setup.config_dir().join("credentials/default.json").exists());
    assert!(
        out.stderr.contains("oob%3Aauto") || out.stderr.contains("oob:auto"),
        "{}",
        out.stderr
    );
}
