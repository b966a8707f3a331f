//! Reading a message: from its raw RFC 5322 bytes (Gmail's `format=raw`) or from Gmail's
//! `format=full` JSON, into decoded headers, the text body (HTML made readable when there is
//! no text part), the HTML body and the attachments with their bytes. Nothing here escapes
//! for a terminal: [`MailMessage::to_plain_text`] is plain text, and the caller escapes.

use std::path::{Path, PathBuf};

use base64::Engine;
use mail_parser::{HeaderValue, MessageParser, MimeHeaders};
use serde_json::Value;

use super::address::Mailbox;
use super::html_text::html_to_text;
use crate::error::{Error, Result};

/// A decoded message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailMessage {
    /// Gmail's message id, when read from Gmail.
    pub id: Option<String>,
    /// Gmail's thread id, when read from Gmail.
    pub thread_id: Option<String>,
    /// Gmail's labels, when read from Gmail.
    pub label_ids: Vec<String>,
    /// Every header in order, its value decoded (RFC 2047) and unfolded.
    pub headers: Vec<(String, String)>,
    /// `Subject` (empty when absent).
    pub subject: String,
    /// `From`.
    pub from: Vec<Mailbox>,
    /// `Reply-To`.
    pub reply_to: Vec<Mailbox>,
    /// `To`.
    pub to: Vec<Mailbox>,
    /// `Cc`.
    pub cc: Vec<Mailbox>,
    /// `Date` as written in the message.
    pub date: Option<String>,
    /// `Message-ID`, without angle brackets.
    pub message_id: Option<String>,
    /// `References`, oldest first, without angle brackets.
    pub references: Vec<String>,
    /// `In-Reply-To`, without angle brackets.
    pub in_reply_to: Option<String>,
    /// The text body: the text parts, or the HTML part turned into readable text; `\n` line
    /// ends.
    pub text: String,
    /// The HTML body, when there is one.
    pub html: Option<String>,
    /// The attachments (and inline files), in order.
    pub attachments: Vec<MailAttachment>,
}

/// One attachment of a read message.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct MailAttachment {
    /// The file name (made up from the MIME type when the message names none).
    pub filename: String,
    /// The MIME type.
    pub mime: String,
    /// The size in bytes (decoded).
    pub size: u64,
    /// The bytes, when known (always from raw messages; from `full` JSON only for small parts).
    pub data: Option<Vec<u8>>,
    /// Gmail's attachment id (from `full` JSON), to fetch the bytes with `attachments.get`.
    pub attachment_id: Option<String>,
}

impl std::fmt::Debug for MailAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailAttachment")
            .field("filename", &self.filename)
            .field("mime", &self.mime)
            .field("size", &self.size)
            .field("has_data", &self.data.is_some())
            .field("attachment_id", &self.attachment_id)
            .finish()
    }
}

