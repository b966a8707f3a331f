//! The emulator's metadata server, reached by gapi (detection, tokens the emulator's APIs
//! accept, identity tokens that verify against the emulator's published certificates, project
//! id) and by Python google-auth's `compute_engine`
//! credentials through `google.auth.default()` (needs the peers:
//! `scripts/setup-test-deps.sh && . target/test-env.sh`; fails without them, never skips).

use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gapi_auth::credentials::metadata::{ComputeMetadata, MetadataClient, MetadataConfig};
use gapi_auth::{CredentialKind, Provider};
use gapi_emulator::{Emulator, EmulatorConfig};
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};

const CLOUD_PLATFORM: &str = "https://www.googleapis.com/auth/cloud-platform";

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
    let claims = gapi_auth::protocol::jwt::unverified_claims(id.secret()).unwrap();
    assert_eq!(claims["aud"], "https://svc.example");
    assert_eq!(claims["email"], ROBOT);
    assert_eq!(claims["email_verified"], true);
    assert_eq!(claims["iss"], "https://accounts.google.com");
    assert_eq!(claims["azp"], claims["sub"]);
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        3600
    );
    // Signed with the key the emulator publishes as Google's, as GCE's tokens are.
    let jwks: serde_json::Value = reqwest::get(format!(
        "{}/oauth2/v3/certs",
        emu.base_url().trim_end_matches('/')
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert!(verifies_with_jwks(id.secret(), &jwks), "metadata ID token");
    let mut forged: Vec<&str> = id.secret().split('.').collect();
    let other = gapi_auth::protocol::jwt::unverified_claims(id.secret())
        .map(|mut c| {
            c.insert("aud".into(), "https://evil.example".into());
            URL_SAFE_NO_PAD.encode(serde_json::Value::Object(c).to_string())
        })
        .unwrap();
    forged[1] = &other;
    assert!(
        !verifies_with_jwks(&forged.join("."), &jwks),
        "a forged token"
    );
    let alice_token = access_token(&emu.base_url(), "alice@example.com").await;

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
    let base = emu.base_url().trim_end_matches('/').to_string();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python)
            .arg(script)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .env("CLOUDSDK_CONFIG", home.path())
            .env("GCE_METADATA_HOST", &host)
            .env("GCE_METADATA_IP", &host)
            .env("EMU_BASE", &base)
            .env("EMU_ALICE_TOKEN", alice_token)
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
    // google-auth's own verifier accepts both ID tokens against the emulator's certificates
    // (the JWK Set and the PEM certificates).
    for kind in ["metadata", "iam"] {
        for certs in ["v3", "v1"] {
            let got = &v[format!("{kind}_verified_{certs}")];
            assert_eq!(got["email"], ROBOT, "{kind} {certs}: {v}");
            assert_eq!(got["aud"], "https://svc.example", "{kind} {certs}: {v}");
            assert_eq!(got["email_verified"], true, "{kind} {certs}: {v}");
        }
    }
    assert_eq!(v["tampered"], "rejected", "{v}");
}

/// Whether `jwt`'s RS256 signature verifies with the JWK Set's key named by its `kid`.
fn verifies_with_jwks(jwt: &str, jwks: &serde_json::Value) -> bool {
    let Some((input, sig)) = jwt.rsplit_once('.') else {
        return false;
    };
    let header: serde_json::Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(input.split('.').next().unwrap_or_default())
            .unwrap_or_default(),
    )
    .unwrap_or_default();
    let Some(jwk) = jwks["keys"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|k| k["kid"] == header["kid"])
    else {
        return false;
    };
    let part = |name: &str| URL_SAFE_NO_PAD.decode(jwk[name].as_str().unwrap_or_default());
    let (Ok(n), Ok(e), Ok(sig)) = (part("n"), part("e"), URL_SAFE_NO_PAD.decode(sig)) else {
        return false;
    };
    RsaPublicKeyComponents { n, e }
        .verify(&RSA_PKCS1_2048_8192_SHA256, input.as_bytes(), &sig)
        .is_ok()
}

/// An access token for `email` with `cloud-platform`, from the emulator's control API.
async fn access_token(base: &str, email: &str) -> String {
    gapi_testkit::emulator::issued_token(base, email, CLOUD_PLATFORM).await
}
