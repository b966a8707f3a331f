//! A real browser in the login: Debian's Chromium driven by playwright-core (tests/peers) clicks
//! through the emulator's consent page, and, under Xvfb, a visible Chromium window shows the
//! `oob:auto` page whose title gapi reads. Needs `scripts/setup-test-deps.sh` (the test command
//! runs it); without those peers these tests fail and say what is missing.

use crate::common;

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

    let list = setup
        .api(&[
            "drive",
            "files",
            "list",
            "-p",
            "pageSize=5",
            "-p",
            "orderBy=modifiedByMeTime desc",
        ])
        .await;
    assert_eq!(list.code, 0, "{}", list.stderr);
    let v: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    let names = common::file_names(&v);
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

/// `gapi auth login` against oidc-provider (npm, OpenID-certified): its own login and consent
/// pages in Chromium, a public client with PKCE, the redirect host and path it insists on.
#[tokio::test(flavor = "multi_thread")]
async fn gapi_auth_login_against_oidc_provider() {
    use tokio::io::AsyncBufReadExt;
    let node = peer_env("GAPI_TEST_NODE");
    let peers = peer_env("GAPI_TEST_PEERS_DIR");
    let mut server = tokio::process::Command::new(&node)
        .arg(format!("{peers}/oidc-server.mjs"))
        .args(["--port", "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs oidc-server.mjs");
    let mut lines = tokio::io::BufReader::new(server.stdout.take().unwrap()).lines();
    let ready = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("oidc-provider starts")
        .unwrap()
        .expect("a ready line");
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let cfg: serde_json::Value = serde_json::from_str(&ready).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().join("client_secret.json");
    std::fs::write(
        &secrets,
        serde_json::json!({"installed": {
            "client_id": cfg["client_id"],
            "auth_uri": cfg["authorization_endpoint"],
            "token_uri": cfg["token_endpoint"],
            "redirect_uris": ["http://127.0.0.1/callback"],
        }})
        .to_string(),
    )
    .unwrap();
    let log = dir.path().join("browser.log");
    let config = dir.path().join("config");
    let mut cmd = common::gapi_in(&config);
    cmd.args([
        "auth",
        "login",
        "--timeout",
        "90",
        "--redirect-uri",
        "http://127.0.0.1/callback",
    ])
    .args([
        "--scope",
        "openid",
        "--scope",
        "offline_access",
        "--client-secrets",
    ])
    .arg(&secrets)
    .env("BROWSER", format!("{peers}/browser-open.sh"))
    .env("GAPI_TEST_BROWSER_USER", "alice")
    .env("GAPI_TEST_SCREENSHOTS", artifacts("oidc-provider"))
    .env("GAPI_TEST_BROWSER_LOG", &log);
    let out = run(cmd).await;
    let browser = std::fs::read_to_string(&log).unwrap_or_default();
    assert_eq!(
        out.code, 0,
        "login against oidc-provider: {}\nbrowser: {browser}",
        out.stderr
    );
    let stored: serde_json::Value =
        serde_json::from_slice(&std::fs::read(config.join("credentials/default.json")).unwrap())
            .unwrap();
    assert_eq!(stored["client_id"], cfg["client_id"]);
    assert!(
        stored["refresh_token"]
            .as_str()
            .is_some_and(|t| !t.is_empty()),
        "offline access gives a refresh token"
    );

    // A refresh against oidc-provider (it rotates refresh tokens: the new one must be stored).
    let old_refresh = stored["refresh_token"].as_str().unwrap().to_string();
    let mut stored = stored;
    stored["expiry"] = serde_json::json!("2000-01-01T00:00:00.000000Z");
    std::fs::write(config.join("credentials/default.json"), stored.to_string()).unwrap();
    let mut cmd = common::gapi_in(&config);
    cmd.args(["auth", "print-access-token"]);
    let printed = run(cmd).await;
    assert_eq!(
        printed.code, 0,
        "refresh at oidc-provider: {}",
        printed.stderr
    );
    let after: serde_json::Value =
        serde_json::from_slice(&std::fs::read(config.join("credentials/default.json")).unwrap())
            .unwrap();
    assert_ne!(
        after["refresh_token"].as_str().unwrap(),
        old_refresh,
        "the rotated refresh token was saved"
    );
    drop(server.stdin.take());
}

/// `gapi demo` with a browser around: it opens the consent page (not auto-approved) and waits;
/// Chromium picks Bob and clicks Allow; the demo prints Bob's five newest files.
#[tokio::test(flavor = "multi_thread")]
async fn demo_waits_for_a_click_in_a_real_browser() {
    let peers = peer_env("GAPI_TEST_PEERS_DIR");
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("browser.log");
    let mut cmd = common::gapi_in(&dir.path().join("config"));
    cmd.arg("demo")
        .env("BROWSER", format!("{peers}/browser-open.sh"))
        .env("GAPI_TEST_BROWSER_USER", "bob@example.com")
        .env("GAPI_TEST_BROWSER_LOG", &log);
    let out = run(cmd).await;
    let browser = std::fs::read_to_string(&log).unwrap_or_default();
    assert_eq!(out.code, 0, "demo: {}\nbrowser: {browser}", out.stderr);
    assert!(
        out.stderr.contains("click Allow"),
        "says what it waits for: {}",
        out.stderr
    );
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let names = common::file_names(&v);
    assert_eq!(names, common::newest_five("bob@example.com"));
}
