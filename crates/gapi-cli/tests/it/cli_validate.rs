//! Request bodies are checked against the method's schema before anything is sent.

use crate::common;

use common::{gapi_in, run};

async fn gapi(args: &[&str]) -> common::Output {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = gapi_in(dir.path());
    cmd.args(args);
    run(cmd).await
}

#[tokio::test]
async fn a_bad_body_is_exit_2_naming_each_path_even_in_a_dry_run() {
    let out = gapi(&[
        "drive",
        "files",
        "create",
        "--dry-run",
        "--json",
        r#"{"nmae": "a", "parents": ["root", 3], "exportLinks": {}}"#,
    ])
    .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stdout.is_empty(),
        "nothing printed as a request: {}",
        out.stdout
    );
    for needle in [
        "body.nmae: unknown property (did you mean `name`?)",
        "body.parents[1]: expected a string, got the number 3",
        "body.exportLinks: is read-only",
        "--no-validate",
    ] {
        assert!(out.stderr.contains(needle), "{needle:?} in {}", out.stderr);
    }
    // A real call is refused the same way before any request: the endpoint does not exist.
    let out = gapi(&[
        "drive",
        "files",
        "create",
        "--anonymous",
        "--endpoint",
        "http://127.0.0.1:9/",
        "--json",
        r#"{"nmae": "a"}"#,
    ])
    .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[tokio::test]
async fn no_validate_sends_the_body_as_given() {
    let out = gapi(&[
        "drive",
        "files",
        "create",
        "--dry-run",
        "--no-validate",
        "--json",
        r#"{"nmae": "a"}"#,
    ])
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["body"], serde_json::json!({"nmae": "a"}));
    let ok = gapi(&[
        "drive",
        "files",
        "create",
        "--dry-run",
        "--json",
        r#"{"name": "a", "parents": ["root"]}"#,
    ])
    .await;
    assert_eq!(ok.code, 0, "{}", ok.stderr);
}

#[tokio::test]
async fn read_only_and_allow_refuse_before_any_request() {
    // The endpoint does not exist: a refusal must come before any request is tried.
    let base = ["--anonymous", "--endpoint", "http://127.0.0.1:9/"];
    let out = gapi(
        &[
            &["drive", "files", "delete", "-p", "fileId=x", "--read-only"][..],
            &base,
        ]
        .concat(),
    )
    .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("drive.files.delete is refused") && out.stderr.contains("DELETE"),
        "{}",
        out.stderr
    );
    let out = gapi(
        &[
            &["drive", "about", "get", "--allow", "drive.files.*"][..],
            &base,
        ]
        .concat(),
    )
    .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("drive.files.*"), "{}", out.stderr);
    // Allowed methods go on (and here fail to connect: exit 6).
    let out = gapi(
        &[
            &[
                "drive",
                "files",
                "list",
                "--read-only",
                "--allow",
                "drive.files.*",
            ][..],
            &base,
        ]
        .concat(),
    )
    .await;
    assert_eq!(out.code, 6, "{}", out.stderr);
    let dry = gapi(&["drive", "files", "create", "--read-only", "--dry-run"]).await;
    assert_eq!(dry.code, 2, "dry runs obey the policy too: {}", dry.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn read_only_login_asks_only_for_read_only_scopes() {
    let setup = common::Setup::new(true).await;
    let secrets = setup.secrets.to_str().unwrap().to_string();
    let out = setup
        .run(&[
            "auth",
            "login",
            "--read-only",
            "--scope",
            "drive",
            "--client-secrets",
            &secrets,
        ])
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("--scope drive.readonly"),
        "{}",
        out.stderr
    );
    common::login_loopback(&setup, &["--read-only", "--scope", "drive.readonly"]).await;
    let status = setup
        .run(&["auth", "status", "--offline", "--format", "json"])
        .await;
    assert_eq!(status.code, 0, "{}", status.stderr);
    let v: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(
        v["scopes"],
        serde_json::json!(["https://www.googleapis.com/auth/drive.readonly"])
    );
}
