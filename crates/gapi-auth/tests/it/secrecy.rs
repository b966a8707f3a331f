//! A full login, refresh, tokeninfo and revoke with TRACE logging on: no secret may appear in
//! the log output or in `Debug` output.

use crate::support;

use gapi_auth::{FileStore, InstalledFlow, LocalServer};
use gapi_testkit::logs::LogCapture;
use support::Mock;

#[tokio::test]
async fn trace_logs_contain_no_secrets() {
    // This test's thread only (the whole current-thread runtime), so tests run in parallel.
    let capture = LogCapture::start(tracing::Level::TRACE);

    let mock = Mock::start().await;
    mock.with(|s| {
        s.rotate_refresh_tokens = true;
        s.expires_in = 100;
    });
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path());
    let (cb, mut pages) = support::browser();
    let creds = InstalledFlow::new(mock.secrets(), ["drive", "openid", "email"])
        .token_store(store.clone(), "default")
        .run_local_server(LocalServer::new().open_browser(false).on_url(cb))
        .await
        .unwrap();
    assert_eq!(pages.recv().await.unwrap().unwrap().status, 200);
    creds.access_token().await.unwrap(); // refresh (rotating)
    creds.tokeninfo().await.unwrap();
    let debug = format!(
        "{creds:?} {:?} {:?}",
        creds.token_client(),
        creds.refresh_token()
    );
    creds.revoke().await.unwrap();
    let bad = gapi_auth::Credentials::from_refresh_token(
        mock.token_client(),
        gapi_auth::RefreshToken::new("1//bogus-secret-refresh"),
    );
    let err = bad.access_token().await.unwrap_err();

    let log = capture.text();
    assert!(
        log.contains("TRACE") || log.contains("DEBUG"),
        "logging was not captured"
    );
    let mut secrets: Vec<String> = vec![
        support::CLIENT_SECRET.into(),
        "1//bogus-secret-refresh".into(),
    ];
    mock.with(|s| {
        secrets.extend(s.issued_access_tokens.iter().cloned());
        secrets.extend(s.revoked.iter().cloned());
        for form in &s.token_form_log {
            for key in ["code", "code_verifier", "refresh_token", "client_secret"] {
                if let Some(v) = form.get(key) {
                    secrets.push(v.clone());
                }
            }
        }
    });
    assert!(secrets.len() >= 8, "{}", secrets.len());
    let err_text = format!("{err} {err:?}");
    for secret in &secrets {
        assert!(
            !log.contains(secret.as_str()),
            "secret leaked into the trace log"
        );
        assert!(
            !debug.contains(secret.as_str()),
            "secret leaked into Debug output: {debug}"
        );
        assert!(
            !err_text.contains(secret.as_str()),
            "secret leaked into an error"
        );
    }
    // Partial matches of encoded forms too (the code contains a slash).
    assert!(
        !log.contains("secretcode")
            && !log.contains("secrettoken")
            && !log.contains("secretrefresh")
    );
}
