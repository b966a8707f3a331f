//! Changing mailboxes: storing a message (its search index, its thread), changing labels,
//! deleting, each recorded in the mailbox's history as Gmail records it.

use bytes::Bytes;

use super::GmailData;
use super::mime::{self, Part};
use super::model::{Change, Mailbox, SearchIndex, StoredMessage};
use crate::world::mailboxes::MESSAGES;
use crate::world::users::test_users;

/// System labels, as `labels.list` shows them (id = name).
pub(crate) const SYSTEM_LABELS: &[&str] = &[
    "CHAT",
    "SENT",
    "INBOX",
    "IMPORTANT",
    "TRASH",
    "DRAFT",
    "SPAM",
    "CATEGORY_FORUMS",
    "CATEGORY_UPDATES",
    "CATEGORY_PERSONAL",
    "CATEGORY_PROMOTIONS",
    "CATEGORY_SOCIAL",
    "STARRED",
    "UNREAD",
];

/// System labels that `modify` may not add or remove (Gmail sets them itself).
pub(crate) const FIXED_LABELS: &[&str] = &["SENT", "DRAFT", "CHAT"];

impl GmailData {
    /// Gmail's seeded state: every test user's mailbox, with the seeded messages
    /// (`crate::world::mailboxes`) filed; no uploads.
    pub(crate) fn seeded() -> Self {
        let mut data = GmailData::default();
        for user in test_users() {
            data.mailbox(user.email);
        }
        for m in MESSAGES {
            let raw = Bytes::from_static(m.raw.as_bytes());
            let Some(root) = mime::parse(&raw) else {
                continue;
            };
            let id = data.new_message_id(m.internal_ms);
            data.mailbox(m.from).add(
                id,
                raw.clone(),
                &root,
                vec!["SENT".into()],
                m.internal_ms,
                None,
            );
            let id = data.new_message_id(m.internal_ms);
            let labels = m.labels.iter().map(|l| (*l).to_owned()).collect();
            data.mailbox(m.to)
                .add(id, raw, &root, labels, m.internal_ms, None);
        }
        data
    }

    /// The mailbox of `email`, created empty (with its history starting) if needed.
    pub(crate) fn mailbox(&mut self, email: &str) -> &mut Mailbox {
        self.mailboxes
            .entry(email.to_ascii_lowercase())
            .or_insert_with(|| Mailbox {
                history_id: 1000,
                history_floor: 1000,
                next_label: 1,
                ..Default::default()
            })
    }

    /// A fresh message id: 16 hex digits, the time in the high bits as Gmail's ids.
    pub(crate) fn new_message_id(&mut self, ms: u64) -> String {
        self.seq += 1;
        format!("{:x}", (ms << 20) | (self.seq & 0xf_ffff))
    }
}

/// The search index of a parsed message.
pub(crate) fn index_of(root: &Part) -> SearchIndex {
    let get = |name: &str| root.header(name).unwrap_or("").to_owned();
    let subject = get("Subject");
    let text = mime::body_text(root);
    let mut refs = mime::message_ids(&get("References"));
    refs.extend(mime::message_ids(&get("In-Reply-To")));
    let mut recipients = Vec::new();
    for h in ["To", "Cc", "Bcc"] {
        for a in mime::addresses(&get(h)) {
            if !recipients.contains(&a) {
                recipients.push(a);
            }
        }
    }
    let lower_text: String = text.to_lowercase().chars().take(200_000).collect();
    SearchIndex {
        from: get("From").to_lowercase(),
        to: get("To").to_lowercase(),
        cc: get("Cc").to_lowercase(),
        bcc: get("Bcc").to_lowercase(),
        thread_subject: mime::thread_subject(&subject),
        subject: subject.to_lowercase(),
        snippet: mime::snippet(&text),
        text: lower_text,
        has_attachment: root.walk().iter().any(|p| p.is_attachment),
        message_id: mime::message_ids(&get("Message-ID")).into_iter().next(),
        refs,
        recipients,
    }
}

