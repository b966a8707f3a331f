//! `follow`: Drive changes, Calendar events, Gmail history and People connections followed
//! against the emulator, through restarts from the state file (no repeats, no gaps), expired
//! tokens (410 / EXPIRED_SYNC_TOKEN / a too-old history id) and transient errors.

use std::path::Path;
use std::time::Duration;

use gapi_client::follow::Follower;
use gapi_client::{RetryPolicy, Service, StaticToken};
use gapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde_json::{Value, json};

async fn start() -> RunningEmulator {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Emulator::start(EmulatorConfig {
        auto_approve: true,
        ..Default::default()
    })
    .await
    .expect("emulator starts")
}

async fn control(emu: &RunningEmulator, path: &str, body: Value) -> Value {
    let resp = reqwest::Client::new()
        .post(format!("{}/__emulator/{path}", emu.base_url()))
        .json(&body)
        .send()
        .await
        .expect("control API reachable");
    assert!(
        resp.status().is_success(),
        "control {path}: {}",
        resp.status()
    );
    resp.json().await.unwrap_or(Value::Null)
}

async fn service(
    emu: &RunningEmulator,
    api: &str,
    version: &str,
    scope: &str,
    retry: RetryPolicy,
) -> Service {
    let t = control(
        emu,
        "tokens/issue",
        json!({"email": "alice@example.com", "scopes": [scope]}),
    )
    .await;
    Service::builder()
        .bundled(api, version)
        .endpoint(emu.base_url())
        .auth(StaticToken(t["access_token"].as_str().unwrap().to_string()))
        .retry_policy(retry)
        .build()
        .unwrap()
}

fn fast() -> RetryPolicy {
    RetryPolicy::default().with_delays(Duration::from_millis(5), Duration::from_millis(20))
}

