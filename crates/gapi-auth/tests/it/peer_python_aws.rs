//! AWS-sourced workload identity federation, with Python google-auth's `aws.Credentials` as the
//! reference: for the same credentials, region, provider and time, gapi's serialized signed
//! GetCallerIdentity request equals google-auth's byte for byte (SigV4 is deterministic); and
//! both, from the same `external_account` file (credentials and region from `AWS_*`
//! variables), get tokens from the emulator's STS (which checks the SigV4 signature against its
//! seeded AWS keys and the `x-goog-cloud-target-resource` header) for the same identities: the
//! AWS ARN as federated principal, or the robot through `service_account_impersonation_url`.
//! gapi alone also takes its credentials from an IMDSv2 metadata server (a tiny local one).
//!
//! Needs the peers: `scripts/setup-test-deps.sh && . target/test-env.sh`. Without them these
//! tests FAIL saying so; they never skip silently.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gapi_auth::credentials::external_account::ExternalAccountBuilder;
use gapi_auth::credentials::external_account::aws::{AwsSecurityCredentials, signed_request};
use gapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde_json::{Value, json};

const ROBOT: &str = "robot@gapi-emulator.iam.gserviceaccount.com";
const POOL: &str = "projects/123456789012/locations/global/workloadIdentityPools/gapi-pool";
const VERIFY_URL: &str =
    "https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15";

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

fn audience() -> String {
    format!("//iam.googleapis.com/{POOL}/providers/emulator-aws")
}

fn config(emu: &RunningEmulator, impersonate: bool, source_extra: Value) -> Value {
    let mut source = json!({
        "environment_id": "aws1",
        "regional_cred_verification_url": VERIFY_URL,
    });
    for (k, v) in source_extra.as_object().unwrap() {
        source[k] = v.clone();
    }
    let mut v = json!({
        "type": "external_account",
        "audience": audience(),
        "subject_token_type": "urn:ietf:params:aws:token-type:aws4_request",
        "token_url": format!("{}/v1/token", emu.base_url()),
        "credential_source": source,
    });
    if impersonate {
        v["service_account_impersonation_url"] = json!(format!(
            "{}/v1/projects/-/serviceAccounts/{ROBOT}:generateAccessToken",
            emu.base_url()
        ));
    }
    v
}

