//! The CLI with workload identity federation against the emulator's STS: an `external_account`
//! file in `GOOGLE_APPLICATION_CREDENTIALS` (a file-sourced subject token minted by the
//! emulator's OIDC issuer, `token_url` = the emulator's `/v1/token`), with and without
//! `service_account_impersonation_url`: `gapi auth status` names type and source,
//! `gapi auth print-access-token` prints a token the emulator's `/v1/introspect` attributes to
//! the federated principal or the robot, and API calls go through as that identity; an
//! AWS-sourced file takes its credentials from `AWS_*` variables.

use crate::common;

use std::path::{Path, PathBuf};

use common::{Setup, run};
use serde_json::{Value, json};

const ROBOT: &str = "robot@gapi-emulator.iam.gserviceaccount.com";
const POOL: &str = "projects/123456789012/locations/global/workloadIdentityPools/gapi-pool";

fn gapi(setup: &Setup, credentials: &Path, args: &[&str]) -> tokio::process::Command {
    let mut cmd = setup.gapi();
    cmd.env_remove("GAPI_ACCESS_TOKEN")
        .env_remove("GAPI_API_KEY")
        .env_remove("GAPI_IMPERSONATE_SERVICE_ACCOUNT")
        .env("HOME", setup.dir.path())
        .env("GOOGLE_APPLICATION_CREDENTIALS", credentials)
        // Never a real metadata server.
        .env("GCE_METADATA_HOST", "127.0.0.1:9")
        .env("GCE_METADATA_IP", "127.0.0.1:9")
        .args(args);
    cmd
}

async fn external_account_file(setup: &Setup, sub: &str, impersonate: bool) -> PathBuf {
    let minted = setup.control("oidc/token", json!({"sub": sub})).await;
    let token_path = setup.dir.path().join(format!("{sub}.jwt"));
    std::fs::write(&token_path, minted["id_token"].as_str().unwrap()).unwrap();
    let mut v = json!({
        "type": "external_account",
        "audience": format!("//iam.googleapis.com/{POOL}/providers/emulator-oidc"),
        "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
        "token_url": format!("{}/v1/token", setup.base()),
        "credential_source": {"file": token_path.display().to_string()},
    });
    if impersonate {
        v["service_account_impersonation_url"] = json!(format!(
            "{}/v1/projects/-/serviceAccounts/{ROBOT}:generateAccessToken",
            setup.base()
        ));
    }
    let path = setup.dir.path().join(format!("{sub}-{impersonate}.json"));
    std::fs::write(&path, v.to_string()).unwrap();
    path
}

async fn introspect(setup: &Setup, token: &str) -> Value {
    common::init();
    reqwest::Client::new()
        .post(format!("{}/v1/introspect", setup.base()))
        .form(&[("token", token)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn impersonating_the_robot_through_a_federated_token() {
    let setup = Setup::new(true).await;
    let file = external_account_file(&setup, "cli-job", true).await;
    let out = run(gapi(
        &setup,
        &file,
        &["auth", "status", "--offline", "--format", "json"],
    ))
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["type"], "external_account", "{v}");
    assert!(
        v["source"]
            .as_str()
            .unwrap()
            .contains("GOOGLE_APPLICATION_CREDENTIALS"),
        "{v}"
    );
    assert_eq!(v["account"], ROBOT, "{v}");

    let out = run(gapi(&setup, &file, &["auth", "print-access-token"])).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let info = introspect(&setup, out.stdout.trim()).await;
    assert_eq!(info["username"], ROBOT, "{info}");

    // An API call: the robot's own Drive.
    let out = run(gapi(
        &setup,
        &file,
        &[
            "drive",
            "about",
            "get",
            "-p",
            "fields=user",
            "--endpoint",
            &format!("{}/", setup.base()),
        ],
    ))
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let about: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(about["user"]["emailAddress"], ROBOT);
}

#[tokio::test]
async fn the_federated_principal_itself() {
    let setup = Setup::new(true).await;
    let file = external_account_file(&setup, "cli-job-2", false).await;
    let out = run(gapi(&setup, &file, &["auth", "print-access-token"])).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let info = introspect(&setup, out.stdout.trim()).await;
    assert_eq!(
        info["username"],
        format!("principal://iam.googleapis.com/{POOL}/subject/cli-job-2"),
        "{info}"
    );
    // An API call as the principal (the generic store keeps its own task lists).
    let out = run(gapi(
        &setup,
        &file,
        &[
            "tasks",
            "tasklists",
            "list",
            "--endpoint",
            &format!("{}/", setup.base()),
        ],
    ))
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(v.is_object(), "{v}");

    // A subject token that the provider refuses: the CLI says so and exits non-zero.
    std::fs::write(setup.dir.path().join("cli-job-2.jwt"), "not-a-jwt-at-all").unwrap();
    let out = run(gapi(&setup, &file, &["auth", "print-access-token"])).await;
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("invalid_grant"), "{}", out.stderr);
}

#[tokio::test]
async fn aws_credentials_from_the_environment() {
    let setup = Setup::new(true).await;
    common::init();
    let seeded: Value = reqwest::Client::new()
        .get(format!("{}/__emulator/sts/providers", setup.base()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = &seeded["aws_keys"][1];
    let file = setup.dir.path().join("aws.json");
    let config = json!({
        "type": "external_account",
        "audience": format!("//iam.googleapis.com/{POOL}/providers/emulator-aws"),
        "subject_token_type": "urn:ietf:params:aws:token-type:aws4_request",
        "token_url": format!("{}/v1/token", setup.base()),
        "service_account_impersonation_url": format!(
            "{}/v1/projects/-/serviceAccounts/{ROBOT}:generateAccessToken",
            setup.base()
        ),
        "credential_source": {
            "environment_id": "aws1",
            "regional_cred_verification_url": "https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15",
        },
    });
    std::fs::write(&file, config.to_string()).unwrap();
    let aws = |cmd: &mut tokio::process::Command| {
        cmd.env("AWS_ACCESS_KEY_ID", key["access_key_id"].as_str().unwrap())
            .env(
                "AWS_SECRET_ACCESS_KEY",
                key["secret_access_key"].as_str().unwrap(),
            )
            .env("AWS_SESSION_TOKEN", key["session_token"].as_str().unwrap())
            .env("AWS_REGION", "us-west-2");
    };
    let mut cmd = gapi(&setup, &file, &["auth", "print-access-token"]);
    aws(&mut cmd);
    let out = run(cmd).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        introspect(&setup, out.stdout.trim()).await["username"],
        ROBOT
    );
    // Without the AWS variables (and no metadata URL in the file): a clear error, exit non-zero.
    let mut cmd = gapi(&setup, &file, &["auth", "print-access-token"]);
    cmd.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_REGION", "us-west-2");
    let out = run(cmd).await;
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("AWS_ACCESS_KEY_ID"), "{}", out.stderr);
}
