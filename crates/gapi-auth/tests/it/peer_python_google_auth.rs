//! Token files shared with Python's google-auth (the reference implementation, pinned in
//! `tests/peers/requirements.lock`), both ways, against the gapi emulator:
//! - gapi logs in (a real Chromium clicks the emulator's consent page) and saves the
//!   `authorized_user` file; Python's `Credentials.from_authorized_user_file` loads it and
//!   refreshes it with `google.auth.transport.requests.Request`;
//! - Python's `InstalledAppFlow.run_local_server` logs in (same browser) and writes
//!   `Credentials.to_json()` plus `"type"`; gapi loads that file and refreshes it.
//!
//! These tests need the peers installed: `scripts/setup-test-deps.sh && . target/test-env.sh`
//! (`scripts/test.sh` does both). Without them they FAIL with a message saying so; they never
//! skip silently.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gapi_auth::{ClientSecrets, Credentials, FileStore, InstalledFlow, LocalServer};
use gapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde_json::Value;
use url::Url;

const DRIVE_READONLY: &str = "https://www.googleapis.com/auth/drive.readonly";

// ----------------------------------------------------------------------------- the peers

/// A required peer setting from `target/test-env.sh`; panics with the fix when it is missing.
fn peer_path(var: &str) -> PathBuf {
    let hint = "run `scripts/setup-test-deps.sh && . target/test-env.sh` first (scripts/test.sh does both)";
    let value = std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| panic!("{var} is not set: this test needs the real test peers; {hint}"));
    let path = PathBuf::from(value);
    assert!(
        path.exists(),
        "{var}={} does not exist; {hint}",
        path.display()
    );
    path
}

fn python() -> PathBuf {
    peer_path("GAPI_TEST_PYTHON")
}

fn node() -> PathBuf {
    peer_path("GAPI_TEST_NODE")
}

fn peers_dir() -> PathBuf {
    peer_path("GAPI_TEST_PEERS_DIR")
}

/// Runs `google_auth_peer.py` with the pinned venv; blocking, so call it from spawn_blocking.
fn python_peer(args: &[&str], env: &[(&str, String)]) -> Output {
    let script = peers_dir().join("google_auth_peer.py");
    Command::new(python())
        .arg(&script)
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} {}: {e}",
                python().display(),
                script.display()
            )
        })
}

async fn python_peer_async(args: Vec<String>, env: Vec<(&'static str, String)>) -> Output {
    tokio::time::timeout(
        Duration::from_secs(120),
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            python_peer(&args, &env)
        }),
    )
    .await
    .expect("google_auth_peer.py finished within 120 s")
    .expect("join")
}

fn json_line(out: &Output, what: &str) -> Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{stderr}\n{stdout}",
        out.status
    );
    serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("{what} printed no JSON ({e}): {stdout}\n{stderr}"))
}

/// Where a test's browser screenshots go (test artifacts: what the user sees at each step).
fn screenshots_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("peer-screenshots")
        .join(name)
}

