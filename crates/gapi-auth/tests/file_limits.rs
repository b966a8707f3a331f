//! Every credential-file reader is bounded: a device (`/dev/zero`, which never ends), a FIFO,
//! a directory or a file over 1 MiB is a clear error naming the file, never an endless read
//! that runs out of memory; a real file of each kind still loads.

use std::path::Path;

use gapi_auth::credentials::service_account::ServiceAccountKey;
use gapi_auth::{Credentials, ErrorKind};

const KEY_PEM: &str = include_str!("data/test-sa-key.pem");

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
