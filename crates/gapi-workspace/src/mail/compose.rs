//! A message to send, typed ([`Compose`]), and its RFC 5322 bytes: RFC 2047 encoded words for
//! non-ASCII headers (mail-builder), a `Message-ID`, `multipart/alternative` for text + HTML,
//! `multipart/mixed` around attachments, MIME types from file extensions, attachments in
//! base64 so they arrive byte for byte.

use std::borrow::Cow;
use std::path::Path;

use base64::Engine;
use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;
use mail_builder::headers::message_id::MessageId;
use mail_builder::mime::{BodyPart, MimePart};

use super::address::Mailbox;
use crate::error::{Error, Result};

/// A file to attach: its name as the recipient sees it, its MIME type and its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file name shown to the recipient (no folders).
    pub filename: String,
    /// The MIME type (`application/pdf`).
    pub mime: String,
    /// The content.
    pub data: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("filename", &self.filename)
            .field("mime", &self.mime)
            .field("bytes", &self.data.len())
            .finish()
    }
}

impl Attachment {
    /// Reads a file to attach; the name is the file's, the MIME type guessed from its
    /// extension (`application/octet-stream` when unknown).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Attachment> {
        let path = path.as_ref();
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if !meta.is_file() {
            return Err(Error::invalid(format!(
                "{} is not a file; attach files one by one (a folder can be zipped first)",
                path.display()
            )));
        }
        if meta.len() > super::MAX_MESSAGE_BYTES {
            return Err(Error::TooLarge {
                size: meta.len(),
                limit: super::MAX_MESSAGE_BYTES,
            });
        }
        let data = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let filename = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| Error::invalid(format!("{} has no file name", path.display())))?;
        Attachment::from_bytes(filename, data)
    }

    /// An attachment from bytes in memory; the MIME type is guessed from the name.
    pub fn from_bytes(filename: impl Into<String>, data: impl Into<Vec<u8>>) -> Result<Attachment> {
        let filename = clean_filename(&filename.into())?;
        let mime = guess_mime(&filename);
        Ok(Attachment {
            filename,
            mime,
            data: data.into(),
        })
    }

    /// Sets the MIME type explicitly (`text/csv`).
    pub fn with_mime(mut self, mime: impl Into<String>) -> Result<Attachment> {
        let mime = mime.into();
        let ok = mime.split_once('/').is_some_and(|(t, s)| {
            !t.is_empty()
                && !s.is_empty()
                && mime
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/+-.".contains(c))
        });
        if !ok {
            return Err(Error::invalid(format!(
                "{mime:?} is not a MIME type like application/pdf"
            )));
        }
        self.mime = mime;
        Ok(self)
    }
}

/// The MIME type of a file name by its extension (`application/octet-stream` if unknown).
pub fn guess_mime(filename: &str) -> String {
    mime_guess::from_path(filename)
        .first_raw()
        .unwrap_or("application/octet-stream")
        .to_string()
}

/// The last path component of a name, refused when empty or made of dots.
fn clean_filename(name: &str) -> Result<String> {
    let base = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .trim()
        .to_string();
    if base.is_empty() || base.chars().all(|c| c == '.') {
        return Err(Error::invalid(format!(
            "{name:?} is not a usable attachment file name"
        )));
    }
    Ok(base)
}

/// A message to send. Fill the fields (or use the setters) and call [`Compose::to_rfc5322`];
/// [`crate::mail::Gmail::send`] does both and sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Compose {
    /// `From`: an alias of the account; Gmail fills in the account's address when `None`.
    pub from: Option<Mailbox>,
    /// `To` recipients.
    pub to: Vec<Mailbox>,
    /// `Cc` recipients.
    pub cc: Vec<Mailbox>,
    /// `Bcc` recipients (Gmail delivers to them and removes the header).
    pub bcc: Vec<Mailbox>,
    /// `Reply-To`.
    pub reply_to: Vec<Mailbox>,
    /// The subject (any Unicode; encoded as RFC 2047 words when not ASCII).
    pub subject: String,
    /// The plain-text body.
    pub text: Option<String>,
    /// The HTML body; with no `text`, a plain-text alternative is made from it.
    pub html: Option<String>,
    /// Files to attach.
    pub attachments: Vec<Attachment>,
    /// The `Message-ID` this message answers (without angle brackets).
    pub in_reply_to: Option<String>,
    /// The `References` chain, oldest first (without angle brackets).
    pub references: Vec<String>,
    /// The `Message-ID` to use (without angle brackets); a new one is made when `None`.
    pub message_id: Option<String>,
}

impl Compose {
    /// An empty message.
    pub fn new() -> Compose {
        Compose::default()
    }

