//! `gapi auth login --store keyring` for real: a private D-Bus session (`dbus-run-session`)
//! with gnome-keyring's Secret Service unlocked by a test password, the gapi binary against
//! the emulator. Login, a refresh through the keyring, `secret-tool` sees the entry, revoke
//! removes it, and no token or client secret is in any file under the config dir. Without a
//! reachable D-Bus, `--store keyring` fails naming `--store file` and writes nothing.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::{Output, Setup, run, url_in, wait_for_line};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// A private session bus with an unlocked gnome-keyring; ends when dropped.
struct Keyring {
    _session: Child,
    bus: String,
    _home: tempfile::TempDir,
}

const SESSION_SCRIPT: &str = r#"
printf 'gapi-test-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || exit 3
echo "BUS=$DBUS_SESSION_BUS_ADDRESS"
read _ignored
"#;

impl Keyring {
    async fn start() -> Keyring {
        let home = tempfile::tempdir().unwrap();
        let mut child = Command::new("dbus-run-session")
            .args(["--", "sh", "-c", SESSION_SCRIPT])
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_RUNTIME_DIR", home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect(
                "dbus-run-session runs (Debian packages dbus, dbus-bin, gnome-keyring, \
                 libsecret-tools: scripts/setup-test-deps.sh)",
            );
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let bus = tokio::time::timeout(Duration::from_secs(30), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(bus) = line.strip_prefix("BUS=") {
                    return Some(bus.to_string());
                }
            }
            None
        })
        .await
        .ok()
        .flatten()
        .expect("the D-Bus session with gnome-keyring-daemon started");
        Keyring {
            _session: child,
            bus,
            _home: home,
        }
    }

    fn secret_tool(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("secret-tool");
        cmd.args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        cmd
    }

    /// Locks the login collection, as a screen lock or `Lock` from a keyring manager does:
    /// reads of existing entries and every write then need an unlock prompt, which fails
    /// here (no display for the prompter).
    async fn lock(&self) {
        let mut cmd = Command::new("gdbus");
        cmd.args([
            "call",
            "--session",
            "--dest",
            "org.freedesktop.secrets",
            "--object-path",
            "/org/freedesktop/secrets",
            "--method",
            "org.freedesktop.Secret.Service.Lock",
            "['/org/freedesktop/secrets/collection/login']",
        ])
        .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
        let out = run(cmd).await;
        assert_eq!(out.code, 0, "gdbus Lock: {}", out.stderr);
        let mut cmd = Command::new("gdbus");
        cmd.args([
            "call",
            "--session",
            "--dest",
            "org.freedesktop.secrets",
            "--object-path",
            "/org/freedesktop/secrets/collection/login",
            "--method",
            "org.freedesktop.DBus.Properties.Get",
            "org.freedesktop.Secret.Collection",
            "Locked",
        ])
        .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
        let out = run(cmd).await;
        assert!(
            out.stdout.contains("true"),
            "locked: {}{}",
            out.stdout,
            out.stderr
        );
    }

    /// `secret-tool search --all service gapi` (stdout and stderr: it prints attributes to
    /// stderr on some versions).
    async fn search(&self) -> String {
        let out = run(self.secret_tool(&["search", "--all", "--unlock", "service", "gapi"])).await;
        format!("{}{}", out.stdout, out.stderr)
    }
}

fn gapi(setup: &Setup, bus: &str, args: &[&str]) -> Command {
    let mut cmd = setup.gapi();
    cmd.env("DBUS_SESSION_BUS_ADDRESS", bus).args(args);
    cmd
}

async fn login(setup: &Setup, bus: &str, extra: &[&str]) {
    let secrets = setup.secrets.display().to_string();
    let mut args = vec![
        "auth",
        "login",
        "--no-browser",
        "--client-secrets",
        &secrets,
    ];
    args.extend_from_slice(extra);
    let mut child = gapi(setup, bus, &args).spawn().expect("spawn gapi");
    let (line, _) = wait_for_line(&mut child, "/o/oauth2/auth?").await;
    let resp = reqwest::get(url_in(&line)).await.expect("browser step");
    assert!(
        resp.status().is_success(),
        "success page: {}",
        resp.status()
    );
    let status = child.wait().await.unwrap();
    assert!(status.success(), "gapi auth login failed: {status}");
}

