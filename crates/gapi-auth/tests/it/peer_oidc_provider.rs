//! gapi-auth against a real, OpenID-certified authorization server (npm `oidc-provider`, run by
//! `tests/peers/oidc-server.mjs`) with a real browser (Debian's Chromium driven by
//! `tests/peers/browser.mjs`) clicking through its login and consent pages.
//!
//! These tests need the peers installed: `scripts/setup-test-deps.sh && . target/test-env.sh`
//! (`scripts/test.sh` does both). Without them they FAIL with a message saying so; they never
//! skip silently.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gapi_auth::{
    ClientSecret, ClientSecrets, DeviceOptions, Endpoints, ErrorKind, InstalledFlow, LocalServer,
    RefreshToken,
};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use url::Url;

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

fn node() -> PathBuf {
    peer_path("GAPI_TEST_NODE")
}

fn peers_dir() -> PathBuf {
    let dir = peer_path("GAPI_TEST_PEERS_DIR");
    assert!(
        dir.join("node_modules/oidc-provider").exists(),
        "{}/node_modules is missing: run `npm ci --prefix tests/peers` (scripts/setup-test-deps.sh does it)",
        dir.display()
    );
    dir
}

/// A running `oidc-server.mjs`; killed when dropped (and it exits by itself when its stdin,
/// held here, closes).
struct OidcPeer {
    cfg: Value,
    child: tokio::process::Child,
    stderr: Arc<Mutex<String>>,
}

impl OidcPeer {
    async fn start(extra_args: &[&str]) -> OidcPeer {
        let script = peers_dir().join("oidc-server.mjs");
        let mut child = tokio::process::Command::new(node())
            .arg(&script)
            .args(["--port", "0"])
            .args(extra_args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start node {}: {e}", script.display()));
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line()).await;
        let line = match line {
            Ok(Ok(Some(line))) => line,
            other => {
                let mut err = String::new();
                if let Some(mut stderr) = child.stderr.take() {
                    let _ = tokio::time::timeout(
                        Duration::from_secs(2),
                        stderr.read_to_string(&mut err),
                    )
                    .await;
                }
                panic!("oidc-server.mjs did not print its ready line ({other:?}); stderr:\n{err}");
            }
        };
        // Keep reading its stdout and stderr (oidc-provider's notices, warnings and errors) for
        // failure messages; a closed or full pipe would otherwise kill or block it.
        let log = Arc::new(Mutex::new(String::new()));
        {
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                while let Ok(Some(line)) = lines.next_line().await {
                    let mut log = log.lock().expect("stdout log");
                    log.push_str("stdout: ");
                    log.push_str(&line);
                    log.push('\n');
                }
            });
        }
        if let Some(stderr) = child.stderr.take() {
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                let mut lines = BufReader::new(stderr).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    let mut log = log.lock().expect("stderr log");
                    log.push_str(&line);
                    log.push('\n');
                }
            });
        }
        let cfg: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("oidc-server.mjs ready line is not JSON ({e}): {line}"));
        OidcPeer {
            cfg,
            child,
            stderr: log,
        }
    }

    /// What the server printed on stderr so far, and whether it is still running.
    fn diagnostics(&mut self) -> String {
        let state = match self.child.try_wait() {
            Ok(None) => "still running".to_string(),
            Ok(Some(status)) => format!("EXITED with {status}"),
            Err(e) => format!("state unknown ({e})"),
        };
        let log = self.stderr.lock().expect("stderr log").clone();
        format!("oidc-server.mjs {state}; its stderr:\n{log}")
    }

    fn get(&self, key: &str) -> &str {
        self.cfg[key]
            .as_str()
            .unwrap_or_else(|| panic!("oidc-server.mjs ready line lacks {key}: {}", self.cfg))
    }

    fn url(&self, key: &str) -> Url {
        Url::parse(self.get(key)).expect("oidc-server.mjs prints valid URLs")
    }

    /// A flow for the public native client, with every endpoint taken from the server.
    fn flow(&self, scopes: &[&str]) -> InstalledFlow {
        self.flow_for(ClientSecrets::new(self.get("client_id"), None), scopes)
    }

    /// A flow for `secrets`, with every endpoint taken from the server.
    fn flow_for(&self, mut secrets: ClientSecrets, scopes: &[&str]) -> InstalledFlow {
        secrets.auth_uri = self.get("authorization_endpoint").to_string();
        secrets.token_uri = self.get("token_endpoint").to_string();
        let endpoints = Endpoints::from_auth_and_token(
            self.get("authorization_endpoint"),
            self.get("token_endpoint"),
        )
        .expect("valid endpoints")
        .with_revoke(self.url("revocation_endpoint"))
        .with_device(self.url("device_authorization_endpoint"));
        InstalledFlow::new(secrets, scopes.iter().copied())
            .endpoints(endpoints)
            .prompt("consent")
    }

    /// GET the userinfo endpoint with a bearer token; returns the HTTP status and body.
    async fn userinfo(&self, access_token: &str) -> (u16, String) {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::new();
        let res = http
            .get(self.get("userinfo_endpoint"))
            .bearer_auth(access_token)
            .send()
            .await
            .expect("userinfo request reaches the local server");
        let status = res.status().as_u16();
        (status, res.text().await.unwrap_or_default())
    }
}