fn ids(items: &[Value], key: &str) -> Vec<String> {
    items
        .iter()
        .map(|i| i[key].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The next batch; a follower that never yields would hang the test run, so give up loudly
/// after a minute (a guard, not a measurement).
async fn next(f: &mut Follower) -> gapi_client::follow::FollowBatch {
    tokio::time::timeout(Duration::from_secs(60), f.next_batch())
        .await
        .expect("a batch within a minute")
        .expect("the follower goes on")
}

fn follower(call: gapi_client::MethodCall, state: &Path) -> Follower {
    Follower::new(call)
        .unwrap()
        .state_file(state)
        .unwrap()
        .interval(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(20))
}

async fn create_file(drive: &Service, name: &str) -> String {
    let f = drive
        .method("files.create")
        .unwrap()
        .body(json!({"name": name}))
        .execute()
        .await
        .unwrap();
    f["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn drive_changes_resume_without_repeats_or_gaps() {
    let emu = start().await;
    let drive = service(
        &emu,
        "drive",
        "v3",
        "https://www.googleapis.com/auth/drive",
        RetryPolicy::never(),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("drive.json");
    let list = || drive.method("changes.list").unwrap().param("pageSize", 2);

    let mut f = follower(list(), &state);
    let first = f.poll_once().await.unwrap();
    assert!(
        first.items.is_empty() && first.round_done,
        "starts from now: {first:?}"
    );
    f.commit().unwrap();
    let a = create_file(&drive, "a").await;
    let batch = next(&mut f).await;
    assert_eq!(ids(&batch.items, "fileId"), std::slice::from_ref(&a));
    f.commit().unwrap();
    drop(f);

    // Restart: nothing handled comes again.
    let b = create_file(&drive, "b").await;
    let c = create_file(&drive, "c").await;
    let d = create_file(&drive, "d").await;
    let mut f = follower(list(), &state);
    let page = next(&mut f).await;
    let first_two = ids(&page.items, "fileId");
    assert_eq!(first_two.len(), 2, "two per page");
    assert!(!page.round_done);
    // A crash before this batch is handled (no commit): the restart gets it again.
    drop(f);
    let mut f = follower(list(), &state);
    let page = next(&mut f).await;
    assert_eq!(ids(&page.items, "fileId"), first_two);
    f.commit().unwrap();
    drop(f);
    // A restart mid-round goes on with the next page: the one left.
    let mut f = follower(list(), &state);
    let mut all = first_two.clone();
    all.extend(ids(&next(&mut f).await.items, "fileId"));
    all.sort();
    let mut want = vec![b, c, d];
    want.sort();
    assert_eq!(all, want);
    f.commit().unwrap();

    // Transient errors (no retries in the service here) are waited out.
    control(&emu, "faults", json!({"match": {"path_prefix": "/drive/v3/changes"}, "times": 3, "action": {"status": 503}})).await;
    let e = create_file(&drive, "e").await;
    assert_eq!(ids(&next(&mut f).await.items, "fileId"), [e]);
    assert_eq!(f.failures(), 0);
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(saved["method"], "drive.changes.list");
    // A state file of another list is refused.
    let other = Follower::new(drive.method("changes.list").unwrap().param("driveId", "x"))
        .unwrap()
        .state_file(&state);
    assert!(other.is_err());
}

async fn insert_event(cal: &Service, summary: &str) -> String {
    let e = cal
        .method("events.insert")
        .unwrap()
        .param("calendarId", "primary")
        .body(json!({"summary": summary, "start": {"dateTime": "2026-05-01T10:00:00Z"}, "end": {"dateTime": "2026-05-01T11:00:00Z"}}))
        .execute()
        .await
        .unwrap();
    e["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn calendar_events_full_sync_changes_restart_and_410() {
    let emu = start().await;
    let cal = service(
        &emu,
        "calendar",
        "v3",
        "https://www.googleapis.com/auth/calendar",
        fast(),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("cal.json");
    let list = || {
        cal.method("events.list")
            .unwrap()
            .param("calendarId", "primary")
            .param("maxResults", 2)
    };
    let e1 = insert_event(&cal, "one").await;
    let e2 = insert_event(&cal, "two").await;
    let e3 = insert_event(&cal, "three").await;

    // The full sync comes in pages; a restart between them loses and repeats nothing.
    let mut f = follower(list(), &state);
    let p1 = next(&mut f).await;
    assert_eq!(p1.items.len(), 2);
    f.commit().unwrap();
    drop(f);
    let mut f = follower(list(), &state);
    let p2 = next(&mut f).await;
    let mut all = ids(&p1.items, "id");
    all.extend(ids(&p2.items, "id"));
    all.sort();
    let mut want = vec![e1.clone(), e2.clone(), e3.clone()];
    want.sort();
    assert_eq!(all, want);
    assert!(p2.round_done);
    f.commit().unwrap();

    // Changes: a new event and a deleted one (as cancelled).
    let e4 = insert_event(&cal, "four").await;
    cal.method("events.delete")
        .unwrap()
        .param("calendarId", "primary")
        .param("eventId", e1.as_str())
        .execute()
        .await
        .unwrap();
    let changes = next(&mut f).await;
    let mut got: Vec<(String, String)> = changes
        .items
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_string(),
                i["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    got.sort();
    let mut expect = vec![
        (e1.clone(), "cancelled".to_string()),
        (e4.clone(), "confirmed".to_string()),
    ];
    expect.sort();
    assert_eq!(got, expect);
    f.commit().unwrap();
    drop(f);

    // The sync token expires: 410, then a full sync of what is there now.
    control(
        &emu,
        "calendar/sync/expire",
        json!({"email": "alice@example.com"}),
    )
    .await;
    let mut f = follower(list(), &state);
    let mut again = Vec::new();
    let first = next(&mut f).await;
    assert!(first.resynced, "{first:?}");
    again.extend(ids(&first.items, "id"));
    f.commit().unwrap();
    while again.len() < 3 {
        let b = next(&mut f).await;
        assert!(!b.resynced);
        again.extend(ids(&b.items, "id"));
        f.commit().unwrap();
    }
    again.sort();
    let mut now = vec![e2, e3, e4];
    now.sort();
    assert_eq!(again, now);
}

#[tokio::test]
async fn gmail_history_and_a_too_old_history_id() {
    let emu = start().await;
    let gmail = service(&emu, "gmail", "v1", "https://mail.google.com/", fast()).await;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("gmail.json");
    let list = || {
        gmail
            .method("users.history.list")
            .unwrap()
            .param("userId", "me")
            .param("historyTypes", "messageAdded")
    };
    let send = |subject: &'static str| {
        let gmail = gmail.clone();
        async move {
            use base64::Engine;
            let raw = format!("To: bob@example.com\r\nSubject: {subject}\r\n\r\nhi\r\n");
            let m = gmail
                .method("users.messages.send")
                .unwrap()
                .param("userId", "me")
                .body(json!({"raw": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)}))
                .execute()
                .await
                .unwrap();
            m["id"].as_str().unwrap().to_string()
        }
    };
    let mut f = follower(list(), &state);
    assert!(
        f.poll_once().await.unwrap().items.is_empty(),
        "starts from now"
    );
    f.commit().unwrap();
    let m1 = send("one").await;
    let b = next(&mut f).await;
    let added: Vec<String> = b
        .items
        .iter()
        .flat_map(|h| h["messagesAdded"].as_array().cloned().unwrap_or_default())
        .map(|m| m["message"]["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(added, [m1]);
    f.commit().unwrap();
    drop(f);

    // A message while the follower is away, then the history is pruned: its start id is too
    // old (404); it starts again from the mailbox's current id and says so.
    send("lost").await;
    control(
        &emu,
        "gmail/history/expire",
        json!({"email": "alice@example.com"}),
    )
    .await;
    let mut f = follower(list(), &state);
    let b = next(&mut f).await;
    assert!(b.resynced && b.items.is_empty(), "{b:?}");
    f.commit().unwrap();
    let m2 = send("two").await;
    let b = next(&mut f).await;
    let added: Vec<String> = b
        .items
        .iter()
        .flat_map(|h| h["messagesAdded"].as_array().cloned().unwrap_or_default())
        .map(|m| m["message"]["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(added, [m2]);
}

#[tokio::test]
async fn people_connections_and_an_expired_sync_token() {
    let emu = start().await;
    let people = service(
        &emu,
        "people",
        "v1",
        "https://www.googleapis.com/auth/contacts",
        fast(),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("people.json");
    let create = |name: &'static str| {
        let people = people.clone();
        async move {
            let c = people
                .method("people.createContact")
                .unwrap()
                .body(json!({"names": [{"givenName": name}]}))
                .execute()
                .await
                .unwrap();
            c["resourceName"].as_str().unwrap().to_string()
        }
    };
    let list = || {
        people
            .method("people.connections.list")
            .unwrap()
            .param("resourceName", "people/me")
            .param("personFields", "names")
    };
    let ann = create("Ann").await;
    let mut f = follower(list(), &state);
    let b = next(&mut f).await;
    assert_eq!(ids(&b.items, "resourceName"), std::slice::from_ref(&ann));
    f.commit().unwrap();
    let ben = create("Ben").await;
    people
        .method("people.deleteContact")
        .unwrap()
        .param("resourceName", ann.as_str())
        .execute()
        .await
        .unwrap();
    drop(f);
    let mut f = follower(list(), &state);
    let b = next(&mut f).await;
    let mut got: Vec<(String, bool)> = b
        .items
        .iter()
        .map(|p| {
            (
                p["resourceName"].as_str().unwrap().to_string(),
                p["metadata"]["deleted"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    got.sort();
    let mut want = vec![(ann.clone(), true), (ben.clone(), false)];
    want.sort();
    assert_eq!(got, want);
    f.commit().unwrap();

    control(
        &emu,
        "people/sync/expire",
        json!({"email": "alice@example.com"}),
    )
    .await;
    let b = next(&mut f).await;
    assert!(b.resynced);
    assert_eq!(ids(&b.items, "resourceName"), [ben]);

    // Skipping what exists: a new state starts from now.
    let mut fresh = follower(list(), &dir.path().join("fresh.json")).skip_existing(true);
    let first = fresh.poll_once().await.unwrap();
    assert!(first.items.is_empty() && first.round_done);
    fresh.commit().unwrap();
    let cy = create("Cy").await;
    assert_eq!(ids(&next(&mut fresh).await.items, "resourceName"), [cy]);
}