/// Every regular file under `dir`, with its text.
fn all_files(dir: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(all_files(&path));
        } else {
            let bytes = std::fs::read(&path).unwrap_or_default();
            found.push((
                path.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    found
}

#[tokio::test]
async fn keyring_login_refresh_status_revoke() {
    let setup = Setup::new(true).await;
    let kr = Keyring::start().await;
    let bus = kr.bus.clone();

    login(&setup, &bus, &["--store", "keyring"]).await;

    // On disk: only the non-secret marker.
    let marker_path = setup.config_dir().join("credentials").join("default.json");
    let marker: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&marker_path).unwrap()).unwrap();
    assert_eq!(marker["type"], "gapi_keyring", "{marker}");
    assert_eq!(marker["profile"], "default");
    assert!(marker.get("refresh_token").is_none() && marker.get("client_secret").is_none());

    // The keyring holds the authorized_user JSON.
    let found = kr.search().await;
    assert!(found.contains("attribute.service = gapi"), "{found}");
    let user = marker["user"].as_str().unwrap().to_string();
    let lookup = |kr: &Keyring| kr.secret_tool(&["lookup", "service", "gapi", "username", &user]);
    let before = run(lookup(&kr)).await;
    assert_eq!(before.code, 0, "{}", before.stderr);
    let stored: serde_json::Value = serde_json::from_str(&before.stdout).unwrap();
    assert_eq!(stored["type"], "authorized_user");
    let refresh_token = stored["refresh_token"].as_str().unwrap().to_string();
    let first_token = stored["token"].as_str().unwrap().to_string();

    // A refresh through the keyring: the server forgets the access token, the next call
    // gets a 401, refreshes, and the new token is written back to the keyring.
    setup.control("tokens/expire", serde_json::json!({})).await;
    let base = format!("{}/", setup.base());
    let about = run(gapi(
        &setup,
        &bus,
        &[
            "drive",
            "about",
            "get",
            "--fields",
            "user",
            "--endpoint",
            &base,
        ],
    ))
    .await;
    assert_eq!(about.code, 0, "401 -> refresh -> retry: {}", about.stderr);
    let after = run(lookup(&kr)).await;
    let stored: serde_json::Value = serde_json::from_str(&after.stdout).unwrap();
    let second_token = stored["token"].as_str().unwrap().to_string();
    assert_ne!(
        first_token, second_token,
        "the refresh was saved in the keyring"
    );

    // Remembered per profile: a repeat login without --store stays in the keyring.
    login(&setup, &bus, &["--prompt", "consent"]).await;
    let again: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&marker_path).unwrap()).unwrap();
    assert_eq!(again["type"], "gapi_keyring", "still a marker: {again}");
    let relogged = run(lookup(&kr)).await;
    let stored: serde_json::Value = serde_json::from_str(&relogged.stdout).unwrap();
    let refresh_token2 = stored["refresh_token"].as_str().unwrap().to_string();
    let third_token = stored["token"].as_str().unwrap().to_string();
    assert_ne!(
        third_token, second_token,
        "the repeat login went to the keyring"
    );

    let status = run(gapi(&setup, &bus, &["auth", "status", "--format", "json"])).await;
    assert_eq!(status.code, 0, "{}", status.stderr);
    let s: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert!(
        s["stored_in"].as_str().unwrap().contains("OS keyring"),
        "{s}"
    );

    // No token or client secret sits in any file under the config dir.
    let secrets: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&setup.secrets).unwrap()).unwrap();
    let client_secret = secrets["installed"]["client_secret"].as_str().unwrap();
    let files = all_files(&setup.config_dir());
    assert!(!files.is_empty());
    for (path, text) in &files {
        for (what, secret) in [
            ("refresh token", refresh_token.as_str()),
            ("access token", first_token.as_str()),
            ("access token", second_token.as_str()),
            ("access token", third_token.as_str()),
            ("refresh token", refresh_token2.as_str()),
            ("client secret", client_secret),
        ] {
            assert!(!text.contains(secret), "{what} found in {path}");
        }
    }

    let revoke: Output = run(gapi(&setup, &bus, &["auth", "revoke"])).await;
    assert_eq!(revoke.code, 0, "{}", revoke.stderr);
    assert!(!marker_path.exists(), "the marker is gone");
    let found = kr.search().await;
    assert!(
        !found.contains("attribute.service = gapi"),
        "entry removed: {found}"
    );
    let gone = run(lookup(&kr)).await;
    assert!(gone.stdout.trim().is_empty(), "no secret left");
}

#[tokio::test]
async fn keyring_unreachable_fails_naming_the_file_store_and_writes_nothing() {
    let setup = Setup::new(true).await;
    let dead = "unix:path=/nonexistent/gapi-test/bus";
    let secrets = setup.secrets.display().to_string();
    for env_kind in [false, true] {
        let mut args = vec![
            "auth",
            "login",
            "--no-browser",
            "--client-secrets",
            &secrets,
        ];
        let mut cmd = if env_kind {
            let mut c = gapi(&setup, dead, &args);
            c.env("GAPI_CREDENTIAL_STORE", "keyring");
            c
        } else {
            args.extend(["--store", "keyring"]);
            gapi(&setup, dead, &args)
        };
        cmd.env("XDG_RUNTIME_DIR", setup.dir.path().join("no-runtime"));
        let out = run(cmd).await;
        assert_ne!(out.code, 0, "must fail: {}", out.stderr);
        assert!(
            out.stderr.contains("keyring") && out.stderr.contains("--store file"),
            "clear error naming the file store: {}",
            out.stderr
        );
        assert!(
            !out.stderr.contains("/o/oauth2/auth?"),
            "fails before any consent page: {}",
            out.stderr
        );
        let files = all_files(&setup.config_dir().join("credentials"));
        assert!(files.is_empty(), "nothing written: {files:?}");
    }
}

