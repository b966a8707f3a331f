//! Warnings go through `tracing::warn!`: a narrower grant names the missing scopes, and a
//! client secrets file inside a git work tree with open permissions is flagged.

use crate::support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use gapi_auth::{ClientSecrets, InstalledFlow, LocalServer};
use support::Mock;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn warnings_are_logged() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

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

    let log = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("missing: https://www.googleapis.com/auth/gmail.send"),
        "{log}"
    );
    assert!(!log.contains("missing: https://www.googleapis.com/auth/drive.readonly"));
    assert!(log.contains("git work tree"), "{log}");
    #[cfg(unix)]
    assert!(log.contains("chmod 600"), "{log}");
}
