//! The generic store over plain HTTP: Tasks task lists and Pub/Sub topics, reached through the
//! per-API base that the emulator's Discovery documents name; and the same standard-method
//! behaviour of the dedicated Calendar service (`calendar.rs` has the rest).

use gapi_testkit::emulator::*;
use serde_json::{Value, json};

const CALENDAR: &str = "https://www.googleapis.com/auth/calendar";
const TASKS: &str = "https://www.googleapis.com/auth/tasks";
const PUBSUB: &str = "https://www.googleapis.com/auth/pubsub";

/// `baseUrl` of an API as the emulator's Discovery service announces it.
async fn base_url(http: &reqwest::Client, base: &str, api: &str, version: &str) -> String {
    let doc: Value = http
        .get(format!("{base}/discovery/v1/apis/{api}/{version}/rest"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["rootUrl"], format!("{base}/_/{api}/"));
    doc["baseUrl"].as_str().unwrap().to_owned()
}

async fn error_status(r: reqwest::Response, code: u16) -> Value {
    assert_eq!(r.status().as_u16(), code);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], code, "{body}");
    body
}

#[tokio::test]
async fn calendar_events_insert_get_list_patch_delete() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&base, "alice@example.com", CALENDAR).await;
    let cal = base_url(&http, &base, "calendar", "v3").await;
    let events = format!("{cal}calendars/primary/events");
    let mut ids = Vec::new();
    for summary in ["Standup", "Review", "Retro"] {
        let r = http
            .post(&events)
            .bearer_auth(&token)
            .json(
                &json!({"summary": summary, "start": {"dateTime": "2026-12-01T10:00:00Z"},
                          "end": {"dateTime": "2026-12-01T10:15:00Z"}}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let ev: Value = r.json().await.unwrap();
        assert_eq!(ev["kind"], "calendar#event");
        assert_eq!(ev["summary"], summary);
        assert!(ev["etag"].is_string() && ev["created"].is_string(), "{ev}");
        ids.push(ev["id"].as_str().unwrap().to_owned());
    }
    // get, by the primary alias and by the calendar's real id (the user's email)
    for calendar in ["primary", "alice@example.com"] {
        let ev: Value = http
            .get(format!("{cal}calendars/{calendar}/events/{}", ids[1]))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(ev["summary"], "Review");
    }
    // list, two pages, and `fields`
    let page1: Value = http
        .get(&events)
        .query(&[
            ("maxResults", "2"),
            ("fields", "items(id,summary),nextPageToken"),
        ])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = page1["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(
        items[0].get("etag").is_none(),
        "fields keeps only id and summary"
    );
    assert_eq!(items[0]["summary"], "Standup");
    let next = page1["nextPageToken"].as_str().unwrap();
    let page2: Value = http
        .get(&events)
        .query(&[("maxResults", "2"), ("pageToken", next)])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page2["kind"], "calendar#events");
    assert_eq!(page2["items"][0]["summary"], "Retro");
    assert!(page2.get("nextPageToken").is_none());
    // patch merges
    let patched: Value = http
        .patch(format!("{events}/{}", ids[0]))
        .bearer_auth(&token)
        .json(&json!({"summary": "Daily standup"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(patched["summary"], "Daily standup");
    // Calendar answers in the calendar's zone (Alice's primary calendar is Europe/Berlin).
    assert_eq!(patched["start"]["dateTime"], "2026-12-01T11:00:00+01:00");
    assert_eq!(patched["id"], ids[0].as_str());
    // the body is checked against the schema
    let r = http
        .post(&events)
        .bearer_auth(&token)
        .json(&json!({"summery": "typo"}))
        .send()
        .await
        .unwrap();
    let e = error_status(r, 400).await;
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Unknown name \"summery\""),
        "{e}"
    );
    // a client-chosen id that exists is a 409
    let r = http
        .post(&events)
        .bearer_auth(&token)
        .json(&json!({"id": ids[2], "summary": "again"}))
        .send()
        .await
        .unwrap();
    let e = error_status(r, 409).await;
    assert_eq!(e["error"]["status"], "ALREADY_EXISTS");
    // delete, then 404
    let r = http
        .delete(format!("{events}/{}", ids[0]))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = http
        .get(format!("{events}/{}", ids[0]))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let e = error_status(r, 404).await;
    assert_eq!(e["error"]["status"], "NOT_FOUND");
    // another user's primary calendar is another calendar
    let bob = issued_token(&base, "bob@example.com", CALENDAR).await;
    let list: Value = http
        .get(&events)
        .bearer_auth(bob)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"], json!([]));
    // scopes come from the method's `scopes`; no token is a 401
    let drive_only = issued_token(&base, "alice@example.com", DRIVE).await;
    let r = http
        .get(&events)
        .bearer_auth(&drive_only)
        .send()
        .await
        .unwrap();
    error_status(r, 403).await;
    let r = http.get(&events).send().await.unwrap();
    error_status(r, 401).await;
}

#[tokio::test]
async fn tasks_tasklists_insert_list_update() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&base, "alice@example.com", TASKS).await;
    let tasks = base_url(&http, &base, "tasks", "v1").await;
    let created: Value = http
        .post(format!("{tasks}tasks/v1/users/@me/lists"))
        .bearer_auth(&token)
        .json(&json!({"title": "Groceries"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(created["kind"], "tasks#taskList");
    let id = created["id"].as_str().unwrap();
    let list: Value = http
        .get(format!("{tasks}tasks/v1/users/@me/lists"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["kind"], "tasks#taskLists");
    assert_eq!(list["items"][0]["title"], "Groceries");
    let updated: Value = http
        .put(format!("{tasks}tasks/v1/users/@me/lists/{id}"))
        .bearer_auth(&token)
        .json(&json!({"title": "Shopping"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(updated["title"], "Shopping");
    assert_eq!(updated["id"], id);
}

#[tokio::test]
async fn pubsub_topics_create_by_name_and_duplicates_conflict() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&base, "alice@example.com", PUBSUB).await;
    let pubsub = base_url(&http, &base, "pubsub", "v1").await;
    let topic = format!("{pubsub}v1/projects/demo/topics/orders");
    let r = http
        .put(&topic)
        .bearer_auth(&token)
        .json(&json!({"labels": {"team": "shop"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let t: Value = r.json().await.unwrap();
    assert_eq!(t["name"], "projects/demo/topics/orders");
    assert_eq!(t["labels"]["team"], "shop");
    let r = http
        .put(&topic)
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let e = error_status(r, 409).await;
    assert_eq!(e["error"]["status"], "ALREADY_EXISTS");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("orders"),
        "{e}"
    );
    // patch with the request wrapper and an update mask
    let patched: Value = http
        .patch(&topic)
        .bearer_auth(&token)
        .json(&json!({"topic": {"labels": {"team": "ops"}}, "updateMask": "labels"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(patched["labels"]["team"], "ops");
    let list: Value = http
        .get(format!("{pubsub}v1/projects/demo/topics"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["topics"][0]["name"], "projects/demo/topics/orders");
    // custom methods answer 501, saying so
    let r = http
        .post(format!("{topic}:publish"))
        .bearer_auth(&token)
        .json(&json!({"messages": []}))
        .send()
        .await
        .unwrap();
    let e = error_status(r, 501).await;
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("pubsub.projects.topics.publish"),
        "{e}"
    );
    // without the per-API base, the host names the API
    let r = http
        .get(format!("{base}/v1/projects/demo/topics/orders"))
        .header("x-forwarded-host", "pubsub.googleapis.com")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = http
        .get(format!("{base}/v1/projects/demo/topics/orders"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let e = error_status(r, 404).await;
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("/_/<api>/"),
        "{e}"
    );
    // delete answers Empty, then the topic is gone
    let r = http
        .delete(&topic)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = http.get(&topic).bearer_auth(&token).send().await.unwrap();
    error_status(r, 404).await;
}

#[tokio::test]
async fn drive_paths_without_a_handler_answer_501_and_prefixed_drive_works() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&base, "alice@example.com", DRIVE).await;
    let drive = base_url(&http, &base, "drive", "v3").await;
    assert_eq!(drive, format!("{base}/_/drive/drive/v3/"));
    let list: Value = http
        .get(format!("{drive}files"))
        .query(&[("pageSize", "2")])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["files"].as_array().unwrap().len(), 2);
    let r = http
        .get(format!("{drive}files/x/revisions"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let e = error_status(r, 501).await;
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("drive.revisions.list"),
        "{e}"
    );
}

#[tokio::test]
async fn a_post_overridden_to_get_carries_its_query_in_the_body() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&base, "alice@example.com", DRIVE).await;
    let q = format!(
        "name contains 'report' and not name contains '{}'",
        "x".repeat(100_000)
    );
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("q", &q)
        .append_pair("fields", "files(name)")
        .finish();
    let r = http
        .post(format!("{base}/drive/v3/files?pageSize=50"))
        .header("x-http-method-override", "GET")
        .header("content-type", "application/x-www-form-urlencoded")
        .bearer_auth(&token)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let got: Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{got}");
    let plain: Value = http
        .get(format!("{base}/drive/v3/files"))
        .query(&[
            ("q", "name contains 'report'"),
            ("fields", "files(name)"),
            ("pageSize", "50"),
        ])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!plain["files"].as_array().unwrap().is_empty());
    assert_eq!(got, plain, "the override answers what the GET answers");
}

#[tokio::test]
async fn generic_resources_survive_a_restart() {
    let dir = DataDir::new();
    let config = dir.config();
    let emu = start_with(config.clone()).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&base, "alice@example.com", TASKS).await;
    let created: Value = http
        .post(format!("{base}/_/tasks/tasks/v1/users/@me/lists"))
        .bearer_auth(&token)
        .json(&json!({"title": "Kept"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    emu.shutdown().await;
    let emu = start_with(config).await;
    let got: Value = http
        .get(format!(
            "{}/_/tasks/tasks/v1/users/@me/lists/{id}",
            emu.base_url()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(got["title"], "Kept");
    emu.shutdown().await;
}
