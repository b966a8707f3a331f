//! Google's Python API client (google-api-python-client, built from the emulator's Discovery
//! documents) against the Workspace services of issue 18: a Gmail message built by Python's
//! `email` package sent, read back in `full` and `raw`, attachments fetched, the raw parsed
//! again by `email`, a resumable upload; Sheets create/append/get; Calendar paging to a sync
//! token, changes, and 410 after expiry. `tests/peers/python_workspace_client.py` reports;
//! this file judges. Needs the test peers (`. target/test-env.sh`); fails, never skips,
//! without them.

use std::path::PathBuf;

use gapi_emulator::RunningEmulator;
use gapi_testkit::emulator::*;
use gapi_testkit::peers;
use serde_json::{Value, json};

async fn run(scenario: &str, emu: &RunningEmulator, mut config: Value) -> Value {
    config["base"] = json!(emu.base_url());
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/peers/python_workspace_client.py");
    let mut cmd = peers::python_script(script);
    cmd.arg(scenario).env("GAPI_EMU", config.to_string());
    peers::last_json_line(&peers::run(cmd).await)
}

#[tokio::test]
async fn python_gmail_send_read_full_raw_attachments_upload() {
    let emu = start(true).await;
    let http = http();
    let token = issued_token(&emu, "alice@example.com", "https://mail.google.com/").await;
    let readonly = issued_token(
        &emu,
        "alice@example.com",
        "https://www.googleapis.com/auth/gmail.readonly",
    )
    .await;
    let out = run(
        "gmail",
        &emu,
        json!({"access_token": token, "readonly_token": readonly}),
    )
    .await;
    assert_eq!(out["sent"]["labelIds"], json!(["SENT"]));
    assert_eq!(out["subject"], "Grüße aus Berlin 👋", "headers decoded");
    assert_eq!(out["payload_mime"], "multipart/mixed");
    assert_eq!(
        out["raw_equal"], true,
        "format=raw gives back the bytes sent"
    );
    assert_eq!(out["parsed_subject"], "Grüße aus Berlin 👋");
    assert_eq!(out["parsed_text"], "Hallo Bob,\nsiehe Anhang.\n");
    assert_eq!(out["parsed_attachment_ok"], true);
    let parts = out["parts"].as_array().unwrap();
    let ids: Vec<&str> = parts
        .iter()
        .map(|p| p["partId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["", "0", "0.0", "0.1", "1", "2"]);
    assert_eq!(parts[2]["mimeType"], "text/plain");
    assert_eq!(parts[2]["data"], "Hallo Bob,\nsiehe Anhang.\n");
    assert_eq!(parts[3]["mimeType"], "text/html");
    for (i, name, size) in [(4, "bytes.bin", 768), (5, "data.csv", 8)] {
        assert_eq!(parts[i]["filename"], name);
        assert_eq!(parts[i]["attachment_size"], size);
        assert_eq!(parts[i]["attachment_matches"], true, "{}", parts[i]);
    }
    assert_eq!(out["uploaded"]["labelIds"], json!(["SENT"]));
    assert_ne!(out["uploaded"]["id"], out["sent"]["id"]);
    assert_eq!(out["denied"]["status"], 403);
    let history = out["history"]["history"].as_array().unwrap();
    assert!(
        history
            .iter()
            .any(|h| h["messagesAdded"][0]["message"]["id"] == out["uploaded"]["id"]),
        "{}",
        out["history"]
    );
    assert_eq!(out["history"]["historyId"], out["profile_history"]);
    // Bob got both.
    let bob = issued_token(
        &emu,
        "bob@example.com",
        "https://www.googleapis.com/auth/gmail.readonly",
    )
    .await;
    let list: Value = http
        .get(format!("{}/gmail/v1/users/me/messages", emu.base_url()))
        .query(&[("q", "subject:berlin")])
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["messages"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn python_sheets_create_append_get() {
    let emu = start(true).await;
    let token = issued_token(
        &emu,
        "alice@example.com",
        "https://www.googleapis.com/auth/spreadsheets",
    )
    .await;
    let out = run("sheets", &emu, json!({"access_token": token})).await;
    assert_eq!(out["book"]["spreadsheetId"].as_str().unwrap().len(), 44);
    assert_eq!(out["sheet_titles"], json!(["Q1 data"]));
    assert_eq!(out["first"]["updates"]["updatedRange"], "'Q1 data'!A1:C2");
    assert_eq!(out["second"]["tableRange"], "'Q1 data'!A1:C2");
    assert_eq!(out["second"]["updates"]["updatedRange"], "'Q1 data'!A3:C3");
    assert_eq!(
        out["got"]["values"],
        json!([
            ["name", "qty", "note"],
            ["apple", "3", "a, \"quoted\"\nline"],
            ["pear", "1,5", "Grüße"]
        ])
    );
    assert_eq!(
        out["unformatted"]["values"],
        json!([[3], ["1,5"]]),
        "USER_ENTERED parsed 3; RAW kept 1,5"
    );
    assert_eq!(out["missing_option"]["status"], 400);
}

#[tokio::test]
async fn python_calendar_sync_token_then_410() {
    let emu = start(true).await;
    let token = issued_token(
        &emu,
        "alice@example.com",
        "https://www.googleapis.com/auth/calendar",
    )
    .await;
    let out = run("calendar", &emu, json!({"access_token": token})).await;
    assert_eq!(out["time_zone"], "Europe/Berlin");
    assert_eq!(out["full"], json!(["one"]));
    assert!(
        out["two"]["hangoutLink"]
            .as_str()
            .unwrap()
            .starts_with("https://meet.google.com/")
    );
    let changes = out["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(
        changes
            .iter()
            .any(|c| c["id"] == out["deleted_id"] && c["status"] == "cancelled")
    );
    assert!(
        changes
            .iter()
            .any(|c| c["summary"] == "two" && c["status"] == "confirmed")
    );
    assert_eq!(out["expire_status"], 200);
    assert_eq!(out["gone"]["status"], 410);
    assert_eq!(
        out["gone"]["content"]["error"]["errors"][0]["reason"],
        "fullSyncRequired"
    );
}
