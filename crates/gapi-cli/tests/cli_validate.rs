//! Request bodies are checked against the method's schema before anything is sent.

mod common;

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
