//! The seeded mailboxes: Bob has written to Alice twice (a report with a CSV attachment, read;
//! a lunch question, unread) and Alice has answered the second in the same thread. Carol's
//! mailbox starts empty. The Gmail service files them (`services::gmail::mailbox`).

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

/// One seeded message: filed as `SENT` in the sender's mailbox and with `labels` in the
/// recipient's.
pub(crate) struct SeedMessage {
    pub from: &'static str,
    pub to: &'static str,
    /// The RFC 5322 message.
    pub raw: &'static str,
    /// `internalDate`, ms since the epoch.
    pub internal_ms: u64,
    /// The recipient's labels.
    pub labels: &'static [&'static str],
}

/// The seeded messages, oldest first.
pub(crate) const MESSAGES: &[SeedMessage] = &[
    SeedMessage {
        from: "bob@example.com",
        to: "alice@example.com",
        raw: REPORT,
        internal_ms: 1_772_439_300_000,
        labels: &["INBOX"],
    },
    SeedMessage {
        from: "bob@example.com",
        to: "alice@example.com",
        raw: LUNCH,
        internal_ms: 1_772_708_400_000,
        labels: &["UNREAD", "INBOX"],
    },
    SeedMessage {
        from: "alice@example.com",
        to: "bob@example.com",
        raw: LUNCH_REPLY,
        internal_ms: 1_772_710_200_000,
        labels: &["UNREAD", "INBOX"],
    },
];
