//! The loopback redirect flow against the in-test OAuth server.

use crate::support;

use std::time::Duration;

use gapi_auth::{ErrorKind, InstalledFlow, LocalServer};
use support::{Consent, Mock, browser, redirect_port};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn flow(mock: &Mock) -> InstalledFlow {
    InstalledFlow::new(mock.secrets(), ["drive", "openid", "email"])
        .retry_policy(support::fast_retry())
}

async fn raw_get(port: u16, target: &str, host: &str) -> String {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    s.write_all(
        format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out
}

async fn login_with_host(host: &str) {
    let mock = Mock::start().await;
    let (cb, mut pages) = browser();
    let creds = flow(&mock)
        .run_local_server(
            LocalServer::new()
                .host(host)
                .open_browser(false)
                .timeout(Duration::from_secs(20))
                .on_url(cb),
        )
        .await
        .unwrap();
    let page = pages.recv().await.unwrap().unwrap();
    assert_eq!(page.status, 200, "{page:?}");
    assert!(page.body.contains("completed"), "{page:?}");
    assert!(page.url.starts_with(&format!("http://{host}:")), "{page:?}");
    assert!(
        creds
            .access_token()
            .await
            .unwrap()
            .secret()
            .starts_with("ya29.access-")
    );
    assert!(creds.has_refresh_token());
    assert_eq!(creds.account().as_deref(), Some(support::EMAIL));
    // PKCE: the server verified S256; the redirect URI advertised the requested host.
    let form = mock.with(|s| s.token_form_log[0].clone());
    assert_eq!(form["grant_type"], "authorization_code");
    assert!(form["redirect_uri"].starts_with(&format!("http://{host}:")));
    assert!(form["code_verifier"].len() >= 43);
    // The port is released once the flow returns.
    let port: u16 = url::Url::parse(&page.url).unwrap().port().unwrap();
    assert!(
        tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .is_ok(),
        "port {port} still bound"
    );
}

#[tokio::test]
async fn full_login_localhost() {
    login_with_host("localhost").await;
}

#[tokio::test]
async fn full_login_127_0_0_1() {
    login_with_host("127.0.0.1").await;
}

#[tokio::test]
async fn login_with_custom_path_and_iss_parameter() {
    let mock = Mock::start().await;
    mock.with(|s| s.iss = Some("http://issuer.example".into()));
    let (cb, mut pages) = browser();
    let creds = flow(&mock)
        .run_local_server(
            LocalServer::new()
                .host("127.0.0.1")
                .path("/cb")
                .open_browser(false)
                .on_url(cb),
        )
        .await
        .unwrap();
    let page = pages.recv().await.unwrap().unwrap();
    assert!(page.url.contains("/cb?"), "{page:?}");
    assert!(creds.access_token().await.is_ok());
}

#[tokio::test]
async fn favicon_and_bad_host_do_not_end_the_flow() {
    let mock = Mock::start().await;
    let (tx, mut seen) = tokio::sync::mpsc::unbounded_channel::<(String, String, u16)>();
    let on_url = Box::new(move |url: &url::Url| {
        let port = redirect_port(url);
        let url = url.clone();
        let tx = tx.clone();
        tokio::spawn(async move {
            // Stray requests first, then the real browser redirect.
            let favicon = raw_get(port, "/favicon.ico", &format!("localhost:{port}")).await;
            let rebinding = raw_get(
                port,
                "/?code=stolen&state=x",
                &format!("evil.example:{port}"),
            )
            .await;
            let status = support::http_client_following_redirects()
                .get(url)
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0);
            let _ = tx.send((favicon, rebinding, status));
        });
    });
    let creds = flow(&mock)
        .run_local_server(LocalServer::new().open_browser(false).on_url(on_url))
        .await
        .unwrap();
    let (favicon, rebinding, status) = seen.recv().await.unwrap();
    assert!(favicon.starts_with("HTTP/1.1 404"), "{favicon}");
    assert!(rebinding.starts_with("HTTP/1.1 403"), "{rebinding}");
    assert_eq!(status, 200);
    assert!(creds.access_token().await.is_ok());
}

