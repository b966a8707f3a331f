//! Gmail v1 over plain HTTP: sending (JSON `raw` and the upload endpoint), every `format`
//! of `messages.get` built from the stored bytes, delivery to seeded users, `q`, labels,
//! threads, drafts, history and Gmail's scope rules.

use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use gapi_emulator::RunningEmulator;
use gapi_testkit::emulator::*;
use serde_json::{Value, json};

const FULL: &str = "https://mail.google.com/";
const MODIFY: &str = "https://www.googleapis.com/auth/gmail.modify";
const READONLY: &str = "https://www.googleapis.com/auth/gmail.readonly";
const SEND: &str = "https://www.googleapis.com/auth/gmail.send";
const METADATA: &str = "https://www.googleapis.com/auth/gmail.metadata";

struct Gmail {
    emu: RunningEmulator,
    http: reqwest::Client,
}

impl Gmail {
    async fn new() -> Self {
        Self {
            emu: start(true).await,
            http: http(),
        }
    }

    async fn token(&self, email: &str, scope: &str) -> String {
        issued_token(&self.emu, email, scope).await
    }

    fn url(&self, rest: &str) -> String {
        format!("{}/gmail/v1/users/me/{rest}", self.emu.base_url())
    }

    async fn get(&self, token: &str, rest: &str, query: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .get(self.url(rest))
            .query(query)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    async fn get_ok(&self, token: &str, rest: &str, query: &[(&str, &str)]) -> Value {
        let r = self.get(token, rest, query).await;
        assert_eq!(r.status(), 200, "{rest}");
        r.json().await.unwrap()
    }

    async fn post(&self, token: &str, rest: &str, body: Value) -> reqwest::Response {
        self.http
            .post(self.url(rest))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    async fn send(&self, token: &str, raw: &[u8]) -> Value {
        let r = self
            .post(token, "messages/send", json!({"raw": URL_SAFE.encode(raw)}))
            .await;
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    /// Ids of `messages.list` with `q`.
    async fn search(&self, token: &str, q: &str) -> Vec<String> {
        let v = self.get_ok(token, "messages", &[("q", q)]).await;
        v["messages"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|m| m["id"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

const ATTACHMENT: &[u8] = &[0, 1, 2, 3, 254, 255, b'\r', b'\n', 0x80];

fn mixed_message() -> Vec<u8> {
    let att = base64::engine::general_purpose::STANDARD.encode(ATTACHMENT);
    format!(
        "From: Alice Example <alice@example.com>\r\n\
To: Bob Example <bob@example.com>\r\n\
Bcc: carol@example.com\r\n\
Subject: =?utf-8?q?Caf=C3=A9_plans?=\r\n\
Date: Fri, 6 Mar 2026 10:00:00 +0000\r\n\
Message-ID: <plan-1@example.com>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"outer\"\r\n\
\r\n\
--outer\r\n\
Content-Type: multipart/alternative; boundary=\"inner\"\r\n\
\r\n\
--inner\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Let's meet at the caf=C3=A9.\r\n\
--inner\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<p>Let's meet at the caf\u{e9}.</p>\r\n\
--inner--\r\n\
--outer\r\n\
Content-Type: application/octet-stream; name=\"data.bin\"\r\n\
Content-Disposition: attachment; filename=\"data.bin\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
{att}\r\n\
--outer--\r\n"
    )
    .into_bytes()
}

fn b64(v: &Value) -> Vec<u8> {
    let s = v.as_str().expect("base64 string");
    URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .expect("base64url")
}

fn header<'a>(part: &'a Value, name: &str) -> Option<&'a str> {
    part["headers"]
        .as_array()?
        .iter()
        .find(|h| {
            h["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .and_then(|h| h["value"].as_str())
}

fn labels(v: &Value) -> Vec<&str> {
    v["labelIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn send_then_read_back_in_every_format_and_in_the_recipients_mailboxes() {
    let g = Gmail::new().await;
    let alice = g.token("alice@example.com", FULL).await;
    let raw = mixed_message();
    let sent = g.send(&alice, &raw).await;
    assert_eq!(labels(&sent), vec!["SENT"]);
    let id = sent["id"].as_str().unwrap();
    assert_eq!(id.len(), 16, "{sent}");
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        sent["threadId"], sent["id"],
        "a new thread takes the first message's id"
    );

    // raw: the very bytes sent (every header Gmail would add was present)
    let m = g
        .get_ok(&alice, &format!("messages/{id}"), &[("format", "raw")])
        .await;
    assert_eq!(b64(&m["raw"]), raw);
    assert!(m.get("payload").is_none());
    assert_eq!(m["sizeEstimate"], raw.len());

    // full: the part tree
    let m = g.get_ok(&alice, &format!("messages/{id}"), &[]).await;
    let p = &m["payload"];
    assert_eq!(p["partId"], "");
    assert_eq!(p["mimeType"], "multipart/mixed");
    assert_eq!(p["body"], json!({"size": 0}));
    assert_eq!(header(p, "Subject"), Some("Café plans"));
    assert_eq!(
        header(p, "bcc"),
        Some("carol@example.com"),
        "the sender's copy keeps Bcc"
    );
    let alt = &p["parts"][0];
    assert_eq!(
        (alt["partId"].as_str(), alt["mimeType"].as_str()),
        (Some("0"), Some("multipart/alternative"))
    );
    let text = &alt["parts"][0];
    assert_eq!(text["partId"], "0.0");
    assert_eq!(text["filename"], "");
    assert_eq!(
        b64(&text["body"]["data"]),
        "Let's meet at the café.".as_bytes()
    );
    assert_eq!(text["body"]["size"], "Let's meet at the café.".len());
    assert_eq!(alt["parts"][1]["partId"], "0.1");
    let att = &p["parts"][1];
    assert_eq!(att["partId"], "1");
    assert_eq!(att["filename"], "data.bin");
    assert_eq!(att["mimeType"], "application/octet-stream");
    assert!(att["body"].get("data").is_none());
    assert_eq!(att["body"]["size"], ATTACHMENT.len());
    let att_id = att["body"]["attachmentId"].as_str().unwrap();
    let a = g
        .get_ok(&alice, &format!("messages/{id}/attachments/{att_id}"), &[])
        .await;
    assert_eq!(
        b64(&a["data"]),
        ATTACHMENT,
        "attachments come back byte-identical"
    );
    assert_eq!(a["size"], ATTACHMENT.len());
    assert_eq!(m["snippet"], "Let&#39;s meet at the café.");

    // metadata, with and without metadataHeaders; minimal
    let m = g
        .get_ok(
            &alice,
            &format!("messages/{id}"),
            &[
                ("format", "metadata"),
                ("metadataHeaders", "subject"),
                ("metadataHeaders", "To"),
            ],
        )
        .await;
    let names: Vec<&str> = m["payload"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["To", "Subject"]);
    assert!(m["payload"].get("parts").is_none());
    let m = g
        .get_ok(&alice, &format!("messages/{id}"), &[("format", "minimal")])
        .await;
    assert!(m.get("payload").is_none() && m.get("raw").is_none());
    assert!(m["historyId"].as_str().unwrap().parse::<u64>().is_ok());
    let r = g
        .get(&alice, &format!("messages/{id}"), &[("format", "html")])
        .await;
    google_error(r, 400, "invalid").await;

    // delivered: Bob (To) and Carol (Bcc) get a copy without the Bcc header, INBOX + UNREAD
    for who in ["bob@example.com", "carol@example.com"] {
        let t = g.token(who, READONLY).await;
        let found = g.search(&t, "subject:café").await;
        assert_eq!(found.len(), 1, "{who}");
        assert_ne!(found[0], id, "each mailbox has its own ids");
        let m = g.get_ok(&t, &format!("messages/{}", found[0]), &[]).await;
        let mut l = labels(&m);
        l.sort();
        assert_eq!(l, vec!["INBOX", "UNREAD"]);
        assert_eq!(header(&m["payload"], "Bcc"), None, "{who}");
        assert_eq!(header(&m["payload"], "Delivered-To"), Some(who));
        let att_id = m["payload"]["parts"][1]["body"]["attachmentId"]
            .as_str()
            .unwrap();
        let a = g
            .get_ok(
                &t,
                &format!("messages/{}/attachments/{att_id}", found[0]),
                &[],
            )
            .await;
        assert_eq!(b64(&a["data"]), ATTACHMENT);
    }
}

#[tokio::test]
async fn gmail_adds_missing_headers_and_refuses_messages_without_recipients() {
    let g = Gmail::new().await;
    let alice = g.token("alice@example.com", SEND).await;
    let sent = g
        .send(
            &alice,
            b"To: alice@example.com\r\nSubject: note to self\r\n\r\nhi\r\n",
        )
        .await;
    let mut l = labels(&sent);
    l.sort();
    assert_eq!(
        l,
        vec!["INBOX", "SENT", "UNREAD"],
        "a message to oneself is one message"
    );
    let read = g.token("alice@example.com", READONLY).await;
    let m = g
        .get_ok(
            &read,
            &format!("messages/{}", sent["id"].as_str().unwrap()),
            &[],
        )
        .await;
    assert_eq!(
        header(&m["payload"], "From"),
        Some("Alice Example <alice@example.com>")
    );
    assert!(header(&m["payload"], "Date").is_some());
    assert!(header(&m["payload"], "Message-ID").is_some_and(|v| v.ends_with("@mail.gmail.com>")));

    let r = g
        .post(
            &alice,
            "messages/send",
            json!({"raw": URL_SAFE.encode("Subject: nobody\r\n\r\nx")}),
        )
        .await;
    let e = google_error(r, 400, "invalidArgument").await;
    assert_eq!(e["error"]["message"], "Recipient address required");
    let r = g.post(&alice, "messages/send", json!({})).await;
    let e = google_error(r, 400, "invalidArgument").await;
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("'raw' RFC822 payload")
    );
    let r = g
        .post(&alice, "messages/send", json!({"raw": "*not base64*"}))
        .await;
    google_error(r, 400, "invalidArgument").await;
}

#[tokio::test]
async fn scopes_are_checked_as_gmail_does() {
    let g = Gmail::new().await;
    let raw = json!({"raw": URL_SAFE.encode("To: bob@example.com\r\n\r\nx")});
    let read = g.token("alice@example.com", READONLY).await;
    let r = g.post(&read, "messages/send", raw.clone()).await;
    let www = r.headers()["www-authenticate"].to_str().unwrap().to_owned();
    assert!(
        www.contains("insufficient_scope") && www.contains("gmail.send"),
        "{www}"
    );
    let e = google_error(r, 403, "insufficientPermissions").await;
    assert_eq!(
        e["error"]["details"][0]["metadata"]["service"],
        "gmail.googleapis.com"
    );
    // send-only cannot read
    let send = g.token("alice@example.com", SEND).await;
    google_error(
        g.get(&send, "messages", &[]).await,
        403,
        "insufficientPermissions",
    )
    .await;
    // metadata: no bodies, no q
    let meta = g.token("alice@example.com", METADATA).await;
    let list = g.get_ok(&meta, "messages", &[]).await;
    let id = list["messages"][0]["id"].as_str().unwrap().to_owned();
    let e = google_error(
        g.get(&meta, &format!("messages/{id}"), &[]).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        e["error"]["message"],
        "Metadata scope doesn't allow format FULL"
    );
    let m = g
        .get_ok(&meta, &format!("messages/{id}"), &[("format", "metadata")])
        .await;
    assert!(m["payload"]["headers"].is_array());
    let e = google_error(
        g.get(&meta, "messages", &[("q", "from:bob")]).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        e["error"]["message"],
        "Metadata scope does not support 'q' parameter"
    );
    // delete needs the full scope; trash does not
    let modify = g.token("alice@example.com", MODIFY).await;
    let r = g
        .http
        .delete(g.url(&format!("messages/{id}")))
        .bearer_auth(&modify)
        .send()
        .await
        .unwrap();
    google_error(r, 403, "insufficientPermissions").await;
    assert_eq!(
        g.post(&modify, &format!("messages/{id}/trash"), json!({}))
            .await
            .status(),
        200
    );
    // another user's mailbox
    let r = g
        .http
        .get(format!(
            "{}/gmail/v1/users/bob@example.com/messages",
            g.emu.base_url()
        ))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap();
    let e = google_error(r, 403, "forbidden").await;
    assert_eq!(
        e["error"]["message"],
        "Delegation denied for alice@example.com"
    );
    // the user's own address works as userId
    let r = g
        .http
        .get(format!(
            "{}/gmail/v1/users/alice@example.com/profile",
            g.emu.base_url()
        ))
        .bearer_auth(&read)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn search_operators_labels_and_paging() {
    let g = Gmail::new().await;
    let alice = g.token("alice@example.com", FULL).await;
    // Seeded: from Bob "Quarterly report" (2026-03-02, read, CSV attached), "Lunch on
    // Friday?" (2026-03-05 11:00Z, unread); Alice's reply (sent, 11:30Z).
    let all = g.search(&alice, "").await;
    assert_eq!(all.len(), 3);
    assert_eq!(g.search(&alice, "from:bob").await.len(), 2);
    assert_eq!(
        g.search(&alice, "from:bob@example.com is:unread")
            .await
            .len(),
        1
    );
    assert_eq!(g.search(&alice, "has:attachment").await.len(), 1);
    assert_eq!(g.search(&alice, "-has:attachment").await.len(), 2);
    assert_eq!(
        g.search(&alice, "subject:\"quarterly report\"").await.len(),
        1
    );
    assert_eq!(g.search(&alice, "to:bob").await.len(), 1, "Alice's reply");
    assert_eq!(g.search(&alice, "after:2026/03/03").await.len(), 2);
    assert_eq!(g.search(&alice, "before:2026/03/03").await.len(), 1);
    assert_eq!(
        g.search(&alice, "after:1772708400 before:1772710000")
            .await
            .len(),
        1
    );
    assert_eq!(
        g.search(&alice, "numbers").await.len(),
        1,
        "free words search the body"
    );
    assert_eq!(g.search(&alice, "lunch OR quarterly").await.len(), 3);
    assert_eq!(g.search(&alice, "in:sent").await.len(), 1);
    let none = g.get_ok(&alice, "messages", &[("q", "from:nobody")]).await;
    assert_eq!(
        none,
        json!({"resultSizeEstimate": 0}),
        "no `messages` member when empty"
    );
    let inbox = g
        .get_ok(
            &alice,
            "messages",
            &[("labelIds", "INBOX"), ("labelIds", "UNREAD")],
        )
        .await;
    assert_eq!(inbox["messages"].as_array().unwrap().len(), 1);
    // newest first, paged
    let p1 = g.get_ok(&alice, "messages", &[("maxResults", "2")]).await;
    assert_eq!(p1["messages"].as_array().unwrap().len(), 2);
    assert_eq!(
        p1["resultSizeEstimate"], 3,
        "the estimate counts every match"
    );
    assert_eq!(p1["messages"][0]["id"].as_str().unwrap(), all[0]);
    let next = p1["nextPageToken"].as_str().unwrap();
    let p2 = g
        .get_ok(
            &alice,
            "messages",
            &[("maxResults", "2"), ("pageToken", next)],
        )
        .await;
    assert_eq!(p2["messages"].as_array().unwrap().len(), 1);
    assert!(p2.get("nextPageToken").is_none());

    // labels: create, modify, search by label, 409 on a taken name, unknown ids
    let r = g
        .post(&alice, "labels", json!({"name": "Work/Reports"}))
        .await;
    assert_eq!(r.status(), 200);
    let label: Value = r.json().await.unwrap();
    assert_eq!(label["type"], "user");
    assert!(label["id"].as_str().unwrap().starts_with("Label_"));
    google_error(
        g.post(&alice, "labels", json!({"name": "work/reports"}))
            .await,
        409,
        "duplicate",
    )
    .await;
    google_error(
        g.post(&alice, "labels", json!({"name": "INBOX"})).await,
        409,
        "duplicate",
    )
    .await;
    let list = g.get_ok(&alice, "labels", &[]).await;
    let ids: Vec<&str> = list["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"INBOX")
            && ids.contains(&"UNREAD")
            && ids.contains(&label["id"].as_str().unwrap())
    );
    let report = g.search(&alice, "has:attachment").await.remove(0);
    let r = g
        .post(
            &alice,
            &format!("messages/{report}/modify"),
            json!({"addLabelIds": [label["id"], "STARRED"], "removeLabelIds": ["INBOX"]}),
        )
        .await;
    let m: Value = r.json().await.unwrap();
    let mut l = labels(&m);
    l.sort();
    assert_eq!(l, vec![label["id"].as_str().unwrap(), "STARRED"]);
    assert_eq!(
        g.search(&alice, "label:work-reports").await,
        vec![report.clone()]
    );
    assert_eq!(g.search(&alice, "is:starred").await, vec![report.clone()]);
    let r = g
        .post(
            &alice,
            &format!("messages/{report}/modify"),
            json!({"addLabelIds": ["Label_99"]}),
        )
        .await;
    let e = google_error(r, 400, "invalidArgument").await;
    assert_eq!(e["error"]["message"], "Invalid label: Label_99");
    let counted = g
        .get_ok(
            &alice,
            &format!("labels/{}", label["id"].as_str().unwrap()),
            &[],
        )
        .await;
    assert_eq!(counted["messagesTotal"], 1);

    // trash hides, untrash brings back (not to the inbox), delete removes for good
    let lunch = g.search(&alice, "subject:lunch is:unread").await.remove(0);
    let t: Value = g
        .post(&alice, &format!("messages/{lunch}/trash"), json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert!(labels(&t).contains(&"TRASH") && !labels(&t).contains(&"INBOX"));
    assert_eq!(g.search(&alice, "").await.len(), 2);
    assert_eq!(g.search(&alice, "in:trash").await, vec![lunch.clone()]);
    assert_eq!(
        g.get_ok(&alice, "messages", &[("includeSpamTrash", "true")])
            .await["messages"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let u: Value = g
        .post(&alice, &format!("messages/{lunch}/untrash"), json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert!(!labels(&u).contains(&"TRASH") && !labels(&u).contains(&"INBOX"));
    let r = g
        .http
        .delete(g.url(&format!("messages/{lunch}")))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    google_error(
        g.get(&alice, &format!("messages/{lunch}"), &[]).await,
        404,
        "notFound",
    )
    .await;
    google_error(
        g.post(&alice, "messages/ffff/trash", json!({})).await,
        404,
        "notFound",
    )
    .await;
}

#[tokio::test]
async fn replies_thread_and_drafts_send() {
    let g = Gmail::new().await;
    let alice = g.token("alice@example.com", FULL).await;
    let bob = g.token("bob@example.com", FULL).await;
    let first = g
        .send(&alice, b"To: bob@example.com\r\nSubject: Offsite\r\nMessage-ID: <offsite-1@example.com>\r\n\r\nWhere?\r\n")
        .await;
    // Bob answers: his reply joins the thread in both mailboxes.
    let in_bob = g.search(&bob, "subject:offsite").await.remove(0);
    let bob_copy = g
        .get_ok(
            &bob,
            &format!("messages/{in_bob}"),
            &[("format", "minimal")],
        )
        .await;
    let reply = g
        .send(&bob, b"To: alice@example.com\r\nSubject: Re: Offsite\r\nIn-Reply-To: <offsite-1@example.com>\r\nReferences: <offsite-1@example.com>\r\n\r\nBerlin.\r\n")
        .await;
    assert_eq!(reply["threadId"], bob_copy["threadId"]);
    let thread = g
        .get_ok(
            &alice,
            &format!("threads/{}", first["threadId"].as_str().unwrap()),
            &[],
        )
        .await;
    let msgs = thread["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 2, "{thread}");
    assert_eq!(msgs[0]["id"], first["id"]);
    assert_eq!(header(&msgs[1]["payload"], "Subject"), Some("Re: Offsite"));
    let threads = g.get_ok(&alice, "threads", &[("q", "offsite")]).await;
    assert_eq!(threads["threads"].as_array().unwrap().len(), 1);
    assert_eq!(threads["threads"][0]["snippet"], "Berlin.");
    // Same reference, other subject: a new thread (as Gmail).
    let other = g
        .send(&bob, b"To: alice@example.com\r\nSubject: Budget\r\nIn-Reply-To: <offsite-1@example.com>\r\n\r\nx\r\n")
        .await;
    assert_ne!(other["threadId"], reply["threadId"]);

    // Drafts: create, list, get, send; a draft without recipients stays a draft.
    let raw = URL_SAFE.encode("To: bob@example.com\r\nSubject: Draft plan\r\n\r\nlater\r\n");
    let r = g
        .post(&alice, "drafts", json!({"message": {"raw": raw}}))
        .await;
    assert_eq!(r.status(), 200);
    let d: Value = r.json().await.unwrap();
    assert_eq!(labels(&d["message"]), vec!["DRAFT"]);
    let draft_id = d["id"].as_str().unwrap();
    let list = g.get_ok(&alice, "drafts", &[]).await;
    assert_eq!(list["drafts"][0]["id"], draft_id);
    let got = g
        .get_ok(&alice, &format!("drafts/{draft_id}"), &[("format", "raw")])
        .await;
    assert!(
        String::from_utf8(b64(&got["message"]["raw"]))
            .unwrap()
            .contains("Subject: Draft plan")
    );
    let sent: Value = g
        .post(&alice, "drafts/send", json!({"id": draft_id}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(labels(&sent), vec!["SENT"]);
    assert_eq!(sent["id"], d["message"]["id"]);
    assert!(
        g.get_ok(&alice, "drafts", &[])
            .await
            .get("drafts")
            .is_none()
    );
    assert_eq!(g.search(&bob, "subject:\"draft plan\"").await.len(), 1);
    google_error(
        g.post(&alice, "drafts/send", json!({"id": draft_id})).await,
        404,
        "notFound",
    )
    .await;
    let raw = URL_SAFE.encode("Subject: to nobody\r\n\r\nx\r\n");
    let d: Value = g
        .post(&alice, "drafts", json!({"message": {"raw": raw}}))
        .await
        .json()
        .await
        .unwrap();
    google_error(
        g.post(&alice, "drafts/send", json!({"id": d["id"]})).await,
        400,
        "invalidArgument",
    )
    .await;
    assert_eq!(
        g.get_ok(&alice, "drafts", &[]).await["drafts"][0]["id"],
        d["id"]
    );
}

#[tokio::test]
async fn history_lists_changes_after_a_start_id_and_404s_when_it_is_too_old() {
    let g = Gmail::new().await;
    let alice = g.token("alice@example.com", FULL).await;
    let start = g.get_ok(&alice, "profile", &[]).await;
    assert_eq!(start["emailAddress"], "alice@example.com");
    assert_eq!(start["messagesTotal"], 3);
    let start_id: u64 = start["historyId"].as_str().unwrap().parse().unwrap();
    let empty = g
        .get_ok(
            &alice,
            "history",
            &[("startHistoryId", &start_id.to_string())],
        )
        .await;
    assert!(empty.get("history").is_none(), "{empty}");
    assert_eq!(empty["historyId"], start["historyId"]);

    let sent = g
        .send(&alice, b"To: bob@example.com\r\nSubject: h1\r\n\r\nx\r\n")
        .await;
    let id = sent["id"].as_str().unwrap();
    g.post(
        &alice,
        &format!("messages/{id}/modify"),
        json!({"addLabelIds": ["STARRED"]}),
    )
    .await;
    g.post(
        &alice,
        &format!("messages/{id}/modify"),
        json!({"removeLabelIds": ["STARRED"]}),
    )
    .await;
    let h = g
        .get_ok(
            &alice,
            "history",
            &[("startHistoryId", &start_id.to_string())],
        )
        .await;
    let records = h["history"].as_array().unwrap();
    assert_eq!(records.len(), 3, "{h}");
    assert_eq!(records[0]["messagesAdded"][0]["message"]["id"], id);
    assert_eq!(records[1]["labelsAdded"][0]["labelIds"], json!(["STARRED"]));
    assert_eq!(
        records[2]["labelsRemoved"][0]["labelIds"],
        json!(["STARRED"])
    );
    let ids: Vec<u64> = records
        .iter()
        .map(|r| r["id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(
        ids[0] > start_id && ids.windows(2).all(|w| w[1] > w[0]),
        "{ids:?}"
    );
    let now: u64 = h["historyId"].as_str().unwrap().parse().unwrap();
    assert_eq!(now, ids[2]);
    let profile = g.get_ok(&alice, "profile", &[]).await;
    assert_eq!(profile["historyId"], h["historyId"]);
    // Not contiguous: over a few changes at least one gap.
    let mut all = vec![start_id];
    all.extend(&ids);
    assert!(all.windows(2).any(|w| w[1] - w[0] > 1), "{all:?}");
    // historyTypes and paging
    let only = g
        .get_ok(
            &alice,
            "history",
            &[
                ("startHistoryId", &start_id.to_string()),
                ("historyTypes", "labelAdded"),
            ],
        )
        .await;
    assert_eq!(only["history"].as_array().unwrap().len(), 1);
    let p1 = g
        .get_ok(
            &alice,
            "history",
            &[
                ("startHistoryId", &start_id.to_string()),
                ("maxResults", "2"),
            ],
        )
        .await;
    assert_eq!(p1["history"].as_array().unwrap().len(), 2);
    let p2 = g
        .get_ok(
            &alice,
            "history",
            &[
                ("startHistoryId", &start_id.to_string()),
                ("pageToken", p1["nextPageToken"].as_str().unwrap()),
            ],
        )
        .await;
    assert_eq!(p2["history"][0]["id"], records[2]["id"]);
    // Bob's delivery is in his history, not Alice's
    let bob = g.token("bob@example.com", READONLY).await;
    let bob_start = g.get_ok(&bob, "profile", &[]).await;
    assert!(bob_start["messagesTotal"].as_u64().unwrap() >= 3);

    // Pruned history: an older start id is 404 (do a full sync), the current one works.
    control(
        &g.emu,
        "gmail/history/expire",
        json!({"email": "alice@example.com"}),
    )
    .await;
    let r = g
        .get(
            &alice,
            "history",
            &[("startHistoryId", &start_id.to_string())],
        )
        .await;
    let e = google_error(r, 404, "notFound").await;
    assert_eq!(e["error"]["message"], "Requested entity was not found.");
    let ok = g
        .get(&alice, "history", &[("startHistoryId", &now.to_string())])
        .await;
    assert_eq!(ok.status(), 200);
    google_error(g.get(&alice, "history", &[]).await, 400, "invalidArgument").await;
    google_error(
        g.get(&alice, "history", &[("startHistoryId", "abc")]).await,
        400,
        "invalid",
    )
    .await;
}

#[tokio::test]
async fn uploads_media_multipart_resumable_and_the_35_mib_limit() {
    let g = Gmail::new().await;
    let alice = g.token("alice@example.com", SEND).await;
    let upload = format!(
        "{}/upload/gmail/v1/users/me/messages/send",
        g.emu.base_url()
    );
    let raw = mixed_message();
    // media
    let r = g
        .http
        .post(format!("{upload}?uploadType=media"))
        .bearer_auth(&alice)
        .header("content-type", "message/rfc822")
        .body(raw.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let sent: Value = r.json().await.unwrap();
    let read = g.token("alice@example.com", READONLY).await;
    let m = g
        .get_ok(
            &read,
            &format!("messages/{}", sent["id"].as_str().unwrap()),
            &[("format", "raw")],
        )
        .await;
    assert_eq!(b64(&m["raw"]), raw);
    // wrong media type
    let r = g
        .http
        .post(format!("{upload}?uploadType=media"))
        .bearer_auth(&alice)
        .header("content-type", "text/plain")
        .body("To: bob@example.com\r\n\r\nx")
        .send()
        .await
        .unwrap();
    let e = google_error(r, 400, "invalidArgument").await;
    assert_eq!(
        e["error"]["message"],
        "Media type 'text/plain' is not supported. Valid media types: [message/*]"
    );
    // multipart with a threadId in the metadata
    let mut body = b"--b\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n".to_vec();
    body.extend_from_slice(
        format!(
            "{{\"threadId\": \"{}\"}}",
            sent["threadId"].as_str().unwrap()
        )
        .as_bytes(),
    );
    body.extend_from_slice(b"\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nTo: bob@example.com\r\nSubject: Re: Caf\xc3\xa9 plans\r\n\r\nsee you\r\n--b--\r\n");
    let r = g
        .http
        .post(format!("{upload}?uploadType=multipart"))
        .bearer_auth(&alice)
        .header("content-type", "multipart/related; boundary=b")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["threadId"], sent["threadId"],
        "a requested thread with the same subject"
    );
    // resumable in two chunks
    let r = g
        .http
        .post(format!("{upload}?uploadType=resumable"))
        .bearer_auth(&alice)
        .header("x-upload-content-type", "message/rfc822")
        .header("x-upload-content-length", (300 * 1024).to_string())
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let session = r.headers()["location"].to_str().unwrap().to_owned();
    let mut raw = b"To: bob@example.com\r\nSubject: long\r\n\r\n".to_vec();
    raw.resize(300 * 1024, b'z');
    let cut = 256 * 1024;
    // A chunk that is not the last must be a multiple of 256 KiB.
    let r = g
        .http
        .put(&session)
        .header("content-range", format!("bytes 0-99/{}", raw.len()))
        .body(raw[..100].to_vec())
        .send()
        .await
        .unwrap();
    google_error(r, 400, "badRequest").await;
    let r = g
        .http
        .put(&session)
        .header(
            "content-range",
            format!("bytes 0-{}/{}", cut - 1, raw.len()),
        )
        .body(raw[..cut].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 308);
    assert_eq!(
        r.headers()["range"],
        format!("bytes=0-{}", cut - 1).as_str()
    );
    let r = g
        .http
        .put(&session)
        .header(
            "content-range",
            format!("bytes {cut}-{}/{}", raw.len() - 1, raw.len()),
        )
        .body(raw[cut..].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(labels(&v), vec!["SENT"]);
    let m = g
        .get_ok(
            &read,
            &format!("messages/{}", v["id"].as_str().unwrap()),
            &[("format", "raw")],
        )
        .await;
    let got = b64(&m["raw"]);
    assert!(
        got.ends_with(&raw) && got.starts_with(b"From: Alice Example"),
        "headers added before the uploaded bytes"
    );
    // over 35 MiB: refused at the session start and on a simple upload
    let r = g
        .http
        .post(format!("{upload}?uploadType=resumable"))
        .bearer_auth(&alice)
        .header("x-upload-content-length", "36700161")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let e = google_error(r, 413, "uploadTooLarge").await;
    assert!(e["error"]["message"].as_str().unwrap().contains("36700160"));
    let mut big = b"To: bob@example.com\r\nSubject: big\r\n\r\n".to_vec();
    big.resize(36_700_161, b'a');
    let r = g
        .http
        .post(format!("{upload}?uploadType=media"))
        .bearer_auth(&alice)
        .header("content-type", "message/rfc822")
        .body(big)
        .send()
        .await
        .unwrap();
    google_error(r, 413, "uploadTooLarge").await;
    // a readonly token cannot upload either
    let r = g
        .http
        .post(format!("{upload}?uploadType=media"))
        .bearer_auth(&read)
        .header("content-type", "message/rfc822")
        .body(mixed_message())
        .send()
        .await
        .unwrap();
    google_error(r, 403, "insufficientPermissions").await;
}
