//! The file store: format, permissions, profiles, Python google-auth compatibility.

use crate::support;

use gapi_auth::{Credentials, FileStore, RefreshToken};
use support::Mock;

#[tokio::test]
async fn save_load_list_delete() {
    let mock = Mock::start().await;
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("cfg"));
    mock.add_refresh_token("1//rt");
    let creds = Credentials::from_refresh_token(mock.token_client(), RefreshToken::new("1//rt"))
        .with_quota_project_id("billing-proj");
    creds.access_token().await.unwrap();
    store.save("work", &creds).await.unwrap();
    store.save("default", &creds).await.unwrap();

    let path = store.path_for("work");
    assert_eq!(path, dir.path().join("cfg/credentials/work.json"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dmode = std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dmode, 0o700);
    }
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["type"], "authorized_user");
    assert_eq!(v["client_id"], support::CLIENT_ID);
    assert_eq!(v["client_secret"], support::CLIENT_SECRET);
    assert_eq!(v["refresh_token"], "1//rt");
    assert_eq!(v["token_uri"], format!("{}/token", mock.base));
    assert_eq!(v["quota_project_id"], "billing-proj");
    assert_eq!(v["universe_domain"], "googleapis.com");
    let expiry = v["expiry"].as_str().unwrap();
    assert_eq!(
        expiry.len(),
        "2026-11-25T18:00:00.000000Z".len(),
        "{expiry}"
    );
    assert!(expiry.ends_with('Z') && expiry.contains('.'));

    assert_eq!(
        store.list().unwrap(),
        vec!["default".to_string(), "work".to_string()]
    );
    let loaded = store.load("work").await.unwrap().unwrap();
    assert_eq!(
        loaded.access_token().await.unwrap(),
        creds.access_token().await.unwrap()
    );
    assert_eq!(loaded.quota_project_id().as_deref(), Some("billing-proj"));
    assert_eq!(
        loaded
            .expiry()
            .map(|e| e.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()),
        creds
            .expiry()
            .map(|e| e.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs())
    );

    assert!(store.delete("work").await.unwrap());
    assert!(!store.delete("work").await.unwrap());
    assert!(store.load("work").await.unwrap().is_none());
    assert_eq!(store.list().unwrap(), vec!["default".to_string()]);
    assert!(store.load("../escape").await.is_err());
}

#[tokio::test]
async fn reads_a_python_google_auth_file() {
    // What `Credentials.to_json()` writes (plus "type"): no microseconds when they are zero.
    let text = r#"{"token": "ya29.py", "refresh_token": "1//py", "token_uri": "https://oauth2.googleapis.com/token",
        "client_id": "cid", "client_secret": "cs", "scopes": ["https://www.googleapis.com/auth/drive"],
        "universe_domain": "googleapis.com", "account": "", "expiry": "2099-11-25T18:00:00Z", "type": "authorized_user"}"#;
    let creds = Credentials::from_authorized_user_json(text, None).unwrap();
    assert_eq!(
        creds.access_token().await.unwrap().secret(),
        "ya29.py",
        "not expired: no refresh"
    );
    assert_eq!(
        creds.granted_scopes(),
        vec!["https://www.googleapis.com/auth/drive".to_string()]
    );
    assert_eq!(creds.account(), None);
    let out: serde_json::Value =
        serde_json::from_str(&creds.to_authorized_user_json().unwrap()).unwrap();
    assert_eq!(out["expiry"], "2099-11-25T18:00:00.000000Z");
    assert_eq!(out["refresh_token"], "1//py");
    assert_eq!(out["token_uri"], "https://oauth2.googleapis.com/token");
}

