//! Credentials: proactive refresh, single-flight, rotation, persistence, error mapping.

use crate::support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use gapi_auth::{Credentials, ErrorKind, FileStore, InstalledFlow, LocalServer, RefreshToken};
use support::Mock;

async fn login(mock: &Mock, store: Option<(&FileStore, &str)>) -> Credentials {
    let (cb, _pages) = support::browser();
    let mut flow =
        InstalledFlow::new(mock.secrets(), ["drive"]).retry_policy(support::fast_retry());
    if let Some((s, p)) = store {
        flow = flow.token_store(s.clone(), p);
    }
    flow.run_local_server(LocalServer::new().open_browser(false).on_url(cb))
        .await
        .unwrap()
}

#[tokio::test]
async fn refreshes_ahead_of_expiry_only() {
    let mock = Mock::start().await;
    mock.with(|s| s.expires_in = 3599);
    let creds = login(&mock, None).await;
    let first = creds.access_token().await.unwrap();
    assert_eq!(
        creds.access_token().await.unwrap(),
        first,
        "a fresh token is reused"
    );
    assert_eq!(mock.refresh_requests.load(Ordering::SeqCst), 0);

    // 200 s left is inside the 3 min 45 s margin: the next call refreshes.
    mock.with(|s| s.expires_in = 200);
    let creds = login(&mock, None).await;
    let t1 = creds.access_token().await.unwrap();
    assert_eq!(mock.refresh_requests.load(Ordering::SeqCst), 1);
    let t2 = creds.access_token().await.unwrap();
    assert_eq!(
        mock.refresh_requests.load(Ordering::SeqCst),
        2,
        "still inside the margin"
    );
    assert_ne!(t1, t2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_concurrent_callers_one_refresh() {
    let mock = Mock::start().await;
    mock.add_refresh_token("1//seed");
    let creds = Credentials::from_refresh_token(mock.token_client(), RefreshToken::new("1//seed"));
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..1000 {
        let c = creds.clone();
        set.spawn(async move { c.access_token().await.map(|t| t.secret().to_string()) });
    }
    let mut tokens = std::collections::HashSet::new();
    while let Some(r) = set.join_next().await {
        tokens.insert(r.unwrap().unwrap());
    }
    assert_eq!(mock.token_requests.load(Ordering::SeqCst), 1);
    assert_eq!(tokens.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_force_refresh_is_shared() {
    let mock = Mock::start().await;
    mock.add_refresh_token("1//seed");
    let creds = Credentials::from_refresh_token(mock.token_client(), RefreshToken::new("1//seed"));
    creds.access_token().await.unwrap();
    assert_eq!(mock.refresh_requests.load(Ordering::SeqCst), 1);
    // All callers saw the same (rejected) token: one refresh serves them all.
    let futures: Vec<_> = (0..200).map(|_| creds.force_refresh()).collect();
    let mut set = tokio::task::JoinSet::new();
    for f in futures {
        set.spawn(f);
    }
    while let Some(r) = set.join_next().await {
        r.unwrap().unwrap();
    }
    assert_eq!(mock.refresh_requests.load(Ordering::SeqCst), 2);
    // A later force_refresh refreshes again.
    creds.force_refresh().await.unwrap();
    assert_eq!(mock.refresh_requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn invalid_grant_needs_login_without_retries() {
    let mock = Mock::start().await;
    let creds = FileStore::new(tempfile::tempdir().unwrap().path()).bind(
        "work",
        Credentials::from_refresh_token(mock.token_client(), RefreshToken::new("1//revoked")),
    );
    let err = creds.access_token().await.unwrap_err();
    assert!(err.needs_login(), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(err.oauth_error_code(), Some("invalid_grant"));
    let text = err.to_string();
    assert!(text.contains("expired or revoked"), "{text}");
    assert_eq!(
        err.remedy(),
        Some(&gapi_auth::Remedy::LogInAgain {
            profile: Some("work".into()),
            client_secrets_needed: false,
            prompt_consent: false,
        })
    );
    let hint = err.hint().unwrap_or_default();
    assert!(hint.contains("log in again to profile `work`"), "{hint}");
    for said in [&text, &hint] {
        assert!(
            !said.contains("gapi"),
            "the library names no program: {said}"
        );
        assert!(!said.contains("1//revoked"));
    }
    assert_eq!(mock.token_requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn server_errors_are_retried_then_reported() {
    let mock = Mock::start().await;
    mock.add_refresh_token("1//seed");
    mock.with(|s| s.fail_token_with_503 = 2);
    let creds = Credentials::from_refresh_token(mock.token_client(), RefreshToken::new("1//seed"));
    creds.access_token().await.unwrap();
    assert_eq!(mock.token_requests.load(Ordering::SeqCst), 3);

    mock.with(|s| s.fail_token_with_503 = 10);
    let err = creds.force_refresh().await.unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    assert_eq!(err.status(), Some(503));
    assert_eq!(
        mock.token_requests.load(Ordering::SeqCst),
        6,
        "3 attempts, capped"
    );
}

#[tokio::test]
async fn no_refresh_token_and_expired_means_login_required() {
    let mock = Mock::start().await;
    let json = serde_json::json!({
        "type": "authorized_user", "client_id": support::CLIENT_ID, "client_secret": "",
        "token": "old", "expiry": "2020-01-01T00:00:00Z", "token_uri": format!("{}/token", mock.base)
    });
    let creds = Credentials::from_authorized_user_json(&json.to_string(), None).unwrap();
    let err = creds.access_token().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LoginRequired);
    assert!(err.needs_login());
    assert_eq!(mock.token_requests.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn rotated_refresh_token_is_persisted() {
    let mock = Mock::start().await;
    mock.with(|s| {
        s.rotate_refresh_tokens = true;
        s.expires_in = 100; // stale at once: the next access_token() refreshes
    });
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path());
    let creds = login(&mock, Some((&store, "default"))).await;
    let rt0 = creds.refresh_token().unwrap().secret().to_string();
    let token = creds.access_token().await.unwrap();
    let rt1 = creds.refresh_token().unwrap().secret().to_string();
    assert_ne!(rt0, rt1, "the server rotated the refresh token");
    let on_disk: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(store.path_for("default")).unwrap()).unwrap();
    assert_eq!(on_disk["refresh_token"], rt1);
    assert_eq!(on_disk["token"], token.secret());
    // A new process loading the file refreshes with the rotated token successfully.
    let again = store.load("default").await.unwrap().unwrap();
    again.force_refresh().await.unwrap();
}

#[tokio::test]
async fn two_processes_share_a_rotated_refresh_token() {
    let mock = Mock::start().await;
    mock.with(|s| {
        s.rotate_refresh_tokens = true;
        s.expires_in = 100;
    });
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path());
    login(&mock, Some((&store, "default"))).await;
    // Two independent handles, as two processes would have.
    let a = store.load("default").await.unwrap().unwrap();
    let b = store.load("default").await.unwrap().unwrap();
    a.access_token().await.unwrap();
    // b still holds the old (now revoked by rotation) refresh token; under the lock it reads
    // the rotated one from disk, so its refresh succeeds instead of failing with invalid_grant.
    b.access_token().await.unwrap();
    assert_eq!(mock.refresh_requests.load(Ordering::SeqCst), 2);
    assert_eq!(mock.with(|s| s.valid_refresh_tokens.len()), 1);
    let on_disk: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(store.path_for("default")).unwrap()).unwrap();
    assert_eq!(
        on_disk["refresh_token"],
        b.refresh_token().unwrap().secret()
    );
    b.force_refresh().await.unwrap();
    a.force_refresh().await.unwrap();
}

#[tokio::test]
async fn revoke_and_tokeninfo() {
    let mock = Mock::start().await;
    let creds = login(&mock, None).await;
    let info = creds.tokeninfo().await.unwrap();
    assert_eq!(info.email.as_deref(), Some(support::EMAIL));
    assert_eq!(info.aud.as_deref(), Some(support::CLIENT_ID));
    let rt = creds.refresh_token().unwrap().secret().to_string();
    creds.revoke().await.unwrap();
    assert!(mock.with(|s| s.revoked.contains(&rt)));
    let err = creds.force_refresh().await.unwrap_err();
    assert!(err.needs_login());
}

#[tokio::test]
async fn narrower_grant_is_kept_not_failed() {
    let mock = Mock::start().await;
    mock.with(|s| s.granted_scope = Some("openid".into()));
    let creds = login(&mock, None).await;
    assert_eq!(creds.granted_scopes(), vec!["openid".to_string()]);
    let _ = Duration::ZERO;
}