/// Starts `browser.mjs` on `url` (the emulator's consent page) as `user`; returns its report.
fn run_browser(url: &str, user: &str) -> std::process::Child {
    let script = peers_dir().join("browser.mjs");
    Command::new(node())
        .arg(&script)
        .arg(url)
        .args(["--user", user, "--timeout", "30"])
        .arg("--screenshots")
        .arg(screenshots_dir("emulator-gapi-login"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start node {}: {e}", script.display()))
}

async fn browser_report(child: std::process::Child) -> Value {
    let out = tokio::time::timeout(
        Duration::from_secs(90),
        tokio::task::spawn_blocking(move || child.wait_with_output()),
    )
    .await
    .expect("browser.mjs finished within 90 s")
    .expect("join")
    .expect("browser.mjs output");
    json_line(&out, "browser.mjs")
}

async fn emulator() -> RunningEmulator {
    Emulator::start(EmulatorConfig::default())
        .await
        .expect("the gapi emulator starts on a free loopback port")
}

/// Asks the emulator's tokeninfo (plain HTTP, not through gapi) who an access token belongs to.
async fn tokeninfo_email(emu: &RunningEmulator, access_token: &str) -> (u16, Value) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut url = Url::parse(&format!("{}/tokeninfo", emu.base_url())).expect("url");
    url.query_pairs_mut()
        .append_pair("access_token", access_token);
    let res = reqwest::get(url)
        .await
        .expect("tokeninfo reaches the emulator");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("file exists")
        .permissions()
        .mode()
        & 0o777
}

// ----------------------------------------------------------------------------- the tests

/// gapi writes, Python reads and refreshes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_google_auth_refreshes_the_file_gapi_wrote() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let store = FileStore::new(dir.path().join("gapi"));
    let secrets = ClientSecrets::from_json(&emu.client_secrets_json().to_string())
        .expect("the emulator's client_secret.json parses");
    let flow = InstalledFlow::new(secrets, ["drive.readonly"])
        .token_store(store.clone(), "default")
        .client_secrets_file("/somewhere/client_secret.json");

    let browser: Arc<Mutex<Option<std::process::Child>>> = Arc::default();
    let slot = Arc::clone(&browser);
    let server = LocalServer::new()
        .open_browser(false)
        .timeout(Duration::from_secs(90))
        .on_url(Box::new(move |url: &Url| {
            *slot.lock().expect("slot") = Some(run_browser(url.as_str(), "bob@example.com"));
        }));
    let creds = flow
        .run_local_server(server)
        .await
        .unwrap_or_else(|e| panic!("gapi login against the emulator failed: {e:?}"));
    let child = browser
        .lock()
        .expect("slot")
        .take()
        .expect("on_url was called");
    let report = browser_report(child).await;
    assert!(
        report["steps"]
            .to_string()
            .contains("picked bob@example.com"),
        "the browser chose bob on the emulator's consent page: {report}"
    );
    assert!(
        creds.has_refresh_token(),
        "access_type=offline gives a refresh token"
    );
    let gapi_token = creds.access_token().await.expect("access token");

    // The file gapi saved: authorized_user JSON, 0600.
    let path = store.path_for("default");
    assert!(
        path.exists(),
        "gapi saved the credentials at {}",
        path.display()
    );
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600, "the token file is private");
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
    assert_eq!(saved["type"], "authorized_user", "{saved}");
    // gapi's own fields (issue 11), which google-auth must ignore when it loads the file below.
    assert!(
        saved["refresh_token_obtained_at"]
            .as_str()
            .and_then(gapi_auth::protocol::timefmt::parse_expiry)
            .is_some(),
        "{saved}"
    );
    assert_eq!(
        saved["gapi_client_secrets"], "/somewhere/client_secret.json",
        "{saved}"
    );
    assert_eq!(
        saved["token_uri"],
        format!("{}/token", emu.base_url()),
        "{saved}"
    );

    // Python loads and refreshes it.
    let out = python_peer_async(
        vec!["refresh".into(), path.display().to_string()],
        Vec::new(),
    )
    .await;
    let py = json_line(&out, "google-auth refresh of gapi's file");
    assert_eq!(
        py["loaded_token_uri"], "https://oauth2.googleapis.com/token",
        "google-auth 2.63 ignores the file's token_uri when loading (documented quirk; if this \
         changes, the pin changed): {py}"
    );
    assert_eq!(py["token_uri"], format!("{}/token", emu.base_url()), "{py}");
    assert_eq!(py["valid"], true, "{py}");
    let py_token = py["token"].as_str().expect("Python got an access token");
    assert_ne!(
        py_token,
        gapi_token.secret(),
        "Python's refresh minted a new access token"
    );
    assert_eq!(py["scopes"], serde_json::json!([DRIVE_READONLY]), "{py}");

    // The token Python got is bob's, for drive.readonly.
    let (status, info) = tokeninfo_email(&emu, py_token).await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["email"], "bob@example.com", "{info}");
    assert!(
        info["scope"]
            .as_str()
            .unwrap_or_default()
            .contains(DRIVE_READONLY),
        "{info}"
    );
}

