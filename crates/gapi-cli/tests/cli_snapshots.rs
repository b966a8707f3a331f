//! Snapshot tests (insta) of what people read: help, errors, dry runs, schema trees. A change
//! to any of them shows up as a snapshot diff to review (`cargo insta review`).

mod common;

use common::{gapi_in, run};

async fn gapi(args: &[&str]) -> common::Output {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = gapi_in(dir.path());
    cmd.args(args);
    run(cmd).await
}

/// The toolchain version in `x-goog-api-client` changes with rustc: mask it.
fn mask_versions(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("gl-rust/") {
        out.push_str(&rest[..i + "gl-rust/".len()]);
        rest = &rest[i + "gl-rust/".len()..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        out.push_str("[RUSTC]");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn top_level_help_lists_the_call_flags() {
    let out = gapi(&["--help"]).await;
    assert_eq!(out.code, 0);
    insta::assert_snapshot!("gapi_help", out.stdout);
}

#[tokio::test]
async fn api_help_lists_resources_with_their_methods() {
    let out = gapi(&["drive", "--help"]).await;
    assert_eq!(out.code, 0);
    insta::assert_snapshot!("drive_help", out.stdout);
    let help = gapi(&["help", "drive"]).await;
    assert_eq!(help.code, 0, "{}", help.stderr);
    assert_eq!(
        help.stdout, out.stdout,
        "gapi help drive is gapi drive --help"
    );
}

#[tokio::test]
async fn method_help() {
    let out = gapi(&["drive", "about", "get", "--help"]).await;
    assert_eq!(out.code, 0);
    insta::assert_snapshot!("drive_about_get_help", out.stdout);
}

#[tokio::test]
async fn errors() {
    let out = gapi(&["drive", "filez", "list"]).await;
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("error_unknown_resource", out.stderr);
    let out = gapi(&["drive", "files", "list", "-p", "pageSise=5", "--dry-run"]).await;
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("error_unknown_parameter", out.stderr);
    let out = gapi(&[
        "drive",
        "files",
        "create",
        "--dry-run",
        "--json",
        r#"{"nmae": 1, "starred": "yes"}"#,
    ])
    .await;
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("error_bad_body", out.stderr);
    let out = gapi(&["drive", "files", "list", "--jq", ".files["]).await;
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("error_bad_jq", out.stderr);
}

#[tokio::test]
async fn dry_runs() {
    let out = gapi(&[
        "drive",
        "files",
        "list",
        "-p",
        "pageSize=5",
        "-p",
        "q=name contains 'x'",
        "--dry-run",
    ])
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("dry_run_files_list", mask_versions(&out.stdout));
    let out = gapi(&[
        "drive",
        "files",
        "create",
        "--json",
        r#"{"name": "a", "parents": ["root"]}"#,
        "--dry-run",
    ])
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("dry_run_files_create", mask_versions(&out.stdout));
}

#[tokio::test]
async fn describe_renders_schemas_as_trees() {
    let out = gapi(&["describe", "drive", "About"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        !out.stdout.contains("null") && !out.stdout.contains("\"type\""),
        "no serde dump"
    );
    insta::assert_snapshot!("describe_drive_about", out.stdout);
}