impl Mailbox {
    /// The thread a new message joins: `requested` (the request's `threadId`) when it exists
    /// and the subjects agree, else the thread of a message it refers to (`In-Reply-To`,
    /// `References`) with the same subject, else none (a new thread).
    pub(crate) fn thread_for(
        &self,
        index: &SearchIndex,
        requested: Option<&str>,
    ) -> Option<String> {
        let same_subject = |m: &StoredMessage| m.index.thread_subject == index.thread_subject;
        if let Some(t) = requested
            && self
                .messages
                .values()
                .any(|m| m.thread_id == t && same_subject(m))
        {
            return Some(t.to_owned());
        }
        for r in index.refs.iter().rev() {
            if let Some(m) = self
                .messages
                .values()
                .find(|m| m.index.message_id.as_deref() == Some(r.as_str()) && same_subject(m))
            {
                return Some(m.thread_id.clone());
            }
        }
        None
    }

    /// Stores a message under `id` and records it as added; returns its thread id.
    pub(crate) fn add(
        &mut self,
        id: String,
        raw: Bytes,
        root: &Part,
        labels: Vec<String>,
        internal_ms: u64,
        requested_thread: Option<&str>,
    ) -> String {
        let index = index_of(root);
        let thread_id = self
            .thread_for(&index, requested_thread)
            .unwrap_or_else(|| id.clone());
        let message = StoredMessage {
            id: id.clone(),
            thread_id: thread_id.clone(),
            label_ids: labels.clone(),
            internal_ms,
            history_id: 0,
            raw,
            index,
        };
        self.messages.insert(id.clone(), message);
        self.record(&id, &thread_id, labels, Change::Added);
        thread_id
    }

    /// Adds and removes labels of a message, recording what really changed.
    pub(crate) fn relabel(&mut self, id: &str, add: &[String], remove: &[String]) {
        let Some(m) = self.messages.get_mut(id) else {
            return;
        };
        let mut added = Vec::new();
        let mut removed = Vec::new();
        for l in add {
            if !m.label_ids.contains(l) && !remove.contains(l) {
                m.label_ids.push(l.clone());
                added.push(l.clone());
            }
        }
        for l in remove {
            if let Some(pos) = m.label_ids.iter().position(|x| x == l) {
                m.label_ids.remove(pos);
                removed.push(l.clone());
            }
        }
        let thread = m.thread_id.clone();
        let labels = m.label_ids.clone();
        if !added.is_empty() {
            self.record(id, &thread, labels.clone(), Change::LabelsAdded(added));
        }
        if !removed.is_empty() {
            self.record(id, &thread, labels, Change::LabelsRemoved(removed));
        }
    }

    /// Deletes a message for good, recording it.
    pub(crate) fn delete(&mut self, id: &str) -> bool {
        let Some(m) = self.messages.remove(id) else {
            return false;
        };
        self.drafts.retain(|_, d| d.message_id != id);
        self.record(id, &m.thread_id, m.label_ids, Change::Deleted);
        true
    }

    /// Whether `label` names a label of this mailbox (system or user).
    pub(crate) fn label_exists(&self, label: &str) -> bool {
        SYSTEM_LABELS.contains(&label) || self.labels.contains_key(label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(mb: &mut Mailbox, id: &str, raw: &str, thread: Option<&str>) -> String {
        let root = mime::parse(raw.as_bytes()).unwrap();
        mb.add(
            id.to_owned(),
            Bytes::from(raw.to_owned()),
            &root,
            vec!["INBOX".into()],
            1,
            thread,
        )
    }

    #[test]
    fn replies_join_the_thread_they_refer_to_when_subjects_agree() {
        let mut mb = Mailbox::default();
        let t1 = stored(
            &mut mb,
            "a",
            "Message-ID: <m1@x>\r\nSubject: Plan\r\n\r\nhi\r\n",
            None,
        );
        assert_eq!(t1, "a");
        let t2 = stored(
            &mut mb,
            "b",
            "Message-ID: <m2@x>\r\nIn-Reply-To: <m1@x>\r\nReferences: <m1@x>\r\nSubject: Re: Plan\r\n\r\nok\r\n",
            None,
        );
        assert_eq!(t2, "a");
        let t3 = stored(
            &mut mb,
            "c",
            "In-Reply-To: <m1@x>\r\nSubject: Something else\r\n\r\nx\r\n",
            None,
        );
        assert_eq!(t3, "c", "another subject starts a new thread");
        let t4 = stored(&mut mb, "d", "Subject: RE: plan\r\n\r\nx\r\n", Some("a"));
        assert_eq!(t4, "a", "a requested thread with the same subject");
        let first = mb.history.first().unwrap().id;
        let last = mb.history.last().unwrap().id;
        assert!(last > first && mb.history.len() == 4);
    }

    #[test]
    fn seeded_mailboxes_thread_the_reply() {
        let data = GmailData::seeded();
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
