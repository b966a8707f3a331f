//! `users.messages.send` with a JSON body (`raw`, base64url), and the sending path shared
//! with uploads and `drafts.send`: missing `From`/`Date`/`Message-ID` added, the sender's copy
//! labelled `SENT`, and a copy (without `Bcc`) delivered to each seeded user addressed.

use axum::extract::{Path, State};
use base64::Engine;
use bytes::Bytes;
use serde_json::{Map, Value};

use super::mime;
use super::render::message_ref;
use super::{GmailData, Shared, invalid_argument, mailbox_owner, require};
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::{Params, json_object, read_limited};
use crate::framework::caller::Caller;
use crate::framework::random;
use crate::framework::time::now_ms;
use crate::world::users::find_user;

/// Gmail's largest message (35 MiB), for `send` and `drafts.create`.
pub(crate) const MAX_MESSAGE: usize = 36_700_160;
/// Largest JSON body of a `send` (the message base64url-encoded, plus the JSON around it).
pub(crate) const MAX_JSON: usize = MAX_MESSAGE / 3 * 4 + 64 * 1024;

/// Gmail's error when neither `raw` nor an upload carries the message.
pub(crate) fn raw_required() -> ApiError {
    invalid_argument(
        "'raw' RFC822 payload message string or uploading message via /upload/* URL required",
    )
}

/// 413 for a message over 35 MiB.
pub(crate) fn too_large() -> ApiError {
    ApiError::new(
        413,
        "INVALID_ARGUMENT",
        "uploadTooLarge",
        format!("Request payload size exceeds the limit: {MAX_MESSAGE} bytes."),
    )
    .help("Gmail accepts messages up to 35 MiB (36,700,160 bytes), attachments included after encoding.")
}

/// Decodes `message.raw` (base64url or base64, padded or not, as Google's JSON reader).
pub(crate) fn decode_raw(text: &str) -> Result<Bytes, ApiError> {
    let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let trimmed = clean.trim_end_matches('=');
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(trimmed);
    let bytes = url.or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(trimmed));
    let bytes = bytes.map_err(|_| {
        invalid_argument("Invalid value at 'message.raw' (TYPE_BYTES), Base64 decoding failed")
    })?;
    if bytes.len() > MAX_MESSAGE {
        return Err(too_large());
    }
    Ok(Bytes::from(bytes))
}

/// The `raw` and `threadId` of a Message JSON object.
pub(crate) fn raw_of(message: &Map<String, Value>) -> Result<(Bytes, Option<String>), ApiError> {
    let thread = message
        .get("threadId")
        .and_then(Value::as_str)
        .map(str::to_owned);
    match message.get("raw") {
        Some(Value::String(s)) if !s.is_empty() => Ok((decode_raw(s)?, thread)),
        _ => Err(raw_required()),
    }
}

fn line_break(raw: &[u8]) -> &'static str {
    if raw.windows(2).any(|w| w == b"\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

fn header_block_end(raw: &[u8]) -> usize {
    let crlf = raw.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 2);
    let lf = raw.windows(2).position(|w| w == b"\n\n").map(|p| p + 1);
    match (crlf, lf) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b).unwrap_or(raw.len()),
    }
}

/// `raw` with header `name` (and its folded lines) removed from the top-level headers.
pub(crate) fn strip_header(raw: &[u8], name: &str) -> Bytes {
    let end = header_block_end(raw);
    let mut out = Vec::with_capacity(raw.len());
    let mut skipping = false;
    let prefix = format!("{}:", name.to_ascii_lowercase());
    for line in raw[..end].split_inclusive(|b| *b == b'\n') {
        let folded = line.first().is_some_and(|b| *b == b' ' || *b == b'\t');
        if folded {
            if !skipping {
                out.extend_from_slice(line);
            }
            continue;
        }
        skipping = line.len() >= prefix.len()
            && line[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes());
        if !skipping {
            out.extend_from_slice(line);
        }
    }
    out.extend_from_slice(&raw[end..]);
    Bytes::from(out)
}

/// RFC 5322 date of `ms`, in UTC.
pub(crate) fn rfc5322_date(ms: u64) -> String {
    let ts = jiff::Timestamp::from_millisecond(ms as i64).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    jiff::fmt::rfc2822::to_string(&ts.to_zoned(jiff::tz::TimeZone::UTC))
        .unwrap_or_else(|_| "Thu, 01 Jan 1970 00:00:00 +0000".to_owned())
}

