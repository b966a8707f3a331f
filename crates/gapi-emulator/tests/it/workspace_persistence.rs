//! The Workspace services' state under `data_dir` survives a restart: a Gmail message (with
//! an attachment large enough to be stored as a blob), its history, a spreadsheet's values,
//! a calendar event and its sync token, a document and a contact.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE;
use gapi_testkit::emulator::*;
use serde_json::{Value, json};

const SCOPES: &str = "https://mail.google.com/ https://www.googleapis.com/auth/spreadsheets https://www.googleapis.com/auth/calendar https://www.googleapis.com/auth/documents https://www.googleapis.com/auth/contacts";

#[tokio::test]
async fn workspace_state_survives_a_restart() {
    let data = DataDir::new();
    let config = data.config();
    let emu = start_with(config.clone()).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&emu, "alice@example.com", SCOPES).await;
    let big = "x".repeat(20_000);
    let raw = format!("To: bob@example.com\r\nSubject: kept\r\n\r\n{big}\r\n");
    let sent: Value = http
        .post(format!("{base}/gmail/v1/users/me/messages/send"))
        .bearer_auth(&token)
        .json(&json!({"raw": URL_SAFE.encode(&raw)}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = sent["id"].as_str().unwrap().to_owned();
    let profile: Value = http
        .get(format!("{base}/gmail/v1/users/me/profile"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let book: Value = http
        .post(format!("{base}/v4/spreadsheets"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sid = book["spreadsheetId"].as_str().unwrap().to_owned();
    let r = http
        .put(format!("{base}/v4/spreadsheets/{sid}/values/A1"))
        .query(&[("valueInputOption", "USER_ENTERED")])
        .bearer_auth(&token)
        .json(&json!({"values": [["1", "=A1+1"]]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let ev: Value = http
        .post(format!("{base}/calendar/v3/calendars/primary/events"))
        .bearer_auth(&token)
        .json(&json!({"summary": "kept", "start": {"date": "2026-10-01"}, "end": {"date": "2026-10-02"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list: Value = http
        .get(format!("{base}/calendar/v3/calendars/primary/events"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sync = list["nextSyncToken"].as_str().unwrap().to_owned();
    let doc: Value = http
        .post(format!("{base}/v1/documents"))
        .bearer_auth(&token)
        .json(&json!({"title": "kept"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let did = doc["documentId"].as_str().unwrap().to_owned();
    let r = http
        .post(format!("{base}/v1/documents/{did}:batchUpdate"))
        .bearer_auth(&token)
        .json(&json!({"requests": [{"insertText": {"location": {"index": 1}, "text": "hello"}}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = http
        .post(format!("{base}/v1/people:createContact"))
        .bearer_auth(&token)
        .json(&json!({"names": [{"givenName": "Kept"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    emu.shutdown().await;

    let emu = start_with(config).await;
    let base = emu.base_url();
    let m: Value = http
        .get(format!("{base}/gmail/v1/users/me/messages/{id}?format=raw"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let back = base64::engine::general_purpose::URL_SAFE
        .decode(m["raw"].as_str().unwrap())
        .unwrap();
    assert!(
        String::from_utf8(back)
            .unwrap()
            .ends_with(&format!("{big}\r\n"))
    );
    let after: Value = http
        .get(format!("{base}/gmail/v1/users/me/profile"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after["historyId"], profile["historyId"]);
    let v: Value = http
        .get(format!("{base}/v4/spreadsheets/{sid}/values/A1:B1"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["values"], json!([["1", "2"]]));
    let changes: Value = http
        .get(format!("{base}/calendar/v3/calendars/primary/events"))
        .query(&[("syncToken", sync.as_str())])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        changes["items"],
        json!([]),
        "the token still works after the restart"
    );
    let got: Value = http
        .get(format!(
            "{base}/calendar/v3/calendars/primary/events/{}",
            ev["id"].as_str().unwrap()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(got["summary"], "kept");
    let d: Value = http
        .get(format!("{base}/v1/documents/{did}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        d["body"]["content"][1]["paragraph"]["elements"][0]["textRun"]["content"],
        "hello\n"
    );
    let c: Value = http
        .get(format!(
            "{base}/v1/people/me/connections?personFields=names"
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(c["connections"][0]["names"][0]["givenName"], "Kept");
    emu.shutdown().await;
}
