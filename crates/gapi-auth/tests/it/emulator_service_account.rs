//! Python google-auth with the emulator's service account: `service_account.Credentials` from
//! the key `RunningEmulator::write_service_account_key` writes (a token from the JWT-bearer
//! grant, also with a subject, and an ID token), and `impersonated_credentials` from alice's
//! user credentials through the emulator's IAM Credentials API (bob, without the Token Creator
//! role, is refused). Needs the test peers (`scripts/setup-test-deps.sh && . target/test-env.sh`;
//! fails without them, never skips).

use std::path::PathBuf;

use gapi_emulator::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Emulator, EmulatorConfig};
use serde_json::Value;

const ROBOT: &str = "robot@gapi-emulator.iam.gserviceaccount.com";
const CLOUD_PLATFORM: &str = "https://www.googleapis.com/auth/cloud-platform";

async fn refresh_token(base: &str, email: &str) -> String {
    let v = gapi_testkit::emulator::issue(
        base,
        serde_json::json!({"email": email, "offline": true, "scope": CLOUD_PLATFORM}),
    )
    .await;
    v["refresh_token"]
        .as_str()
        .expect("a refresh token")
        .to_owned()
}

#[tokio::test]
async fn google_auth_service_account_and_impersonation_against_the_emulator() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let base = emu.base_url();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("robot.json");
    emu.write_service_account_key(&key).unwrap();
    let alice = refresh_token(&base, "alice@example.com").await;
    let bob = refresh_token(&base, "bob@example.com").await;

    let python = std::env::var_os("GAPI_TEST_PYTHON").filter(|v| !v.is_empty()).unwrap_or_else(|| {
        panic!("GAPI_TEST_PYTHON is not set: run `scripts/setup-test-deps.sh && . target/test-env.sh` first")
    });
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/google_auth_service_account.py");
    let home = dir.path().to_owned();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python)
            .arg(script)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", &home)
            .env("CLOUDSDK_CONFIG", &home)
            .env("EMU_BASE", &base)
            .env("EMU_KEY_FILE", &key)
            .env("EMU_CLIENT_ID", DEFAULT_CLIENT_ID)
            .env("EMU_CLIENT_SECRET", DEFAULT_CLIENT_SECRET)
            .env("EMU_ALICE_REFRESH", alice)
            .env("EMU_BOB_REFRESH", bob)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "google-auth failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["sa_email"], ROBOT);
    assert_eq!(v["sa_files"], 0, "the robot's own Drive is empty: {v}");
    assert!(
        v["subject_files"].as_u64().unwrap() > 0,
        "alice's Drive: {v}"
    );
    assert_eq!(v["jwt_access_is_jwt"], true, "a self-signed JWT: {v}");
    assert_eq!(v["jwt_access_files"], 0, "the JWT acts as the robot: {v}");
    assert_eq!(v["id_token_aud"], "https://svc.example");
    assert_eq!(v["id_token_verified_email"], ROBOT);
    assert_eq!(v["impersonated_files"], 0, "acting as the robot: {v}");
    assert_eq!(v["impersonated_expiry_set"], true);
    let bob = v["bob"].as_str().unwrap();
    assert_eq!(
        bob,
        "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist)."
    );
    assert_eq!(v["bob_reason"], "IAM_PERMISSION_DENIED");
    emu.shutdown().await;
}
