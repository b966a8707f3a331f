//! Text from outside cannot drive the terminal: a hostile `--remote-bootstrap` URL (escape
//! sequences and bidi overrides in its client id and scopes), a server's error message, a key
//! file's `client_email` and an API name typed on the command line reach stdout and stderr
//! only through the CLI's one escaping function: no raw control, bidi or format character.

mod common;

use std::time::Duration;

use common::{Output, Setup, run};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The characters a terminal acts on or hides (what the escaping must never let through):
/// controls other than the line break, bidi marks, overrides and isolates, zero-width ones.
fn raw_terminal_chars(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c as u32, 0x200b..=0x200f | 0x202a..=0x202e | 0x2066..=0x2069 | 0xfeff)
        })
        .collect()
}

fn assert_clean(out: &Output, what: &str) {
    for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let raw = raw_terminal_chars(text);
        assert!(raw.is_empty(), "{what}: raw {raw:?} on {stream}: {text:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_bootstrap_url_cannot_rewrite_the_warning() {
    let setup = Setup::new(true).await;
    // ESC [2K erases the line, ESC [1A moves up: the URL would wipe the warning and print its
    // own; U+202E reverses what follows; OSC 0 retitles the window; U+2066 isolates.
    let url = "https://accounts.google.com/o/oauth2/auth?response_type=code\
               &client_id=evil%1B%5B2K%1B%5B1A%1B%5B2KGoogle%20Drive%E2%80%AEtxt.exe\
               &scope=openid%20email%1B%5D0%3Bpwned%07%20drive%E2%81%A6%E2%80%8B\
               &state=s1&code_challenge=ch&code_challenge_method=S256";
    let out = setup
        .run(&[
            "auth",
            "login",
            "--remote-bootstrap",
            url,
            "--no-browser",
            "--timeout",
            "2",
        ])
        .await;
    assert_clean(&out, "remote bootstrap warning");
    assert!(
        out.stderr.contains("only continue if you yourself"),
        "the warning is there: {}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains(r"evil\x1b[2K\x1b[1A\x1b[2KGoogle Drive\u202etxt.exe"),
        "the client id is shown, escaped: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains(r"email\x1b]0;pwned\x07"),
        "{}",
        out.stderr
    );
}

/// A server that answers every request with `status` and `body`, counting requests.
async fn fixed_server(status: &'static str, body: String) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let mut head = Vec::new();
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let reply = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json; charset=UTF-8\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(reply.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    format!("http://{addr}/")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_error_message_is_escaped() {
    let setup = Setup::new(true).await;
    let message = "The caller does not have permission\u{1b}[2K\r\u{1b}[32mAll good\u{1b}[0m \
                   \u{202e}gnp.exe\u{200b}";
    let body = serde_json::json!({"error": {
        "code": 403, "message": message, "status": "PERMISSION_DENIED",
        "errors": [{"message": message, "domain": "global", "reason": "forbidden"}],
    }})
    .to_string();
    let endpoint = fixed_server("403 Forbidden", body).await;
    let mut cmd = setup.gapi();
    cmd.args(["drive", "about", "get", "--endpoint", &endpoint])
        .env("GAPI_ACCESS_TOKEN", "ya29.test-token");
    let out = tokio::time::timeout(Duration::from_secs(60), run(cmd))
        .await
        .unwrap();
    assert_eq!(out.code, 4, "a 403: {}", out.stderr);
    assert!(
        out.stderr.contains("The caller does not have permission"),
        "the message is shown: {}",
        out.stderr
    );
    assert_clean(&out, "server error message");
    assert!(out.stderr.contains(r"\x1b[32mAll good"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_files_email_and_a_typed_api_name_are_escaped() {
    let setup = Setup::new(true).await;
    let key_path = setup.dir.path().join("robot.json");
    setup.emulator.write_service_account_key(&key_path).unwrap();
    let mut key: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&key_path).unwrap()).unwrap();
    let email = "robot\u{1b}[2K\u{1b}[1A@example.iam.gserviceaccount.com\u{202e}moc";
    key["client_email"] = serde_json::json!(email);
    std::fs::write(&key_path, key.to_string()).unwrap();
    let key_arg = key_path.display().to_string();

    let out = setup
        .run(&[
            "auth",
            "activate-service-account",
            "--key-file",
            &key_arg,
            "--profile",
            "robot",
        ])
        .await;
    assert_clean(&out, "activate-service-account");
    assert!(out.stderr.contains(r"robot\x1b[2K"), "{}", out.stderr);

    assert_eq!(out.code, 0, "{}", out.stderr);
    let status = setup
        .run(&["auth", "status", "--offline", "--profile", "robot"])
        .await;
    assert_clean(&status, "auth status");
    assert!(status.stdout.contains(r"robot\x1b[2K"), "{}", status.stdout);

    let typed = setup.run(&["dr\u{1b}[2Kive\u{202e}", "about", "get"]).await;
    assert_ne!(typed.code, 0);
    assert_clean(&typed, "an unknown API name in the error");
}
