//! The client against gapi-emulator's Drive v3: listing with paging, `fields` and `q`, get,
//! errors mapped to predicates, the one refresh after a 401, and retries.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use gapi_client::{Authenticator, Authorization, Error, RetryPolicy, Service, StaticToken};
use gapi_emulator::RunningEmulator;
use gapi_testkit::emulator::{DRIVE, DRIVE_READONLY, control, issue, issued_token};
use serde_json::{Value, json};

async fn start() -> RunningEmulator {
    gapi_testkit::http::install_crypto();
    gapi_testkit::emulator::start(true).await
}

async fn token(emu: &RunningEmulator) -> String {
    issued_token(emu, "alice@example.com", DRIVE).await
}

fn drive(emu: &RunningEmulator, auth: impl Authenticator) -> Service {
    Service::builder()
        .bundled("drive", "v3")
        .endpoint(emu.base_url())
        .auth(auth)
        .retry_policy(
            RetryPolicy::default().with_delays(Duration::from_millis(5), Duration::from_millis(20)),
        )
        .build()
        .expect("drive builds")
}

#[tokio::test]
async fn files_list_pages_fields_and_q() {
    let emu = start().await;
    let svc = drive(&emu, StaticToken(token(&emu).await));
    // The seed's example call.
    let page = svc
        .method("files.list")
        .unwrap()
        .param("pageSize", 5)
        .param("orderBy", "modifiedByMeTime desc")
        .execute()
        .await
        .expect("files.list works");
    let files = page["files"].as_array().expect("files array");
    assert_eq!(files.len(), 5, "{page}");
    assert!(
        page["nextPageToken"].is_string(),
        "more pages expected: {page}"
    );

    // Every page, every item, no duplicates; agrees with one big page.
    let all: Vec<Value> = svc
        .method("files.list")
        .unwrap()
        .param("pageSize", 4)
        .items("files")
        .map(|r| r.expect("page fetched"))
        .collect()
        .await;
    let mut ids: Vec<&str> = all.iter().map(|f| f["id"].as_str().unwrap()).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate items across pages");
    let big = svc
        .method("files.list")
        .unwrap()
        .param("pageSize", 1000)
        .execute()
        .await
        .unwrap();
    assert_eq!(big["files"].as_array().unwrap().len(), n);
    let pages: Vec<_> = svc
        .method("files.list")
        .unwrap()
        .param("pageSize", 4)
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), n.div_ceil(4));

    // fields limits the response; q filters.
    let page = svc
        .method("files.list")
        .unwrap()
        .param("pageSize", 3)
        .fields("files(id,name)")
        .execute()
        .await
        .unwrap();
    assert!(
        page.get("nextPageToken").is_none(),
        "fields drops nextPageToken: {page}"
    );
    for f in page["files"].as_array().unwrap() {
        let keys: Vec<&String> = f.as_object().unwrap().keys().collect();
        assert!(keys.iter().all(|k| *k == "id" || *k == "name"), "{f}");
    }
    let folders = svc
        .method("files.list")
        .unwrap()
        .param("q", "mimeType = 'application/vnd.google-apps.folder'")
        .execute()
        .await
        .unwrap();
    let folders = folders["files"].as_array().unwrap();
    assert!(!folders.is_empty());
    assert!(
        folders
            .iter()
            .all(|f| f["mimeType"] == "application/vnd.google-apps.folder")
    );

    // get by id.
    let id = all[0]["id"].as_str().unwrap();
    let got = svc
        .method("files.get")
        .unwrap()
        .param("fileId", id)
        .execute()
        .await
        .unwrap();
    assert_eq!(got["id"], id);
    emu.shutdown().await;
}

#[tokio::test]
async fn errors_are_mapped() {
    let emu = start().await;
    let svc = drive(&emu, StaticToken(token(&emu).await));
    let err = svc
        .method("files.get")
        .unwrap()
        .param("fileId", "does-not-exist")
        .execute()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(err.http_status(), Some(404));
    assert!(!err.is_retryable());
    let api = err.api().unwrap();
    assert!(api.reason.is_some(), "{api:?}");
    // Bad values never reach the server.
    let err = svc
        .method("files.list")
        .unwrap()
        .param("pageSize", "12x")
        .execute()
        .await
        .unwrap_err();
    assert!(err.is_invalid_argument(), "{err}");
    let err = svc.method("files.lst").unwrap_err().to_string();
    assert!(err.contains("list"), "suggests files.list: {err}");
    emu.shutdown().await;
}

/// Hands out a bad token until asked to refresh, then a good one; counts refreshes.
struct Refreshing {
    good: Option<String>,
    refreshes: AtomicUsize,
}

