//! Every flow and error path against the gapi emulator (a separate implementation of Google's
//! OAuth endpoints), counting requests through its request log.

use crate::support;

use std::time::Duration;

use gapi_auth::{
    ClientSecrets, Credentials, DeviceOptions, ErrorKind, FileStore, InstalledFlow, LocalServer,
};
use gapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde_json::{Value, json};

async fn emulator() -> RunningEmulator {
    Emulator::start(EmulatorConfig {
        auto_approve: true,
        device_poll_interval: Duration::from_secs(1),
        ..Default::default()
    })
    .await
    .unwrap()
}

fn flow(emu: &RunningEmulator) -> InstalledFlow {
    let secrets = ClientSecrets::from_json(&emu.client_secrets_json().to_string()).unwrap();
    InstalledFlow::new(secrets, ["drive.readonly"])
        .retry_policy(support::fast_retry())
        .login_hint("bob@example.com")
}

async fn control(emu: &RunningEmulator, method: reqwest::Method, path: &str, body: Value) -> Value {
    let resp = support::http_client_following_redirects()
        .request(method, format!("{}/__emulator/{path}", emu.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        resp.status().is_success(),
        "control {path}: {}",
        resp.status()
    );
    resp.json().await.unwrap_or(Value::Null)
}

async fn token_requests(emu: &RunningEmulator) -> usize {
    let log = control(emu, reqwest::Method::GET, "requests", Value::Null).await;
    let entries = log
        .as_array()
        .cloned()
        .or_else(|| log["requests"].as_array().cloned())
        .unwrap_or_default();
    entries
        .iter()
        .filter(|r| r["method"] == "POST" && r["path"] == "/token")
        .count()
}

async fn loopback_login(emu: &RunningEmulator, store: Option<&FileStore>) -> Credentials {
    let (cb, mut pages) = support::browser();
    let mut f = flow(emu);
    if let Some(store) = store {
        f = f.token_store(store.clone(), "default");
    }
    let creds = f
        .run_local_server(
            LocalServer::new()
                .open_browser(false)
                .timeout(Duration::from_secs(30))
                .on_url(cb),
        )
        .await
        .unwrap();
    let page = pages.recv().await.unwrap().unwrap();
    assert_eq!(page.status, 200, "{page:?}");
    creds
}

#[tokio::test]
async fn loopback_login_refresh_after_server_expiry_and_revoke() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path());
    let creds = loopback_login(&emu, Some(&store)).await;
    assert!(
        creds.has_refresh_token(),
        "access_type=offline gives a refresh token"
    );
    let info = creds.tokeninfo().await.unwrap();
    assert_eq!(info.email.as_deref(), Some("bob@example.com"));
    assert_eq!(
        creds.granted_scopes(),
        vec!["https://www.googleapis.com/auth/drive.readonly".to_string()]
    );

    // The server expires every token: our copy still looks valid, the API answers 401, the
    // caller force-refreshes and gets a working token, persisted to the store.
    let old = creds.access_token().await.unwrap();
    control(&emu, reqwest::Method::POST, "tokens/expire", json!({})).await;
    assert!(creds.tokeninfo().await.is_err());
    let new = creds.force_refresh().await.unwrap();
    assert_ne!(old, new);
    assert!(creds.tokeninfo().await.is_ok());
    let on_disk: Value =
        serde_json::from_str(&std::fs::read_to_string(store.path_for("default")).unwrap()).unwrap();
    assert_eq!(on_disk["token"], new.secret());

    // Revocation kills the grant: the next refresh says "log in again".
    creds.revoke().await.unwrap();
    let err = creds.force_refresh().await.unwrap_err();
    assert!(err.needs_login(), "{err:?}");
    assert!(
        matches!(
            err.remedy(),
            Some(gapi_auth::Remedy::LogInAgain { profile: None, .. })
        ),
        "{err:?}"
    );
    assert!(
        err.hint().is_some_and(|h| h.contains("log in again")),
        "{err:?}"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_concurrent_callers_one_token_request() {
    let emu = emulator().await;
    let creds = loopback_login(&emu, None).await;
    control(&emu, reqwest::Method::POST, "tokens/expire", json!({})).await;
    let before = token_requests(&emu).await;
    let _ = creds.force_refresh().await.unwrap(); // warm path: one refresh
    assert_eq!(token_requests(&emu).await, before + 1);

    // Make the cached token stale locally by loading a copy with an expired expiry.
    let mut file: Value = serde_json::from_str(&creds.to_authorized_user_json().unwrap()).unwrap();
    file["expiry"] = json!("2000-01-01T00:00:00.000000Z");
    let stale = Credentials::from_authorized_user_json(&file.to_string(), None).unwrap();
    let before = token_requests(&emu).await;
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..1000 {
        let c = stale.clone();
        set.spawn(async move { c.access_token().await.map(|t| t.secret().to_string()) });
    }
    let mut distinct = std::collections::HashSet::new();
    while let Some(r) = set.join_next().await {
        distinct.insert(r.unwrap().unwrap());
    }
    assert_eq!(distinct.len(), 1);
    assert_eq!(token_requests(&emu).await, before + 1);
    emu.shutdown().await;
}

#[tokio::test]
async fn refresh_survives_injected_503s() {
    let emu = emulator().await;
    let creds = loopback_login(&emu, None).await;
    control(
        &emu,
        reqwest::Method::POST,
        "faults",
        json!({"match": {"method": "POST", "path_prefix": "/token"}, "times": 2, "action": {"status": 503}}),
    )
    .await;
    let before = token_requests(&emu).await;
    creds.force_refresh().await.unwrap();
    assert_eq!(token_requests(&emu).await, before + 3);
    emu.shutdown().await;
}

#[tokio::test]
async fn console_oob_flow() {
    let emu = emulator().await;
    let options = support::terminal(|url| async move {
        let page = support::http_client_following_redirects()
            .get(url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        page.split("id=\"code\"")
            .nth(1)
            .and_then(|rest| rest.split("value=\"").nth(1))
            .and_then(|rest| rest.split('"').next())
            .expect("the OOB page shows the code")
            .to_string()
    });
    let creds = flow(&emu).run_console(options).await.unwrap();
    assert!(creds.tokeninfo().await.is_ok());
    emu.shutdown().await;
}

#[tokio::test]
async fn pasted_loopback_redirect_url() {
    let emu = emulator().await;
    let options = support::terminal(|url| async move {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let no_follow = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let resp = no_follow.get(url).send().await.unwrap();
        resp.headers()["location"].to_str().unwrap().to_string()
    })
    .redirect_uri("http://localhost:1/");
    let creds = flow(&emu).run_console(options).await.unwrap();
    assert!(creds.tokeninfo().await.is_ok());
    emu.shutdown().await;
}

#[tokio::test]
async fn device_flow_approved_through_control_api() {
    let emu = emulator().await;
    let base = emu.base_url();
    let creds = flow(&emu)
        .run_device(DeviceOptions::new().on_prompt(Box::new(move |p| {
            assert!(p.verification_url.ends_with("/device"));
            let user_code = p.user_code.clone();
            let url = format!("{base}/__emulator/device/approve");
            tokio::spawn(async move {
                support::http_client_following_redirects()
                    .post(url)
                    .json(&json!({"user_code": user_code, "email": "carol@example.com"}))
                    .send()
                    .await
                    .unwrap();
            });
        })))
        .await
        .unwrap();
    assert_eq!(
        creds.tokeninfo().await.unwrap().email.as_deref(),
        Some("carol@example.com")
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn device_flow_denied() {
    let emu = emulator().await;
    let base = emu.base_url();
    let err = flow(&emu)
        .run_device(DeviceOptions::new().on_prompt(Box::new(move |p| {
            let user_code = p.user_code.clone();
            let url = format!("{base}/__emulator/device/approve");
            tokio::spawn(async move {
                support::http_client_following_redirects()
                    .post(url)
                    .json(&json!({"user_code": user_code, "deny": true}))
                    .send()
                    .await
                    .unwrap();
            });
        })))
        .await
        .unwrap_err();
    assert!(err.is_access_denied(), "{err:?}");
    emu.shutdown().await;
}

#[tokio::test]
async fn redirect_uri_mismatch_for_web_client() {
    let emu = emulator().await;
    let secrets = ClientSecrets::from_json(
        &json!({"web": {
            "client_id": gapi_emulator::WEB_CLIENT_ID,
            "client_secret": gapi_emulator::WEB_CLIENT_SECRET,
            "auth_uri": format!("{}/o/oauth2/auth", emu.base_url()),
            "token_uri": format!("{}/token", emu.base_url()),
        }})
        .to_string(),
    )
    .unwrap();
    let (cb, mut pages) = support::browser();
    let err = InstalledFlow::new(secrets, ["drive"])
        .run_local_server(
            LocalServer::new()
                .open_browser(false)
                .timeout(Duration::from_secs(2))
                .on_url(cb),
        )
        .await
        .unwrap_err();
    // The emulator shows a 400 page (never redirects) for an unregistered redirect URI, so the
    // loopback server never hears back: a timeout, not a hang.
    assert_eq!(err.kind(), ErrorKind::Timeout);
    let page = pages.recv().await.unwrap().unwrap();
    assert_eq!(page.status, 400);
    emu.shutdown().await;
}
