//! Refresh failures that explain themselves, against the emulator: a refresh token that dies
//! at about 7 days (the emulator's `refresh_token_lifetime`, the stored issue time set 7 days
//! back), one that dies younger, an organisation's re-authentication policy (`invalid_rapt`),
//! and a client that is gone. In a script each exits 3 naming the exact login command.

use crate::common;

use std::time::{Duration, SystemTime};

use common::{Setup, login_loopback};
use gapi_emulator::EmulatorConfig;
use serde_json::{Value, json};

const DAY: Duration = Duration::from_secs(86_400);

async fn setup(lifetime: Option<Duration>) -> Setup {
    let setup = Setup::with_config(EmulatorConfig {
        auto_approve: true,
        refresh_token_lifetime: lifetime,
        ..Default::default()
    })
    .await;
    login_loopback(
        &setup,
        &[
            "--login-hint",
            "bob@example.com",
            "--scope",
            "drive.readonly",
        ],
    )
    .await;
    setup
}

fn file(setup: &Setup) -> std::path::PathBuf {
    setup.config_dir().join("credentials/default.json")
}

fn stored(setup: &Setup) -> Value {
    serde_json::from_slice(&std::fs::read(file(setup)).unwrap()).unwrap()
}

/// Edits the stored login; the access token is always made stale so the next call refreshes.
fn edit(setup: &Setup, f: impl FnOnce(&mut Value)) {
    let mut v = stored(setup);
    v["expiry"] = json!("2000-01-01T00:00:00Z");
    f(&mut v);
    std::fs::write(file(setup), serde_json::to_vec_pretty(&v).unwrap()).unwrap();
}

/// The exact command naming the client secrets file and scopes of this login.
fn exact_command(setup: &Setup) -> String {
    format!(
        "gapi auth login --client-secrets {} --scope https://www.googleapis.com/auth/drive.readonly",
        std::path::absolute(&setup.secrets).unwrap().display()
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn login_records_when_the_refresh_token_was_obtained() {
    let before = SystemTime::now() - Duration::from_secs(5);
    let setup = setup(None).await;
    let v = stored(&setup);
    let at = gapi_auth::protocol::timefmt::parse_expiry(
        v["refresh_token_obtained_at"].as_str().unwrap(),
    )
    .expect("an RFC 3339 time");
    assert!(
        at >= before && at <= SystemTime::now() + Duration::from_secs(5),
        "{v}"
    );
    assert_eq!(
        v["gapi_client_secrets"].as_str().unwrap(),
        std::path::absolute(&setup.secrets)
            .unwrap()
            .display()
            .to_string()
    );
    // A refresh keeps the field (the refresh token did not change).
    edit(&setup, |_| {});
    let out = setup.run(&["auth", "print-access-token"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        stored(&setup)["refresh_token_obtained_at"],
        v["refresh_token_obtained_at"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_dead_at_seven_days_is_blamed_on_testing_mode() {
    let setup = setup(Some(Duration::from_secs(1))).await;
    let week_ago = gapi_auth::protocol::timefmt::format_expiry(SystemTime::now() - 7 * DAY);
    edit(&setup, |v| v["refresh_token_obtained_at"] = json!(week_ago));
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let out = setup.run(&["auth", "print-access-token"]).await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    for needle in [
        "Testing mode",
        "7 days ago",
        "Publish app",
        "log in again at least once a week",
        &exact_command(&setup),
    ] {
        assert!(out.stderr.contains(needle), "{needle}: {}", out.stderr);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_younger_dead_token_lists_the_likely_causes() {
    let setup = setup(Some(Duration::from_secs(1))).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    edit(&setup, |_| {});
    let out = setup.run(&["auth", "print-access-token"]).await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    for needle in [
        "no longer valid (invalid_grant)",
        "myaccount.google.com",
        "100 refresh tokens",
        &exact_command(&setup),
    ] {
        assert!(out.stderr.contains(needle), "{needle}: {}", out.stderr);
    }
    assert!(!out.stderr.contains("Testing mode"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_organisation_reauth_policy_says_sign_in_again() {
    let setup = setup(None).await;
    setup.control("tokens/reauth", json!({})).await;
    edit(&setup, |_| {});
    // Through an API call: the credential error travels inside the client's error.
    let out = setup.api(&["drive", "files", "list"]).await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    for needle in [
        "organisation requires you to sign in again",
        "invalid_rapt",
        &exact_command(&setup),
    ] {
        assert!(out.stderr.contains(needle), "{needle}: {}", out.stderr);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gone_client_asks_for_a_working_one() {
    let setup = setup(None).await;
    edit(&setup, |v| {
        v["client_secret"] = json!("no-longer-the-secret")
    });
    let out = setup.run(&["auth", "print-access-token"]).await;
    assert_eq!(out.code, 3, "{}", out.stderr);
    for needle in [
        "invalid_client",
        "Google Cloud console",
        "NEW_CLIENT_SECRET.json",
        "client secrets of a working client",
    ] {
        assert!(out.stderr.contains(needle), "{needle}: {}", out.stderr);
    }
}