impl Authenticator for Refreshing {
    fn authorize<'a>(&'a self, force_refresh: bool) -> BoxFuture<'a, Result<Authorization, Error>> {
        Box::pin(async move {
            if force_refresh {
                self.refreshes.fetch_add(1, Ordering::SeqCst);
            }
            let refreshed = self.refreshes.load(Ordering::SeqCst) > 0;
            Ok(Authorization::Bearer(match (&self.good, refreshed) {
                (Some(g), true) => g.clone().into(),
                _ => "ya29.not-a-valid-token".into(),
            }))
        })
    }
}

#[tokio::test]
async fn a_401_refreshes_once_then_needs_login() {
    let emu = start().await;
    let auth = Arc::new(Refreshing {
        good: Some(token(&emu).await),
        refreshes: AtomicUsize::new(0),
    });
    let svc = drive(&emu, auth.clone());
    svc.method("files.list")
        .unwrap()
        .param("pageSize", 1)
        .execute()
        .await
        .expect("succeeds after one refresh");
    assert_eq!(auth.refreshes.load(Ordering::SeqCst), 1);

    let hopeless = Arc::new(Refreshing {
        good: None,
        refreshes: AtomicUsize::new(0),
    });
    let svc = drive(&emu, hopeless.clone());
    let err = svc
        .method("files.list")
        .unwrap()
        .execute()
        .await
        .unwrap_err();
    assert!(err.needs_login() && err.is_auth(), "{err}");
    assert_eq!(err.http_status(), Some(401));
    assert_eq!(
        hopeless.refreshes.load(Ordering::SeqCst),
        1,
        "exactly one refresh"
    );
    assert!(
        !err.to_string().contains("ya29"),
        "no token in messages: {err}"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn retries_server_errors_but_not_posts() {
    let emu = start().await;
    let svc = drive(&emu, StaticToken(token(&emu).await));
    control(&emu, "faults", json!({"match": {"path_prefix": "/drive/v3/files", "method": "GET"}, "times": 2, "action": {"status": 503}})).await;
    svc.method("files.list")
        .unwrap()
        .execute()
        .await
        .expect("two 503s are retried");
    control(&emu, "faults", json!({"match": {"path_prefix": "/drive/v3/files"}, "times": 1, "action": {"status": 429, "retry_after": 0}})).await;
    svc.method("files.list")
        .unwrap()
        .execute()
        .await
        .expect("429 with Retry-After is retried");
    control(&emu, "faults", json!({"match": {"path_prefix": "/drive/v3/files", "method": "POST"}, "times": 1, "action": {"status": 503}})).await;
    let err = svc
        .method("files.create")
        .unwrap()
        .body(json!({"name": "x"}))
        .execute()
        .await
        .unwrap_err();
    assert_eq!(
        err.http_status(),
        Some(503),
        "POST is not retried by default: {err}"
    );
    assert!(err.is_retryable());
    // The fault is used up: the same POST now works.
    let created = svc
        .method("files.create")
        .unwrap()
        .body(json!({"name": "x"}))
        .execute()
        .await
        .unwrap();
    assert_eq!(created["name"], "x");
    emu.shutdown().await;
}

#[cfg(feature = "gapi-auth")]
#[tokio::test]
async fn gapi_auth_credentials_refresh_and_revocation() {
    let emu = start().await;
    let issued = issue(&emu, json!({"scope": DRIVE_READONLY, "offline": true})).await;
    let refresh = issued["refresh_token"]
        .as_str()
        .expect("offline grant has a refresh token");
    let user = json!({
        "type": "authorized_user",
        "client_id": emu.client_id(),
        "client_secret": gapi_emulator::DEFAULT_CLIENT_SECRET,
        "refresh_token": refresh,
        "token_uri": format!("{}/token", emu.base_url()),
    });
    let creds = gapi_auth::Credentials::from_authorized_user_json(&user.to_string(), None)
        .expect("credentials load");
    let svc = drive(&emu, creds.clone());
    let page = svc
        .method("files.list")
        .unwrap()
        .param("pageSize", 2)
        .execute()
        .await
        .expect("refreshes then lists");
    assert_eq!(page["files"].as_array().unwrap().len(), 2);
    // Expire every access token: the server's 401 leads to one refresh and success.
    control(&emu, "tokens/expire", json!({})).await;
    svc.method("files.list")
        .unwrap()
        .param("pageSize", 2)
        .execute()
        .await
        .expect("401 → refresh → retry");
    // Revoke everything: the refresh fails with invalid_grant, which needs a new login.
    control(&emu, "tokens/revoke", json!({})).await;
    let err = svc
        .method("files.list")
        .unwrap()
        .execute()
        .await
        .unwrap_err();
    assert!(err.needs_login(), "{err}");
    assert!(
        !err.to_string().contains(refresh),
        "no refresh token in messages"
    );
    emu.shutdown().await;
}
