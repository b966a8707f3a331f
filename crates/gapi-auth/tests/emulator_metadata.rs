//! The emulator's metadata server, reached by gapi (detection, tokens the emulator's APIs
//! accept, identity tokens, project id) and by Python google-auth's `compute_engine`
//! credentials through `google.auth.default()` (needs the peers:
//! `scripts/setup-test-deps.sh && . target/test-env.sh`; fails without them, never skips).

use std::path::PathBuf;

use gapi_auth::metadata::{ComputeMetadata, MetadataClient, MetadataConfig};
use gapi_auth::{CredentialKind, Provider};
use gapi_emulator::{Emulator, EmulatorConfig};

const ROBOT: &str = "robot@gapi-emulator.iam.gserviceaccount.com";

#[tokio::test(flavor = "multi_thread")]
async fn gapi_and_google_auth_use_the_emulator_metadata_server() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let host = emu
        .base_url()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let h = host.clone();
    let config = MetadataConfig::from_env_fn(move |k| match k {
        "GCE_METADATA_HOST" | "GCE_METADATA_IP" => Some(h.clone()),
        _ => None,
    })
    .unwrap();
    let client = MetadataClient::new(config).unwrap();
    assert!(client.is_available().await, "GET / answers as GCE does");
    assert_eq!(client.project_id().await.unwrap(), "gapi-emulator");
    assert_eq!(client.email("default").await.unwrap(), ROBOT);
    let creds =
        ComputeMetadata::new(client.clone()).scopes(["https://www.googleapis.com/auth/drive"]);
    assert_eq!(creds.kind(), CredentialKind::ComputeMetadata);
    let token = creds.fetch_token().await.unwrap();
    assert!(token.expires_at.is_some());
    // The emulator's own tokeninfo knows the token: the APIs accept it.
    let info: serde_json::Value = reqwest::Client::new()
        .post(format!(
            "{}/tokeninfo",
            emu.base_url().trim_end_matches('/')
        ))
        .form(&[("access_token", token.access_token.secret())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        info.get("error").is_none() && info["expires_in"].is_string(),
        "{info}"
    );
    assert!(
        info["scope"]
            .as_str()
            .unwrap_or_default()
            .contains("auth/drive"),
        "{info}"
    );
    let id = creds.id_token("https://svc.example").await.unwrap();
    let claims = gapi_auth::jwt::unverified_claims(id.secret()).unwrap();
    assert_eq!(claims["aud"], "https://svc.example");
    assert_eq!(claims["email"], ROBOT);

    // Without the header the emulator refuses, as GCE does.
    let resp = reqwest::get(format!(
        "{}/computeMetadata/v1/project/project-id",
        emu.base_url().trim_end_matches('/')
    ))
    .await
    .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(resp.headers()["metadata-flavor"], "Google");

    // Python google-auth, through google.auth.default() with no other source.
    let python = std::env::var_os("GAPI_TEST_PYTHON").filter(|v| !v.is_empty()).unwrap_or_else(|| {
        panic!("GAPI_TEST_PYTHON is not set: run `scripts/setup-test-deps.sh && . target/test-env.sh` first")
    });
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/google_auth_compute.py");
    let home = tempfile::tempdir().unwrap();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python)
            .arg(script)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .env("CLOUDSDK_CONFIG", home.path())
            .env("GCE_METADATA_HOST", &host)
            .env("GCE_METADATA_IP", &host)
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
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["type"],
        "google.auth.compute_engine.credentials.Credentials"
    );
    assert_eq!(v["project"], "gapi-emulator");
    assert_eq!(v["on_gce"], true);
    assert_eq!(v["email"], ROBOT);
    assert_eq!(v["token_prefix"], "ya29.gce");
    assert_eq!(v["id_token_aud"], "https://svc.example");
}