impl MailMessage {
    /// Decodes a raw RFC 5322 message.
    pub fn from_raw(raw: &[u8]) -> Result<MailMessage> {
        let msg = MessageParser::default()
            .parse(raw)
            .filter(|m| !m.headers().is_empty())
            .ok_or_else(|| Error::invalid("the message has no headers: not an RFC 5322 message"))?;
        let mut out = MailMessage {
            subject: msg.subject().unwrap_or_default().to_string(),
            date: msg.date().map(|d| d.to_rfc822()),
            message_id: msg.message_id().map(str::to_string),
            references: ids(msg.references()),
            in_reply_to: ids(msg.in_reply_to()).pop(),
            from: mailboxes(msg.from()),
            reply_to: mailboxes(msg.reply_to()),
            to: mailboxes(msg.to()),
            cc: mailboxes(msg.cc()),
            ..Default::default()
        };
        for h in msg.headers() {
            let start = h.offset_start() as usize;
            let end = (h.offset_end() as usize).min(raw.len());
            let raw_value = raw
                .get(start..end)
                .map(String::from_utf8_lossy)
                .unwrap_or_default();
            out.headers
                .push((h.name().to_string(), render_header(h.value(), &raw_value)));
        }
        let mut texts = Vec::new();
        for part in msg.text_bodies() {
            match &part.body {
                mail_parser::PartType::Text(t) => texts.push(t.to_string()),
                mail_parser::PartType::Html(h) => texts.push(html_to_text(h)),
                _ => {}
            }
        }
        // Line ends as a program reading text expects them (the wire form is CRLF).
        out.text = texts.join("\n\n").replace("\r\n", "\n");
        out.html = msg
            .html_part(0)
            .filter(|p| p.is_text_html())
            .and_then(|p| p.text_contents())
            .map(str::to_string);
        for (i, part) in msg.attachments().enumerate() {
            let mime = part
                .content_type()
                .map(|ct| match &ct.c_subtype {
                    Some(s) => format!("{}/{}", ct.c_type, s),
                    None => ct.c_type.to_string(),
                })
                .unwrap_or_else(|| "application/octet-stream".into())
                .to_ascii_lowercase();
            let data = part.contents().to_vec();
            out.attachments.push(MailAttachment {
                filename: part
                    .attachment_name()
                    .map(str::to_string)
                    .unwrap_or_else(|| made_up_name(i, &mime)),
                size: data.len() as u64,
                mime,
                data: Some(data),
                attachment_id: None,
            });
        }
        Ok(out)
    }

    /// Decodes a Gmail `Message` resource: `format=raw` (the `raw` member) or `format=full`
    /// (the `payload` tree; attachments then carry their `attachmentId`, and their bytes only
    /// when Gmail inlined them).
    pub fn from_gmail(json: &Value) -> Result<MailMessage> {
        let mut out = if let Some(raw) = json.get("raw").and_then(Value::as_str) {
            MailMessage::from_raw(&decode_base64url(raw)?)?
        } else if let Some(payload) = json.get("payload") {
            from_payload(payload)?
        } else {
            return Err(Error::invalid(
                "the Gmail message has neither `raw` nor `payload`; get it with format=raw or format=full",
            ));
        };
        out.id = json.get("id").and_then(Value::as_str).map(str::to_string);
        out.thread_id = json
            .get("threadId")
            .and_then(Value::as_str)
            .map(str::to_string);
        out.label_ids = json
            .get("labelIds")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        Ok(out)
    }

    /// The value of the first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A plain-text rendering: the main headers, the text body, the attachments listed.
    /// Not escaped for a terminal (the caller does that).
    pub fn to_plain_text(&self) -> String {
        let mut out = String::new();
        let list = |l: &[Mailbox]| {
            l.iter()
                .map(Mailbox::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (name, value) in [
            ("From", list(&self.from)),
            ("To", list(&self.to)),
            ("Cc", list(&self.cc)),
            ("Date", self.date.clone().unwrap_or_default()),
            ("Subject", self.subject.clone()),
        ] {
            if !value.is_empty() {
                out.push_str(&format!("{name}: {value}\n"));
            }
        }
        out.push('\n');
        out.push_str(self.text.trim_end());
        out.push('\n');
        if !self.attachments.is_empty() {
            out.push_str("\nAttachments:\n");
            for a in &self.attachments {
                out.push_str(&format!(
                    "  {} ({}, {} bytes)\n",
                    a.filename, a.mime, a.size
                ));
            }
        }
        out
    }

    /// Writes the attachments that carry their bytes into `dir` (created if missing), under
    /// safe names (no folders, no leading dots; `name (2).ext` when taken: an existing file
    /// is never replaced). Returns the paths written, in order.
    pub fn save_attachments(&self, dir: &Path) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut written = Vec::new();
        for a in &self.attachments {
            let Some(data) = &a.data else {
                return Err(Error::invalid(format!(
                    "the bytes of attachment {:?} were not fetched; read the message in raw format",
                    a.filename
                )));
            };
            written.push(write_new_file(dir, &safe_filename(&a.filename), data)?);
        }
        Ok(written)
    }
}

/// Creates `dir/name` without replacing anything: `name (2).ext`, `name (3).ext`... when taken.
pub(crate) fn write_new_file(dir: &Path, name: &str, data: &[u8]) -> Result<PathBuf> {
    use std::io::Write;
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
        _ => (name.to_string(), String::new()),
    };
    for n in 1..10_000 {
        let candidate = if n == 1 {
            dir.join(name)
        } else {
            dir.join(format!("{stem} ({n}){ext}"))
        };
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(mut f) => {
                f.write_all(data)
                    .and_then(|()| f.sync_all())
                    .map_err(|e| Error::io(&candidate, e))?;
                return Ok(candidate);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(&candidate, e)),
        }
    }
    Err(Error::invalid(format!(
        "too many files named like {name:?} in {}",
        dir.display()
    )))
}