/// The emulator's seeded AWS keys: `(id, secret, session token, arn)`.
async fn aws_keys(emu: &RunningEmulator) -> Vec<(String, String, Option<String>, String)> {
    let v: Value = http()
        .get(format!("{}/__emulator/sts/providers", emu.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["aws_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["access_key_id"].as_str().unwrap().to_string(),
                k["secret_access_key"].as_str().unwrap().to_string(),
                k["session_token"].as_str().map(str::to_string),
                k["arn"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn aws_env(
    key: &(String, String, Option<String>, String),
    region: &str,
) -> BTreeMap<String, String> {
    let mut env = BTreeMap::from([
        ("AWS_ACCESS_KEY_ID".to_string(), key.0.clone()),
        ("AWS_SECRET_ACCESS_KEY".to_string(), key.1.clone()),
        ("AWS_REGION".to_string(), region.to_string()),
    ]);
    if let Some(t) = &key.2 {
        env.insert("AWS_SESSION_TOKEN".to_string(), t.clone());
    }
    env
}

async fn peer(args: Vec<String>, env: BTreeMap<String, String>) -> std::process::Output {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/google_auth_aws.py");
    tokio::task::spawn_blocking(move || {
        let home = tempfile::tempdir().unwrap();
        std::process::Command::new(python())
            .arg(script)
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .env("CLOUDSDK_CONFIG", home.path())
            .env("GOOGLE_CLOUD_PROJECT", "gapi-emulator")
            .env("GCE_METADATA_HOST", "127.0.0.1:9")
            .env("GCE_METADATA_IP", "127.0.0.1:9")
            .envs(env)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "google-auth failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .trim()
        .to_string()
}

fn write(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, v.to_string()).unwrap();
    p
}

async fn username(emu: &RunningEmulator, token: &str) -> String {
    let v: Value = http()
        .post(format!("{}/v1/introspect", emu.base_url()))
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

async fn gapi_token(file: &Value, env: BTreeMap<String, String>) -> gapi_auth::Result<String> {
    let lookup = Arc::new(move |k: &str| env.get(k).cloned());
    let ea = ExternalAccountBuilder::from_json(file.clone())?
        .env(lookup)
        .scopes(["https://www.googleapis.com/auth/cloud-platform"])
        .build()?;
    Ok(ea.access_token().await?.secret().to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_signed_request_equals_google_auths_byte_for_byte() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "aws.json", &config(&emu, false, json!({})));
    let at: u64 = 1_795_629_600;
    for key in aws_keys(&emu).await {
        let theirs = ok(&peer(
            vec!["subject".into(), file.display().to_string(), at.to_string()],
            aws_env(&key, "eu-west-3"),
        )
        .await);
        let ours = signed_request(
            &AwsSecurityCredentials::new(&key.0, &key.1, key.2.clone()),
            "eu-west-3",
            &VERIFY_URL.replace("{region}", "eu-west-3"),
            &audience(),
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(at),
        )
        .unwrap();
        assert_eq!(ours.secret(), theirs, "key {}", key.0);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn google_auth_and_gapi_federate_the_same_aws_identities() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    for key in aws_keys(&emu).await {
        let principal = format!("principal://iam.googleapis.com/{POOL}/subject/{}", key.3);
        for (impersonate, expected) in [(false, principal.as_str()), (true, ROBOT)] {
            let cfg = config(&emu, impersonate, json!({}));
            let file = write(dir.path(), "aws.json", &cfg);
            let mut env = aws_env(&key, "us-east-2");
            env.insert(
                "GOOGLE_APPLICATION_CREDENTIALS".into(),
                file.display().to_string(),
            );
            let theirs: Value = serde_json::from_str(&ok(&peer(
                vec!["refresh".into(), file.display().to_string()],
                env,
            )
            .await))
            .unwrap();
            assert_eq!(theirs["type"], "google.auth.aws.Credentials");
            assert_eq!(
                username(&emu, theirs["token"].as_str().unwrap()).await,
                expected
            );
            let ours = gapi_token(&cfg, aws_env(&key, "us-east-2")).await.unwrap();
            assert_eq!(username(&emu, &ours).await, expected);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_emulator_refuses_bad_aws_signatures() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let cfg = config(&emu, false, json!({}));
    let keys = aws_keys(&emu).await;
    // Wrong secret: AWS's words, as invalid_grant.
    let mut wrong = keys[0].clone();
    wrong.1.push('x');
    let err = gapi_token(&cfg, aws_env(&wrong, "us-east-2"))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("invalid_grant") && err.contains("signature"),
        "{err}"
    );
    // A temporary key without its session token.
    let mut no_session = keys[1].clone();
    no_session.2 = None;
    let err = gapi_token(&cfg, aws_env(&no_session, "us-east-2"))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("security token"), "{err}");
    // An unknown access key.
    let mut unknown = keys[0].clone();
    unknown.0 = "AKIAUNKNOWN000000000".into();
    assert!(
        gapi_token(&cfg, aws_env(&unknown, "us-east-2"))
            .await
            .is_err()
    );
    // The signed request is for another provider (x-goog-cloud-target-resource is checked).
    let mut other = cfg.clone();
    other["audience"] = json!(format!(
        "//iam.googleapis.com/{POOL}/providers/emulator-oidc"
    ));
    let err = gapi_token(&other, aws_env(&keys[0], "us-east-2"))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid_"), "{err}");
    // An AWS token for an OIDC provider, an OIDC-type token for the AWS provider: refused.
    let mut oidc_type = cfg.clone();
    oidc_type["subject_token_type"] = json!("urn:ietf:params:oauth:token-type:jwt");
    let err = gapi_token(&oidc_type, aws_env(&keys[0], "us-east-2"))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid_request"), "{err}");
    // No credentials at all and no metadata URL: a clear configuration error.
    let err = gapi_token(
        &cfg,
        BTreeMap::from([("AWS_REGION".into(), "us-east-2".into())]),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.contains("AWS_ACCESS_KEY_ID"), "{err}");
}

/// A minimal IMDSv2: PUT /latest/api/token, then the zone, the role and its credentials, each
/// only with the session token.
async fn imds(key: (String, String, Option<String>, String)) -> String {
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::{get, put};
    const SESSION: &str = "imds-session-token";
    let authorized = |h: &HeaderMap| {
        h.get("x-aws-ec2-metadata-token")
            .and_then(|v| v.to_str().ok())
            == Some(SESSION)
    };
    let creds = json!({
        "AccessKeyId": key.0, "SecretAccessKey": key.1, "Token": key.2,
        "Code": "Success", "Type": "AWS-HMAC",
    })
    .to_string();
    let app = axum::Router::new()
        .route(
            "/latest/api/token",
            put(|h: HeaderMap| async move {
                if h.get("x-aws-ec2-metadata-token-ttl-seconds").is_some() {
                    (StatusCode::OK, SESSION.to_string())
                } else {
                    (StatusCode::BAD_REQUEST, String::new())
                }
            }),
        )
        .route(
            "/latest/meta-data/placement/availability-zone",
            get(move |h: HeaderMap| async move {
                if authorized(&h) {
                    (StatusCode::OK, "ap-south-1b".to_string())
                } else {
                    (StatusCode::UNAUTHORIZED, String::new())
                }
            }),
        )
        .route(
            "/latest/meta-data/iam/security-credentials",
            get(move |h: HeaderMap| async move {
                if authorized(&h) {
                    (StatusCode::OK, "gapi-role".to_string())
                } else {
                    (StatusCode::UNAUTHORIZED, String::new())
                }
            }),
        )
        .route(
            "/latest/meta-data/iam/security-credentials/gapi-role",
            get(move |h: HeaderMap| async move {
                if authorized(&h) {
                    (StatusCode::OK, creds.clone())
                } else {
                    (StatusCode::UNAUTHORIZED, String::new())
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread")]
async fn gapi_takes_region_and_credentials_from_imdsv2() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let keys = aws_keys(&emu).await;
    let base = imds(keys[1].clone()).await;
    let cfg = config(
        &emu,
        true,
        json!({
            "region_url": format!("{base}/latest/meta-data/placement/availability-zone"),
            "url": format!("{base}/latest/meta-data/iam/security-credentials"),
            "imdsv2_session_token_url": format!("{base}/latest/api/token"),
        }),
    );
    let token = gapi_token(&cfg, BTreeMap::new()).await.unwrap();
    assert_eq!(username(&emu, &token).await, ROBOT);
    // The region came from the zone (ap-south-1b → ap-south-1): the emulator checked the
    // signature's scope against the URL's region, so a mismatch would have failed.
    let ea = ExternalAccountBuilder::from_json(cfg)
        .unwrap()
        .env(Arc::new(|_: &str| None))
        .build_provider()
        .unwrap();
    let subject = ea.subject_token().await.unwrap();
    let decoded: String = form_urlencoded::parse(format!("t={}", subject.secret()).as_bytes())
        .next()
        .unwrap()
        .1
        .into_owned();
    assert!(
        decoded.contains("sts.ap-south-1.amazonaws.com"),
        "{decoded}"
    );
    assert!(decoded.contains(&keys[1].0));
}