/// `browser.mjs` started for one URL; `finish` waits for its JSON report.
struct Browser {
    child: Child,
}

impl Browser {
    /// Opens `url`; screenshots of every page go to `target/tmp/peer-screenshots/<shots>/`
    /// (test artifacts: what the user sees at each step).
    fn open(url: &str, args: &[&str], shots: &str) -> Browser {
        let script = peers_dir().join("browser.mjs");
        let shots_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join("peer-screenshots")
            .join(shots);
        let child = Command::new(node())
            .arg(&script)
            .arg(url)
            .args(["--timeout", "30"])
            .arg("--screenshots")
            .arg(&shots_dir)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start node {}: {e}", script.display()));
        Browser { child }
    }

    /// Waits for the browser to finish; returns (exit success, report JSON, stderr).
    async fn finish(self) -> (bool, Value, String) {
        let child = self.child;
        let out = tokio::time::timeout(
            Duration::from_secs(90),
            tokio::task::spawn_blocking(move || child.wait_with_output()),
        )
        .await
        .expect("browser.mjs finished within 90 s")
        .expect("join")
        .expect("browser.mjs output");
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let report = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
            panic!("browser.mjs printed no JSON report ({e}); stdout: {stdout}; stderr: {stderr}")
        });
        (out.status.success(), report, stderr)
    }
}

/// A slot the flow's URL callback fills with the browser it started.
type BrowserSlot = Arc<Mutex<Option<Browser>>>;

fn browser_on_url(
    slot: &BrowserSlot,
    args: &'static [&'static str],
    shots: &'static str,
) -> LocalServer {
    browser_on_url_at(slot, "127.0.0.1", args, shots)
}

fn browser_on_url_at(
    slot: &BrowserSlot,
    host: &str,
    args: &'static [&'static str],
    shots: &'static str,
) -> LocalServer {
    let slot = Arc::clone(slot);
    LocalServer::new()
        .host(host)
        .path("/callback")
        .open_browser(false)
        .timeout(Duration::from_secs(90))
        .on_url(Box::new(move |url: &Url| {
            let browser = Browser::open(url.as_str(), args, shots);
            *slot.lock().expect("browser slot") = Some(browser);
        }))
}

fn take_browser(slot: &BrowserSlot) -> Browser {
    slot.lock()
        .expect("browser slot")
        .take()
        .expect("the flow showed its authorization URL (on_url was called)")
}

/// An error with its whole `source()` chain, for failure messages.
fn chain(err: &dyn std::error::Error) -> String {
    let mut out = format!("{err:?}");
    let mut source = err.source();
    while let Some(e) = source {
        out.push_str(&format!("\n  caused by: {e}"));
        source = e.source();
    }
    out
}

