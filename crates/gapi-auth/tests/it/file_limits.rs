//! Every credential-file reader is bounded: a device (`/dev/zero`, which never ends), a FIFO,
//! a directory or a file over 1 MiB is a clear error naming the file, never an endless read
//! that runs out of memory; a real file of each kind still loads.

use std::path::Path;

use gapi_auth::credentials::external_account::ExternalAccountBuilder;
use gapi_auth::credentials::service_account::ServiceAccountKey;
use gapi_auth::{Credentials, ErrorKind};

const KEY_PEM: &str = include_str!("../data/test-sa-key.pem");

/// The message of each reader's error for `path` (all three must fail).
fn errors(path: &Path) -> Vec<(ErrorKind, String)> {
    let sa = ServiceAccountKey::from_file(path).map(|_| ()).unwrap_err();
    let user = Credentials::from_authorized_user_file(path, None)
        .map(|_| ())
        .unwrap_err();
    let any = Credentials::from_file(path, Vec::<String>::new())
        .map(|_| ())
        .unwrap_err();
    [sa, user, any]
        .into_iter()
        .map(|e| (e.kind(), e.to_string()))
        .collect()
}

fn assert_refused(path: &Path, why: &str) {
    for (kind, message) in errors(path) {
        assert_eq!(kind, ErrorKind::Io, "{message}");
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains(why), "{message}");
    }
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_are_refused_without_reading() {
    assert_refused(Path::new("/dev/zero"), "it is a device, not a regular file");
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("creds.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Opening a FIFO with no writer would block: the readers must not open it at all.
    assert_refused(&fifo, "named pipe (FIFO)");
    assert_refused(dir.path(), "a directory");
}

#[test]
fn a_huge_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("huge.json");
    // Sparse: 64 MiB on paper, no disk used.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(64 << 20)
        .unwrap();
    assert_refused(&big, "larger than the 1048576 bytes");
}

#[test]
fn real_files_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.json");
    let json = serde_json::json!({
        "type": "service_account", "private_key_id": "k1", "private_key": KEY_PEM,
        "client_email": "sa@p.iam.gserviceaccount.com", "token_uri": "https://oauth2.googleapis.com/token",
    });
    std::fs::write(&key, format!("\u{feff}{json}")).unwrap();
    assert_eq!(
        ServiceAccountKey::from_file(&key).unwrap().client_email,
        "sa@p.iam.gserviceaccount.com"
    );
    assert!(Credentials::from_file(&key, Vec::<String>::new()).is_ok());
    let user = dir.path().join("user.json");
    std::fs::write(
        &user,
        serde_json::json!({
            "type": "authorized_user", "client_id": "c", "client_secret": "s", "refresh_token": "r",
        })
        .to_string(),
    )
    .unwrap();
    assert!(Credentials::from_authorized_user_file(&user, None).is_ok());
}

/// The error of reading an `external_account` subject token from `path` (its
/// `credential_source.file`); the token URL is never reached (nothing listens there).
async fn subject_token_error(path: &Path) -> (ErrorKind, String) {
    let config = serde_json::json!({
        "type": "external_account",
        "audience": "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q",
        "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
        "token_url": "http://127.0.0.1:9/token",
        "credential_source": {"file": path},
    });
    let creds = ExternalAccountBuilder::from_json(config)
        .unwrap()
        .build_provider()
        .unwrap();
    let e = creds.subject_token().await.map(|_| ()).unwrap_err();
    (e.kind(), e.to_string())
}

async fn assert_subject_refused(path: &Path, why: &str) {
    let (kind, message) = subject_token_error(path).await;
    assert_eq!(kind, ErrorKind::Io, "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains(why), "{message}");
}

/// A subject-token file is read like every other credential file: a huge one is refused
/// (earlier versions read all of it; `/dev/zero` never ends).
#[tokio::test]
async fn a_huge_subject_token_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("token.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(64 << 20)
        .unwrap();
    assert_subject_refused(&big, "larger than the 1048576 bytes").await;
}

/// `/dev/zero`, a FIFO (no writer: opening it would block) and a folder as the subject-token
/// file are refused without reading; a real token file still works.
#[cfg(unix)]
#[tokio::test]
async fn subject_token_devices_fifos_and_folders_are_refused() {
    assert_subject_refused(Path::new("/dev/zero"), "it is a device, not a regular file").await;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("token.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    assert_subject_refused(&fifo, "named pipe (FIFO)").await;
    assert_subject_refused(dir.path(), "a directory").await;

    let real = dir.path().join("token.txt");
    std::fs::write(&real, "\u{feff}the-subject-token\n").unwrap();
    let config = serde_json::json!({
        "type": "external_account",
        "audience": "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q",
        "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
        "token_url": "http://127.0.0.1:9/token",
        "credential_source": {"file": real},
    });
    let creds = ExternalAccountBuilder::from_json(config)
        .unwrap()
        .build_provider()
        .unwrap();
    assert_eq!(
        creds.subject_token().await.unwrap().secret(),
        "the-subject-token"
    );
}
