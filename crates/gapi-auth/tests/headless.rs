//! Headless and two-machine logins against the gapi emulator: a pasted redirect URL or bare
//! code ends the loopback wait (its `state` checked), and a remote bootstrap's redirect URL,
//! sent to another loopback port, is exchanged here with this side's PKCE verifier.

mod support;

use std::time::Duration;

use gapi_auth::flow::headless::HeadlessPrompt;
use gapi_auth::flow::remote::BootstrapRequest;
use gapi_auth::{ClientSecrets, InstalledFlow, LocalServer};
use gapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use tokio::io::{AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;

async fn emulator() -> RunningEmulator {
    Emulator::start(EmulatorConfig {
        auto_approve: true,
        ..Default::default()
    })
    .await
    .unwrap()
}

fn flow(emu: &RunningEmulator) -> InstalledFlow {
    let secrets = ClientSecrets::from_json(&emu.client_secrets_json().to_string()).unwrap();
    InstalledFlow::new(secrets, ["drive.readonly"])
        .retry_policy(support::fast_retry())
        .login_hint("bob@example.com")
}

/// A headless loopback server whose instructions arrive on a channel and whose "terminal" is
/// the returned pipe.
fn headless_server() -> (
    LocalServer,
    mpsc::UnboundedReceiver<HeadlessPrompt>,
    DuplexStream,
) {
    let (tx, rx) = mpsc::unbounded_channel();
    let (terminal, input) = tokio::io::duplex(4096);
    let server = LocalServer::new()
        .open_browser(false)
        .timeout(Duration::from_secs(30))
        .remote_bootstrap_command("gapi auth login --remote-bootstrap")
        .paste_input(BufReader::new(input))
        .on_headless(Box::new(move |p| {
            let _ = tx.send(p.clone());
        }));
    (server, rx, terminal)
}

/// The emulator's redirect for `auth_url` (auto-approved), not followed: what a browser on
/// another machine shows in its address bar when the page fails to load.
async fn redirect_location(auth_url: &str) -> String {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = http.get(auth_url).send().await.unwrap();
    assert!(resp.status().is_redirection(), "{}", resp.status());
    resp.headers()["location"].to_str().unwrap().to_string()
}

async fn paste(terminal: &mut DuplexStream, line: &str) {
    terminal
        .write_all(format!("{line}\n").as_bytes())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_pasted_redirect_url_finishes_the_login_after_a_wrong_state_is_refused() {
    let emu = emulator().await;
    let f = flow(&emu);
    let (server, mut prompts, mut terminal) = headless_server();
    let login = tokio::spawn(async move { f.run_local_server(server).await });
    let prompt = prompts.recv().await.unwrap();
    assert!(prompt.reason.is_none(), "asked for no browser: no reason");
    let text = prompt.instructions();
    assert!(text.contains(prompt.auth_url.as_str()), "{text}");
    assert!(text.contains("paste it here"), "{text}");

    let location = redirect_location(prompt.auth_url.as_str()).await;
    assert!(location.starts_with(&prompt.redirect_uri), "{location}");
    // A stale or forged URL is refused and the wait goes on.
    let state = url::Url::parse(&location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    paste(&mut terminal, &location.replace(&state, "forged-state")).await;
    paste(&mut terminal, "   ").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!login.is_finished(), "a wrong paste must not end the login");
    paste(&mut terminal, &location).await;
    let creds = login.await.unwrap().unwrap();
    let info = creds.tokeninfo().await.unwrap();
    assert_eq!(info.email.as_deref(), Some("bob@example.com"));
    assert!(creds.has_refresh_token());
}

#[tokio::test]
async fn a_pasted_bare_code_uses_this_machines_redirect() {
    let emu = emulator().await;
    let f = flow(&emu);
    let (server, mut prompts, mut terminal) = headless_server();
    let login = tokio::spawn(async move { f.run_local_server(server).await });
    let prompt = prompts.recv().await.unwrap();
    let location = redirect_location(prompt.auth_url.as_str()).await;
    let code = url::Url::parse(&location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    paste(&mut terminal, &code).await;
    let creds = login.await.unwrap().unwrap();
    assert!(creds.tokeninfo().await.is_ok());
}

#[tokio::test]
async fn the_port_still_finishes_the_login_while_the_terminal_is_read() {
    let emu = emulator().await;
    let f = flow(&emu);
    let (server, mut prompts, _terminal) = headless_server();
    let login = tokio::spawn(async move { f.run_local_server(server).await });
    let prompt = prompts.recv().await.unwrap();
    let page = support::http_client_following_redirects()
        .get(prompt.auth_url.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(login.await.unwrap().is_ok());
}

#[tokio::test]
async fn two_machines_the_bootstrap_side_only_relays_the_redirect() {
    let emu = emulator().await;
    let f = flow(&emu);
    let (server, mut prompts, mut terminal) = headless_server();
    let login = tokio::spawn(async move { f.run_local_server(server).await });
    let prompt = prompts.recv().await.unwrap();
    let command = prompt
        .bootstrap_command
        .clone()
        .expect("a bootstrap command");
    assert!(
        command.starts_with("gapi auth login --remote-bootstrap '"),
        "{command}"
    );
    let quoted = command.split('\'').nth(1).unwrap();
    assert!(!quoted.contains("redirect_uri"), "{quoted}");
    assert!(!quoted.contains("code_verifier"), "{quoted}");
    assert!(quoted.contains("code_challenge="), "{quoted}");

    // The machine with a browser: its own loopback redirect, a "browser" following redirects.
    let request = BootstrapRequest::parse(quoted).unwrap();
    assert_eq!(request.client_id(), emu.client_id());
    let browser = Box::new(|url: &url::Url| {
        let url = url.to_string();
        tokio::spawn(async move {
            let page = support::http_client_following_redirects()
                .get(url)
                .send()
                .await
                .unwrap();
            assert_eq!(page.status(), 200);
            let text = page.text().await.unwrap();
            assert!(!text.contains("code="), "the page must not show the code");
        });
    });
    let back = request
        .run(
            LocalServer::new()
                .open_browser(false)
                .timeout(Duration::from_secs(30))
                .on_url(browser),
        )
        .await
        .unwrap();
    assert_ne!(
        back.port(),
        Some(prompt.port),
        "the bootstrap side listens on its own port"
    );
    assert!(back.query().unwrap().contains("code="), "{back}");

    paste(&mut terminal, back.as_str()).await;
    let creds = login.await.unwrap().unwrap();
    let info = creds.tokeninfo().await.unwrap();
    assert_eq!(info.email.as_deref(), Some("bob@example.com"));
}

#[tokio::test]
async fn a_bootstrap_redirect_for_another_login_is_refused() {
    let emu = emulator().await;
    let f = flow(&emu);
    let (server, mut prompts, mut terminal) = headless_server();
    let login = tokio::spawn(async move {
        f.run_local_server(server.timeout(Duration::from_secs(3)))
            .await
    });
    let prompt = prompts.recv().await.unwrap();
    // A second, unrelated login's redirect (another state, another verifier).
    let other = flow(&emu);
    let (other_url, _, _) = other.authorization_url("http://localhost:1/").unwrap();
    let location = redirect_location(other_url.as_str()).await;
    paste(&mut terminal, &location).await;
    let err = login.await.unwrap().unwrap_err();
    assert_eq!(err.kind(), gapi_auth::ErrorKind::Timeout, "{err}");
    drop(prompt);
}

/// How many requests reached the emulator's token endpoint (its request log).
async fn token_requests(emu: &RunningEmulator) -> usize {
    let log: serde_json::Value = support::http_client_following_redirects()
        .get(format!("{}/__emulator/requests", emu.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"] == "/token")
        .count()
}

#[tokio::test]
async fn a_line_that_is_not_utf8_is_skipped_and_the_next_paste_finishes_the_login() {
    let emu = emulator().await;
    let f = flow(&emu);
    let (server, mut prompts, mut terminal) = headless_server();
    let login = tokio::spawn(async move { f.run_local_server(server).await });
    let prompt = prompts.recv().await.unwrap();
    let location = redirect_location(prompt.auth_url.as_str()).await;
    // Latin-1 text and stray binary: not UTF-8. The reader must go on reading.
    terminal.write_all(b"caf\xe9 \xff\xfe\x00\n").await.unwrap();
    paste(&mut terminal, &location).await;
    let creds = login.await.unwrap().unwrap();
    assert!(creds.tokeninfo().await.is_ok());
    assert_eq!(token_requests(&emu).await, 1);
}

#[tokio::test]
async fn junk_pastes_are_refused_here_and_never_sent_as_a_code() {
    let emu = emulator().await;
    let f = flow(&emu);
    let (server, mut prompts, mut terminal) = headless_server();
    let login = tokio::spawn(async move { f.run_local_server(server).await });
    let prompt = prompts.recv().await.unwrap();
    let location = redirect_location(prompt.auth_url.as_str()).await;
    // NULs, escape sequences, 1 MB of text without a space, a 3 KB "code", a redirect URL
    // whose code is junk: each is refused locally and the wait goes on.
    paste(&mut terminal, "4/abc\0\0\0def").await;
    paste(&mut terminal, "4/abc\u{1b}[2Kdef").await;
    paste(&mut terminal, &"x".repeat(1024 * 1024)).await;
    paste(&mut terminal, &"y".repeat(3000)).await;
    let junk_code = location.replacen("code=", "code=%00%00junk", 1);
    paste(&mut terminal, &junk_code).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!login.is_finished(), "no junk line may end the login");
    assert_eq!(token_requests(&emu).await, 0, "nothing was sent");
    paste(&mut terminal, &location).await;
    let creds = login.await.unwrap().unwrap();
    assert!(creds.tokeninfo().await.is_ok());
    assert_eq!(token_requests(&emu).await, 1, "only the real code was sent");
}
