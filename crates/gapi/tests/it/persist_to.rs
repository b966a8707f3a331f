//! `InstalledFlow::persist_to`: a usable stored grant runs no flow, an expired token is
//! refreshed and written back, a revoked grant or more scopes sign in again (with
//! `prompt=consent`, so a refresh token comes back), a repeat consent that issued no refresh
//! token is asked again by the library, and a broken file is an error naming it. Against the
//! emulator, this test playing the browser.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gapi::auth::{ClientSecrets, Credentials, InstalledFlow, LocalServer};
use gapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde_json::Value;

async fn emulator() -> RunningEmulator {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Emulator::start(EmulatorConfig {
        auto_approve: true,
        ..Default::default()
    })
    .await
    .expect("the emulator starts")
}

fn secrets(emu: &RunningEmulator) -> ClientSecrets {
    ClientSecrets::from_json(&emu.client_secrets_json().to_string()).unwrap()
}

/// Runs `persist_to(path)` with `scopes`, approving every consent page; returns the
/// credentials and the authorization URLs shown.
async fn run(
    emu: &RunningEmulator,
    path: &Path,
    scopes: &[&str],
) -> (gapi::auth::Result<Credentials>, Vec<String>) {
    let shown = Arc::new(Mutex::new(Vec::new()));
    let seen = shown.clone();
    let server = LocalServer::new()
        .open_browser(false)
        .timeout(Duration::from_secs(30))
        .on_url(Box::new(move |url| {
            seen.lock().unwrap().push(url.to_string());
            let url = url.clone();
            tokio::spawn(async move {
                let page = reqwest::get(url).await.expect("consent page");
                assert!(page.status().is_success() || page.status().is_redirection());
            });
        }));
    let creds = InstalledFlow::new(secrets(emu), scopes.iter().copied())
        .persist_to(path)
        .run_local_server(server)
        .await;
    let shown = shown.lock().unwrap().clone();
    (creds, shown)
}

fn stored(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn asks_consent(url: &str) -> bool {
    reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .any(|(k, v)| k == "prompt" && v.split(' ').any(|w| w == "consent"))
}

/// The stored grant can call Drive: proof the token in it is real.
async fn about_user(emu: &RunningEmulator, creds: Credentials) -> String {
    let drive = gapi::Service::builder()
        .bundled("drive", "v3")
        .auth(creds)
        .endpoint(emu.base_url())
        .build()
        .unwrap();
    let about = drive
        .method("about.get")
        .unwrap()
        .param("fields", "user")
        .execute()
        .await
        .unwrap();
    about["user"]["emailAddress"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stored_grant_for_this_client_and_scopes_runs_no_flow() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app").join("token.json");

    let (creds, shown) = run(&emu, &path, &["drive.metadata.readonly"]).await;
    let creds = creds.unwrap();
    assert_eq!(shown.len(), 1, "the first run signs in");
    let file = stored(&path);
    assert_eq!(file["type"], "authorized_user");
    assert_eq!(file["client_id"], emu.client_id());
    assert!(
        file["refresh_token"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    assert_eq!(
        file["scopes"][0],
        "https://www.googleapis.com/auth/drive.metadata.readonly"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let first_user = about_user(&emu, creds).await;

    let (creds, shown) = run(&emu, &path, &["drive.metadata.readonly"]).await;
    assert!(
        shown.is_empty(),
        "a usable stored grant runs no flow: {shown:?}"
    );
    assert_eq!(about_user(&emu, creds.unwrap()).await, first_user);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_access_token_is_refreshed_and_written_back() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token.json");
    run(&emu, &path, &["drive.readonly"]).await.0.unwrap();
    let mut file = stored(&path);
    let old_token = file["token"].clone();
    file["expiry"] = "2001-01-01T00:00:00Z".into();
    std::fs::write(&path, file.to_string()).unwrap();

    let (creds, shown) = run(&emu, &path, &["drive.readonly"]).await;
    assert!(shown.is_empty(), "a refresh, not a sign-in: {shown:?}");
    let file = stored(&path);
    assert_ne!(file["token"], old_token, "the refreshed token is saved");
    assert!(file["expiry"].as_str().unwrap() > "2020");
    about_user(&emu, creds.unwrap()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_grant_signs_in_again_with_prompt_consent() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token.json");
    run(&emu, &path, &["drive.readonly"]).await.0.unwrap();
    let mut file = stored(&path);
    let revoked = reqwest::Client::new()
        .post(format!("{}/revoke", emu.base_url()))
        .form(&[("token", file["refresh_token"].as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert!(revoked.status().is_success());
    file["expiry"] = "2001-01-01T00:00:00Z".into();
    std::fs::write(&path, file.to_string()).unwrap();

    let (creds, shown) = run(&emu, &path, &["drive.readonly"]).await;
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(asks_consent(&shown[0]), "{}", shown[0]);
    let new = stored(&path);
    assert_ne!(new["refresh_token"], file["refresh_token"]);
    about_user(&emu, creds.unwrap()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn more_scopes_sign_in_again_and_keep_a_refresh_token() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token.json");
    run(&emu, &path, &["drive.metadata.readonly"])
        .await
        .0
        .unwrap();

    let (creds, shown) = run(&emu, &path, &["drive.metadata.readonly", "drive.file"]).await;
    creds.unwrap();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(asks_consent(&shown[0]), "{}", shown[0]);
    let file = stored(&path);
    assert!(
        file["refresh_token"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    let scopes = file["scopes"].to_string();
    assert!(scopes.contains("auth/drive.file"), "{scopes}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repeat_consent_without_a_refresh_token_is_asked_again() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token.json");
    run(&emu, &path, &["drive.readonly"]).await.0.unwrap();
    // The file is gone, the grant is not: the server issues no refresh token without
    // prompt=consent, and the library asks again with it by itself.
    std::fs::remove_file(&path).unwrap();

    let (creds, shown) = run(&emu, &path, &["drive.readonly"]).await;
    creds.unwrap();
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(
        !asks_consent(&shown[0]) && asks_consent(&shown[1]),
        "{shown:?}"
    );
    let file = stored(&path);
    assert!(
        file["refresh_token"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_file_is_an_error_naming_it_and_stays_as_it_was() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token.json");
    std::fs::write(&path, "{\"type\": \"authorized_user\", \"client_id\": 7}").unwrap();

    let (creds, shown) = run(&emu, &path, &["drive.readonly"]).await;
    let err = creds.unwrap_err();
    assert!(shown.is_empty());
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    assert!(err.hint().unwrap_or_default().contains("delete"), "{err:?}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "{\"type\": \"authorized_user\", \"client_id\": 7}"
    );
}

#[test]
fn an_apps_default_file_is_named_after_it_never_the_clis_profile() {
    let path = gapi::auth::app_token_file("my-app").unwrap();
    assert!(path.ends_with("my-app/token.json"), "{}", path.display());
    let cli = gapi::auth::FileStore::default_location()
        .unwrap()
        .path_for(gapi::auth::DEFAULT_PROFILE);
    assert_ne!(path, cli);
    assert!(gapi::auth::app_token_file("../gapi").is_err());
}