/// Python writes (`to_json()` + `type`), gapi reads and refreshes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gapi_refreshes_the_file_python_wrote() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let secrets_path = dir.path().join("client_secret.json");
    emu.write_client_secrets(&secrets_path)
        .expect("write client_secret.json");
    let out_path = dir.path().join("python-credentials.json");
    let browser_log = dir.path().join("browser.jsonl");

    let out = python_peer_async(
        vec![
            "login".into(),
            secrets_path.display().to_string(),
            out_path.display().to_string(),
            "--scope".into(),
            DRIVE_READONLY.into(),
        ],
        vec![
            (
                "BROWSER",
                peers_dir().join("browser-open.sh").display().to_string(),
            ),
            ("GAPI_TEST_BROWSER_USER", "alice@example.com".into()),
            ("GAPI_TEST_BROWSER_LOG", browser_log.display().to_string()),
            ("GAPI_TEST_NODE", node().display().to_string()),
            (
                "GAPI_TEST_SCREENSHOTS",
                screenshots_dir("emulator-python-login")
                    .display()
                    .to_string(),
            ),
        ],
    )
    .await;
    let summary = json_line(&out, "google-auth-oauthlib login against the emulator");
    assert_eq!(summary["has_refresh_token"], true, "{summary}");
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&out_path).expect("read")).expect("JSON");
    assert_eq!(written["type"], "authorized_user");
    let python_refresh_token = written["refresh_token"].as_str().expect("refresh_token");

    // gapi loads Python's file (its expiry has microseconds, its account may be "").
    let creds = Credentials::from_authorized_user_file(&out_path, None)
        .unwrap_or_else(|e| panic!("gapi cannot load google-auth's file: {e:?}\n{written}"));
    assert_eq!(creds.client_id().unwrap(), gapi_emulator::DEFAULT_CLIENT_ID);
    assert_eq!(
        creds.refresh_token().expect("refresh token").secret(),
        python_refresh_token
    );
    let python_access = written["token"].as_str().unwrap_or_default().to_string();

    let fresh = creds
        .force_refresh()
        .await
        .unwrap_or_else(|e| panic!("gapi could not refresh Python's credentials: {e:?}"));
    assert_ne!(fresh.secret(), python_access, "a new access token");
    let (status, info) = tokeninfo_email(&emu, fresh.secret()).await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["email"], "alice@example.com", "{info}");

    // And back: gapi saves the refreshed credentials, Python refreshes from that file again.
    let store = FileStore::new(dir.path().join("gapi"));
    store.save("roundtrip", &creds).await.expect("gapi saves");
    let out = python_peer_async(
        vec![
            "refresh".into(),
            store.path_for("roundtrip").display().to_string(),
        ],
        Vec::new(),
    )
    .await;
    let py = json_line(&out, "google-auth refresh of the round-tripped file");
    let (status, info) = tokeninfo_email(&emu, py["token"].as_str().unwrap_or_default()).await;
    assert_eq!(
        (status, &info["email"]),
        (200, &Value::from("alice@example.com")),
        "{info}"
    );

    // The browser really went through the emulator's consent page. browser.mjs writes its
    // report after the redirect page loaded, while closing Chromium: wait for the line (bounded).
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let mut log = String::new();
    while std::time::Instant::now() < deadline {
        log = std::fs::read_to_string(&browser_log).unwrap_or_default();
        if log.ends_with('\n') {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        log.contains("picked alice@example.com"),
        "browser-open.sh log: {log}\n{}",
        std::fs::read_to_string(browser_log.with_extension("jsonl.err")).unwrap_or_default()
    );
}
