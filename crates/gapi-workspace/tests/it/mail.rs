//! Mail: messages built here are decoded by Python's `email` package (headers, bodies,
//! attachments byte for byte), and sent, read, replied to and forwarded through the emulator's
//! Gmail, large ones through the upload endpoint.

use base64::Engine;
use gapi_workspace::mail::{
    Attachment, Compose, ForwardOptions, Gmail, Mailbox, ReplyOptions, SendRoute, route_for,
};
use serde_json::Value;

use crate::common::{control, python, request_paths, service, start};

/// Python's `email` (policy default) reads the message from stdin and reports what it sees.
const PY_EMAIL: &str = r#"
import sys, json, base64, email
from email import policy
msg = email.message_from_bytes(sys.stdin.buffer.read(), policy=policy.default)
def addrs(name):
    h = msg[name]
    if h is None: return []
    return [{"name": a.display_name, "email": a.addr_spec} for a in h.addresses]
body = msg.get_body(preferencelist=("plain",))
html = msg.get_body(preferencelist=("html",))
out = {
  "subject": str(msg["subject"]),
  "from": addrs("from"), "to": addrs("to"), "cc": addrs("cc"), "bcc": addrs("bcc"),
  "message_id": str(msg["message-id"]), "in_reply_to": str(msg["in-reply-to"]),
  "references": str(msg["references"]), "date": str(msg["date"]),
  "content_type": msg.get_content_type(),
  "text": body.get_content() if body is not None else None,
  "html": html.get_content() if html is not None and html.get_content_type() == "text/html" else None,
  "defects": [str(d) for d in msg.defects] + [str(d) for p in msg.walk() for d in p.defects],
  "attachments": [{"filename": p.get_filename(), "type": p.get_content_type(),
                    "data": base64.b64encode(p.get_payload(decode=True)).decode()}
                   for p in msg.iter_attachments()],
}
print(json.dumps(out))
"#;

fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// Every byte value, a text file with mixed line ends and no final newline, a non-ASCII name.
fn tricky_attachments() -> Vec<Attachment> {
    let binary: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    vec![
        Attachment::from_bytes("all-bytes.bin", binary).unwrap(),
        Attachment::from_bytes(
            "notes.txt",
            b"line 1\nline 2\r\nline 3 \n\n. \nlast".to_vec(),
        )
        .unwrap(),
        Attachment::from_bytes(
            "Übersicht – März 2026, final (v2) with a rather long name to fold.csv",
            "name,city\n\"Zoë, K.\",Köln\n".as_bytes().to_vec(),
        )
        .unwrap(),
    ]
}

#[test]
fn python_email_decodes_what_compose_builds() {
    let compose = Compose::new()
        .from("Jürgen Groß <juergen@example.com>")
        .unwrap()
        .to("\"Doe, Ann\" <ann@example.com>, 李雷 <li@example.cn>")
        .unwrap()
        .cc("carol@example.com")
        .unwrap()
        .bcc("hidden@example.com")
        .unwrap()
        .subject("Grüße aus Köln – Quartalsbericht 📈 and a subject long enough to be folded over several lines")
        .text("Hallo zusammen,\n\nanbei die Zahlen.\nMfG\n")
        .html("<p>Hallo <b>zusammen</b>,</p><p>anbei die Zahlen.</p>");
    let mut compose = compose;
    compose.attachments = tricky_attachments();
    compose.in_reply_to = Some("parent@example.com".into());
    compose.references = vec!["root@example.com".into(), "parent@example.com".into()];
    let raw = compose.to_rfc5322().unwrap();
    let seen = python(PY_EMAIL, &raw);
    assert_eq!(seen["defects"], serde_json::json!([]), "{seen}");
    assert_eq!(seen["subject"], compose.subject.as_str());
    assert_eq!(seen["from"][0]["name"], "Jürgen Groß");
    assert_eq!(seen["to"][0]["name"], "Doe, Ann");
    assert_eq!(seen["to"][0]["email"], "ann@example.com");
    assert_eq!(seen["to"][1]["name"], "李雷");
    assert_eq!(seen["cc"][0]["email"], "carol@example.com");
    assert_eq!(seen["bcc"][0]["email"], "hidden@example.com");
    assert_eq!(seen["content_type"], "multipart/mixed");
    assert!(
        seen["message_id"]
            .as_str()
            .unwrap()
            .ends_with("@example.com>"),
        "{seen}"
    );
    assert_eq!(seen["in_reply_to"], "<parent@example.com>");
    assert_eq!(
        seen["references"],
        "<root@example.com> <parent@example.com>"
    );
    assert!(!seen["date"].as_str().unwrap().is_empty());
    assert_eq!(
        seen["text"].as_str().unwrap().replace("\r\n", "\n"),
        "Hallo zusammen,\n\nanbei die Zahlen.\nMfG\n"
    );
    assert!(seen["html"].as_str().unwrap().contains("<b>zusammen</b>"));
    let atts = seen["attachments"].as_array().unwrap();
    assert_eq!(atts.len(), 3);
    for (got, want) in atts.iter().zip(&compose.attachments) {
        assert_eq!(got["filename"], want.filename.as_str());
        assert_eq!(got["type"], want.mime.as_str());
        assert_eq!(
            got["data"],
            b64(&want.data),
            "{} changed on the way",
            want.filename
        );
    }
    assert_eq!(atts[2]["type"], "text/csv");
}

