//! Warnings go through `tracing::warn!`: a narrower grant names the missing scopes, and a
//! client secrets file inside a git work tree with open permissions is flagged.

use crate::support;

use gapi_auth::{ClientSecrets, InstalledFlow, LocalServer};
use gapi_testkit::logs::LogCapture;
use support::Mock;

#[tokio::test]
async fn warnings_are_logged() {
    // This test's thread only (the whole current-thread runtime), so tests run in parallel.
    let capture = LogCapture::start(tracing::Level::WARN);

    let mock = Mock::start().await;
    mock.with(|s| s.granted_scope = Some("https://www.googleapis.com/auth/drive.readonly".into()));
    let (cb, _pages) = support::browser();
    let creds = InstalledFlow::new(mock.secrets(), ["drive.readonly", "gmail.send"])
        .run_local_server(LocalServer::new().open_browser(false).on_url(cb))
        .await
        .expect("a narrower grant is not a failure");
    assert_eq!(creds.granted_scopes().len(), 1);

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let path = dir.path().join("client_secret.json");
    std::fs::write(&path, mock.secrets_json()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    ClientSecrets::from_file(&path).expect("warnings do not fail");

    let log = capture.text();
    assert!(
        log.contains("missing: https://www.googleapis.com/auth/gmail.send"),
        "{log}"
    );
    assert!(!log.contains("missing: https://www.googleapis.com/auth/drive.readonly"));
    assert!(log.contains("git work tree"), "{log}");
    #[cfg(unix)]
    assert!(log.contains("chmod 600"), "{log}");
}
