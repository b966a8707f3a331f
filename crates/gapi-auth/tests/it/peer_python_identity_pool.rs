//! Workload identity federation against the emulator's STS, with Python google-auth as the
//! reference: the same `external_account` files (a subject token minted by the emulator's
//! control API, read from a file, its URL or an executable; `token_url` = the emulator's
//! `/v1/token`; with and without `service_account_impersonation_url`) give google-auth's
//! `identity_pool.Credentials` / `pluggable.Credentials` and gapi's `external_account`
//! provider tokens for the same identities, as the emulator's `/v1/introspect` reports them:
//! the federated principal, or the robot service account.
//!
//! Needs the peers: `scripts/setup-test-deps.sh && . target/test-env.sh`. Without them these
//! tests FAIL saying so; they never skip silently.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use gapi_auth::CredentialKind;
use gapi_auth::LoadOptions;
use gapi_auth::adc::find_default_with;
use gapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde_json::{Value, json};

const ROBOT: &str = "robot@gapi-emulator.iam.gserviceaccount.com";
const CLOUD: &str = "https://www.googleapis.com/auth/cloud-platform";
const POOL: &str = "projects/123456789012/locations/global/workloadIdentityPools/gapi-pool";

fn python() -> PathBuf {
    let v = std::env::var_os("GAPI_TEST_PYTHON").filter(|v| !v.is_empty()).unwrap_or_else(|| {
        panic!("GAPI_TEST_PYTHON is not set: run `scripts/setup-test-deps.sh && . target/test-env.sh` first")
    });
    PathBuf::from(v)
}

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

fn base(emu: &RunningEmulator) -> String {
    emu.base_url().trim_end_matches('/').to_string()
}

