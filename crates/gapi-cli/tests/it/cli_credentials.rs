//! The CLI with credential types other than a user login: the emulator's metadata server
//! (found through Application Default Credentials), `GAPI_ACCESS_TOKEN`, and a service-account
//! key stored by `gapi auth activate-service-account`; `gapi auth status` names type and source.

use crate::common;

use common::{Setup, run};
use serde_json::Value;

const ROBOT: &str = "robot@gapi-emulator.iam.gserviceaccount.com";

fn gapi(setup: &Setup, args: &[&str]) -> tokio::process::Command {
    let mut cmd = setup.gapi();
    cmd.env_remove("GAPI_ACCESS_TOKEN")
        .env_remove("GAPI_API_KEY")
        .env_remove("GAPI_IMPERSONATE_SERVICE_ACCOUNT")
        .env("HOME", setup.dir.path())
        .args(args);
    cmd
}

fn with_metadata(setup: &Setup, args: &[&str]) -> tokio::process::Command {
    let host = setup
        .base()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut cmd = gapi(setup, args);
    cmd.env("GCE_METADATA_HOST", &host)
        .env("GCE_METADATA_IP", &host);
    cmd
}

#[tokio::test]
async fn metadata_server_through_adc() {
    let setup = Setup::new(true).await;
    let out = run(with_metadata(
        &setup,
        &["auth", "status", "--offline", "--format", "json"],
    ))
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["type"], "compute_metadata");
    assert!(
        v["source"].as_str().unwrap().contains("metadata server"),
        "{v}"
    );
    assert_eq!(v["account"], ROBOT);

    let out = run(with_metadata(&setup, &["auth", "print-access-token"])).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.trim().starts_with("ya29.gce-"), "{}", out.stdout);

    let out = run(with_metadata(
        &setup,
        &[
            "auth",
            "print-identity-token",
            "--audience",
            "https://svc.example",
        ],
    ))
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let claims = gapi_auth::protocol::jwt::unverified_claims(out.stdout.trim()).unwrap();
    assert_eq!(claims["aud"], "https://svc.example");
}

#[tokio::test]
async fn access_token_from_the_environment() {
    let setup = Setup::new(true).await;
    let mut cmd = gapi(&setup, &["auth", "status", "--offline", "--format", "json"]);
    cmd.env("GAPI_ACCESS_TOKEN", "ya29.given-token");
    let out = run(cmd).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["type"], "access_token");
    assert!(
        v["source"].as_str().unwrap().contains("GAPI_ACCESS_TOKEN"),
        "{v}"
    );
    let mut cmd = gapi(&setup, &["auth", "print-access-token"]);
    cmd.env("GAPI_ACCESS_TOKEN", "ya29.given-token");
    let out = run(cmd).await;
    assert_eq!(out.stdout.trim(), "ya29.given-token");
    // A finished token cannot be impersonated with.
    let mut cmd = gapi(
        &setup,
        &[
            "auth",
            "print-access-token",
            "--impersonate-service-account",
            ROBOT,
        ],
    );
    cmd.env("GAPI_ACCESS_TOKEN", "ya29.given-token");
    assert_eq!(run(cmd).await.code, 2);
}

#[tokio::test]
async fn activate_service_account_stores_the_key_as_a_profile() {
    let setup = Setup::new(true).await;
    let pem = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../gapi-auth/tests/data/test-sa-key.pem"
    ))
    .unwrap();
    let key = serde_json::json!({
        "type": "service_account", "project_id": "gapi-emulator", "private_key_id": "k1",
        "private_key": pem, "client_email": ROBOT,
        "token_uri": format!("{}/token", setup.base().trim_end_matches('/')),
    });
    let key_file = setup.dir.path().join("key.json");
    std::fs::write(&key_file, key.to_string()).unwrap();
    let key_arg = key_file.display().to_string();
    let out = run(gapi(
        &setup,
        &[
            "auth",
            "activate-service-account",
            "--key-file",
            &key_arg,
            "--profile",
            "robot",
        ],
    ))
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains(ROBOT), "{}", out.stderr);
    let out = run(gapi(
        &setup,
        &[
            "auth",
            "status",
            "--offline",
            "--format",
            "json",
            "--profile",
            "robot",
        ],
    ))
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["type"], "service_account");
    assert_eq!(v["account"], ROBOT);
    assert!(v["source"].as_str().unwrap().contains("robot"), "{v}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let stored = setup.config_dir().join("credentials/robot.json");
        let mode = std::fs::metadata(&stored).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", stored.display());
    }
    // A broken key is refused and nothing is stored.
    let bad = setup.dir.path().join("bad.json");
    std::fs::write(&bad, key.to_string().replace("MII", "XXX")).unwrap();
    let bad_arg = bad.display().to_string();
    let out = run(gapi(
        &setup,
        &[
            "auth",
            "activate-service-account",
            "--key-file",
            &bad_arg,
            "--profile",
            "bad",
        ],
    ))
    .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        !out.stderr.contains("XXX"),
        "the key never shows: {}",
        out.stderr
    );
    assert!(!setup.config_dir().join("credentials/bad.json").exists());
}
