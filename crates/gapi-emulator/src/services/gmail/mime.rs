//! The raw message as Gmail's `payload` sees it: a tree of MIME parts with `partId` (`""`,
//! `0`, `0.1`, ...), `mimeType`, `filename`, headers (unfolded, RFC 2047 words decoded) and
//! each leaf's content (transfer encoding undone, bytes otherwise as sent). Parsed with
//! mail-parser; leaf bodies are decoded here from the raw bytes so attachments come back
//! byte-identical whatever their charset.

use base64::Engine;
use mail_parser::{HeaderValue, MessageParser, MimeHeaders, PartType};

/// One MIME part.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub part_id: String,
    pub mime_type: String,
    pub filename: String,
    pub headers: Vec<(String, String)>,
    /// Leaf content (empty for multiparts).
    pub body: Vec<u8>,
    pub children: Vec<Part>,
    /// Served through `attachments.get` instead of inline `data`.
    pub is_attachment: bool,
}

impl Part {
    /// Every part, depth first.
    pub(crate) fn walk(&self) -> Vec<&Part> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.walk());
        }
        out
    }

    /// A header's value (name case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Headers of a raw header block, in order: names as written, values unfolded with RFC 2047
/// encoded words decoded.
pub(crate) fn decode_headers(block: &[u8]) -> Vec<(String, String)> {
    let mut text = block.to_vec();
    if !text.ends_with(b"\n\n") && !text.ends_with(b"\r\n\r\n") {
        text.extend_from_slice(b"\r\n");
    }
    // A non-empty header map makes every header (addresses, dates and ids too) go through the
    // default parser: unstructured text, encoded words decoded.
    let parser = MessageParser::new()
        .default_header_text()
        .header_text(mail_parser::HeaderName::From);
    let Some(message) = parser.parse_headers(&text[..]) else {
        return Vec::new();
    };
    let Some(root) = message.parts.first() else {
        return Vec::new();
    };
    root.headers
        .iter()
        .map(|h| {
            let value = match &h.value {
                HeaderValue::Text(t) => t.trim().to_owned(),
                HeaderValue::TextList(list) => list.join(", "),
                _ => {
                    let start = h.offset_start as usize;
                    let end = (h.offset_end as usize).min(text.len());
                    unfold(&text[start.min(end)..end])
                }
            };
            (h.name.as_str().to_owned(), value)
        })
        .collect()
}

fn unfold(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    s.replace("\r\n", "").replace('\n', "").trim().to_owned()
}

/// Parses `raw` into Gmail's part tree; `None` when it is not a message at all.
pub(crate) fn parse(raw: &[u8]) -> Option<Part> {
    let message = MessageParser::default().parse(raw)?;
    let mut root = build(&message, 0, raw, String::new())?;
    root.part_id = String::new();
    Some(root)
}

fn build(message: &mail_parser::Message<'_>, index: u32, raw: &[u8], id: String) -> Option<Part> {
    let part = message.parts.get(index as usize)?;
    let h_start = (part.offset_header as usize).min(raw.len());
    let b_start = (part.offset_body as usize).clamp(h_start, raw.len());
    let b_end = (part.offset_end as usize).clamp(b_start, raw.len());
    let headers = decode_headers(&raw[h_start..b_start]);
    let mime_type = match part.content_type() {
        Some(ct) => match &ct.c_subtype {
            Some(sub) => format!("{}/{}", ct.c_type, sub).to_ascii_lowercase(),
            None => ct.c_type.to_ascii_lowercase(),
        },
        None => "text/plain".to_owned(),
    };
    let filename = part.attachment_name().unwrap_or("").to_owned();
    let disposition_attachment = part
        .content_disposition()
        .is_some_and(|d| d.c_type.eq_ignore_ascii_case("attachment"));
    let mut out = Part {
        part_id: id.clone(),
        mime_type,
        filename,
        headers,
        body: Vec::new(),
        children: Vec::new(),
        is_attachment: false,
    };
    match &part.body {
        PartType::Multipart(children) => {
            for (i, child) in children.iter().enumerate() {
                let child_id = if id.is_empty() {
                    i.to_string()
                } else {
                    format!("{id}.{i}")
                };
                if let Some(c) = build(message, *child, raw, child_id) {
                    out.children.push(c);
                }
            }
        }
        _ => {
            let encoding = part
                .content_transfer_encoding()
                .unwrap_or("7bit")
                .trim()
                .to_ascii_lowercase();
            out.body = decode_body(&raw[b_start..b_end], &encoding);
            out.is_attachment = !out.filename.is_empty() || disposition_attachment;
        }
    }
    Some(out)
}