#[tokio::test]
async fn access_denied_ends_with_clear_error() {
    let mock = Mock::start().await;
    mock.with(|s| s.consent = Some(Consent::Deny));
    let (cb, mut pages) = browser();
    let err = flow(&mock)
        .run_local_server(
            LocalServer::new()
                .open_browser(false)
                .timeout(Duration::from_secs(20))
                .on_url(cb),
        )
        .await
        .unwrap_err();
    assert!(err.is_access_denied(), "{err:?}");
    assert_eq!(err.oauth_error_code(), Some("access_denied"));
    assert!(err.hint().is_some_and(|h| !h.is_empty()), "{err:?}");
    let page = pages.recv().await.unwrap().unwrap();
    assert_eq!(page.status, 400);
    assert!(page.body.contains("access_denied"));
    assert_eq!(
        mock.token_requests
            .load(std::sync::atomic::Ordering::SeqCst),
        0
    );
}

#[tokio::test]
async fn timeout_when_nobody_comes_back() {
    let mock = Mock::start().await;
    let started = std::time::Instant::now();
    let err = flow(&mock)
        .run_local_server(
            LocalServer::new()
                .open_browser(false)
                .timeout(Duration::from_millis(300))
                .on_url(Box::new(|_| {})),
        )
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn wrong_state_is_rejected() {
    let mock = Mock::start().await;
    let (tx, mut got) = tokio::sync::mpsc::unbounded_channel();
    let on_url = Box::new(move |url: &url::Url| {
        let port = redirect_port(url);
        let tx = tx.clone();
        tokio::spawn(async move {
            let host = format!("localhost:{port}");
            let _ = tx.send(raw_get(port, "/?code=4/forged&state=not-the-state", &host).await);
        });
    });
    let err = flow(&mock)
        .run_local_server(
            LocalServer::new()
                .open_browser(false)
                .timeout(Duration::from_secs(20))
                .on_url(on_url),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::StateMismatch, "{err:?}");
    let page = got.recv().await.unwrap();
    assert!(page.starts_with("HTTP/1.1 400"), "{page}");
    assert!(!page.contains("completed"));
    assert_eq!(
        mock.token_requests
            .load(std::sync::atomic::Ordering::SeqCst),
        0,
        "no exchange with a forged state"
    );
}

#[tokio::test]
async fn fixed_port_in_use_is_a_clear_error() {
    let mock = Mock::start().await;
    let busy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = busy.local_addr().unwrap().port();
    let err = flow(&mock)
        .run_local_server(
            LocalServer::new()
                .port(port)
                .open_browser(false)
                .on_url(Box::new(|_| {})),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
    assert!(err.to_string().contains(&port.to_string()), "{err}");
    assert_eq!(err.remedy(), Some(&gapi_auth::Remedy::ChooseAnotherPort));
    assert!(err.hint().unwrap().contains("another port"));
}

#[tokio::test]
async fn ipv6_literal_and_custom_success_page() {
    let mock = Mock::start().await;
    let (cb, mut pages) = browser();
    let creds = flow(&mock)
        .run_local_server(
            LocalServer::new()
                .host("::1")
                .open_browser(false)
                .success_html("<html><body>custom done</body></html>")
                .on_url(cb),
        )
        .await
        .unwrap();
    let page = pages.recv().await.unwrap().unwrap();
    assert!(page.url.starts_with("http://[::1]:"), "{page:?}");
    assert_eq!(page.body, "<html><body>custom done</body></html>");
    assert!(creds.access_token().await.is_ok());
}

#[tokio::test]
async fn localhost_is_served_on_both_address_families() {
    let mock = Mock::start().await;
    let (tx, mut got) = tokio::sync::mpsc::unbounded_channel();
    let on_url = Box::new(move |url: &url::Url| {
        let port = redirect_port(url);
        let url = url.clone();
        let tx = tx.clone();
        tokio::spawn(async move {
            // A stray request over IPv6 proves [::1] is bound on the same port.
            let mut s = tokio::net::TcpStream::connect(("::1", port)).await.unwrap();
            s.write_all(
                format!("GET /favicon.ico HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").as_bytes(),
            )
            .await
            .unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).await.unwrap();
            let _ = tx.send(out);
            let _ = support::http_client_following_redirects()
                .get(url)
                .send()
                .await;
        });
    });
    flow(&mock)
        .run_local_server(LocalServer::new().open_browser(false).on_url(on_url))
        .await
        .unwrap();
    assert!(got.recv().await.unwrap().starts_with("HTTP/1.1 404"));
}
