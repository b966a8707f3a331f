//! Application Default Credentials parity with Python google-auth: in the same environments
//! (each source present or absent, broken files, both sources at once), `google.auth.default()`
//! and gapi's `find_default` must pick the same type, project, quota project and account, and
//! fail in the same cases.
//!
//! Needs the peers: `scripts/setup-test-deps.sh && . target/test-env.sh`. Without them these
//! tests FAIL saying so; they never skip silently.

use crate::google_mock;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use gapi_auth::LoadOptions;
use gapi_auth::adc::find_default_with;
use serde_json::{Value, json};

fn python() -> PathBuf {
    let v = std::env::var_os("GAPI_TEST_PYTHON").filter(|v| !v.is_empty()).unwrap_or_else(|| {
        panic!("GAPI_TEST_PYTHON is not set: run `scripts/setup-test-deps.sh && . target/test-env.sh` first")
    });
    PathBuf::from(v)
}

/// What google-auth picked.
fn google_auth(env: &BTreeMap<String, String>) -> Value {
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/google_auth_default.py");
    let out = std::process::Command::new(python())
        .arg(script)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "peer failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("peer printed {}", String::from_utf8_lossy(&out.stdout)))
}

/// What gapi picked, in the same shape.
async fn gapi(env: &BTreeMap<String, String>) -> Value {
    let lookup = |k: &str| env.get(k).map(OsString::from);
    match find_default_with(&LoadOptions::default(), &lookup).await {
        Ok(found) => {
            let kind = found.credentials.kind().as_str();
            let account = match kind {
                "service_account" | "impersonated_service_account" => found.credentials.account(),
                _ => None,
            };
            json!({
                "kind": kind,
                "project_id": found.project_id,
                "quota_project_id": found.credentials.quota_project_id(),
                "account": account,
            })
        }
        Err(e) => json!({"error": e.to_string()}),
    }
}

fn write(dir: &Path, name: &str, v: &Value) -> String {
    let p = dir.join(name);
    std::fs::write(&p, v.to_string()).unwrap();
    p.display().to_string()
}

fn authorized_user(quota: Option<&str>) -> Value {
    let mut v = json!({"type": "authorized_user", "client_id": "cid.apps.googleusercontent.com",
                       "client_secret": "cs", "refresh_token": "rt"});
    if let Some(q) = quota {
        v["quota_project_id"] = json!(q);
    }
    v
}

fn service_account() -> Value {
    serde_json::from_str(&google_mock::key_json(
        "https://oauth2.googleapis.com/token",
    ))
    .unwrap()
}

/// (name, the kind google-auth is expected to pick or "error", environment).
type Case<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>);