/// Undoes a Content-Transfer-Encoding (`base64`, `quoted-printable`; others as is).
pub(crate) fn decode_body(raw: &[u8], encoding: &str) -> Vec<u8> {
    match encoding {
        "base64" => {
            let clean: Vec<u8> = raw
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            let clean: Vec<u8> = clean.into_iter().take_while(|b| *b != b'=').collect();
            base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(&clean)
                .or_else(|_| {
                    // A truncated last quantum: decode what is whole.
                    let whole = clean.len() / 4 * 4;
                    base64::engine::general_purpose::STANDARD_NO_PAD.decode(&clean[..whole])
                })
                .unwrap_or_default()
        }
        "quoted-printable" => decode_qp(raw),
        _ => raw.to_vec(),
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn decode_qp(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if b == b'=' {
            // Soft line break: `=` then optional spaces then (CR)LF.
            let mut j = i + 1;
            while j < raw.len() && (raw[j] == b' ' || raw[j] == b'\t') {
                j += 1;
            }
            if raw.get(j) == Some(&b'\r') && raw.get(j + 1) == Some(&b'\n') {
                i = j + 2;
                continue;
            }
            if raw.get(j) == Some(&b'\n') {
                i = j + 1;
                continue;
            }
            if let (Some(h), Some(l)) = (
                raw.get(i + 1).copied().and_then(hex),
                raw.get(i + 2).copied().and_then(hex),
            ) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    out
}

/// The readable text of a message: its first `text/plain` leaf, else its first `text/html`
/// leaf with the tags removed.
pub(crate) fn body_text(root: &Part) -> String {
    let leaves = root.walk();
    if let Some(p) = leaves
        .iter()
        .find(|p| p.mime_type == "text/plain" && !p.is_attachment)
    {
        return String::from_utf8_lossy(&p.body).into_owned();
    }
    if let Some(p) = leaves
        .iter()
        .find(|p| p.mime_type == "text/html" && !p.is_attachment)
    {
        return strip_tags(&String::from_utf8_lossy(&p.body));
    }
    String::new()
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Gmail's `snippet`: the start of the text, whitespace collapsed, HTML-escaped.
pub(crate) fn snippet(text: &str) -> String {
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = collapsed.chars().take(200).collect();
    short
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The addresses of an address header value (lower case), read with mail-parser.
pub(crate) fn addresses(value: &str) -> Vec<String> {
    let text = format!("To: {value}\r\n\r\n");
    let Some(message) = MessageParser::default().parse_headers(text.as_bytes()) else {
        return Vec::new();
    };
    let Some(addr) = message.to() else {
        return Vec::new();
    };
    addr.iter()
        .filter_map(|a| a.address.as_deref())
        .map(|a| a.trim().to_ascii_lowercase())
        .filter(|a| a.contains('@'))
        .collect()
}

/// Message ids of a `References` / `In-Reply-To` / `Message-ID` value, without brackets.
pub(crate) fn message_ids(value: &str) -> Vec<String> {
    value
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|s| s.trim().trim_start_matches('<').trim_end_matches('>'))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A subject without leading `Re:`, `Fwd:`, `Fw:`, `AW:`, `WG:` (any case, repeated), lower
/// case: messages whose subjects agree this way may share a thread.
pub(crate) fn thread_subject(subject: &str) -> String {
    let mut s = subject.trim();
    loop {
        let lower = s.to_ascii_lowercase();
        let cut = ["re:", "fwd:", "fw:", "aw:", "wg:", "re :", "fwd :"]
            .iter()
            .find(|p| lower.starts_with(**p))
            .map(|p| p.len());
        match cut {
            Some(n) => s = s[n..].trim_start(),
            None => break,
        }
    }
    s.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIXED: &str = "From: =?utf-8?q?J=C3=B6rg?= <j@example.com>\r\nTo: a@example.com, \"Bob\" <b@example.com>\r\nSubject: =?utf-8?b?SGVsbG8g8J+Riw==?=\r\n folded\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B1\"\r\n\r\n--B1\r\nContent-Type: multipart/alternative; boundary=\"B2\"\r\n\r\n--B2\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHi =C3=A9t=C3=A9 soft=\r\nbreak\r\n--B2\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hi</p>\r\n--B2--\r\n\r\n--B1\r\nContent-Type: application/octet-stream; name=\"a.bin\"\r\nContent-Disposition: attachment; filename=\"a.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC/w==\r\n--B1--\r\n";

    #[test]
    fn builds_gmail_part_tree() {
        let root = parse(MIXED.as_bytes()).unwrap();
        assert_eq!(root.part_id, "");
        assert_eq!(root.mime_type, "multipart/mixed");
        assert_eq!(root.header("Subject"), Some("Hello 👋 folded"));
        assert_eq!(root.header("from"), Some("Jörg <j@example.com>"));
        assert_eq!(root.children.len(), 2);
        let alt = &root.children[0];
        assert_eq!(alt.part_id, "0");
        assert_eq!(alt.children[0].part_id, "0.0");
        assert_eq!(alt.children[0].body, "Hi été softbreak".as_bytes());
        assert_eq!(alt.children[1].mime_type, "text/html");
        assert_eq!(alt.children[1].body, b"<p>Hi</p>");
        let att = &root.children[1];
        assert_eq!(att.part_id, "1");
        assert_eq!(att.filename, "a.bin");
        assert!(att.is_attachment);
        assert_eq!(att.body, vec![0u8, 1, 2, 255]);
        assert_eq!(body_text(&root), "Hi été softbreak");
    }

    #[test]
    fn single_part_and_helpers() {
        let root = parse(b"Subject: x\r\n\r\nbody\r\n").unwrap();
        assert_eq!(root.mime_type, "text/plain");
        assert!(root.children.is_empty());
        assert_eq!(String::from_utf8_lossy(&root.body).trim_end(), "body");
        assert_eq!(thread_subject("Re: RE: Fwd: Plan"), "plan");
        assert_eq!(
            addresses("\"B, x\" <B@Example.com>, c@example.com"),
            vec!["b@example.com", "c@example.com"]
        );
        assert_eq!(message_ids("<a@x> <b@y>"), vec!["a@x", "b@y"]);
        assert_eq!(snippet("a  <b>\n 'c'"), "a &lt;b&gt; &#39;c&#39;");
    }
}