/// A file name that stays inside the target folder: the last path component, control
/// characters and separators replaced, no leading dots, at most 200 bytes.
pub fn safe_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let mut s: String = base
        .chars()
        .map(|c| if c.is_control() || c == ':' { '_' } else { c })
        .collect();
    s = s.trim().trim_start_matches('.').to_string();
    while s.len() > 200 {
        s.pop();
    }
    if s.is_empty() { "attachment".into() } else { s }
}

fn made_up_name(i: usize, mime: &str) -> String {
    let ext = match mime {
        "text/plain" => ".txt",
        "text/html" => ".html",
        "text/csv" => ".csv",
        "text/calendar" => ".ics",
        "application/pdf" => ".pdf",
        "application/zip" => ".zip",
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        "image/gif" => ".gif",
        "message/rfc822" => ".eml",
        _ => "",
    };
    format!("attachment-{}{ext}", i + 1)
}

fn mailboxes(addr: Option<&mail_parser::Address<'_>>) -> Vec<Mailbox> {
    let Some(addr) = addr else {
        return Vec::new();
    };
    addr.iter()
        .filter_map(|a| {
            let email = a.address.as_deref()?.trim();
            if email.is_empty() || email.chars().any(char::is_control) {
                return None;
            }
            Some(Mailbox {
                name: a
                    .name
                    .as_deref()
                    .map(|n| n.trim().replace(|c: char| c.is_control(), " "))
                    .filter(|n| !n.is_empty()),
                email: email.to_string(),
            })
        })
        .collect()
}

fn ids(v: &HeaderValue<'_>) -> Vec<String> {
    match v {
        HeaderValue::Text(t) => vec![t.to_string()],
        HeaderValue::TextList(l) => l.iter().map(|s| s.to_string()).collect(),
        _ => Vec::new(),
    }
}

