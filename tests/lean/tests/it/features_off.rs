//! What gapi's features leave out when they are off, each a clear error naming the feature
//! (never a silent difference): `service-accounts` (service-account and federation files,
//! impersonation, the metadata step of ADC) and `gzip` (requests ask for no compression, and
//! the dry run says so). `media`, `batch` and `method-search` leave their modules out, a compile
//! error rustc words as "the item is gated behind the `media` feature".

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderMap, header};
use axum::routing::get;
use gapi::auth::adc::find_default_with;
use gapi::auth::{Credentials, FileStore, LoadOptions, SelectOptions};
use gapi::client::NoAuth;

const FEATURE: &str = "`service-accounts` feature";

fn write(dir: &std::path::Path, name: &str, json: serde_json::Value) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, json.to_string()).unwrap();
    path
}

#[test]
fn service_account_and_federation_files_name_the_feature() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        serde_json::json!({"type": "service_account", "client_email": "robot@p.iam.gserviceaccount.com",
                           "private_key": "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n",
                           "token_uri": "https://oauth2.googleapis.com/token"}),
        serde_json::json!({"type": "impersonated_service_account",
                           "service_account_impersonation_url": "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/r@p.iam.gserviceaccount.com:generateAccessToken",
                           "source_credentials": {"type": "authorized_user", "client_id": "c",
                                                  "client_secret": "s", "refresh_token": "r"}}),
        serde_json::json!({"type": "external_account", "audience": "//iam.googleapis.com/x",
                           "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
                           "token_url": "https://sts.googleapis.com/v1/token",
                           "credential_source": {"file": "/nonexistent"}}),
        serde_json::json!({"type": "external_account_authorized_user", "audience": "//iam.googleapis.com/x",
                           "refresh_token": "r", "token_url": "https://sts.googleapis.com/v1/oauthtoken",
                           "client_id": "c", "client_secret": "s"}),
    ];
    for json in files {
        let kind = json["type"].as_str().unwrap().to_string();
        let path = write(dir.path(), &format!("{kind}.json"), json);
        let err = Credentials::from_file(&path, ["drive"])
            .unwrap_err()
            .to_string();
        assert!(err.contains(&format!("{kind} credentials need")), "{err}");
        assert!(err.contains(FEATURE), "{err}");
    }
    // A user's file still loads: what program (a) and persist_to keep.
    let user = write(
        dir.path(),
        "user.json",
        serde_json::json!({"type": "authorized_user", "client_id": "c", "client_secret": "s",
                           "refresh_token": "r"}),
    );
    Credentials::from_file(&user, ["drive"]).unwrap();
}

#[tokio::test]
async fn impersonation_names_the_feature_before_loading_anything() {
    let dir = tempfile::tempdir().unwrap();
    let opts = SelectOptions {
        impersonate: Some("robot@p.iam.gserviceaccount.com".into()),
        ..Default::default()
    };
    let err = gapi::auth::select(&FileStore::new(dir.path()), &opts)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("impersonated_service_account credentials need"),
        "{err}"
    );
    assert!(err.contains(FEATURE), "{err}");
}

#[tokio::test]
async fn adc_says_the_metadata_server_was_not_asked() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().as_os_str().to_owned();
    // No GOOGLE_APPLICATION_CREDENTIALS, an empty gcloud configuration directory.
    let env = move |k: &str| (k == "CLOUDSDK_CONFIG").then(|| home.clone());
    let Err(err) = find_default_with(&LoadOptions::default(), &env).await else {
        panic!("credentials found in an empty configuration");
    };
    let err = err.to_string();
    assert!(err.contains("no credentials were found"), "{err}");
    assert!(err.contains("metadata server was not asked"), "{err}");
    assert!(err.contains(FEATURE), "{err}");
}

#[tokio::test]
async fn without_gzip_requests_and_the_dry_run_ask_for_no_compression() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
    let log = seen.clone();
    let app = Router::new().route(
        "/drive/v3/files",
        get(move |headers: HeaderMap| async move {
            let enc = headers.get(header::ACCEPT_ENCODING);
            log.lock()
                .unwrap()
                .push(enc.map(|v| v.to_str().unwrap().to_string()));
            (
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"files":[]}"#,
            )
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let drive = gapi::build_from_document(super::fetch_on_first_use::drive_document(&base), NoAuth)
        .unwrap();
    let call = drive.method("files.list").unwrap();
    let dry = call.prepare().unwrap().to_dry_run_json(&drive);
    assert!(dry["headers"].get("accept-encoding").is_none(), "{dry}");
    assert!(dry["headers"].get("user-agent").is_some(), "{dry}");
    let answer = call.execute().await.unwrap();
    assert_eq!(answer["files"], serde_json::json!([]));
    assert_eq!(*seen.lock().unwrap(), vec![None::<String>]);
}