#[tokio::test]
async fn activating_a_service_account_over_a_keyring_profile_removes_its_entry() {
    let setup = Setup::new(true).await;
    let kr = Keyring::start().await;
    let bus = kr.bus.clone();
    login(&setup, &bus, &["--store", "keyring"]).await;
    let marker_path = setup.config_dir().join("credentials").join("default.json");
    let marker: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&marker_path).unwrap()).unwrap();
    assert_eq!(marker["type"], "gapi_keyring", "{marker}");
    let user = marker["user"].as_str().unwrap().to_string();
    let lookup = |kr: &Keyring| kr.secret_tool(&["lookup", "service", "gapi", "username", &user]);
    let before = run(lookup(&kr)).await;
    assert!(
        before.stdout.contains("refresh_token"),
        "the user's entry is there: {}",
        before.stderr
    );

    let key = setup.dir.path().join("robot.json");
    setup.emulator.write_service_account_key(&key).unwrap();
    let key_arg = key.display().to_string();
    let out = run(gapi(
        &setup,
        &bus,
        &["auth", "activate-service-account", "--key-file", &key_arg],
    ))
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&marker_path).unwrap()).unwrap();
    assert_eq!(
        stored["type"], "service_account",
        "the key replaced the marker"
    );
    // The user's refresh token no longer sits in the keyring, orphaned.
    let gone = run(lookup(&kr)).await;
    assert!(
        gone.stdout.trim().is_empty(),
        "the old keyring entry was removed: {}",
        gone.stdout
    );
    let found = kr.search().await;
    assert!(
        !found.contains("attribute.service = gapi"),
        "no gapi entry left: {found}"
    );
}

/// A locked keyring is said as such (unlock it), never as a login problem.
fn assert_says_locked(stderr: &str) {
    let lower = stderr.to_lowercase();
    assert!(
        lower.contains("keyring is locked") && lower.contains("unlock it"),
        "says the keyring is locked: {stderr}"
    );
    assert!(
        !lower.contains("log in again"),
        "not a login problem: {stderr}"
    );
}

#[tokio::test]
async fn a_locked_keyring_is_found_before_any_consent_page() {
    let setup = Setup::new(true).await;
    let kr = Keyring::start().await;
    kr.lock().await;
    let secrets = setup.secrets.display().to_string();
    let out = run(gapi(
        &setup,
        &kr.bus,
        &[
            "auth",
            "login",
            "--no-browser",
            "--timeout",
            "5",
            "--store",
            "keyring",
            "--client-secrets",
            &secrets,
        ],
    ))
    .await;
    assert_ne!(out.code, 0, "must fail: {}", out.stderr);
    assert!(
        !out.stderr.contains("/o/oauth2/auth?"),
        "fails before any consent page: {}",
        out.stderr
    );
    assert_says_locked(&out.stderr);
    let files = all_files(&setup.config_dir());
    assert!(files.is_empty(), "nothing written: {files:?}");
}

#[tokio::test]
async fn a_keyring_locked_during_consent_fails_clearly_and_leaves_no_file() {
    let setup = Setup::new(true).await;
    let kr = Keyring::start().await;
    let secrets = setup.secrets.display().to_string();
    let mut child = gapi(
        &setup,
        &kr.bus,
        &[
            "auth",
            "login",
            "--no-browser",
            "--timeout",
            "30",
            "--store",
            "keyring",
            "--client-secrets",
            &secrets,
        ],
    )
    .spawn()
    .expect("spawn gapi");
    // The probe passed (unlocked); the screen locks while the user is on the consent page.
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut stderr = String::new();
    let line = tokio::time::timeout(Duration::from_secs(30), async {
        while let Ok(Some(line)) = lines.next_line().await {
            stderr.push_str(&line);
            stderr.push('\n');
            if line.contains("/o/oauth2/auth?") {
                return line;
            }
        }
        panic!("no consent URL: {stderr}")
    })
    .await
    .expect("the consent URL is shown");
    kr.lock().await;
    let resp = reqwest::get(url_in(&line)).await.expect("browser step");
    let _ = resp.text().await;
    let status = tokio::time::timeout(Duration::from_secs(60), async {
        while let Ok(Some(line)) = lines.next_line().await {
            stderr.push_str(&line);
            stderr.push('\n');
        }
        child.wait().await.unwrap()
    })
    .await
    .expect("gapi finished");
    assert!(!status.success(), "the tokens could not be kept: {stderr}");
    assert_says_locked(&stderr);
    let files = all_files(&setup.config_dir());
    assert!(files.is_empty(), "no marker, no .lock file: {files:?}");
}