    /// Adds `To` recipients from text (`"Ann <a@x.com>, b@y.org"`).
    pub fn to(mut self, addresses: &str) -> Result<Compose> {
        self.to.extend(Mailbox::parse_list(addresses)?);
        Ok(self)
    }

    /// Adds `Cc` recipients from text.
    pub fn cc(mut self, addresses: &str) -> Result<Compose> {
        self.cc.extend(Mailbox::parse_list(addresses)?);
        Ok(self)
    }

    /// Adds `Bcc` recipients from text.
    pub fn bcc(mut self, addresses: &str) -> Result<Compose> {
        self.bcc.extend(Mailbox::parse_list(addresses)?);
        Ok(self)
    }

    /// Sets `From` from text.
    pub fn from(mut self, address: &str) -> Result<Compose> {
        self.from = Some(Mailbox::parse(address)?);
        Ok(self)
    }

    /// Sets the subject.
    pub fn subject(mut self, subject: impl Into<String>) -> Compose {
        self.subject = subject.into();
        self
    }

    /// Sets the plain-text body.
    pub fn text(mut self, text: impl Into<String>) -> Compose {
        self.text = Some(text.into());
        self
    }

    /// Sets the HTML body.
    pub fn html(mut self, html: impl Into<String>) -> Compose {
        self.html = Some(html.into());
        self
    }

    /// Adds an attachment.
    pub fn attach(mut self, attachment: Attachment) -> Compose {
        self.attachments.push(attachment);
        self
    }

    /// Whether the message names at least one recipient (To, Cc or Bcc).
    pub fn has_recipients(&self) -> bool {
        !(self.to.is_empty() && self.cc.is_empty() && self.bcc.is_empty())
    }

    /// The message as RFC 5322 bytes (CRLF line ends), ready for Gmail's `raw` or upload.
    /// Errors on a subject with line breaks; the size is checked when sending
    /// ([`super::route_for`]).
    pub fn to_rfc5322(&self) -> Result<Vec<u8>> {
        if self.subject.chars().any(|c| c.is_control() && c != '\t') {
            return Err(Error::invalid(
                "the subject contains a line break or control character; give it on one line",
            ));
        }
        let mut b = MessageBuilder::new();
        if let Some(from) = &self.from {
            b = b.from(address(from));
        }
        for (name, list) in [
            ("To", &self.to),
            ("Cc", &self.cc),
            ("Bcc", &self.bcc),
            ("Reply-To", &self.reply_to),
        ] {
            if !list.is_empty() {
                b = b.header(name, Address::new_list(list.iter().map(address).collect()));
            }
        }
        b = b.subject(self.subject.as_str());
        let id = match &self.message_id {
            Some(id) => bare_id(id)?,
            None => new_message_id(self.from.as_ref().map(Mailbox::domain)),
        };
        b = b.message_id(MessageId::new(id));
        if let Some(parent) = &self.in_reply_to {
            b = b.in_reply_to(MessageId::new(bare_id(parent)?));
        }
        if !self.references.is_empty() {
            let refs = self
                .references
                .iter()
                .map(|r| bare_id(r))
                .collect::<Result<Vec<_>>>()?;
            b = b.references(MessageId::from(refs));
        }
        let text = match (&self.text, &self.html) {
            (Some(t), _) => Some(Cow::Borrowed(t.as_str())),
            (None, Some(h)) => Some(Cow::Owned(super::html_text::html_to_text(h))),
            (None, None) => None,
        };
        if let Some(t) = text {
            b = b.text_body(t.into_owned());
        }
        if let Some(h) = &self.html {
            b = b.html_body(h.as_str());
        }
        for a in &self.attachments {
            let part = MimePart::new(
                a.mime.as_str(),
                BodyPart::Binary(base64_lines(&a.data).into_bytes().into()),
            )
            .attachment(a.filename.as_str())
            .transfer_encoding("base64");
            b.attachments.get_or_insert_with(Vec::new).push(part);
        }
        b.write_to_vec()
            .map_err(|e| Error::invalid(format!("the message could not be built: {e}")))
    }
}

fn address(m: &Mailbox) -> Address<'_> {
    Address::new_address(m.name.as_deref(), m.email.as_str())
}

/// A message id without its angle brackets, refused when it could break the header.
pub(crate) fn bare_id(id: &str) -> Result<String> {
    let inner = id.trim().trim_start_matches('<').trim_end_matches('>');
    if inner.is_empty()
        || inner
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '<' || c == '>')
    {
        return Err(Error::invalid(format!("{id:?} is not a Message-ID")));
    }
    Ok(inner.to_string())
}