/// A subject token for `sub` from the emulator's OIDC issuer.
async fn mint(emu: &RunningEmulator, sub: &str) -> String {
    let v: Value = http()
        .post(format!("{}/__emulator/oidc/token", base(emu)))
        .json(&json!({"sub": sub}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["id_token"].as_str().unwrap().to_string()
}

/// An external_account file as `gcloud iam workload-identity-pools create-cred-config` writes
/// it, pointed at the emulator.
fn config(emu: &RunningEmulator, source: Value, impersonate: bool) -> Value {
    let mut v = json!({
        "type": "external_account",
        "audience": format!("//iam.googleapis.com/{POOL}/providers/emulator-oidc"),
        "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
        "token_url": format!("{}/v1/token", base(emu)),
        "credential_source": source,
        "universe_domain": "googleapis.com",
    });
    if impersonate {
        v["service_account_impersonation_url"] = json!(format!(
            "{}/v1/projects/-/serviceAccounts/{ROBOT}:generateAccessToken",
            base(emu)
        ));
    }
    v
}

fn write(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, v.to_string()).unwrap();
    p
}

/// What `/v1/introspect` says the token stands for.
async fn username(emu: &RunningEmulator, token: &str) -> String {
    let v: Value = http()
        .post(format!("{}/v1/introspect", base(emu)))
        .form(&[("token", token)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["active"], true, "{v}");
    v["username"].as_str().unwrap().to_string()
}

/// Runs the google-auth peer on the file at `path` (executables allowed) (no network: a fixed project, so
/// `google.auth.default()` asks no Resource Manager; metadata pointed at a closed port).
async fn run_google_auth(path: &Path) -> std::process::Output {
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/google_auth_identity_pool.py");
    let home = tempfile::tempdir().unwrap();
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(python())
            .arg(script)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .env("CLOUDSDK_CONFIG", home.path())
            .env("GOOGLE_APPLICATION_CREDENTIALS", &path)
            .env("GOOGLE_CLOUD_PROJECT", "gapi-emulator")
            .env("GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES", "1")
            .env("GCE_METADATA_HOST", "127.0.0.1:9")
            .env("GCE_METADATA_IP", "127.0.0.1:9")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

/// google-auth's token (through `google.auth.default()`) for the file at `path`.
async fn google_auth(path: &Path) -> Value {
    let out = run_google_auth(path).await;
    assert!(
        out.status.success(),
        "google-auth failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// gapi's token, through ADC with `GOOGLE_APPLICATION_CREDENTIALS` = `path`.
async fn gapi(path: &Path) -> (String, Option<String>) {
    let env: BTreeMap<&str, OsString> = BTreeMap::from([(
        "GOOGLE_APPLICATION_CREDENTIALS",
        path.as_os_str().to_owned(),
    )]);
    let lookup = |k: &str| env.get(k).cloned();
    let opts = LoadOptions {
        scopes: vec![CLOUD.to_string()],
        ..Default::default()
    };
    let found = find_default_with(&opts, &lookup).await.unwrap();
    assert_eq!(found.credentials.kind(), CredentialKind::ExternalAccount);
    let token = found.credentials.access_token().await.unwrap();
    (token.secret().to_string(), found.credentials.account())
}

#[tokio::test(flavor = "multi_thread")]
async fn file_sourced_subject_tokens_give_the_same_identities_to_google_auth_and_gapi() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let subject = dir.path().join("subject-token.jwt");
    std::fs::write(&subject, mint(&emu, "ci-job-42").await).unwrap();
    let source = json!({"file": subject.display().to_string()});
    let principal = format!("principal://iam.googleapis.com/{POOL}/subject/ci-job-42");

    // Without impersonation: the federated principal.
    let plain = write(
        dir.path(),
        "plain.json",
        &config(&emu, source.clone(), false),
    );
    let theirs = google_auth(&plain).await;
    assert_eq!(theirs["type"], "google.auth.identity_pool.Credentials");
    assert_eq!(theirs["service_account_email"], Value::Null);
    assert_eq!(theirs["has_expiry"], true);
    assert_eq!(
        username(&emu, theirs["token"].as_str().unwrap()).await,
        principal
    );
    let (ours, account) = gapi(&plain).await;
    assert_eq!(account, None);
    assert_eq!(username(&emu, &ours).await, principal);

    // With impersonation: the robot (its Workload Identity User binding holds the pool).
    let imp = write(dir.path(), "imp.json", &config(&emu, source, true));
    let theirs = google_auth(&imp).await;
    assert_eq!(theirs["service_account_email"], ROBOT);
    assert_eq!(
        username(&emu, theirs["token"].as_str().unwrap()).await,
        ROBOT
    );
    let (ours, account) = gapi(&imp).await;
    assert_eq!(account.as_deref(), Some(ROBOT));
    assert_eq!(username(&emu, &ours).await, ROBOT);
}

#[tokio::test(flavor = "multi_thread")]
async fn url_sourced_json_subject_tokens_work_for_both() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let source = json!({
        "url": format!("{}/__emulator/oidc/token?sub=url-job", base(&emu)),
        "headers": {"Metadata": "True"},
        "format": {"type": "json", "subject_token_field_name": "id_token"},
    });
    let path = write(dir.path(), "url.json", &config(&emu, source, true));
    let theirs = google_auth(&path).await;
    assert_eq!(
        username(&emu, theirs["token"].as_str().unwrap()).await,
        ROBOT
    );
    let (ours, _) = gapi(&path).await;
    assert_eq!(username(&emu, &ours).await, ROBOT);
    // The emulator saw both fetch the subject token, then exchange it.
    let log: Value = http()
        .get(format!("{}/__emulator/requests", base(&emu)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let paths: Vec<&str> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["path"].as_str())
        .collect();
    assert_eq!(
        paths.iter().filter(|p| **p == "/v1/token").count(),
        2,
        "{paths:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_subject_token_fails_in_both_with_the_emulators_words() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let v: Value = http()
        .post(format!("{}/__emulator/oidc/token", base(&emu)))
        .json(&json!({"sub": "old-job", "issued_at": now - 7200}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let subject = dir.path().join("old.jwt");
    std::fs::write(&subject, v["id_token"].as_str().unwrap()).unwrap();
    let path = write(
        dir.path(),
        "old.json",
        &config(&emu, json!({"file": subject.display().to_string()}), false),
    );
    let env: BTreeMap<&str, OsString> = BTreeMap::from([(
        "GOOGLE_APPLICATION_CREDENTIALS",
        path.as_os_str().to_owned(),
    )]);
    let lookup = |k: &str| env.get(k).cloned();
    let found = find_default_with(&LoadOptions::default(), &lookup)
        .await
        .unwrap();
    let err = found
        .credentials
        .access_token()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("invalid_grant") && err.contains("expired"),
        "{err}"
    );
    // google-auth raises (a RefreshError naming invalid_grant): the peer script exits non-zero.
    let out = run_google_auth(&path).await;
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid_grant"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn executable_sourced_subject_tokens_work_for_both() {
    use std::os::unix::fs::PermissionsExt as _;
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let token = mint(&emu, "exe-job").await;
    let exp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3000;
    let answer = json!({
        "version": 1, "success": true, "expiration_time": exp,
        "token_type": "urn:ietf:params:oauth:token-type:jwt", "id_token": token,
    });
    let answer_path = write(dir.path(), "answer.json", &answer);
    let script = dir.path().join("issue-token.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\ncat '{}'\n", answer_path.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let source =
        json!({"executable": {"command": script.display().to_string(), "timeout_millis": 10000}});
    let path = write(dir.path(), "exe.json", &config(&emu, source, false));
    let principal = format!("principal://iam.googleapis.com/{POOL}/subject/exe-job");
    let theirs = google_auth(&path).await;
    assert_eq!(theirs["type"], "google.auth.pluggable.Credentials");
    assert_eq!(
        username(&emu, theirs["token"].as_str().unwrap()).await,
        principal
    );
    // gapi: the provider itself (ADC's injectable environment does not reach the executable
    // switch, which reads the process environment, so it is set on the builder).
    let file: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let ea = gapi_auth::credentials::external_account::ExternalAccountBuilder::from_json(file)
        .unwrap()
        .allow_executables(true)
        .scopes([CLOUD])
        .build()
        .unwrap();
    let ours = ea.access_token().await.unwrap();
    assert_eq!(username(&emu, ours.secret()).await, principal);
}
