//! The CLI with the emulator's own service account: `gapi emulator --write-service-account-key`,
//! `gapi auth activate-service-account` with that key then Drive calls (the robot's own empty
//! Drive; `--subject alice@example.com` shows alice's), and `--impersonate-service-account`
//! through the emulator's IAM Credentials API as alice (who holds Token Creator) and as bob
//! (Google's 403 wording).

mod common;

use common::{Setup, file_names, login_loopback, run, wait_for_line};
use serde_json::Value;

const ROBOT: &str = "robot@gapi-emulator.iam.gserviceaccount.com";
const CLOUD: &str = "https://www.googleapis.com/auth/cloud-platform";
const DRIVE: &str = "https://www.googleapis.com/auth/drive";

fn gapi(setup: &Setup, args: &[&str]) -> tokio::process::Command {
    let mut cmd = setup.gapi();
    cmd.env_remove("GAPI_ACCESS_TOKEN")
        .env_remove("GAPI_API_KEY")
        .env_remove("GAPI_IMPERSONATE_SERVICE_ACCOUNT")
        .env("HOME", setup.dir.path())
        .env(
            "GAPI_IAM_ENDPOINT",
            format!("{}/_/iamcredentials/v1/", setup.base()),
        )
        .env("GAPI_TOKEN_URI", format!("{}/token", setup.base()))
        .args(args)
        .args(["--endpoint", &format!("{}/", setup.base())]);
    cmd
}

async fn list(setup: &Setup, extra: &[&str]) -> common::Output {
    let mut args = vec!["drive", "files", "list", "-p", "pageSize=100"];
    args.extend_from_slice(extra);
    run(gapi(setup, &args)).await
}

#[tokio::test]
async fn the_emulator_command_writes_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let key_path = dir.path().join("robot.json");
    let mut cmd = common::gapi_in(&dir.path().join("config"));
    cmd.args([
        "emulator",
        "--addr",
        "127.0.0.1:0",
        "--write-service-account-key",
    ])
    .arg(&key_path);
    let mut child = cmd.spawn().unwrap();
    let (line, _) = wait_for_line(&mut child, "http://127.0.0.1:").await;
    let base = common::url_in(&line);
    let key: Value = serde_json::from_slice(&std::fs::read(&key_path).unwrap()).unwrap();
    assert_eq!(key["type"], "service_account");
    assert_eq!(key["client_email"], ROBOT);
    assert_eq!(key["token_uri"], format!("{base}/token"));
    child.kill().await.unwrap();
}

