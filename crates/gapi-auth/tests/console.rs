//! The console flow: OOB code, pasted redirect URL, a server refusing OOB.

mod support;

use gapi_auth::{ConsoleOptions, ErrorKind, InstalledFlow};
use support::Mock;
use support::terminal;
use tokio::io::BufReader;

fn flow(mock: &Mock) -> InstalledFlow {
    InstalledFlow::new(mock.secrets(), ["drive.readonly"]).retry_policy(support::fast_retry())
}

#[tokio::test]
async fn oob_code_typed_back() {
    let mock = Mock::start().await;
    let options = terminal(|url| async move {
        assert_eq!(
            support::query_param(&url, "redirect_uri").as_deref(),
            Some("urn:ietf:wg:oauth:2.0:oob")
        );
        let page = support::http_client_following_redirects()
            .get(url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // "<title>Success code=CODE</title>"
        let code = page
            .split("code=")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .to_string();
        format!("  {code}  ")
    });
    let creds = flow(&mock).run_console(options).await.unwrap();
    assert!(creds.access_token().await.is_ok());
    assert_eq!(
        creds.granted_scopes(),
        vec!["https://www.googleapis.com/auth/drive.readonly".to_string()]
    );
}

#[tokio::test]
async fn pasted_redirect_url_with_state_check() {
    let mock = Mock::start().await;
    // Nobody listens on this port: the browser elsewhere fails to load it; the user copies it.
    let options = terminal(|url| async move {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let no_follow = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let resp = no_follow.get(url).send().await.unwrap();
        resp.headers()["location"].to_str().unwrap().to_string()
    })
    .redirect_uri("http://localhost:1/");
    let creds = flow(&mock).run_console(options).await.unwrap();
    assert!(creds.access_token().await.is_ok());
    let form = mock.with(|s| s.token_form_log[0].clone());
    assert_eq!(form["redirect_uri"], "http://localhost:1/");
}

#[tokio::test]
async fn pasted_url_with_wrong_state_is_rejected() {
    let mock = Mock::start().await;
    let options =
        terminal(|_url| async move { "http://localhost:1/?code=4/x&state=forged".to_string() })
            .redirect_uri("http://localhost:1/");
    let err = flow(&mock).run_console(options).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::StateMismatch);
    assert_eq!(
        mock.token_requests
            .load(std::sync::atomic::Ordering::SeqCst),
        0
    );
}

#[tokio::test]
async fn server_refusing_oob_gives_helpful_error() {
    let mock = Mock::start().await;
    mock.with(|s| s.refuse_oob = true);
    // The user types something that looks like a code; the token endpoint refuses OOB.
    let options = terminal(|_url| async move { "4/some-code".to_string() });
    let err = flow(&mock).run_console(options).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OobRefused, "{err:?}");
    let text = err.to_string();
    assert!(text.contains("out-of-band"), "{text}");
    let hint = err.hint().unwrap_or_default();
    assert!(
        hint.contains("loopback") && hint.contains("paste") && !text.contains("hint"),
        "{text} / {hint}"
    );
}

#[tokio::test]
async fn pasting_the_browser_error_page_text_explains_oob() {
    let mock = Mock::start().await;
    mock.with(|s| s.refuse_oob = true);
    let options = terminal(|url| async move {
        let resp = support::http_client_following_redirects()
            .get(url)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 400);
        resp.text().await.unwrap()
    });
    let err = flow(&mock).run_console(options).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OobRefused, "{err:?}");
    assert_eq!(
        mock.token_requests
            .load(std::sync::atomic::Ordering::SeqCst),
        0
    );
}

#[tokio::test]
async fn empty_answer_is_an_error_not_a_hang() {
    let mock = Mock::start().await;
    let options = ConsoleOptions::new()
        .input(BufReader::new(&b""[..]))
        .on_url(Box::new(|_| {}));
    let err = flow(&mock).run_console(options).await.unwrap_err();
    assert!(err.to_string().contains("no authorization code"), "{err}");
}

#[tokio::test]
async fn junk_and_binary_lines_are_asked_again_and_never_sent() {
    let mock = Mock::start().await;
    let (reader, writer) = tokio::io::duplex(4096);
    let writer = std::sync::Mutex::new(Some(writer));
    let options = ConsoleOptions::new()
        .input(BufReader::new(reader))
        .redirect_uri("http://localhost:1/")
        .on_url(Box::new(move |url| {
            let url = url.clone();
            let mut w = writer.lock().unwrap().take().expect("URL shown once");
            tokio::spawn(async move {
                let _ = rustls::crypto::ring::default_provider().install_default();
                let no_follow = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .unwrap();
                let resp = no_follow.get(url).send().await.unwrap();
                let location = resp.headers()["location"].to_str().unwrap().to_string();
                let mut typed: Vec<u8> = Vec::new();
                typed.extend_from_slice(b"caf\xe9 \xff\n");
                typed.extend_from_slice(b"4/abc\0\0def\n");
                typed.extend_from_slice(&vec![b'x'; 1024 * 1024]);
                typed.push(b'\n');
                typed.extend_from_slice(format!("{location}\n").as_bytes());
                tokio::io::AsyncWriteExt::write_all(&mut w, &typed)
                    .await
                    .unwrap();
            });
        }));
    let creds = flow(&mock).run_console(options).await.unwrap();
    assert!(creds.access_token().await.is_ok());
    assert_eq!(
        mock.token_requests
            .load(std::sync::atomic::Ordering::SeqCst),
        1,
        "only the real answer reached the token endpoint"
    );
}
