//! Calendar v3 over plain HTTP: calendars with their time zones, events in time windows,
//! Meet conferences, deleted events, and sync tokens with Google's 410 for an expired one.

use gapi_emulator::RunningEmulator;
use gapi_testkit::emulator::*;
use serde_json::{Value, json};

const CALENDAR: &str = "https://www.googleapis.com/auth/calendar";
const READONLY: &str = "https://www.googleapis.com/auth/calendar.readonly";

struct Cal {
    emu: RunningEmulator,
    http: reqwest::Client,
    token: String,
}

impl Cal {
    async fn new(email: &str) -> Self {
        let emu = start(true).await;
        let http = http();
        let token = issued_token(&emu, email, CALENDAR).await;
        Self { emu, http, token }
    }

    fn url(&self, rest: &str) -> String {
        format!("{}/calendar/v3/{rest}", self.emu.base_url())
    }

    async fn get(&self, rest: &str, query: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .get(self.url(rest))
            .query(query)
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }

    async fn get_ok(&self, rest: &str, query: &[(&str, &str)]) -> Value {
        let r = self.get(rest, query).await;
        assert_eq!(r.status(), 200, "{rest} {query:?}");
        r.json().await.unwrap()
    }

    async fn insert(&self, body: Value, query: &[(&str, &str)]) -> Value {
        let r = self
            .http
            .post(self.url("calendars/primary/events"))
            .query(query)
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }
}

fn summaries(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["summary"].as_str().unwrap_or("").to_owned())
        .collect()
}

fn timed(summary: &str, start: &str, end: &str) -> Value {
    json!({"summary": summary, "start": {"dateTime": start}, "end": {"dateTime": end}})
}

#[tokio::test]
async fn calendars_carry_their_time_zone() {
    let c = Cal::new("alice@example.com").await;
    let list = c.get_ok("users/me/calendarList", &[]).await;
    assert_eq!(list["kind"], "calendar#calendarList");
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], "alice@example.com");
    assert_eq!(items[0]["primary"], true);
    assert_eq!(items[0]["timeZone"], "Europe/Berlin");
    assert_eq!(items[0]["accessRole"], "owner");
    let cal = c.get_ok("calendars/primary", &[]).await;
    assert_eq!(
        (cal["id"].as_str(), cal["timeZone"].as_str()),
        (Some("alice@example.com"), Some("Europe/Berlin"))
    );
    let same = c.get_ok("calendars/alice%40example.com", &[]).await;
    assert_eq!(same["id"], "alice@example.com");
    let r = c.get("calendars/bob%40example.com", &[]).await;
    google_error(r, 404, "notFound").await;
    let bob = issued_token(&c.emu, "bob@example.com", READONLY).await;
    let v: Value = c
        .http
        .get(c.url("calendars/primary"))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["timeZone"], "America/New_York");
    // calendar.readonly reads but cannot write
    let r = c
        .http
        .post(c.url("calendars/primary/events"))
        .bearer_auth(&bob)
        .json(&timed("x", "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z"))
        .send()
        .await
        .unwrap();
    google_error(r, 403, "insufficientPermissions").await;
}

