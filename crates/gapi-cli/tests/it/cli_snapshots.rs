//! Snapshot tests (insta) of what people read: help, errors, dry runs, schema trees. A change
//! to any of them shows up as a snapshot diff to review (`cargo insta review`).

use crate::common;

use std::time::{Duration, SystemTime};

use common::{Setup, gapi_in, login_loopback, run};
use gapi_emulator::EmulatorConfig;
use serde_json::json;

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

// ----------------------------------------------------------------- authorization errors
//
// What a person reads when authorization fails, each cause printed once and the login command
// worded once (in `auth_hints.rs`). Temporary paths and the emulator's port are masked.

/// An emulator with a stored login of drive.readonly (refresh tokens living `lifetime`).
async fn logged_in(lifetime: Option<Duration>, scope: &str) -> Setup {
    let setup = Setup::with_config(EmulatorConfig {
        auto_approve: true,
        refresh_token_lifetime: lifetime,
        ..Default::default()
    })
    .await;
    login_loopback(
        &setup,
        &["--login-hint", "bob@example.com", "--scope", scope],
    )
    .await;
    setup
}

/// Edits the stored default login; its access token is made stale so the next use refreshes.
fn edit_login(setup: &Setup, f: impl FnOnce(&mut serde_json::Value)) {
    let path = setup.config_dir().join("credentials/default.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    v["expiry"] = json!("2000-01-01T00:00:00Z");
    f(&mut v);
    std::fs::write(&path, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
}

/// Stable text: the setup's folder and the emulator's address masked.
fn masked(setup: &Setup, text: &str) -> String {
    let dir = std::fs::canonicalize(setup.dir.path()).unwrap();
    text.replace(&dir.display().to_string(), "[TMP]")
        .replace(&setup.dir.path().display().to_string(), "[TMP]")
        .replace(&setup.base(), "[EMULATOR]")
}

#[tokio::test(flavor = "multi_thread")]
async fn auth_error_expired_grant_through_a_call() {
    let setup = logged_in(Some(Duration::from_secs(1)), "drive.readonly").await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    edit_login(&setup, |v| {
        v["refresh_token_obtained_at"] = json!(gapi_auth::protocol::timefmt::format_expiry(
            SystemTime::now() - Duration::from_secs(2 * 3600)
        ))
    });
    let out = setup.api(&["drive", "files", "list"]).await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    insta::assert_snapshot!("auth_expired_grant_call", masked(&setup, &out.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn auth_error_revoked_grant() {
    let setup = logged_in(None, "drive.readonly").await;
    edit_login(&setup, |v| {
        v["refresh_token_obtained_at"] = json!(gapi_auth::protocol::timefmt::format_expiry(
            SystemTime::now() - Duration::from_secs(3 * 86_400)
        ))
    });
    setup.control("tokens/revoke", json!({})).await;
    let out = setup.api(&["drive", "files", "list"]).await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    insta::assert_snapshot!("auth_revoked_grant", masked(&setup, &out.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn auth_error_missing_profile() {
    let setup = Setup::new(true).await;
    let out = setup
        .api(&["drive", "files", "list", "--profile", "work"])
        .await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    insta::assert_snapshot!("auth_missing_profile", masked(&setup, &out.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn auth_error_insufficient_scope_from_the_api() {
    // The stored login names no scopes, so the call is sent and the API answers 403.
    let setup = logged_in(None, "youtube.readonly").await;
    edit_login(&setup, |v| v["scopes"] = json!([]));
    let out = setup.api(&["drive", "files", "list"]).await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    insta::assert_snapshot!("auth_insufficient_scope", masked(&setup, &out.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn auth_error_no_client_secrets() {
    let setup = Setup::new(true).await;
    let out = setup.run(&["auth", "login", "--no-browser"]).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    insta::assert_snapshot!("auth_no_client_secrets", masked(&setup, &out.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn auth_error_diagnosed_invalid_grant_in_a_script() {
    let setup = logged_in(Some(Duration::from_secs(1)), "drive.readonly").await;
    edit_login(&setup, |v| {
        v["refresh_token_obtained_at"] = json!(gapi_auth::protocol::timefmt::format_expiry(
            SystemTime::now() - Duration::from_secs(7 * 86_400)
        ))
    });
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let out = setup.run(&["auth", "print-access-token"]).await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    insta::assert_snapshot!("auth_diagnosed_invalid_grant", masked(&setup, &out.stderr));
}