/// A new globally unique message id: 128 random bits and the time, at the sender's domain.
fn new_message_id(domain: Option<&str>) -> String {
    let mut raw = [0u8; 16];
    if getrandom::fill(&mut raw).is_err() {
        // Unique enough without the OS source: the time in nanoseconds and the process.
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        raw = (t ^ u128::from(std::process::id())).to_le_bytes();
    }
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let domain = domain.filter(|d| !d.is_empty()).unwrap_or("gapi.invalid");
    format!("{millis}.{hex}@{domain}")
}

/// Base64 in 76-character lines with CRLF (RFC 2045).
fn base64_lines(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len() * 4 / 3 + data.len() / 38 + 4);
    for chunk in data.chunks(57) {
        out.push_str(&base64::engine::general_purpose::STANDARD.encode(chunk));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &[u8]) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default().parse(raw).unwrap()
    }

    #[test]
    fn builds_headers_ids_and_structure() {
        let c = Compose::new()
            .to("Zoë <zoe@example.com>, bob@example.com")
            .unwrap()
            .cc("carol@example.com")
            .unwrap()
            .subject("Grüße aus Köln ✓")
            .text("Hallo\nzweite Zeile")
            .html("<p>Hallo</p>")
            .attach(Attachment::from_bytes("data.csv", b"a,b\n1,2\n".to_vec()).unwrap());
        let raw = c.to_rfc5322().unwrap();
        let text = String::from_utf8(raw.clone()).unwrap();
        assert!(text.is_ascii(), "headers and bodies are 7-bit: {text}");
        assert!(text.contains("Subject: =?utf-8?"), "{text}");
        assert!(text.contains("Message-ID: <"), "{text}");
        assert!(text.contains("multipart/mixed") && text.contains("multipart/alternative"));
        let m = parse(&raw);
        assert_eq!(m.subject(), Some("Grüße aus Köln ✓"));
        assert_eq!(
            m.to().unwrap().first().unwrap().name.as_deref(),
            Some("Zoë")
        );
        assert!(m.message_id().unwrap().ends_with("@gapi.invalid"));
        let att = m.attachments().next().unwrap();
        assert_eq!(
            att.contents(),
            b"a,b\n1,2\n",
            "text attachments keep their bytes"
        );
        assert!(text.contains("Content-Type: text/csv"), "{text}");
    }

    #[test]
    fn html_only_gets_a_text_alternative_and_plain_text_is_a_single_part() {
        let raw = Compose::new()
            .to("a@example.com")
            .unwrap()
            .html("<h1>Title</h1><p>Body &amp; more</p>")
            .to_rfc5322()
            .unwrap();
        let m = parse(&raw);
        assert!(m.body_text(0).unwrap().contains("Body & more"));
        assert!(String::from_utf8_lossy(&raw).contains("multipart/alternative"));
        let raw = Compose::new()
            .to("a@example.com")
            .unwrap()
            .text("hi")
            .to_rfc5322()
            .unwrap();
        assert!(!String::from_utf8_lossy(&raw).contains("multipart/"));
    }

    #[test]
    fn replies_carry_threading_headers() {
        let mut c = Compose::new().to("a@example.com").unwrap().subject("Re: x");
        c.in_reply_to = Some("<p1@example.com>".into());
        c.references = vec!["p0@example.com".into(), "<p1@example.com>".into()];
        c.from = Some(Mailbox::new("me@corp.example").unwrap());
        let raw = c.to_rfc5322().unwrap();
        let text = String::from_utf8(raw).unwrap();
        assert!(text.contains("In-Reply-To: <p1@example.com>"), "{text}");
        assert!(
            text.contains("References: <p0@example.com> <p1@example.com>"),
            "{text}"
        );
        assert!(text.contains("@corp.example>"), "{text}");
    }

    #[test]
    fn refuses_bad_input() {
        assert!(
            Compose::new()
                .subject("a\r\nBcc: x@y.z")
                .to_rfc5322()
                .is_err()
        );
        let mut c = Compose::new();
        c.in_reply_to = Some("a b".into());
        assert!(c.to_rfc5322().is_err());
        assert!(Attachment::from_bytes("../", vec![]).is_err());
        assert_eq!(
            Attachment::from_bytes("dir/x.pdf", vec![])
                .unwrap()
                .filename,
            "x.pdf"
        );
        assert_eq!(
            Attachment::from_bytes("x.pdf", vec![]).unwrap().mime,
            "application/pdf"
        );
        assert_eq!(
            Attachment::from_bytes("x.zzz", vec![]).unwrap().mime,
            "application/octet-stream"
        );
        assert!(
            Attachment::from_bytes("x", vec![])
                .unwrap()
                .with_mime("bad type")
                .is_err()
        );
        let err = Attachment::from_path("/definitely/not/here.txt").unwrap_err();
        assert!(
            err.to_string().contains("/definitely/not/here.txt"),
            "{err}"
        );
    }
}