#[test]
fn rejects_other_credential_types_and_bad_files() {
    let err = Credentials::from_authorized_user_json(
        r#"{"type":"service_account","client_id":"x"}"#,
        None,
    )
    .unwrap_err();
    assert!(err.to_string().contains("service_account"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.json");
    std::fs::write(&p, "{not json").unwrap();
    let err = Credentials::from_authorized_user_file(&p, None).unwrap_err();
    assert!(err.to_string().contains("bad.json"), "{err}");
    assert!(
        matches!(
            err.remedy(),
            Some(gapi_auth::Remedy::RemoveAndLogIn { path, .. }) if path == &p
        ),
        "{err:?}"
    );
    assert!(!err.to_string().contains("gapi"), "{err}");
    let err = Credentials::from_authorized_user_json(
        r#"{"type":"authorized_user","client_id":"x","expiry":"soon"}"#,
        None,
    )
    .unwrap_err();
    assert!(err.to_string().contains("soon"), "{err}");
}

#[tokio::test]
async fn save_waits_for_the_profile_lock() {
    let mock = Mock::start().await;
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path());
    let creds = Credentials::from_refresh_token(mock.token_client(), RefreshToken::new("1//x"));
    let held = store.lock("default").unwrap();
    let s2 = store.clone();
    let c2 = creds.clone();
    let mut save = tokio::spawn(async move { s2.save("default", &c2).await });
    // While the lock is held the save cannot complete.
    assert!(
        tokio::time::timeout(std::time::Duration::from_millis(200), &mut save)
            .await
            .is_err()
    );
    assert!(!store.path_for("default").exists());
    drop(held);
    save.await.unwrap().unwrap();
    assert!(store.path_for("default").exists());
}

#[tokio::test]
async fn a_file_that_exists_but_is_broken_is_an_error_not_none() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path());
    let path = store.path_for("p");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    for (what, bytes) in [
        ("empty", &b""[..]),
        (
            "truncated",
            &b"{\"type\": \"authorized_user\", \"client_id\": \"x"[..],
        ),
        ("NUL bytes", &[0u8; 16][..]),
        (
            "another type",
            &b"{\"type\":\"service_account\",\"client_id\":\"x\"}"[..],
        ),
        ("not an object", &b"\"text\""[..]),
        (
            "a secret in a field of the wrong type",
            &b"{\"client_id\":\"x\",\"scopes\":\"1//secret-rt\"}"[..],
        ),
    ] {
        std::fs::write(&path, bytes).unwrap();
        let e = store.load("p").await.unwrap_err();
        assert_eq!(e.kind(), gapi_auth::ErrorKind::Store, "{what}: {e}");
        assert!(
            e.message().contains(&path.display().to_string()),
            "{what}: {e}"
        );
        assert_eq!(
            e.remedy(),
            Some(&gapi_auth::Remedy::ReplaceByLogIn {
                profile: Some("p".into()),
                client_secrets_needed: true,
            }),
            "{what}: {e}"
        );
        assert!(!e.to_string().contains("gapi"), "{what}: {e}");
        assert!(store.exists("p").unwrap());
        assert!(!e.to_string().contains("secret-rt"), "{what}: {e}");
        let e = gapi_auth::select_credentials(&store, None, None).await;
        assert!(
            e.is_err(),
            "{what}: the default profile is not involved, ADC may be: ok"
        );
    }
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    let e = store.load("p").await.unwrap_err();
    assert_eq!(e.kind(), gapi_auth::ErrorKind::Store, "{e}");
    assert_eq!(
        e.remedy(),
        Some(&gapi_auth::Remedy::RemoveAndLogIn {
            path: path.clone(),
            profile: Some("p".into()),
            client_secrets_needed: true,
        }),
        "{e}"
    );
    assert!(
        store.delete("p").await.unwrap(),
        "delete removes even a directory"
    );
    assert!(!store.exists("p").unwrap());
    assert!(store.load("p").await.unwrap().is_none());
}

#[cfg(unix)]
#[test]
fn deleting_a_held_lock_never_lets_two_holders_in() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path());
    let first = store.lock("p").unwrap();
    let got = Arc::new(AtomicBool::new(false));
    let waiter = {
        let store = store.clone();
        let got = got.clone();
        std::thread::spawn(move || {
            let lock = store.lock("p").unwrap();
            got.store(true, Ordering::SeqCst);
            lock
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(100));
    // What delete() does while holding the lock: unlink the lock file. A newcomer then
    // creates and takes a new one at once.
    std::fs::remove_file(dir.path().join("credentials/p.json.lock")).unwrap();
    let second = store.lock("p").unwrap();
    drop(first);
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(
        !got.load(Ordering::SeqCst),
        "the waiter took the unlinked lock while the new one is held"
    );
    drop(second);
    let held = waiter.join().unwrap();
    assert!(got.load(Ordering::SeqCst));
    drop(held);
}