fn query_param(url: &str, name: &str) -> Option<String> {
    let url = Url::parse(url).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

// ----------------------------------------------------------------------------- the tests

/// The seed's loopback flow against oidc-provider: host 127.0.0.1, path /callback (it matches
/// both exactly), PKCE S256 (it requires it), a real browser through its login and consent
/// pages. Then refresh-token rotation and revocation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loopback_login_through_real_pages_then_rotation_and_revoke() {
    let peer = OidcPeer::start(&[]).await;
    let slot: BrowserSlot = Arc::default();
    let flow = peer.flow(&["openid", "offline_access", "drive.readonly"]);
    let server = browser_on_url(&slot, &["--login", "alice"], "oidc-loopback");

    let creds = flow
        .run_local_server(server)
        .await
        .unwrap_or_else(|e| panic!("loopback login against oidc-provider failed: {e:?}"));
    let (ok, report, stderr) = take_browser(&slot).finish().await;
    assert!(ok, "browser.mjs failed: {stderr}\n{report}");

    // The browser ended on gapi's own success page, reached through oidc-provider's redirect.
    let final_url = report["final_url"].as_str().expect("final_url");
    assert!(
        final_url.starts_with("http://127.0.0.1:") && final_url.contains("/callback?"),
        "browser did not land on the loopback redirect: {report}"
    );
    assert!(query_param(final_url, "code").is_some(), "{report}");
    assert_eq!(
        query_param(final_url, "iss").as_deref(),
        Some(peer.get("issuer")),
        "oidc-provider sends iss with the code (RFC 9207)"
    );
    let steps = report["steps"].to_string();
    assert!(
        steps.contains("oidc login as alice") && steps.contains("oidc consent allow"),
        "{report}"
    );
    assert!(
        report["text"]
            .as_str()
            .unwrap_or_default()
            .contains("authentication flow has completed"),
        "gapi's success page was shown: {report}"
    );

    // Tokens: a refresh token (issued for this client), the Google scope kept, a working
    // access token for alice.
    assert!(
        creds.has_refresh_token(),
        "oidc-provider issued a refresh token"
    );
    let granted = creds.granted_scopes();
    assert!(
        granted
            .iter()
            .any(|s| s == "https://www.googleapis.com/auth/drive.readonly"),
        "granted scopes: {granted:?}"
    );
    let at1 = creds.access_token().await.expect("access token");
    let (status, body) = peer.userinfo(at1.secret()).await;
    assert_eq!(
        (status, body.contains("\"sub\":\"alice\"")),
        (200, true),
        "userinfo: {body}"
    );

    // Rotation: each refresh brings a new refresh token, and the new one is the one used next.
    let rt1 = creds.refresh_token().expect("refresh token");
    let at2 = creds.force_refresh().await.expect("first refresh");
    let rt2 = creds
        .refresh_token()
        .expect("refresh token after first refresh");
    assert_ne!(at1.secret(), at2.secret(), "a new access token");
    assert_ne!(
        rt1.secret(),
        rt2.secret(),
        "oidc-provider rotated the refresh token"
    );
    let at3 = creds
        .force_refresh()
        .await
        .expect("second refresh, with the rotated token");
    let rt3 = creds
        .refresh_token()
        .expect("refresh token after second refresh");
    assert_ne!(rt2.secret(), rt3.secret());
    let (status, _) = peer.userinfo(at3.secret()).await;
    assert_eq!(status, 200, "the refreshed access token works");

    // Revoke (gapi revokes the refresh token; oidc-provider then drops the whole grant).
    creds.revoke().await.expect("revoke at oidc-provider");
    let (status, _) = peer.userinfo(at3.secret()).await;
    assert_eq!(
        status, 401,
        "the grant's access token no longer works after revocation"
    );
    let err = creds
        .token_client()
        .expect("user credentials")
        .refresh(&rt3)
        .await
        .expect_err("a revoked refresh token must not refresh");
    assert_eq!(err.oauth_error_code(), Some("invalid_grant"), "{err:?}");
    assert!(
        err.needs_login(),
        "invalid_grant means log in again: {err:?}"
    );
}

/// Replaying a rotated-away refresh token: oidc-provider answers invalid_grant and revokes the
/// grant, so the credentials' current token dies too; gapi must say "log in again".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replayed_old_refresh_token_fails_and_kills_the_grant() {
    let peer = OidcPeer::start(&[]).await;
    let slot: BrowserSlot = Arc::default();
    let flow = peer.flow(&["openid", "offline_access"]);
    let creds = flow
        .run_local_server(browser_on_url(&slot, &["--login", "bob"], "oidc-replay"))
        .await
        .unwrap_or_else(|e| panic!("loopback login failed: {e:?}"));
    let (ok, report, stderr) = take_browser(&slot).finish().await;
    assert!(ok, "browser.mjs failed: {stderr}\n{report}");

    let old: RefreshToken = creds.refresh_token().expect("refresh token");
    creds
        .force_refresh()
        .await
        .expect("refresh rotates the token");
    let replay = creds
        .token_client()
        .expect("user credentials")
        .refresh(&old)
        .await
        .expect_err("the old refresh token was rotated away");
    assert_eq!(
        replay.oauth_error_code(),
        Some("invalid_grant"),
        "{replay:?}"
    );

    let err = creds
        .force_refresh()
        .await
        .expect_err("the replay revoked the grant, so the new token fails too");
    assert!(err.needs_login(), "gapi must ask for a new login: {err:?}");
    assert!(
        !format!("{err} {err:?}").contains(old.secret()),
        "errors never show refresh tokens"
    );
}