fn closed_port() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn adc_picks_the_same_credentials_as_google_auth() {
    let mock = google_mock::start().await;
    let mock_host = mock.base.trim_start_matches("http://").to_string();
    let dead = closed_port();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let home = d.join("home");
    std::fs::create_dir_all(home.join(".config/gcloud")).unwrap();
    let sdk = d.join("sdk");
    std::fs::create_dir_all(&sdk).unwrap();
    let empty_sdk = d.join("empty-sdk");
    std::fs::create_dir_all(&empty_sdk).unwrap();

    let sa = write(d, "sa.json", &service_account());
    let user_q = write(d, "user-q.json", &authorized_user(Some("billing-proj")));
    let broken = d.join("broken.json");
    std::fs::write(&broken, "{not json").unwrap();
    let broken = broken.display().to_string();
    let unknown = write(d, "unknown.json", &json!({"type": "gdch_nonsense"}));
    let no_key = write(
        d,
        "nokey.json",
        &json!({"type": "service_account", "client_email": "a@b.iam.gserviceaccount.com"}),
    );
    let user_no_rt = write(
        d,
        "nort.json",
        &json!({"type": "authorized_user", "client_id": "c", "client_secret": "s"}),
    );
    let imp = write(
        d,
        "imp.json",
        &json!({
            "type": "impersonated_service_account",
            "service_account_impersonation_url": "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/target@p.iam.gserviceaccount.com:generateAccessToken",
            "delegates": ["mid@p.iam.gserviceaccount.com"],
            "quota_project_id": "imp-quota",
            "source_credentials": authorized_user(None),
        }),
    );
    let ext = write(
        d,
        "ext.json",
        &json!({
            "type": "external_account",
            "audience": "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q",
            "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
            "token_url": "https://sts.googleapis.com/v1/token",
            "credential_source": {"file": "/nonexistent/token"},
            "quota_project_id": "ext-quota",
        }),
    );
    let ext_user = write(
        d,
        "extuser.json",
        &json!({
            "type": "external_account_authorized_user",
            "audience": "//iam.googleapis.com/locations/global/workforcePools/p/providers/q",
            "client_id": "c", "client_secret": "s", "refresh_token": "r",
            "token_url": "https://sts.googleapis.com/v1/oauthtoken",
        }),
    );
    std::fs::write(
        sdk.join("application_default_credentials.json"),
        authorized_user(None).to_string(),
    )
    .unwrap();
    std::fs::write(
        home.join(".config/gcloud/application_default_credentials.json"),
        authorized_user(Some("home-quota")).to_string(),
    )
    .unwrap();
    let broken_sdk = d.join("broken-sdk");
    std::fs::create_dir_all(&broken_sdk).unwrap();
    std::fs::write(
        broken_sdk.join("application_default_credentials.json"),
        "[]",
    )
    .unwrap();

    let no_mds = [
        ("GCE_METADATA_HOST", dead.as_str()),
        ("GCE_METADATA_IP", dead.as_str()),
        ("GCE_METADATA_DETECT_RETRIES", "1"),
    ];
    let mds = [
        ("GCE_METADATA_HOST", mock_host.as_str()),
        ("GCE_METADATA_IP", mock_host.as_str()),
    ];
    let sdk_s = sdk.display().to_string();
    let empty_s = empty_sdk.display().to_string();
    let broken_sdk_s = broken_sdk.display().to_string();
    let sdk_file = sdk
        .join("application_default_credentials.json")
        .display()
        .to_string();

    // (name, expected kind or "error", env)
    let cases: Vec<Case> = vec![
        (
            "nothing at all",
            "error",
            vec![("CLOUDSDK_CONFIG", &empty_s)],
        ),
        (
            "service-account key",
            "service_account",
            vec![
                ("GOOGLE_APPLICATION_CREDENTIALS", &sa),
                ("CLOUDSDK_CONFIG", &empty_s),
            ],
        ),
        (
            "env var wins over gcloud file",
            "service_account",
            vec![
                ("GOOGLE_APPLICATION_CREDENTIALS", &sa),
                ("CLOUDSDK_CONFIG", &sdk_s),
            ],
        ),
        (
            "env var names a missing file",
            "error",
            vec![
                ("GOOGLE_APPLICATION_CREDENTIALS", "/nonexistent/key.json"),
                ("CLOUDSDK_CONFIG", &sdk_s),
            ],
        ),
        (
            "env var names broken JSON",
            "error",
            vec![
                ("GOOGLE_APPLICATION_CREDENTIALS", &broken),
                ("CLOUDSDK_CONFIG", &sdk_s),
            ],
        ),
        (
            "unknown type",
            "error",
            vec![("GOOGLE_APPLICATION_CREDENTIALS", &unknown)],
        ),
        (
            "key without private_key",
            "error",
            vec![("GOOGLE_APPLICATION_CREDENTIALS", &no_key)],
        ),
        (
            "user without refresh_token",
            "error",
            vec![("GOOGLE_APPLICATION_CREDENTIALS", &user_no_rt)],
        ),
        (
            "empty env var falls through to gcloud",
            "authorized_user",
            vec![
                ("GOOGLE_APPLICATION_CREDENTIALS", ""),
                ("CLOUDSDK_CONFIG", &sdk_s),
            ],
        ),
        (
            "env var naming gcloud's file",
            "authorized_user",
            vec![
                ("GOOGLE_APPLICATION_CREDENTIALS", &sdk_file),
                ("CLOUDSDK_CONFIG", &sdk_s),
            ],
        ),
        (
            "user with quota project",
            "authorized_user",
            vec![("GOOGLE_APPLICATION_CREDENTIALS", &user_q)],
        ),
        (
            "quota project from the environment",
            "authorized_user",
            vec![
                ("GOOGLE_APPLICATION_CREDENTIALS", &user_q),
                ("GOOGLE_CLOUD_QUOTA_PROJECT", "env-quota"),
            ],
        ),
        ("gcloud file under HOME", "authorized_user", vec![]),
        (
            // google-auth reads an empty CLOUDSDK_CONFIG as the current directory (here none
            // holds an ADC file), never as "unset, so HOME's".
            "empty CLOUDSDK_CONFIG is the current directory, not HOME",
            "error",
            vec![("CLOUDSDK_CONFIG", "")],
        ),
        (
            "broken gcloud file is an error",
            "error",
            vec![("CLOUDSDK_CONFIG", &broken_sdk_s)],
        ),
        (
            "impersonated file",
            "impersonated_service_account",
            vec![("GOOGLE_APPLICATION_CREDENTIALS", &imp)],
        ),
        (
            "external account",
            "external_account",
            vec![
                ("GOOGLE_APPLICATION_CREDENTIALS", &ext),
                ("GOOGLE_CLOUD_PROJECT", "fed-proj"),
            ],
        ),
        (
            "external account user",
            "external_account_authorized_user",
            vec![
                ("GOOGLE_APPLICATION_CREDENTIALS", &ext_user),
                ("GOOGLE_CLOUD_PROJECT", "fed-proj"),
            ],
        ),
        (
            "explicit project wins",
            "service_account",
            vec![
                ("GOOGLE_APPLICATION_CREDENTIALS", &sa),
                ("GOOGLE_CLOUD_PROJECT", "explicit"),
            ],
        ),
        (
            "metadata server",
            "compute_metadata",
            vec![("CLOUDSDK_CONFIG", &empty_s), ("USE_MDS", "1")],
        ),
        (
            "gcloud file wins over metadata server",
            "authorized_user",
            vec![("CLOUDSDK_CONFIG", &sdk_s), ("USE_MDS", "1")],
        ),
    ];
    let mut mismatches = Vec::new();
    for (name, expected, vars) in cases {
        let mut env: BTreeMap<String, String> = BTreeMap::new();
        env.insert("HOME".into(), home.display().to_string());
        let use_mds = vars.iter().any(|(k, _)| *k == "USE_MDS");
        for (k, v) in if use_mds { &mds[..] } else { &no_mds[..] } {
            env.insert(k.to_string(), v.to_string());
        }
        for (k, v) in vars.iter().filter(|(k, _)| *k != "USE_MDS") {
            env.insert(k.to_string(), v.to_string());
        }
        let env2 = env.clone();
        let theirs = tokio::task::spawn_blocking(move || google_auth(&env2))
            .await
            .unwrap();
        let ours = gapi(&env).await;
        let kind_of = |v: &Value| {
            if v.get("error").is_some() {
                "error".to_string()
            } else {
                v["kind"].as_str().unwrap_or("?").to_string()
            }
        };
        assert_eq!(
            kind_of(&theirs),
            expected,
            "{name}: google-auth itself picked {theirs}"
        );
        let same = if expected == "error" {
            kind_of(&ours) == "error"
        } else {
            ours == theirs
        };
        if !same {
            mismatches.push(format!(
                "{name}:\n  google-auth {theirs}\n  gapi        {ours}"
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "ADC differs from google-auth:\n{}",
        mismatches.join("\n")
    );
}
