//! The seeded mailboxes (part of the emulator's seeded world): Bob has written to Alice
//! twice (a report with a CSV attachment, read; a lunch question, unread) and Alice has
//! answered the second in the same thread. Carol's mailbox starts empty.

use bytes::Bytes;

use super::GmailData;
use super::mime;

const REPORT: &str = "From: Bob Example <bob@example.com>\r\n\
To: Alice Example <alice@example.com>\r\n\
Subject: Quarterly report\r\n\
Date: Mon, 2 Mar 2026 09:15:00 +0100\r\n\
Message-ID: <seed-report@example.com>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"seed-b1\"\r\n\
\r\n\
--seed-b1\r\n\
Content-Type: text/plain; charset=\"utf-8\"\r\n\
\r\n\
Hi Alice, the numbers are attached.\r\n\
--seed-b1\r\n\
Content-Type: text/csv; name=\"report.csv\"\r\n\
Content-Disposition: attachment; filename=\"report.csv\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
cXVhcnRlcixyZXZlbnVlClExLDEwMApRMiwxNTAK\r\n\
--seed-b1--\r\n";

const LUNCH: &str = "From: Bob Example <bob@example.com>\r\n\
To: alice@example.com\r\n\
Subject: Lunch on Friday?\r\n\
Date: Thu, 5 Mar 2026 11:00:00 +0000\r\n\
Message-ID: <seed-lunch@example.com>\r\n\
Content-Type: text/plain; charset=\"utf-8\"\r\n\
\r\n\
Are you free for lunch on Friday?\r\n";

const LUNCH_REPLY: &str = "From: Alice Example <alice@example.com>\r\n\
To: Bob Example <bob@example.com>\r\n\
Subject: Re: Lunch on Friday?\r\n\
Date: Thu, 5 Mar 2026 11:30:00 +0000\r\n\
Message-ID: <seed-lunch-reply@example.com>\r\n\
In-Reply-To: <seed-lunch@example.com>\r\n\
References: <seed-lunch@example.com>\r\n\
Content-Type: text/plain; charset=\"utf-8\"\r\n\
\r\n\
Yes, noon works.\r\n";

/// (sender, recipient, raw, internalDate ms, recipient's labels)
const SEEDED: &[(&str, &str, &str, u64, &[&str])] = &[
    (
        "bob@example.com",
        "alice@example.com",
        REPORT,
        1_772_439_300_000,
        &["INBOX"],
    ),
    (
        "bob@example.com",
        "alice@example.com",
        LUNCH,
        1_772_708_400_000,
        &["UNREAD", "INBOX"],
    ),
    (
        "alice@example.com",
        "bob@example.com",
        LUNCH_REPLY,
        1_772_710_200_000,
        &["UNREAD", "INBOX"],
    ),
];

/// Gmail's seeded state: the mailboxes above, no uploads.
pub(crate) fn seeded() -> GmailData {
    let mut data = GmailData::default();
    for user in ["alice@example.com", "bob@example.com", "carol@example.com"] {
        data.mailbox(user);
    }
    for (from, to, raw, ms, labels) in SEEDED {
        let raw = Bytes::from_static(raw.as_bytes());
        let Some(root) = mime::parse(&raw) else {
            continue;
        };
        let id = data.new_message_id(*ms);
        data.mailbox(from)
            .add(id, raw.clone(), &root, vec!["SENT".into()], *ms, None);
        let id = data.new_message_id(*ms);
        let labels = labels.iter().map(|l| (*l).to_owned()).collect();
        data.mailbox(to).add(id, raw, &root, labels, *ms, None);
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_mailboxes_thread_the_reply() {
        let data = seeded();
        let alice = &data.mailboxes["alice@example.com"];
        assert_eq!(alice.messages.len(), 3);
        let lunch = alice
            .messages
            .values()
            .find(|m| m.index.subject == "lunch on friday?")
            .unwrap();
        let reply = alice
            .messages
            .values()
            .find(|m| m.index.subject == "re: lunch on friday?")
            .unwrap();
        assert_eq!(lunch.thread_id, reply.thread_id);
        assert!(data.mailboxes["carol@example.com"].messages.is_empty());
        let report = alice
            .messages
            .values()
            .find(|m| m.index.has_attachment)
            .unwrap();
        let root = mime::parse(&report.raw).unwrap();
        assert_eq!(root.children[1].body, b"quarter,revenue\nQ1,100\nQ2,150\n");
    }
}