/// A confidential client (secret sent in the form: `client_secret_post`) with the redirect
/// advertised as `localhost` (oidc-provider matches the host literally, so this exercises the
/// `localhost` registration, as Google's client_secret.json files have).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confidential_client_with_localhost_redirect() {
    let peer = OidcPeer::start(&[]).await;
    let slot: BrowserSlot = Arc::default();
    let secrets = ClientSecrets::new(
        peer.get("confidential_post_client_id"),
        Some(ClientSecret::new(peer.get("confidential_client_secret"))),
    );
    let flow = peer.flow_for(secrets, &["openid", "offline_access"]);
    let creds = flow
        .run_local_server(browser_on_url_at(
            &slot,
            "localhost",
            &["--login", "dave"],
            "oidc-confidential",
        ))
        .await
        .unwrap_or_else(|e| panic!("confidential loopback login failed: {e:?}"));
    let (ok, report, stderr) = take_browser(&slot).finish().await;
    assert!(ok, "browser.mjs failed: {stderr}\n{report}");
    let final_url = report["final_url"].as_str().unwrap_or_default();
    assert!(final_url.starts_with("http://localhost:"), "{report}");

    let at = creds.access_token().await.expect("access token");
    let (status, body) = peer.userinfo(at.secret()).await;
    assert_eq!(
        (status, body.contains("\"sub\":\"dave\"")),
        (200, true),
        "userinfo: {body}"
    );
    let refreshed = creds
        .force_refresh()
        .await
        .expect("refresh with the client secret");
    assert_ne!(refreshed.secret(), at.secret());
}

/// The user clicks "[ Cancel ]" on oidc-provider's consent page: the redirect carries
/// error=access_denied and gapi ends with a clear access-denied error (no hang).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deny_on_consent_page_is_access_denied() {
    let peer = OidcPeer::start(&[]).await;
    let slot: BrowserSlot = Arc::default();
    let flow = peer.flow(&["openid"]);
    let result = flow
        .run_local_server(browser_on_url(
            &slot,
            &["--login", "carol", "--action", "deny"],
            "oidc-deny",
        ))
        .await;
    let (ok, report, stderr) = take_browser(&slot).finish().await;
    assert!(ok, "browser.mjs failed: {stderr}\n{report}");
    let err = match result {
        Ok(_) => panic!("a denied consent must not yield credentials"),
        Err(e) => e,
    };
    assert!(
        err.is_access_denied(),
        "expected access denied, got {err:?}"
    );
    assert_eq!(err.kind(), ErrorKind::AccessDenied);
    let final_url = report["final_url"].as_str().unwrap_or_default();
    assert_eq!(
        query_param(final_url, "error").as_deref(),
        Some("access_denied"),
        "{report}"
    );
}

/// RFC 8628 device flow: gapi asks for a code, the "user" approves it in the browser on
/// verification_uri_complete (confirm, login, consent), gapi's polling gets the tokens for
/// alice. Returns how long `run_device` took.
async fn device_login(server_args: &[&str], default_interval: Duration, shots: &str) -> Duration {
    let mut peer = OidcPeer::start(server_args).await;
    let slot: BrowserSlot = Arc::default();
    let prompt_slot = Arc::clone(&slot);
    let shots = shots.to_string();
    let options = DeviceOptions::new()
        .timeout(Duration::from_secs(90))
        .default_interval(default_interval)
        .on_prompt(Box::new(move |prompt| {
            let url = prompt
                .verification_url_complete
                .clone()
                .expect("oidc-provider sends verification_uri_complete");
            let browser = Browser::open(&url, &["--login", "alice"], &shots);
            *prompt_slot.lock().expect("browser slot") = Some(browser);
        }));
    let flow = peer.flow(&["openid", "offline_access"]);
    let started = std::time::Instant::now();
    let creds = match flow.run_device(options).await {
        Ok(creds) => creds,
        Err(e) => panic!(
            "device flow against oidc-provider failed: {}\n{}",
            chain(&e),
            peer.diagnostics()
        ),
    };
    let elapsed = started.elapsed();
    let (ok, report, stderr) = take_browser(&slot).finish().await;
    assert!(ok, "browser.mjs failed: {stderr}\n{report}");
    assert_eq!(report["title"], "Sign-in Success", "{report}");

    assert!(creds.has_refresh_token());
    let at = creds.access_token().await.expect("access token");
    let (status, body) = peer.userinfo(at.secret()).await;
    assert_eq!(
        (status, body.contains("\"sub\":\"alice\"")),
        (200, true),
        "userinfo: {body}"
    );
    elapsed
}

/// oidc-provider as it comes sends no `interval`: gapi must fall back to its default (set to
/// 1 s here to keep the test short) instead of failing to parse the answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_flow_without_server_interval_uses_the_default() {
    let elapsed = device_login(&[], Duration::from_secs(1), "oidc-device").await;
    assert!(
        elapsed < Duration::from_secs(30),
        "with a 1 s default interval the flow ends soon after approval (took {elapsed:?})"
    );
}

/// With `interval: 1` in the device response, gapi polls every second even though its own
/// default is set to 60 s: finishing well under 60 s proves the server's interval is honoured.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_flow_honours_the_server_interval() {
    let elapsed = device_login(
        &["--device-interval", "1"],
        Duration::from_secs(60),
        "oidc-device-interval",
    )
    .await;
    assert!(
        elapsed < Duration::from_secs(30),
        "the server said 1 s; gapi must not wait its 60 s default (took {elapsed:?})"
    );
}
