//! Gmail's saved state: one mailbox per user, each message kept as its raw RFC 5322 bytes
//! (every format is built from them on demand) plus what search and threading need.

use std::collections::BTreeMap;

use bytes::Bytes;
use serde::{Deserialize, Serialize};

/// A stored message.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredMessage {
    pub id: String,
    pub thread_id: String,
    pub label_ids: Vec<String>,
    /// `internalDate` (ms since the epoch).
    pub internal_ms: u64,
    /// The history id of the last change to this message.
    pub history_id: u64,
    /// The message as sent or received.
    #[serde(with = "b64")]
    pub raw: Bytes,
    /// What `q` searches and threading compare, computed once when the message is stored.
    pub index: SearchIndex,
}

/// Lower-cased header values and body text of a message, for `q` and threading.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct SearchIndex {
    pub from: String,
    pub to: String,
    pub cc: String,
    pub bcc: String,
    pub subject: String,
    /// The subject without `Re:`/`Fwd:` prefixes (lower case), for threading.
    pub thread_subject: String,
    pub text: String,
    pub has_attachment: bool,
    /// `Message-ID` (angle brackets removed).
    pub message_id: Option<String>,
    /// `In-Reply-To` and `References` ids.
    pub refs: Vec<String>,
    /// `snippet`.
    pub snippet: String,
    /// Every recipient address (To, Cc, Bcc), lower case.
    pub recipients: Vec<String>,
}

/// A draft: its id and the message it holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Draft {
    pub id: String,
    pub message_id: String,
}

/// A user label.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct UserLabel {
    pub id: String,
    pub name: String,
    pub message_list_visibility: Option<String>,
    pub label_list_visibility: Option<String>,
    pub color: Option<serde_json::Value>,
}

/// What a history record says happened.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum Change {
    Added,
    Deleted,
    LabelsAdded(Vec<String>),
    LabelsRemoved(Vec<String>),
}

/// One entry of `users.history.list`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct HistoryRecord {
    pub id: u64,
    pub message_id: String,
    pub thread_id: String,
    /// The message's labels after the change.
    pub label_ids: Vec<String>,
    pub change: Change,
}

/// One user's mailbox.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Mailbox {
    pub messages: BTreeMap<String, StoredMessage>,
    pub drafts: BTreeMap<String, Draft>,
    pub labels: BTreeMap<String, UserLabel>,
    pub next_label: u64,
    /// The mailbox's current history id (`getProfile`), raised by every change.
    pub history_id: u64,
    /// Kept history, oldest first.
    pub history: Vec<HistoryRecord>,
    /// The oldest `startHistoryId` still answered; older ones are 404 (as Gmail's, after its
    /// history is pruned).
    pub history_floor: u64,
}

/// How many history records a mailbox keeps (older ones are pruned, raising the floor).
pub(crate) const HISTORY_KEPT: usize = 5000;

impl Mailbox {
    /// Raises the history id by a step of 1 to 9 (Gmail's ids grow but are not contiguous)
    /// and returns it.
    pub(crate) fn bump(&mut self) -> u64 {
        let step = 1 + (self.history_id.wrapping_mul(2_654_435_761) >> 7) % 9;
        self.history_id += step;
        self.history_id
    }

    /// Records a change to `message_id` (already updated in `messages`, or just removed with
    /// `labels` its last labels), returns the new history id.
    pub(crate) fn record(
        &mut self,
        message_id: &str,
        thread_id: &str,
        labels: Vec<String>,
        change: Change,
    ) -> u64 {
        let id = self.bump();
        if let Some(m) = self.messages.get_mut(message_id) {
            m.history_id = id;
        }
        self.history.push(HistoryRecord {
            id,
            message_id: message_id.to_owned(),
            thread_id: thread_id.to_owned(),
            label_ids: labels,
            change,
        });
        if self.history.len() > HISTORY_KEPT {
            let cut = self.history.len() - HISTORY_KEPT;
            let dropped: Vec<HistoryRecord> = self.history.drain(..cut).collect();
            if let Some(last) = dropped.last() {
                self.history_floor = self.history_floor.max(last.id);
            }
        }
        id
    }
}

/// A resumable upload of a message (`/upload/gmail/v1/users/me/messages/send`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct UploadSession {
    pub email: String,
    pub scopes: Vec<String>,
    pub client_id: String,
    /// What the upload does when complete.
    pub target: UploadTarget,
    /// The JSON metadata sent when the session started (`threadId`, ...).
    pub metadata: serde_json::Map<String, serde_json::Value>,
    pub total: Option<u64>,
    #[serde(with = "b64")]
    pub received: Bytes,
    /// The answer once complete (repeated for a repeated final PUT).
    pub done: Option<serde_json::Value>,
}

/// Where an uploaded message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum UploadTarget {
    Send,
    DraftCreate,
}

mod b64 {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use bytes::Bytes;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Bytes, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(v))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Bytes, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD
            .decode(text.as_bytes())
            .map(Bytes::from)
            .map_err(serde::de::Error::custom)
    }
}
