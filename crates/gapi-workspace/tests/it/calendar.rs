//! Calendar: windows in the calendar's own zone, the agenda (timed, all-day, recurring and
//! Meet events) and event creation, against the emulator's Calendar.

use gapi_workspace::calendar::{self, EventTime, NewEvent, TimeInput, Window};
use serde_json::json;

use crate::common::{service, start};

fn t(s: &str) -> TimeInput {
    TimeInput::parse(s).unwrap()
}

#[tokio::test]
async fn agenda_in_the_calendars_zone_with_all_day_and_meet_events() {
    let emu = start().await;
    let svc = service(&emu, "calendar", "v3", "alice@example.com").await;
    assert_eq!(
        calendar::calendar_time_zone(&svc, "primary").await.unwrap(),
        "Europe/Berlin"
    );

    let mut standup = NewEvent::new("Stand-up", t("2026-06-10T09:00"));
    standup.end = Some(t("2026-06-10T09:15"));
    let standup = calendar::insert(&svc, "primary", &standup).await.unwrap();
    assert_eq!(standup["start"]["dateTime"], "2026-06-10T09:00:00+02:00");

    let mut review = NewEvent::new("Review mit Zoë", t("2026-06-10T21:30:00Z"));
    review.end = Some(t("2026-06-10T23:00:00Z"));
    review.meet = true;
    review.attendees = vec!["bob@example.com".into(), "Carol <carol@example.com>".into()];
    review.location = Some("Raum 4".into());
    let review = calendar::insert(&svc, "primary", &review).await.unwrap();
    let meet = review["hangoutLink"]
        .as_str()
        .expect("a Meet link was made");
    assert!(meet.starts_with("https://meet.google.com/"), "{review}");
    assert_eq!(
        review["conferenceData"]["conferenceSolution"]["key"]["type"],
        "hangoutsMeet"
    );

    let mut offsite = NewEvent::new("Offsite", t("2026-06-11"));
    offsite.end = Some(t("2026-06-12"));
    calendar::insert(&svc, "primary", &offsite).await.unwrap();
    // Outside every window below.
    calendar::insert(
        &svc,
        "primary",
        &NewEvent::new("Later", t("2026-06-20T10:00")),
    )
    .await
    .unwrap();
    // A daily recurring event shows as its instances.
    svc.method("events.insert")
        .unwrap()
        .param("calendarId", "primary")
        .body(json!({"summary": "Gym", "start": {"dateTime": "2026-06-09T07:00:00", "timeZone": "Europe/Berlin"},
                     "end": {"dateTime": "2026-06-09T08:00:00", "timeZone": "Europe/Berlin"},
                     "recurrence": ["RRULE:FREQ=DAILY;COUNT=5"]}))
        .execute()
        .await
        .unwrap();

    let window = Window::Between {
        from: t("2026-06-10"),
        to: t("2026-06-11"),
    };
    let a = calendar::agenda(&svc, "primary", &window).await.unwrap();
    assert_eq!(a.bounds.time_min(), "2026-06-10T00:00:00+02:00");
    assert_eq!(a.bounds.time_max(), "2026-06-12T00:00:00+02:00");
    let lines: Vec<(String, String)> = a
        .events
        .iter()
        .map(|e| (e.when(), e.summary.clone()))
        .collect();
    assert_eq!(
        lines,
        [
            ("2026-06-10 07:00-08:00", "Gym"),
            ("2026-06-10 09:00-09:15", "Stand-up"),
            ("2026-06-10 23:30 - 2026-06-11 01:00", "Review mit Zoë"),
            ("2026-06-11 - 2026-06-12 (all day)", "Offsite"),
            ("2026-06-11 07:00-08:00", "Gym"),
        ]
        .map(|(w, s)| (w.to_string(), s.to_string()))
    );
    let r = &a.events[2];
    assert_eq!(r.meet_link.as_deref(), Some(meet));
    assert_eq!(r.attendees, ["bob@example.com", "carol@example.com"]);
    assert!(
        matches!(&r.start, EventTime::DateTime(z) if z.time_zone().iana_name() == Some("Europe/Berlin"))
    );
    assert!(a.events[3].all_day);
    assert!(
        a.to_text().contains("Review mit Zoë  @ Raum 4"),
        "{}",
        a.to_text()
    );

    // "Today" when it is 00:30 on the 11th in Berlin (22:30 UTC on the 10th).
    let now = "2026-06-10T22:30:00Z".parse().unwrap();
    let today = calendar::agenda_at(&svc, "primary", &Window::Today, now)
        .await
        .unwrap();
    let names: Vec<&str> = today.events.iter().map(|e| e.summary.as_str()).collect();
    assert_eq!(names, ["Review mit Zoë", "Offsite", "Gym"]);
    let days = calendar::agenda_at(&svc, "primary", &Window::Days(10), now)
        .await
        .unwrap();
    assert_eq!(
        days.events.iter().filter(|e| e.summary == "Later").count(),
        1
    );

    // Bob's calendar is in New York: the same instants read in his zone.
    let bob = service(&emu, "calendar", "v3", "bob@example.com").await;
    let mut call = NewEvent::new("Call", t("2026-06-10T12:00:00Z"));
    call.end = Some(t("2026-06-10T12:30:00Z"));
    calendar::insert(&bob, "primary", &call).await.unwrap();
    let bob_day = calendar::agenda_at(
        &bob,
        "primary",
        &Window::Today,
        "2026-06-10T12:00:00Z".parse().unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(bob_day.bounds.time_min(), "2026-06-10T00:00:00-04:00");
    assert_eq!(bob_day.events[0].when(), "2026-06-10 08:00-08:30");

    // An empty window says so.
    let none = calendar::agenda_at(
        &bob,
        "primary",
        &Window::Today,
        "2030-01-01T12:00:00Z".parse().unwrap(),
    )
    .await
    .unwrap();
    assert!(
        none.to_text()
            .starts_with("No events from 2030-01-01T00:00:00-05:00"),
        "{}",
        none.to_text()
    );
}