fn render_header(v: &HeaderValue<'_>, raw: &str) -> String {
    let unfolded = || {
        raw.split(['\r', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    match v {
        HeaderValue::Address(a) => a
            .iter()
            .map(|m| match (&m.name, &m.address) {
                (Some(n), Some(e)) => Mailbox {
                    name: Some(n.to_string()),
                    email: e.to_string(),
                }
                .to_string(),
                (None, Some(e)) => e.to_string(),
                (Some(n), None) => n.to_string(),
                (None, None) => String::new(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        HeaderValue::Text(t) => unfold(t),
        HeaderValue::TextList(l) => unfold(&l.join(", ")),
        HeaderValue::DateTime(d) => d.to_rfc822(),
        _ => unfolded(),
    }
}

/// RFC 5322 unfolding: a line break before white space is removed.
fn unfold(s: &str) -> String {
    s.replace("\r\n", "\n")
        .split('\n')
        .collect::<Vec<_>>()
        .join("")
        .trim()
        .to_string()
}

/// Decodes base64url (or standard base64), padded or not, as Gmail's `raw` and `data` are.
pub fn decode_base64url(text: &str) -> Result<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let t = text.trim().trim_end_matches('=');
    URL_SAFE_NO_PAD
        .decode(t)
        .or_else(|_| STANDARD_NO_PAD.decode(t))
        .map_err(|e| Error::invalid(format!("not base64url data: {e}")))
}

fn from_payload(payload: &Value) -> Result<MailMessage> {
    let mut out = MailMessage::default();
    if let Some(headers) = payload.get("headers").and_then(Value::as_array) {
        for h in headers {
            let name = h.get("name").and_then(Value::as_str).unwrap_or_default();
            let value = h.get("value").and_then(Value::as_str).unwrap_or_default();
            out.headers.push((name.to_string(), value.to_string()));
        }
    }
    let get = |n: &str| {
        out.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
    };
    let boxes = |n: &str| {
        get(n)
            .map(|v| Mailbox::parse_list(&v).unwrap_or_default())
            .unwrap_or_default()
    };
    let id_list = |n: &str| -> Vec<String> {
        get(n)
            .map(|v| {
                v.split(|c: char| c.is_whitespace() || c == ',')
                    .map(|s| s.trim_start_matches('<').trim_end_matches('>').to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    out.subject = get("Subject").unwrap_or_default();
    out.date = get("Date");
    out.from = boxes("From");
    out.reply_to = boxes("Reply-To");
    out.to = boxes("To");
    out.cc = boxes("Cc");
    out.message_id = id_list("Message-ID").pop();
    out.references = id_list("References");
    out.in_reply_to = id_list("In-Reply-To").pop();
    let mut texts = Vec::new();
    let mut htmls = Vec::new();
    walk(payload, &mut texts, &mut htmls, &mut out.attachments)?;
    out.text = if texts.is_empty() {
        htmls
            .iter()
            .map(|h| html_to_text(h))
            .collect::<Vec<_>>()
            .join("\n\n")
    } else {
        texts.join("\n\n").replace("\r\n", "\n")
    };
    out.html = htmls.into_iter().next();
    Ok(out)
}

fn walk(
    part: &Value,
    texts: &mut Vec<String>,
    htmls: &mut Vec<String>,
    attachments: &mut Vec<MailAttachment>,
) -> Result<()> {
    let mime = part
        .get("mimeType")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_ascii_lowercase();
    let filename = part.get("filename").and_then(Value::as_str).unwrap_or("");
    let body = part.get("body");
    let attachment_id = body
        .and_then(|b| b.get("attachmentId"))
        .and_then(Value::as_str);
    let data = body
        .and_then(|b| b.get("data"))
        .and_then(Value::as_str)
        .map(decode_base64url)
        .transpose()?;
    if let Some(parts) = part.get("parts").and_then(Value::as_array) {
        for p in parts {
            walk(p, texts, htmls, attachments)?;
        }
        return Ok(());
    }
    if !filename.is_empty() || attachment_id.is_some() {
        let size = body
            .and_then(|b| b.get("size"))
            .and_then(Value::as_u64)
            .or(data.as_ref().map(|d| d.len() as u64))
            .unwrap_or(0);
        attachments.push(MailAttachment {
            filename: if filename.is_empty() {
                made_up_name(attachments.len(), &mime)
            } else {
                filename.to_string()
            },
            mime,
            size,
            data,
            attachment_id: attachment_id.map(str::to_string),
        });
        return Ok(());
    }
    let text = data.map(|d| String::from_utf8_lossy(&d).into_owned());
    match (mime.as_str(), text) {
        ("text/plain", Some(t)) => texts.push(t),
        ("text/html", Some(h)) => htmls.push(h),
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: &str = "From: =?UTF-8?Q?Zo=C3=AB?= <zoe@example.com>\r\n\
        To: a@example.com, \"B, Bee\" <b@example.com>\r\n\
        Subject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n\
        Message-ID: <m1@example.com>\r\n\
        References: <m0@example.com>\r\n\
        X-Long: one\r\n two\r\n\
        MIME-Version: 1.0\r\n\
        Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
        --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hello <b>there</b></p><ul><li>x</li></ul>\r\n\
        --b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"../../etc/r.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n\
        --b--\r\n";

    #[test]
    fn decodes_headers_html_only_body_and_attachments() {
        let m = MailMessage::from_raw(RAW.as_bytes()).unwrap();
        assert_eq!(m.subject, "Grüße");
        assert_eq!(m.from[0].name.as_deref(), Some("Zoë"));
        assert_eq!(m.to.len(), 2);
        assert_eq!(m.to[1].name.as_deref(), Some("B, Bee"));
        assert_eq!(m.message_id.as_deref(), Some("m1@example.com"));
        assert_eq!(m.references, ["m0@example.com"]);
        assert_eq!(m.header("x-long"), Some("one two"));
        assert_eq!(m.text, "Hello there\n\n- x");
        assert!(m.html.as_deref().unwrap().contains("<b>there</b>"));
        assert_eq!(m.attachments.len(), 1);
        assert_eq!(m.attachments[0].data.as_deref(), Some(&b"%PDF-"[..]));
        assert_eq!(m.attachments[0].mime, "application/pdf");
        let plain = m.to_plain_text();
        assert!(
            plain.starts_with("From: Zoë <zoe@example.com>\n"),
            "{plain}"
        );
        assert!(
            plain.contains("r.pdf (application/pdf, 5 bytes)"),
            "{plain}"
        );
    }

    #[test]
    fn saves_attachments_safely_without_overwriting() {
        let m = MailMessage::from_raw(RAW.as_bytes()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let first = m.save_attachments(dir.path()).unwrap();
        let second = m.save_attachments(dir.path()).unwrap();
        assert_eq!(first[0], dir.path().join("r.pdf"));
        assert_eq!(second[0], dir.path().join("r (2).pdf"));
        assert_eq!(std::fs::read(&second[0]).unwrap(), b"%PDF-");
        assert_eq!(safe_filename("..\\..\\.bashrc"), "bashrc");
        assert_eq!(safe_filename("a\u{0}b:c"), "a_b_c");
        assert_eq!(safe_filename("..."), "attachment");
    }

    #[test]
    fn decodes_gmail_full_json() {
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let json = serde_json::json!({
            "id": "m1", "threadId": "t1", "labelIds": ["INBOX"],
            "payload": {"mimeType": "multipart/mixed", "headers": [
                {"name": "Subject", "value": "Grüße"},
                {"name": "From", "value": "Zoë <zoe@example.com>"},
                {"name": "Message-ID", "value": "<m1@example.com>"}],
              "parts": [
                {"partId": "0", "mimeType": "multipart/alternative", "filename": "", "parts": [
                    {"partId": "0.0", "mimeType": "text/plain", "filename": "", "body": {"size": 5, "data": b64("hello")}},
                    {"partId": "0.1", "mimeType": "text/html", "filename": "", "body": {"size": 12, "data": b64("<p>hello</p>")}}]},
                {"partId": "1", "mimeType": "text/csv", "filename": "r.csv", "body": {"size": 9, "attachmentId": "ANGj"}}]}
        });
        let m = MailMessage::from_gmail(&json).unwrap();
        assert_eq!(
            (m.id.as_deref(), m.thread_id.as_deref()),
            (Some("m1"), Some("t1"))
        );
        assert_eq!(m.text, "hello");
        assert_eq!(m.html.as_deref(), Some("<p>hello</p>"));
        assert_eq!(m.from[0].name.as_deref(), Some("Zoë"));
        assert_eq!(m.message_id.as_deref(), Some("m1@example.com"));
        assert_eq!(m.attachments[0].attachment_id.as_deref(), Some("ANGj"));
        assert!(m.attachments[0].data.is_none());
        assert!(MailMessage::from_gmail(&serde_json::json!({"id": "x"})).is_err());
        assert!(MailMessage::from_raw(b"").is_err());
    }
}