#[tokio::test]
async fn send_read_reply_all_and_forward_through_gmail() {
    let emu = start().await;
    let alice = Gmail::new(service(&emu, "gmail", "v1", "alice@example.com").await).unwrap();
    let bob = Gmail::new(service(&emu, "gmail", "v1", "bob@example.com").await).unwrap();
    let carol = Gmail::new(service(&emu, "gmail", "v1", "carol@example.com").await).unwrap();

    let mut compose = Compose::new()
        .to("Bob <bob@example.com>")
        .unwrap()
        .cc("carol@example.com")
        .unwrap()
        .subject("Zahlen für März ✓")
        .text("Hi Bob,\nsee attached.");
    compose.attachments = tricky_attachments();
    let sent = alice.send(&compose, None).await.unwrap();
    assert_eq!(sent.label_ids, ["SENT"]);

    // Bob's copy: find it and read it.
    let list = bob
        .service()
        .method("users.messages.list")
        .unwrap()
        .param("userId", "me")
        .param("q", "subject:März")
        .execute()
        .await
        .unwrap();
    let bob_id = list["messages"][0]["id"].as_str().unwrap().to_string();
    let got = bob.read(&bob_id).await.unwrap();
    assert_eq!(got.subject, "Zahlen für März ✓");
    assert_eq!(got.text.replace("\r\n", "\n"), "Hi Bob,\nsee attached.");
    assert_eq!(got.from[0].email, "alice@example.com");
    assert_eq!(got.attachments.len(), 3);
    for (a, want) in got.attachments.iter().zip(&compose.attachments) {
        assert_eq!(a.filename, want.filename);
        assert_eq!(a.data.as_deref(), Some(&want.data[..]));
    }
    // The stored raw message (Gmail added nothing that breaks it) still reads in Python.
    let stored = bob.read_raw(&bob_id).await.unwrap();
    let seen = python(PY_EMAIL, &stored);
    assert_eq!(seen["subject"], "Zahlen für März ✓");
    assert_eq!(
        seen["attachments"][0]["data"],
        b64(&compose.attachments[0].data)
    );
    assert_eq!(
        seen["bcc"],
        serde_json::json!([]),
        "Bcc never reaches recipients"
    );

    // Bob replies to all: Alice (From) and Carol (Cc), not himself; same thread; Re: once.
    let out = bob
        .reply(
            &bob_id,
            &ReplyOptions {
                all: true,
                text: Some("Danke!".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        out.compose
            .to
            .iter()
            .map(|m| m.email.as_str())
            .collect::<Vec<_>>(),
        ["alice@example.com"]
    );
    assert_eq!(
        out.compose
            .cc
            .iter()
            .map(|m| m.email.as_str())
            .collect::<Vec<_>>(),
        ["carol@example.com"]
    );
    assert_eq!(out.compose.subject, "Re: Zahlen für März ✓");
    let replied = bob.send_outgoing(&out).await.unwrap();
    assert_eq!(
        Some(replied.thread_id.as_str()),
        got.thread_id.as_deref(),
        "the reply stays in Bob's thread"
    );
    // In Alice's mailbox the reply joins the thread of her sent message.
    let alice_list = alice
        .service()
        .method("users.messages.list")
        .unwrap()
        .param("userId", "me")
        .param("q", "subject:\"Re: Zahlen\"")
        .execute()
        .await
        .unwrap();
    let alice_reply = alice
        .read(alice_list["messages"][0]["id"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(
        alice_reply.thread_id.as_deref(),
        Some(sent.thread_id.as_str())
    );
    assert_eq!(alice_reply.in_reply_to, got.message_id);
    assert!(
        alice_reply.text.starts_with("Danke!\n\nOn "),
        "{}",
        alice_reply.text
    );
    assert!(
        alice_reply.text.contains("> Hi Bob,"),
        "{}",
        alice_reply.text
    );

    // Replying to the reply keeps one Re: and the whole chain.
    let again = alice
        .reply(alice_reply.id.as_deref().unwrap(), &ReplyOptions::default())
        .await
        .unwrap();
    assert_eq!(again.compose.subject, "Re: Zahlen für März ✓");
    assert_eq!(
        again.compose.references.len(),
        2,
        "{:?}",
        again.compose.references
    );

    // Bob forwards the original to Carol with its attachments.
    let fwd = bob
        .forward(
            &bob_id,
            &ForwardOptions {
                to: vec![Mailbox::new("carol@example.com").unwrap()],
                text: Some("FYI".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    bob.send_outgoing(&fwd).await.unwrap();
    let carol_list = carol
        .service()
        .method("users.messages.list")
        .unwrap()
        .param("userId", "me")
        .param("q", "subject:Fwd")
        .execute()
        .await
        .unwrap();
    let carol_msg = carol
        .read(carol_list["messages"][0]["id"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(carol_msg.subject, "Fwd: Zahlen für März ✓");
    assert!(
        carol_msg
            .text
            .contains("---------- Forwarded message ---------")
    );
    for (a, want) in carol_msg.attachments.iter().zip(&compose.attachments) {
        assert_eq!(a.data.as_deref(), Some(&want.data[..]), "{}", want.filename);
    }
}

#[tokio::test]
async fn reply_to_a_seeded_thread_and_draft_it() {
    let emu = start().await;
    let alice = Gmail::new(service(&emu, "gmail", "v1", "alice@example.com").await).unwrap();
    let list = alice
        .service()
        .method("users.messages.list")
        .unwrap()
        .param("userId", "me")
        .param("q", "subject:Lunch from:bob@example.com")
        .execute()
        .await
        .unwrap();
    let id = list["messages"][0]["id"].as_str().unwrap();
    let original = alice.read(id).await.unwrap();
    let out = alice
        .reply(
            id,
            &ReplyOptions {
                text: Some("See you".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(out.compose.subject, "Re: Lunch on Friday?");
    assert_eq!(out.compose.to[0].email, "bob@example.com");
    assert_eq!(out.thread_id, original.thread_id);
    let draft = alice.draft_outgoing(&out).await.unwrap();
    assert!(draft.id.starts_with('r'), "{draft:?}");
    assert_eq!(
        Some(draft.message.thread_id.as_str()),
        original.thread_id.as_deref()
    );
    let stored = alice
        .service()
        .method("users.drafts.get")
        .unwrap()
        .param("userId", "me")
        .param("id", draft.id.as_str())
        .param("format", "raw")
        .execute()
        .await
        .unwrap();
    let m = gapi_workspace::mail::MailMessage::from_gmail(&stored["message"]).unwrap();
    assert_eq!(m.in_reply_to.as_deref(), Some("seed-lunch@example.com"));
    assert_eq!(m.text.lines().next(), Some("See you"));
}

#[tokio::test]
async fn large_messages_are_uploaded_and_oversize_is_refused_before_sending() {
    let emu = start().await;
    let alice = Gmail::new(service(&emu, "gmail", "v1", "alice@example.com").await).unwrap();
    let bob = Gmail::new(service(&emu, "gmail", "v1", "bob@example.com").await).unwrap();
    let big: Vec<u8> = (0..6 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let compose = Compose::new()
        .to("bob@example.com")
        .unwrap()
        .subject("Big one")
        .text("attached")
        .attach(Attachment::from_bytes("big.bin", big.clone()).unwrap());
    let raw_len = compose.to_rfc5322().unwrap().len() as u64;
    assert_eq!(route_for(raw_len).unwrap(), SendRoute::Upload);
    control(&emu, "DELETE", "requests", Value::Null).await;
    alice.send(&compose, None).await.unwrap();
    let paths = request_paths(&emu).await;
    assert!(
        paths
            .iter()
            .any(|(m, p)| m == "POST" && p == "/upload/gmail/v1/users/me/messages/send"),
        "{paths:?}"
    );
    let list = bob
        .service()
        .method("users.messages.list")
        .unwrap()
        .param("userId", "me")
        .param("q", "subject:\"Big one\"")
        .execute()
        .await
        .unwrap();
    let got = bob
        .read(list["messages"][0]["id"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(got.attachments[0].data.as_deref(), Some(&big[..]));

    // 27 MiB of attachment is about 36.9 MB once in base64: refused, nothing sent.
    let huge = Compose::new()
        .to("bob@example.com")
        .unwrap()
        .attach(Attachment::from_bytes("huge.bin", vec![7u8; 27 * 1024 * 1024]).unwrap());
    control(&emu, "DELETE", "requests", Value::Null).await;
    let err = alice.send(&huge, None).await.unwrap_err();
    assert!(
        matches!(err, gapi_workspace::Error::TooLarge { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("35 MiB"), "{err}");
    assert!(request_paths(&emu).await.is_empty(), "nothing was sent");
    // No recipient: refused before sending too.
    let err = alice
        .send(&Compose::new().subject("x"), None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no recipient"), "{err}");
}
