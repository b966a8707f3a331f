//! Incremental consent (`gapi auth login --add-scope`) and `gapi auth application-default
//! login` against the emulator; the ADC file is read back by Python's `google.auth.default()`.

use crate::common;

use common::{Setup, login_loopback, url_in, wait_for_line};
use serde_json::Value;

const DRIVE_READONLY: &str = "https://www.googleapis.com/auth/drive.readonly";
const DRIVE_FILE: &str = "https://www.googleapis.com/auth/drive.file";

fn stored(setup: &Setup) -> Value {
    let path = setup.config_dir().join("credentials/default.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn query(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn add_scope_asks_only_for_the_new_scope_and_keeps_one_merged_grant() {
    let setup = Setup::new(true).await;
    login_loopback(
        &setup,
        &[
            "--login-hint",
            "bob@example.com",
            "--scope",
            "drive.readonly",
        ],
    )
    .await;
    let before = stored(&setup);

    // No --client-secrets: the stored login's client is used.
    let mut cmd = setup.gapi();
    cmd.args([
        "auth",
        "login",
        "--no-browser",
        "--timeout",
        "30",
        "--add-scope",
        "drive.file",
    ]);
    let mut child = cmd.spawn().unwrap();
    let (line, _) = wait_for_line(&mut child, "/o/oauth2/auth?").await;
    let url = url_in(&line);
    assert_eq!(query(&url, "scope").as_deref(), Some(DRIVE_FILE), "{url}");
    assert_eq!(
        query(&url, "include_granted_scopes").as_deref(),
        Some("true")
    );
    assert_eq!(
        query(&url, "login_hint").as_deref(),
        Some("bob@example.com"),
        "the stored account is suggested"
    );
    let page = reqwest::get(&url).await.unwrap();
    assert!(page.status().is_success(), "{}", page.status());
    let status = child.wait().await.unwrap();
    assert!(status.success(), "--add-scope login failed: {status}");

    let after = stored(&setup);
    let scopes: Vec<&str> = after["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        scopes.contains(&DRIVE_READONLY) && scopes.contains(&DRIVE_FILE),
        "one merged grant: {after}"
    );
    assert!(
        after["refresh_token"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    assert_eq!(after["client_id"], before["client_id"]);
    // The server agrees: the token carries both scopes.
    let out = setup.run(&["auth", "status", "--format", "json"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let status: Value = serde_json::from_str(&out.stdout).unwrap();
    let server_scopes = status["tokeninfo"]["scope"].as_str().unwrap_or_default();
    assert!(
        server_scopes.contains(DRIVE_READONLY) && server_scopes.contains(DRIVE_FILE),
        "{status}"
    );
    // Asking again for a scope already granted does nothing.
    let out = setup
        .run(&["auth", "login", "--no-browser", "--add-scope", "drive.file"])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("already has"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_call_lacking_a_scope_names_the_add_scope_command() {
    let setup = Setup::new(true).await;
    login_loopback(
        &setup,
        &[
            "--login-hint",
            "bob@example.com",
            "--scope",
            "youtube.readonly",
        ],
    )
    .await;
    let out = setup.api(&["drive", "files", "list"]).await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("gapi auth login --add-scope drive"),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn application_default_login_is_found_by_google_auth_default() {
    let python = std::env::var("GAPI_TEST_PYTHON").expect(
        "GAPI_TEST_PYTHON is not set: run scripts/setup-test-deps.sh and source target/test-env.sh",
    );
    let setup = Setup::new(true).await;
    let gcloud = setup.dir.path().join("gcloud");
    let mut cmd = setup.gapi();
    cmd.args([
        "auth",
        "application-default",
        "login",
        "--no-browser",
        "--login-hint",
        "bob@example.com",
        "--quota-project",
        "my-quota-project",
        "--client-secrets",
    ])
    .arg(&setup.secrets)
    .env("CLOUDSDK_CONFIG", &gcloud);
    let mut child = cmd.spawn().unwrap();
    let (line, _) = wait_for_line(&mut child, "/o/oauth2/auth?").await;
    let url = url_in(&line);
    assert!(
        query(&url, "scope")
            .unwrap()
            .contains("https://www.googleapis.com/auth/cloud-platform")
    );
    assert!(reqwest::get(&url).await.unwrap().status().is_success());
    assert!(child.wait().await.unwrap().success());

    let adc = gcloud.join("application_default_credentials.json");
    let file: Value = serde_json::from_slice(&std::fs::read(&adc).unwrap()).unwrap();
    assert_eq!(file["type"], "authorized_user", "{file}");
    assert_eq!(file["quota_project_id"], "my-quota-project", "{file}");
    assert!(
        file.get("token").is_none(),
        "no access token in ADC: {file}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&adc).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert!(
        !setup.config_dir().join("credentials/default.json").exists(),
        "ADC login does not touch gapi's own profiles"
    );

    let script = "import json, google.auth\n\
                  creds, project = google.auth.default()\n\
                  print(json.dumps({'type': type(creds).__module__ + '.' + type(creds).__name__,\n\
                  'client_id': creds.client_id, 'refresh_token': creds.refresh_token,\n\
                  'quota_project_id': creds.quota_project_id}))\n";
    let out = tokio::process::Command::new(&python)
        .args(["-c", script])
        .env("CLOUDSDK_CONFIG", &gcloud)
        .env_remove("GOOGLE_APPLICATION_CREDENTIALS")
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "python: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let py: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(py["type"], "google.oauth2.credentials.Credentials", "{py}");
    assert_eq!(py["client_id"], file["client_id"], "{py}");
    assert_eq!(py["refresh_token"], file["refresh_token"], "{py}");
    assert_eq!(py["quota_project_id"], "my-quota-project", "{py}");
}

/// An empty CLOUDSDK_CONFIG is google-auth's current directory: the ADC file is written there
/// (not under HOME, where gapi wrote it before while google-auth looked in the current
/// directory), and `google.auth.default()` run there with the same environment finds it.
#[tokio::test(flavor = "multi_thread")]
async fn application_default_login_with_an_empty_cloudsdk_config_is_where_google_auth_looks() {
    let python = std::env::var("GAPI_TEST_PYTHON").expect(
        "GAPI_TEST_PYTHON is not set: run scripts/setup-test-deps.sh and source target/test-env.sh",
    );
    let setup = Setup::new(true).await;
    let work = setup.dir.path().join("work");
    let home = setup.dir.path().join("home");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    let mut cmd = setup.gapi();
    cmd.args(["auth", "application-default", "login", "--no-browser"])
        .arg("--client-secrets")
        .arg(&setup.secrets)
        .env("CLOUDSDK_CONFIG", "")
        .env("HOME", &home)
        .current_dir(&work);
    let mut child = cmd.spawn().unwrap();
    let (line, _) = wait_for_line(&mut child, "/o/oauth2/auth?").await;
    assert!(
        reqwest::get(url_in(&line))
            .await
            .unwrap()
            .status()
            .is_success()
    );
    assert!(child.wait().await.unwrap().success());
    let written = work.join("application_default_credentials.json");
    assert!(
        written.is_file(),
        "the ADC file is in the current directory"
    );
    assert!(
        !home
            .join(".config/gcloud/application_default_credentials.json")
            .exists(),
        "nothing under HOME"
    );
    let file: Value = serde_json::from_slice(&std::fs::read(&written).unwrap()).unwrap();

    let script = "import json, google.auth\n\
                  creds, _ = google.auth.default()\n\
                  print(json.dumps({'refresh_token': creds.refresh_token}))\n";
    let out = tokio::process::Command::new(&python)
        .args(["-c", script])
        .env("CLOUDSDK_CONFIG", "")
        .env("HOME", &home)
        .env_remove("GOOGLE_APPLICATION_CREDENTIALS")
        .current_dir(&work)
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "python: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let py: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(py["refresh_token"], file["refresh_token"], "{py}");
}
