//! Logging in where no browser runs, end to end with the `gapi` binary and the emulator: the
//! headless side has no `BROWSER` and no display (and says so), the browser side of a
//! two-machine login is Debian's Chromium driven by playwright-core (tests/peers), and a
//! pasted redirect URL finishes a `--no-browser` login whose port the browser cannot reach.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::{Setup, run, url_in, wait_for_line};
use tokio::io::AsyncWriteExt;

fn peer_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run scripts/setup-test-deps.sh and source target/test-env.sh (scripts/test.sh does both)")
    })
}

/// `gapi auth login` on "the headless machine": no browser variables, a terminal on stdin.
fn headless_login(setup: &Setup, extra: &[&str]) -> tokio::process::Child {
    let mut cmd = setup.gapi();
    cmd.args([
        "auth",
        "login",
        "--timeout",
        "60",
        "--scope",
        "drive.readonly",
    ])
    .args(extra)
    .arg("--client-secrets")
    .arg(&setup.secrets)
    .env_remove("SSH_CONNECTION")
    .env_remove("SSH_TTY")
    .env_remove("WSL_DISTRO_NAME")
    .stdin(Stdio::piped());
    cmd.spawn().expect("spawn gapi")
}

async fn finish(mut child: tokio::process::Child, line: &str) -> std::process::ExitStatus {
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(format!("{line}\n").as_bytes())
        .await
        .unwrap();
    stdin.flush().await.unwrap();
    tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .expect("gapi finished after the paste")
        .unwrap()
}

