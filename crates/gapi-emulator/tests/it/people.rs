//! People v1 over plain HTTP: contacts, `connections.list` with `personFields`, paging and
//! sync tokens, and Google's EXPIRED_SYNC_TOKEN error.

use gapi_testkit::emulator::*;
use serde_json::{Value, json};

const CONTACTS: &str = "https://www.googleapis.com/auth/contacts";
const READONLY: &str = "https://www.googleapis.com/auth/contacts.readonly";

#[tokio::test]
async fn contacts_sync_tokens_and_expiry() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&emu, "alice@example.com", CONTACTS).await;
    let list = |query: Vec<(&'static str, String)>| {
        let http = http.clone();
        let token = token.clone();
        let url = format!("{base}/v1/people/me/connections");
        async move {
            http.get(url)
                .query(&query)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
        }
    };
    let create = |body: Value| {
        let http = http.clone();
        let token = token.clone();
        let url = format!("{base}/v1/people:createContact");
        async move {
            let r = http
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            r.json::<Value>().await.unwrap()
        }
    };
    let ada = create(json!({"names": [{"givenName": "Ada", "familyName": "Lovelace"}], "emailAddresses": [{"value": "ada@example.org"}]})).await;
    let name = ada["resourceName"].as_str().unwrap().to_owned();
    assert!(name.starts_with("people/c"), "{ada}");
    assert_eq!(ada["names"][0]["displayName"], "Ada Lovelace");
    assert_eq!(ada["names"][0]["displayNameLastFirst"], "Lovelace, Ada");
    create(json!({"names": [{"givenName": "Alan"}]})).await;

    // personFields is required
    let r = list(vec![]).await;
    let e = google_error(r, 400, "badRequest").await;
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("personFields mask is required")
    );
    // full sync in pages, then a token
    let p1: Value = list(vec![
        ("personFields", "names".into()),
        ("pageSize", "1".into()),
        ("requestSyncToken", "true".into()),
    ])
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(p1["connections"].as_array().unwrap().len(), 1);
    assert!(
        p1["connections"][0].get("emailAddresses").is_none(),
        "only personFields"
    );
    assert_eq!(p1["totalPeople"], 2);
    let p2: Value = list(vec![
        ("personFields", "names,emailAddresses".into()),
        ("pageSize", "1".into()),
        ("requestSyncToken", "true".into()),
        ("pageToken", p1["nextPageToken"].as_str().unwrap().into()),
    ])
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(p2["connections"][0]["names"][0]["givenName"], "Alan");
    let sync = p2["nextSyncToken"].as_str().unwrap().to_owned();
    // changes only: a deletion and a new contact
    let r = http
        .delete(format!("{base}/v1/{name}:deleteContact"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = http
        .delete(format!("{base}/v1/{name}:deleteContact"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    google_error(r, 404, "notFound").await;
    create(json!({"names": [{"givenName": "Grace"}]})).await;
    let changes: Value = list(vec![
        ("personFields", "names".into()),
        ("syncToken", sync.clone()),
    ])
    .await
    .json()
    .await
    .unwrap();
    let items = changes["connections"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{changes}");
    assert_eq!(items[0]["resourceName"], name.as_str());
    assert_eq!(items[0]["metadata"]["deleted"], true);
    assert_eq!(items[1]["names"][0]["givenName"], "Grace");
    let next = changes["nextSyncToken"].as_str().unwrap().to_owned();
    let none: Value = list(vec![
        ("personFields", "names".into()),
        ("syncToken", next.clone()),
    ])
    .await
    .json()
    .await
    .unwrap();
    assert!(none.get("connections").is_none(), "{none}");
    // expired: 400 FAILED_PRECONDITION with ErrorInfo EXPIRED_SYNC_TOKEN
    control(&base, "people/sync/expire", json!({})).await;
    let r = list(vec![("personFields", "names".into()), ("syncToken", next)]).await;
    let e = google_error(r, 400, "failedPrecondition").await;
    assert_eq!(e["error"]["status"], "FAILED_PRECONDITION");
    assert_eq!(e["error"]["details"][0]["reason"], "EXPIRED_SYNC_TOKEN");
    assert_eq!(
        e["error"]["details"][0]["@type"],
        "type.googleapis.com/google.rpc.ErrorInfo"
    );
    // scopes: read-only cannot create; another user sees their own (empty) contacts
    let ro = issued_token(&emu, "alice@example.com", READONLY).await;
    let r = http
        .post(format!("{base}/v1/people:createContact"))
        .bearer_auth(&ro)
        .json(&json!({"names": [{"givenName": "X"}]}))
        .send()
        .await
        .unwrap();
    google_error(r, 403, "insufficientPermissions").await;
    let bob = issued_token(&emu, "bob@example.com", READONLY).await;
    let v: Value = http
        .get(format!(
            "{base}/v1/people/me/connections?personFields=names"
        ))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["totalPeople"], 0);
}