/// Adds what Gmail adds to an outgoing message when missing: `From` (the sender), `Date`,
/// `Message-ID`.
pub(crate) fn complete_headers(raw: &Bytes, sender: &str, now: u64) -> Bytes {
    let end = header_block_end(raw);
    let block = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let has = |name: &str| {
        block.starts_with(&format!("{name}:")) || block.contains(&format!("\n{name}:"))
    };
    let nl = line_break(raw);
    let mut head = String::new();
    if !has("from") {
        let name = find_user(sender).map(|u| u.name).unwrap_or("");
        head.push_str(&format!("From: {name} <{sender}>{nl}"));
    }
    if !has("date") {
        head.push_str(&format!("Date: {}{nl}", rfc5322_date(now)));
    }
    if !has("message-id") {
        head.push_str(&format!(
            "Message-ID: <emu.{}@mail.gmail.com>{nl}",
            random::token(12).replace(['-', '_'], "x")
        ));
    }
    if head.is_empty() {
        return raw.clone();
    }
    let mut out = head.into_bytes();
    out.extend_from_slice(raw);
    Bytes::from(out)
}

/// The parsed message and its recipients, or the error `send` answers (too large, not a
/// message, no recipient).
pub(crate) fn check_sendable(raw: &[u8]) -> Result<(mime::Part, Vec<String>), ApiError> {
    if raw.len() > MAX_MESSAGE {
        return Err(too_large());
    }
    let root = mime::parse(raw).ok_or_else(raw_required)?;
    let recipients = super::mailbox::index_of(&root).recipients;
    if recipients.is_empty() {
        return Err(invalid_argument("Recipient address required"));
    }
    Ok((root, recipients))
}

/// Sends `raw` from `sender`: stores the sender's copy (`SENT`, and `INBOX`/`UNREAD` when
/// they wrote to themselves) under `reuse_id` or a new id, delivers the others' copies,
/// returns `{id, threadId, labelIds}` of the sender's copy.
pub(crate) fn send_raw(
    data: &mut GmailData,
    sender: &str,
    raw: Bytes,
    thread: Option<&str>,
    reuse_id: Option<String>,
) -> Result<Value, ApiError> {
    let now = now_ms();
    let raw = complete_headers(&raw, sender, now);
    let (root, recipients) = check_sendable(&raw)?;
    let to_self = recipients.iter().any(|r| r.eq_ignore_ascii_case(sender));
    let mut labels = vec!["SENT".to_owned()];
    if to_self {
        labels = vec!["UNREAD".into(), "SENT".into(), "INBOX".into()];
    }
    let id = match reuse_id {
        Some(id) => id,
        None => data.new_message_id(now),
    };
    let mailbox = data.mailbox(sender);
    mailbox.add(id.clone(), raw.clone(), &root, labels, now, thread);
    let reply = message_ref(&mailbox.messages[&id]);
    // Delivery: one copy per seeded recipient other than the sender, without Bcc.
    let delivered = strip_header(&raw, "Bcc");
    for rcpt in recipients {
        if rcpt.eq_ignore_ascii_case(sender) || find_user(&rcpt).is_none() {
            continue;
        }
        let nl = line_break(&delivered);
        let mut copy = format!("Delivered-To: {rcpt}{nl}").into_bytes();
        copy.extend_from_slice(&delivered);
        let copy = Bytes::from(copy);
        let Some(root) = mime::parse(&copy) else {
            continue;
        };
        let copy_id = data.new_message_id(now);
        data.mailbox(&rcpt).add(
            copy_id,
            copy,
            &root,
            vec!["UNREAD".into(), "INBOX".into()],
            now,
            None,
        );
    }
    Ok(reply)
}

/// `POST /gmail/v1/users/{userId}/messages/send` with a JSON Message (`raw`, `threadId`).
pub(crate) async fn send(
    State(state): State<Shared>,
    Path(user_id): Path<String>,
    caller: Caller,
    _params: Params,
    body: axum::body::Body,
) -> ApiResult {
    require(&caller, "users.messages.send")?;
    let me = mailbox_owner(&caller, &user_id)?;
    let bytes = read_limited(body, MAX_JSON)
        .await
        .map_err(|e| if e.code == 413 { too_large() } else { e })?;
    let message = json_object(&bytes)?;
    let (raw, thread) = raw_of(&message)?;
    let mut data = state.data.write();
    let reply = send_raw(&mut data, &me, raw, thread.as_deref(), None)?;
    Ok(json_ok(&reply))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_completed_and_bcc_stripped() {
        let raw = Bytes::from_static(b"To: b@example.com\r\nBcc: c@example.com,\r\n d@example.com\r\nSubject: x\r\n\r\nBcc: stays in the body\r\n");
        let done = complete_headers(&raw, "alice@example.com", 0);
        let text = String::from_utf8_lossy(&done);
        assert!(text.starts_with("From: Alice Example <alice@example.com>\r\nDate: Thu, 1 Jan 1970 00:00:00 +0000\r\nMessage-ID: <emu."), "{text}");
        let stripped = strip_header(&done, "bcc");
        let text = String::from_utf8_lossy(&stripped);
        assert!(!text.contains("c@example.com") && !text.contains("d@example.com"));
        assert!(text.contains("\r\nSubject: x\r\n\r\nBcc: stays in the body"));
        assert!(decode_raw("SGk_").is_ok() && decode_raw("SGk/").is_ok());
        assert!(decode_raw("*").is_err());
    }
}