#[tokio::test]
async fn activated_key_reaches_drive_as_the_robot_or_as_a_delegated_user() {
    let setup = Setup::new(true).await;
    let key_path = setup.dir.path().join("robot.json");
    setup.emulator.write_service_account_key(&key_path).unwrap();
    let key_arg = key_path.display().to_string();
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

    let out = list(&setup, &["--profile", "robot"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        file_names(&v).is_empty(),
        "the robot's own Drive is empty: {v}"
    );

    let out = list(
        &setup,
        &["--profile", "robot", "--subject", "alice@example.com"],
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let names = file_names(&v);
    let alice: Vec<String> = gapi_emulator::seeded_files("alice@example.com")
        .into_iter()
        .map(|f| f.name)
        .collect();
    assert!(
        !names.is_empty() && names.iter().all(|n| alice.contains(n)),
        "{names:?}"
    );

    // Delegation is only for example.com's users.
    let out = list(
        &setup,
        &[
            "--profile",
            "robot",
            "--subject",
            "eve@elsewhere.example.org",
        ],
    )
    .await;
    assert_ne!(out.code, 0, "{}", out.stdout);
    assert!(out.stderr.contains("unauthorized_client"), "{}", out.stderr);
}

#[tokio::test]
async fn impersonation_works_for_a_token_creator_only() {
    let setup = Setup::new(true).await;
    login_loopback(
        &setup,
        &[
            "--scope",
            CLOUD,
            "--scope",
            DRIVE,
            "--login-hint",
            "alice@example.com",
            "--profile",
            "alice",
        ],
    )
    .await;
    login_loopback(
        &setup,
        &[
            "--scope",
            CLOUD,
            "--scope",
            DRIVE,
            "--login-hint",
            "bob@example.com",
            "--profile",
            "bob",
        ],
    )
    .await;

    let out = list(
        &setup,
        &["--profile", "alice", "--impersonate-service-account", ROBOT],
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(file_names(&v).is_empty(), "acting as the robot: {v}");

    // Impersonation plus delegation: IAM signs the assertion, the token endpoint trades it.
    let out = list(
        &setup,
        &[
            "--profile",
            "alice",
            "--impersonate-service-account",
            ROBOT,
            "--subject",
            "bob@example.com",
        ],
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(!file_names(&v).is_empty(), "bob's Drive: {v}");

    let out = list(
        &setup,
        &["--profile", "bob", "--impersonate-service-account", ROBOT],
    )
    .await;
    assert!(
        out.code == 3 || out.code == 4,
        "exit {}: {}",
        out.code,
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist)."
        ),
        "{}",
        out.stderr
    );
}

/// A key whose `token_uri` is not encrypted (`ftp://`, or `http://` to another machine) is
/// refused when it is stored, not at its first use: exit 2 naming the URI, no profile written.
/// The emulator's own loopback `http://` key is still taken.
#[tokio::test]
async fn a_key_with_an_unencrypted_token_uri_is_refused_when_stored() {
    let setup = Setup::new(true).await;
    let key_path = setup.dir.path().join("robot.json");
    setup.emulator.write_service_account_key(&key_path).unwrap();
    let mut key: Value = serde_json::from_slice(&std::fs::read(&key_path).unwrap()).unwrap();
    let bad_path = setup.dir.path().join("bad.json");
    for uri in ["ftp://example.com/token", "http://example.com/token"] {
        key["token_uri"] = Value::String(uri.into());
        std::fs::write(&bad_path, key.to_string()).unwrap();
        let mut cmd = gapi(
            &setup,
            &[
                "auth",
                "activate-service-account",
                "--key-file",
                bad_path.to_str().unwrap(),
                "--profile",
                "bad",
            ],
        );
        cmd.env_remove("GAPI_INSECURE_TRANSPORT")
            .env_remove("OAUTHLIB_INSECURE_TRANSPORT");
        let out = run(cmd).await;
        assert_eq!(out.code, 2, "{uri}: {}", out.stderr);
        assert!(out.stderr.contains(uri), "{uri}: {}", out.stderr);
        assert!(
            out.stderr.contains("not encrypted"),
            "{uri}: {}",
            out.stderr
        );
        assert!(
            !setup.config_dir().join("credentials/bad.json").exists(),
            "{uri}: nothing stored"
        );
    }
    let out = run(gapi(
        &setup,
        &[
            "auth",
            "activate-service-account",
            "--key-file",
            key_path.to_str().unwrap(),
            "--profile",
            "good",
        ],
    ))
    .await;
    assert_eq!(out.code, 0, "a loopback http token_uri: {}", out.stderr);
    assert!(setup.config_dir().join("credentials/good.json").exists());
}

#[tokio::test]
async fn status_asks_the_tokeninfo_beside_the_keys_own_token_server() {
    let setup = Setup::new(true).await;
    let key = setup.dir.path().join("robot.json");
    setup.emulator.write_service_account_key(&key).unwrap();
    let key_arg = key.display().to_string();
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

    // Every non-loopback request fails at once (a dead proxy): only the emulator answers.
    let mut cmd = setup.gapi();
    cmd.env_remove("GAPI_ACCESS_TOKEN")
        .env_remove("GAPI_IMPERSONATE_SERVICE_ACCOUNT")
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .args(["auth", "status", "--profile", "robot", "--format", "json"]);
    let status = run(cmd).await;
    assert_eq!(status.code, 0, "{}\n{}", status.stdout, status.stderr);
    let info: Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(info["type"], "service_account", "{info}");
    assert!(info["tokeninfo"]["expires_in"].as_u64().is_some(), "{info}");

    let log: Value = reqwest::get(format!("{}/__emulator/requests", setup.base()))
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
    assert!(
        paths.contains(&"/token"),
        "the key's token server minted: {paths:?}"
    );
    assert!(
        paths.contains(&"/tokeninfo"),
        "its tokeninfo was asked: {paths:?}"
    );
}