#[tokio::test]
async fn time_windows_order_zones_and_meet() {
    let c = Cal::new("alice@example.com").await;
    // Inserted out of order; times in UTC and with a civil time + timeZone.
    let late = c
        .insert(
            timed("Late", "2026-07-01T16:00:00Z", "2026-07-01T17:00:00Z"),
            &[],
        )
        .await;
    assert_eq!(late["kind"], "calendar#event");
    assert_eq!(late["status"], "confirmed");
    assert_eq!(
        late["start"]["dateTime"], "2026-07-01T18:00:00+02:00",
        "answered in the calendar's zone"
    );
    assert_eq!(late["organizer"]["email"], "alice@example.com");
    c.insert(
        json!({"summary": "Early", "start": {"dateTime": "2026-07-01T08:00:00", "timeZone": "Europe/Berlin"},
               "end": {"dateTime": "2026-07-01T09:00:00", "timeZone": "Europe/Berlin"}}),
        &[],
    )
    .await;
    c.insert(json!({"summary": "Holiday", "start": {"date": "2026-07-02"}, "end": {"date": "2026-07-03"}}), &[]).await;
    c.insert(
        timed("Next week", "2026-07-08T10:00:00Z", "2026-07-08T11:00:00Z"),
        &[],
    )
    .await;

    // "Today" in Berlin: 2026-07-01 00:00+02:00 to 2026-07-02 00:00+02:00.
    let day = c
        .get_ok(
            "calendars/primary/events",
            &[
                ("timeMin", "2026-06-30T22:00:00Z"),
                ("timeMax", "2026-07-02T00:00:00+02:00"),
                ("singleEvents", "true"),
                ("orderBy", "startTime"),
            ],
        )
        .await;
    assert_eq!(summaries(&day), vec!["Early", "Late"]);
    assert_eq!(day["timeZone"], "Europe/Berlin");
    assert!(day["nextSyncToken"].is_string());
    assert_eq!(
        day["items"][0]["start"]["dateTime"],
        "2026-07-01T08:00:00+02:00"
    );
    // An all-day event is midnight to midnight in the calendar's zone.
    let next_day = c
        .get_ok(
            "calendars/primary/events",
            &[
                ("timeMin", "2026-07-01T22:00:00Z"),
                ("timeMax", "2026-07-01T22:30:00Z"),
            ],
        )
        .await;
    assert_eq!(summaries(&next_day), vec!["Holiday"]);
    assert_eq!(next_day["items"][0]["start"], json!({"date": "2026-07-02"}));
    // timeZone changes how times are written
    let ny = c
        .get_ok(
            "calendars/primary/events",
            &[
                ("timeZone", "America/New_York"),
                ("singleEvents", "true"),
                ("orderBy", "startTime"),
                ("maxResults", "1"),
            ],
        )
        .await;
    assert_eq!(
        ny["items"][0]["start"]["dateTime"],
        "2026-07-01T02:00:00-04:00"
    );
    assert!(ny["nextPageToken"].is_string() && ny.get("nextSyncToken").is_none());
    let r = c
        .get("calendars/primary/events", &[("orderBy", "startTime")])
        .await;
    google_error(r, 400, "badRequest").await;
    let r = c
        .get("calendars/primary/events", &[("timeMin", "2026-07-01")])
        .await;
    google_error(r, 400, "badRequest").await;
    // q searches summary, description, location
    assert_eq!(
        summaries(&c.get_ok("calendars/primary/events", &[("q", "holi")]).await),
        vec!["Holiday"]
    );

    // Bad spans
    for (body, reason) in [
        (
            json!({"summary": "x", "start": {"dateTime": "2026-07-01T10:00:00Z"}}),
            "required",
        ),
        (
            timed("x", "2026-07-01T10:00:00Z", "2026-07-01T09:00:00Z"),
            "timeRangeEmpty",
        ),
        (
            json!({"start": {"dateTime": "2026-07-01T10:00:00"}, "end": {"dateTime": "2026-07-01T11:00:00"}}),
            "invalid",
        ),
    ] {
        let r = c
            .http
            .post(c.url("calendars/primary/events"))
            .bearer_auth(&c.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        google_error(r, 400, reason).await;
    }

    // Meet: created only with conferenceDataVersion=1
    let meet_body = json!({
        "summary": "Call",
        "start": {"dateTime": "2026-07-03T10:00:00Z"}, "end": {"dateTime": "2026-07-03T10:30:00Z"},
        "conferenceData": {"createRequest": {"requestId": "req-1", "conferenceSolutionKey": {"type": "hangoutsMeet"}}},
    });
    let ignored = c.insert(meet_body.clone(), &[]).await;
    assert!(ignored.get("conferenceData").is_none() && ignored.get("hangoutLink").is_none());
    let meet = c.insert(meet_body, &[("conferenceDataVersion", "1")]).await;
    let link = meet["hangoutLink"].as_str().unwrap();
    assert!(link.starts_with("https://meet.google.com/"), "{meet}");
    let cd = &meet["conferenceData"];
    assert_eq!(cd["createRequest"]["status"]["statusCode"], "success");
    assert_eq!(cd["entryPoints"][0]["entryPointType"], "video");
    assert_eq!(cd["entryPoints"][0]["uri"], link);
    assert_eq!(cd["conferenceSolution"]["key"]["type"], "hangoutsMeet");
    let code = cd["conferenceId"].as_str().unwrap();
    assert!(
        code.len() == 12 && code.chars().filter(|c| *c == '-').count() == 2,
        "{code}"
    );
}

#[tokio::test]
async fn sync_tokens_return_changes_only_and_410_when_expired() {
    let c = Cal::new("alice@example.com").await;
    let a = c
        .insert(
            timed("A", "2026-05-01T10:00:00Z", "2026-05-01T11:00:00Z"),
            &[],
        )
        .await;
    let b = c
        .insert(
            timed("B", "2026-05-02T10:00:00Z", "2026-05-02T11:00:00Z"),
            &[],
        )
        .await;
    c.insert(
        timed("C", "2026-05-03T10:00:00Z", "2026-05-03T11:00:00Z"),
        &[],
    )
    .await;
    // Full sync over two pages; the token comes with the last page only.
    let p1 = c
        .get_ok("calendars/primary/events", &[("maxResults", "2")])
        .await;
    assert_eq!(summaries(&p1), vec!["A", "B"]);
    assert!(p1.get("nextSyncToken").is_none());
    let p2 = c
        .get_ok(
            "calendars/primary/events",
            &[
                ("maxResults", "2"),
                ("pageToken", p1["nextPageToken"].as_str().unwrap()),
            ],
        )
        .await;
    assert_eq!(summaries(&p2), vec!["C"]);
    let token = p2["nextSyncToken"].as_str().unwrap().to_owned();
    // Nothing changed: nothing listed, a token again.
    let none = c
        .get_ok("calendars/primary/events", &[("syncToken", &token)])
        .await;
    assert_eq!(none["items"], json!([]));
    // Change A, delete B, add D: exactly those three, B as cancelled.
    let r = c
        .http
        .patch(c.url(&format!(
            "calendars/primary/events/{}",
            a["id"].as_str().unwrap()
        )))
        .bearer_auth(&c.token)
        .json(&json!({"summary": "A2"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let patched: Value = r.json().await.unwrap();
    assert_eq!(
        patched["start"]["dateTime"], "2026-05-01T12:00:00+02:00",
        "patch keeps the times"
    );
    assert_ne!(patched["etag"], a["etag"]);
    let b_url = c.url(&format!(
        "calendars/primary/events/{}",
        b["id"].as_str().unwrap()
    ));
    let r = c
        .http
        .delete(&b_url)
        .bearer_auth(&c.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    c.insert(
        timed("D", "2026-05-04T10:00:00Z", "2026-05-04T11:00:00Z"),
        &[],
    )
    .await;
    let changes = c
        .get_ok("calendars/primary/events", &[("syncToken", &token)])
        .await;
    let items = changes["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{changes}");
    assert_eq!(
        items.iter().filter(|e| e["status"] == "cancelled").count(),
        1
    );
    assert!(
        items
            .iter()
            .any(|e| e["id"] == b["id"] && e["status"] == "cancelled")
    );
    let mut names: Vec<String> = items
        .iter()
        .filter(|e| e["status"] != "cancelled")
        .map(|e| e["summary"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    assert_eq!(names, vec!["A2", "D"]);
    let token2 = changes["nextSyncToken"].as_str().unwrap().to_owned();
    assert_ne!(token2, token);
    assert_eq!(
        c.get_ok("calendars/primary/events", &[("syncToken", &token2)])
            .await["items"],
        json!([])
    );
    // A plain list hides the deleted event; showDeleted shows it.
    assert_eq!(
        summaries(&c.get_ok("calendars/primary/events", &[]).await),
        vec!["A2", "C", "D"]
    );
    let all = c
        .get_ok("calendars/primary/events", &[("showDeleted", "true")])
        .await;
    assert_eq!(all["items"].as_array().unwrap().len(), 4);
    // Deleted stays deleted: 410 on a second delete, its id cannot be taken again.
    let r = c
        .http
        .delete(&b_url)
        .bearer_auth(&c.token)
        .send()
        .await
        .unwrap();
    google_error(r, 410, "deleted").await;
    let r = c
        .http
        .post(c.url("calendars/primary/events"))
        .bearer_auth(&c.token)
        .json(&json!({"id": b["id"], "summary": "again", "start": {"date": "2026-05-01"}, "end": {"date": "2026-05-02"}}))
        .send()
        .await
        .unwrap();
    google_error(r, 409, "duplicate").await;
    // syncToken does not combine with a window
    let r = c
        .get(
            "calendars/primary/events",
            &[("syncToken", &token2), ("timeMin", "2026-01-01T00:00:00Z")],
        )
        .await;
    google_error(r, 400, "invalid").await;
    // Expired (control API) and made-up tokens: 410 fullSyncRequired, then a full sync works.
    control(
        &c.emu,
        "calendar/sync/expire",
        json!({"email": "alice@example.com"}),
    )
    .await;
    for t in [token2.as_str(), "not-a-token"] {
        let r = c.get("calendars/primary/events", &[("syncToken", t)]).await;
        let e = google_error(r, 410, "fullSyncRequired").await;
        assert_eq!(
            e["error"]["message"],
            "Sync token is no longer valid, a full sync is required."
        );
    }
    let full = c.get_ok("calendars/primary/events", &[]).await;
    let fresh = full["nextSyncToken"].as_str().unwrap();
    assert_eq!(
        c.get_ok("calendars/primary/events", &[("syncToken", fresh)])
            .await["items"],
        json!([])
    );
}

#[tokio::test]
async fn single_events_expands_recurring_events_in_their_zone() {
    let c = Cal::new("alice@example.com").await;
    let weekly = c
        .insert(
            json!({"summary": "Standup",
                   "start": {"dateTime": "2026-03-23T09:00:00", "timeZone": "Europe/Berlin"},
                   "end": {"dateTime": "2026-03-23T09:15:00", "timeZone": "Europe/Berlin"},
                   "recurrence": ["RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6"]}),
            &[],
        )
        .await;
    c.insert(
        timed("Lunch", "2026-03-25T11:00:00Z", "2026-03-25T12:00:00Z"),
        &[],
    )
    .await;
    // Without singleEvents: the recurring event itself.
    let plain = c.get_ok("calendars/primary/events", &[]).await;
    assert_eq!(summaries(&plain), vec!["Standup", "Lunch"]);
    assert!(plain["items"][0]["recurrence"].is_array());
    // With singleEvents: its instances in the window, ordered with the others; 09:00 Berlin
    // before and after the switch to summer time (2026-03-29).
    let week = c
        .get_ok(
            "calendars/primary/events",
            &[
                ("singleEvents", "true"),
                ("orderBy", "startTime"),
                ("timeMin", "2026-03-24T00:00:00+01:00"),
                ("timeMax", "2026-04-02T00:00:00+02:00"),
            ],
        )
        .await;
    let items = week["items"].as_array().unwrap();
    let got: Vec<(String, String)> = items
        .iter()
        .map(|e| {
            (
                e["summary"].as_str().unwrap().to_owned(),
                e["start"]["dateTime"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("Standup".to_owned(), "2026-03-25T09:00:00+01:00".to_owned()),
            ("Lunch".to_owned(), "2026-03-25T12:00:00+01:00".to_owned()),
            ("Standup".to_owned(), "2026-03-30T09:00:00+02:00".to_owned()),
            ("Standup".to_owned(), "2026-04-01T09:00:00+02:00".to_owned()),
        ]
    );
    let id = weekly["id"].as_str().unwrap();
    assert_eq!(items[0]["id"], format!("{id}_20260325T080000Z"));
    assert_eq!(items[0]["recurringEventId"], id);
    assert_eq!(
        items[0]["originalStartTime"]["dateTime"],
        "2026-03-25T09:00:00+01:00"
    );
    assert!(items[0].get("recurrence").is_none());
    // COUNT bounds the series: six instances in all.
    let all = c
        .get_ok(
            "calendars/primary/events",
            &[("singleEvents", "true"), ("q", "standup")],
        )
        .await;
    assert_eq!(all["items"].as_array().unwrap().len(), 6);
}
