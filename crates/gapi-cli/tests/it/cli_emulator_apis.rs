//! The emulator's generic store through the CLI: Calendar events, Tasks task lists and Pub/Sub
//! topics, all reached with the one `--endpoint <emulator>/` (no per-API flag).

use crate::common;

use common::Setup;
use serde_json::Value;

fn json(out: &common::Output) -> Value {
    assert_eq!(
        out.code, 0,
        "stdout: {}\nstderr: {}",
        out.stdout, out.stderr
    );
    serde_json::from_str(&out.stdout).expect("JSON on stdout")
}

async fn setup() -> Setup {
    let setup = Setup::new(true).await;
    common::login_loopback(
        &setup,
        &[
            "--scope", "calendar", "--scope", "tasks", "--scope", "pubsub",
        ],
    )
    .await;
    setup
}

#[tokio::test]
async fn calendar_events_through_gapi() {
    let setup = setup().await;
    let ev = json(
        &setup
            .api(&[
                "calendar", "events", "insert", "-p", "calendarId=primary", "--json",
                r#"{"summary": "Standup", "start": {"dateTime": "2026-12-01T10:00:00Z"}, "end": {"dateTime": "2026-12-01T10:15:00Z"}}"#,
            ])
            .await,
    );
    assert_eq!(ev["kind"], "calendar#event");
    let id = ev["id"].as_str().unwrap().to_owned();
    let event_id = format!("eventId={id}");
    let got = json(
        &setup
            .api(&[
                "calendar",
                "events",
                "get",
                "-p",
                "calendarId=primary",
                "-p",
                &event_id,
            ])
            .await,
    );
    assert_eq!(got["summary"], "Standup");
    let patched = json(
        &setup
            .api(&[
                "calendar",
                "events",
                "patch",
                "-p",
                "calendarId=primary",
                "-p",
                &event_id,
                "--json",
                r#"{"summary": "Daily standup"}"#,
            ])
            .await,
    );
    assert_eq!(patched["summary"], "Daily standup");
    let list = json(
        &setup
            .api(&["calendar", "events", "list", "-p", "calendarId=primary"])
            .await,
    );
    assert_eq!(list["items"][0]["summary"], "Daily standup");
    let out = setup
        .api(&[
            "calendar",
            "events",
            "delete",
            "-p",
            "calendarId=primary",
            "-p",
            &event_id,
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = setup
        .api(&[
            "calendar",
            "events",
            "get",
            "-p",
            "calendarId=primary",
            "-p",
            &event_id,
        ])
        .await;
    assert_ne!(out.code, 0, "a deleted event is gone: {}", out.stdout);
    assert!(
        out.stderr.contains("404") || out.stderr.contains("Not Found"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn tasks_tasklists_through_gapi() {
    let setup = setup().await;
    let created = json(
        &setup
            .api(&[
                "tasks",
                "tasklists",
                "insert",
                "--json",
                r#"{"title": "Groceries"}"#,
            ])
            .await,
    );
    assert_eq!(created["title"], "Groceries");
    let list = json(&setup.api(&["tasks", "tasklists", "list"]).await);
    assert_eq!(list["items"][0]["id"], created["id"]);
}

#[tokio::test]
async fn pubsub_topics_through_gapi_and_a_duplicate_is_409() {
    let setup = setup().await;
    let name = "name=projects/demo/topics/orders";
    let topic = json(
        &setup
            .api(&[
                "pubsub", "projects", "topics", "create", "-p", name, "--json", "{}",
            ])
            .await,
    );
    assert_eq!(topic["name"], "projects/demo/topics/orders");
    let out = setup
        .api(&[
            "pubsub", "projects", "topics", "create", "-p", name, "--json", "{}",
        ])
        .await;
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("409") || out.stderr.contains("ALREADY_EXISTS"),
        "{}",
        out.stderr
    );
    let list = json(
        &setup
            .api(&[
                "pubsub",
                "projects",
                "topics",
                "list",
                "-p",
                "project=projects/demo",
            ])
            .await,
    );
    assert_eq!(list["topics"][0]["name"], "projects/demo/topics/orders");
}