/// The newest five of Bob's files through the stored login: the login is Bob's and works.
async fn assert_logged_in_as_bob(setup: &Setup) {
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
    assert_eq!(
        common::file_names(&v),
        common::newest_five("bob@example.com")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn two_machine_login_with_chromium_on_the_browser_side() {
    let peers = peer_env("GAPI_TEST_PEERS_DIR");
    let setup = Setup::new(false).await;

    // The headless machine: no --no-browser flag, yet no display: it must say so.
    let mut headless = headless_login(&setup, &[]);
    let (line, seen) = wait_for_line(&mut headless, "--remote-bootstrap").await;
    assert!(
        seen.contains("No browser can be opened here") && seen.contains("DISPLAY"),
        "says why it behaves as --no-browser:\n{seen}"
    );
    assert!(seen.contains("paste it here"), "{seen}");
    let bootstrap_url = line.split('\'').nth(1).expect("a quoted URL").to_string();
    assert!(!bootstrap_url.contains("redirect_uri"), "{bootstrap_url}");

    // The machine with a browser: its own config folder, Chromium clicking Allow as Bob.
    let other = tempfile::tempdir().unwrap();
    let log = other.path().join("browser.log");
    let mut cmd = common::gapi_in(&other.path().join("config"));
    cmd.args([
        "auth",
        "login",
        "--timeout",
        "60",
        "--yes",
        "--remote-bootstrap",
    ])
    .arg(&bootstrap_url)
    .env("BROWSER", format!("{peers}/browser-open.sh"))
    .env("GAPI_TEST_BROWSER_USER", "bob@example.com")
    .env("GAPI_TEST_BROWSER_LOG", &log);
    let out = run(cmd).await;
    let browser = std::fs::read_to_string(&log).unwrap_or_default();
    assert_eq!(out.code, 0, "bootstrap: {}\nbrowser: {browser}", out.stderr);
    assert!(
        out.stderr.contains("only continue if you yourself"),
        "warns: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains("NOT Google's (accounts.google.com)"),
        "the emulator's consent page is not Google's: {}",
        out.stderr
    );
    let back = out.stdout.trim().to_string();
    assert!(
        back.starts_with("http://localhost:") && back.contains("code=") && back.contains("state="),
        "prints the redirect URL: {back}"
    );
    assert!(
        !other.path().join("config/credentials").exists(),
        "the browser side stores nothing"
    );

    // Back on the headless machine: paste it.
    let status = finish(headless, &back).await;
    assert!(status.success(), "headless login failed: {status}");
    assert!(setup.config_dir().join("credentials/default.json").exists());
    assert_logged_in_as_bob(&setup).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn no_browser_login_finishes_with_the_pasted_address() {
    let setup = Setup::new(true).await;
    let mut headless = headless_login(&setup, &["--no-browser", "--login-hint", "bob@example.com"]);
    let (line, seen) = wait_for_line(&mut headless, "/o/oauth2/auth?").await;
    // The browser elsewhere cannot reach this port: it shows the address it was sent to.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = http.get(url_in(&line)).send().await.unwrap();
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("http://localhost:"), "{location}");
    let status = finish(headless, &location).await;
    assert!(status.success(), "login failed: {status}\n{seen}");
    assert_logged_in_as_bob(&setup).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bootstrap_url_that_is_not_one_is_refused_clearly() {
    let setup = Setup::new(true).await;
    let out = setup
        .run(&[
            "auth",
            "login",
            "--remote-bootstrap",
            "https://accounts.google.com/o/oauth2/auth?client_id=x&response_type=token",
        ])
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("not a bootstrap URL"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn device_flow_at_google_refuses_scopes_it_would_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().join("client_secret.json");
    std::fs::write(
        &secrets,
        serde_json::json!({"installed": {
            "client_id": "123-abc.apps.googleusercontent.com",
            "client_secret": "GOCSPX-test",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": "https://oauth2.googleapis.com/token",
            "redirect_uris": ["http://localhost"],
        }})
        .to_string(),
    )
    .unwrap();
    let mut cmd = common::gapi_in(&dir.path().join("config"));
    cmd.args([
        "auth",
        "login",
        "--device",
        "--scope",
        "drive.readonly",
        "--client-secrets",
    ])
    .arg(&secrets)
    // Any request to Google would fail here: the refusal must come first.
    .env("HTTPS_PROXY", "http://127.0.0.1:9");
    let out = run(cmd).await;
    assert_ne!(out.code, 0);
    for needle in [
        "drive.readonly",
        "drive.file",
        "youtube.readonly",
        "--no-browser",
    ] {
        assert!(out.stderr.contains(needle), "{needle}: {}", out.stderr);
    }
}

/// A bootstrap URL like the one `gapi auth login` prints, for `host`.
fn bootstrap_url_for(base: &str) -> String {
    format!(
        "{base}/o/oauth2/auth?response_type=code&client_id=c1.apps.googleusercontent.com\
         &scope=openid%20email&state=s1&code_challenge=ch&code_challenge_method=S256"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_terminal_a_bootstrap_needs_yes_and_hands_nothing_over() {
    let setup = Setup::new(true).await;
    for (base, google) in [
        (setup.base(), false),
        ("https://accounts.google.com".to_string(), true),
    ] {
        let url = bootstrap_url_for(&base);
        // No terminal (stdin is /dev/null): no one was asked, so nothing may be opened.
        let out = setup
            .run(&[
                "auth",
                "login",
                "--remote-bootstrap",
                &url,
                "--no-browser",
                "--timeout",
                "5",
            ])
            .await;
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains("no terminal") && out.stderr.contains("--yes"),
            "says why and how: {}",
            out.stderr
        );
        assert!(
            !out.stderr.contains("redirect_uri="),
            "no consent URL was shown: {}",
            out.stderr
        );
        assert!(
            out.stdout.trim().is_empty(),
            "no line to paste: {}",
            out.stdout
        );
        assert_eq!(
            out.stderr.contains("NOT Google's"),
            !google,
            "the loud warning is for other hosts only: {}",
            out.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn with_yes_a_bootstrap_runs_without_a_terminal() {
    let setup = Setup::new(true).await;
    let url = bootstrap_url_for(&setup.base());
    let out = setup
        .run(&[
            "auth",
            "login",
            "--remote-bootstrap",
            &url,
            "--yes",
            "--no-browser",
            "--timeout",
            "1",
        ])
        .await;
    // Nobody opens the page here: it waits for the browser and times out (exit 3).
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("redirect_uri="),
        "the consent URL was shown: {}",
        out.stderr
    );
    assert!(out.stderr.contains("NOT Google's"), "{}", out.stderr);
}

/// The peak resident memory of a running process, in kB (Linux).
fn peak_rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status")
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread")]
async fn a_300_mb_paste_is_skipped_with_bounded_memory_and_never_sent() {
    let setup = Setup::new(true).await;
    let mut headless = headless_login(&setup, &["--no-browser", "--login-hint", "bob@example.com"]);
    let pid = headless.id().unwrap();
    let (line, _) = wait_for_line(&mut headless, "/o/oauth2/auth?").await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = http.get(url_in(&line)).send().await.unwrap();
    let location = resp.headers()["location"].to_str().unwrap().to_string();

    let mut stdin = headless.stdin.take().unwrap();
    let before = peak_rss_kb(pid);
    let chunk = vec![b'A'; 1024 * 1024];
    for _ in 0..300 {
        stdin.write_all(&chunk).await.unwrap();
    }
    stdin.write_all(b"\n").await.unwrap();
    stdin.flush().await.unwrap();
    let after = peak_rss_kb(pid);
    eprintln!("peak RSS of the login: {before} kB before the 300 MB paste, {after} kB after");
    assert!(
        after < before + 64 * 1024,
        "a 300 MB paste held in memory: peak {before} kB -> {after} kB"
    );

    stdin
        .write_all(format!("{location}\n").as_bytes())
        .await
        .unwrap();
    stdin.flush().await.unwrap();
    let status = tokio::time::timeout(Duration::from_secs(60), headless.wait())
        .await
        .expect("gapi finished after the paste")
        .unwrap();
    assert!(status.success(), "login failed: {status}");
    let log: serde_json::Value = reqwest::get(format!("{}/__emulator/requests", setup.base()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token_posts = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"] == "/token")
        .count();
    assert_eq!(token_posts, 1, "only the real answer was sent");
    assert_logged_in_as_bob(&setup).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn at_a_terminal_a_bootstrap_asks_first() {
    let setup = Setup::new(true).await;
    let url = bootstrap_url_for(&setup.base());
    let gapi = env!("CARGO_BIN_EXE_gapi");
    for (answer, goes_on) in [("n", false), ("y", true)] {
        // util-linux `script` gives gapi a terminal on stdin and stderr; the answer is typed.
        let mut cmd = tokio::process::Command::new("script");
        cmd.args(["-qec"])
            .arg(format!(
                "{gapi} auth login --no-browser --timeout 1 --remote-bootstrap '{url}'"
            ))
            .arg("/dev/null")
            .env("GAPI_CONFIG_DIR", setup.config_dir())
            .env_remove("BROWSER")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = cmd.spawn().expect("script (util-linux) runs");
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(format!("{answer}\n").as_bytes())
            .await
            .unwrap();
        let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
            .await
            .expect("finished")
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Continue? [y/N]"), "asked: {text}");
        assert_eq!(
            text.contains("Cancelled; nothing was opened."),
            !goes_on,
            "{answer}: {text}"
        );
        assert_eq!(text.contains("redirect_uri="), goes_on, "{answer}: {text}");
    }
}
