//! HTML to readable plain text, for mail that has no text part: paragraphs and headings on
//! their own lines, list items as `- ` / `1. `, links as `text <url>`, `<br>` as a line break,
//! entities decoded, `<head>`, `<style>` and `<script>` dropped, `<pre>` kept as is. A small
//! converter on purpose (no DOM): mail HTML is often broken, and this never fails.

/// Turns HTML into readable text (see the module documentation).
pub fn html_to_text(html: &str) -> String {
    let mut w = Writer::default();
    let mut rest = html;
    let mut skip_until: Option<&'static str> = None;
    while !rest.is_empty() {
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |i| &comment[i + 3..]);
            continue;
        }
        if rest.starts_with('<')
            && let Some(end) = tag_end(rest)
        {
            let tag = Tag::parse(&rest[1..end]);
            rest = &rest[end + 1..];
            if let Some(until) = skip_until {
                if tag.closing && tag.name == until {
                    skip_until = None;
                }
                continue;
            }
            if let Some(name) = ["head", "style", "script", "template", "title"]
                .into_iter()
                .find(|n| tag.name == *n)
                && !tag.closing
                && !tag.self_closing
            {
                skip_until = Some(name);
                continue;
            }
            w.tag(&tag);
            continue;
        }
        // Text up to the next tag.
        let cut = rest[1..].find('<').map_or(rest.len(), |i| i + 1);
        if skip_until.is_none() {
            w.text(&decode_entities(&rest[..cut]));
        }
        rest = &rest[cut..];
    }
    w.finish()
}

/// The index of the `>` closing a tag that starts at 0, honouring quoted attribute values.
fn tag_end(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    // `<` followed by something that cannot start a tag is text (`a < b`).
    let next = *bytes.get(1)?;
    if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?') {
        return None;
    }
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    href: Option<String>,
    alt: Option<String>,
}

impl Tag {
    fn parse(inner: &str) -> Tag {
        let closing = inner.starts_with('/');
        let inner = inner.trim_start_matches('/');
        let self_closing = inner.trim_end().ends_with('/');
        let name: String = inner
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let attrs = &inner[name.len()..];
        Tag {
            href: attr(attrs, "href"),
            alt: attr(attrs, "alt"),
            name,
            closing,
            self_closing,
        }
    }
}

/// The value of attribute `name` (quoted or not), entities decoded.
fn attr(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let after = lower[from..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value_start = attrs.len() - after.len() + 1;
        let v = attrs[value_start..].trim_start();
        let value = match v.chars().next() {
            Some(q @ ('"' | '\'')) => v[1..].split(q).next().unwrap_or(""),
            _ => v
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        };
        return Some(decode_entities(value));
    }
    None
}

/// Decodes `&amp;`, `&#233;`, `&#x263A;` and the named entities HTML defines.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|j| j + 1);
        match end {
            Some(j) if rest.as_bytes()[j] == b';' && j > 1 => {
                let mut decoded = String::new();
                mail_parser::decoders::html::add_html_token(
                    &mut decoded,
                    &rest.as_bytes()[..=j],
                    false,
                );
                out.push_str(&decoded);
                rest = &rest[j + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[derive(Default)]
struct Writer {
    out: String,
    /// Whitespace seen since the last word (collapsed to one space).
    pending_space: bool,
    /// Newlines owed before the next text (1 = line break, 2 = blank line).
    pending_newlines: usize,
    /// `Some(counter)` for ordered lists, `None` for bullets.
    lists: Vec<Option<usize>>,
    pre: usize,
    links: Vec<Option<String>>,
    link_text: Vec<String>,
    row_cells: usize,
}

impl Writer {
    fn block(&mut self, newlines: usize) {
        self.pending_newlines = self.pending_newlines.max(newlines);
        self.pending_space = false;
    }

    fn flush_breaks(&mut self) {
        if self.pending_newlines > 0 && !self.out.is_empty() {
            while self.out.ends_with(' ') {
                self.out.pop();
            }
            let have = self.out.len() - self.out.trim_end_matches('\n').len();
            for _ in have..self.pending_newlines {
                self.out.push('\n');
            }
        }
        self.pending_newlines = 0;
    }

    fn push_word_text(&mut self, s: &str) {
        self.flush_breaks();
        if self.pending_space && !self.out.is_empty() && !self.out.ends_with(['\n', ' ']) {
            self.out.push(' ');
        }
        self.pending_space = false;
        self.out.push_str(s);
        if let Some(t) = self.link_text.last_mut() {
            t.push_str(s);
        }
    }

    fn text(&mut self, text: &str) {
        if self.pre > 0 {
            self.flush_breaks();
            self.out.push_str(text);
            return;
        }
        let mut words = text
            .split(|c: char| c.is_whitespace() && c != '\u{a0}')
            .peekable();
        if text.starts_with(|c: char| c.is_whitespace() && c != '\u{a0}') {
            self.pending_space = true;
        }
        while let Some(word) = words.next() {
            if !word.is_empty() {
                self.push_word_text(&word.replace('\u{a0}', " "));
            }
            if words.peek().is_some() {
                self.pending_space = true;
            }
        }
    }

    fn tag(&mut self, tag: &Tag) {
        let name = tag.name.as_str();
        match (name, tag.closing) {
            ("br", _) => {
                self.flush_breaks();
                self.out.push('\n');
                self.pending_space = false;
            }
            ("p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "table" | "dl", _) => {
                self.block(2)
            }
            ("ul", false) => {
                self.block(if self.lists.is_empty() { 2 } else { 1 });
                self.lists.push(None);
            }
            ("ol", false) => {
                self.block(if self.lists.is_empty() { 2 } else { 1 });
                self.lists.push(Some(0));
            }
            ("ul" | "ol", true) => {
                self.lists.pop();
                self.block(if self.lists.is_empty() { 2 } else { 1 });
            }
            ("li", false) => {
                self.block(1);
                self.flush_breaks();
                let depth = self.lists.len().saturating_sub(1);
                self.out.push_str(&"  ".repeat(depth));
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{n}. ")
                    }
                    _ => "- ".to_string(),
                };
                self.out.push_str(&marker);
                self.pending_space = false;
            }
            (
                "li" | "div" | "section" | "article" | "header" | "footer" | "address" | "dt"
                | "dd" | "form" | "fieldset" | "figure" | "main" | "nav" | "aside" | "center",
                _,
            ) => self.block(1),
            ("tr", _) => {
                self.block(1);
                self.row_cells = 0;
            }
            ("td" | "th", false) => {
                if self.row_cells > 0 {
                    self.push_word_text(" |");
                    self.pending_space = true;
                }
                self.row_cells += 1;
            }
            ("pre", false) => {
                self.block(2);
                self.pre += 1;
            }
            ("pre", true) => {
                self.pre = self.pre.saturating_sub(1);
                self.block(2);
            }
            ("hr", _) => {
                self.block(2);
                self.push_word_text("---");
                self.block(2);
            }
            ("img", _) => {
                if let Some(alt) = tag.alt.as_deref().filter(|a| !a.trim().is_empty()) {
                    self.push_word_text(&format!("[{}]", alt.trim()));
                }
            }
            ("a", false) if !tag.self_closing => {
                self.links.push(tag.href.clone());
                self.link_text.push(String::new());
            }
            ("a", true) => {
                let href = self.links.pop().flatten();
                let text = self.link_text.pop().unwrap_or_default();
                if let Some(url) = href.filter(|u| shows_url(u, &text)) {
                    let shown = url.strip_prefix("mailto:").unwrap_or(&url).to_string();
                    self.pending_space = true;
                    self.push_word_text(&format!("<{shown}>"));
                }
            }
            _ => {}
        }
    }

    fn finish(mut self) -> String {
        let mut lines: Vec<&str> = Vec::new();
        self.out = self.out.replace("\r\n", "\n");
        let mut blank = 0;
        for line in self.out.split('\n') {
            let line = line.trim_end();
            if line.is_empty() {
                blank += 1;
                if blank > 1 {
                    continue;
                }
            } else {
                blank = 0;
            }
            lines.push(line);
        }
        lines.join("\n").trim_matches('\n').to_string()
    }
}

/// Whether a link's URL is worth showing after its text (not an anchor or script, and not
/// the text itself).
fn shows_url(url: &str, text: &str) -> bool {
    let u = url.trim();
    if u.is_empty() || u.starts_with('#') || u.to_ascii_lowercase().starts_with("javascript:") {
        return false;
    }
    let bare = u.strip_prefix("mailto:").unwrap_or(u);
    let t = text.trim();
    t != bare && t != u && t.trim_end_matches('/') != bare.trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::html_to_text;

    #[test]
    fn paragraphs_lists_links_and_entities() {
        let html = r#"<html><head><title>T</title><style>p{color:red}</style></head>
            <body><h1>Report</h1><p>Sales&nbsp;rose &amp; costs fell&#33;</p>
            <ul><li>one</li><li>two <a href="https://x.example/a?b=1&amp;c=2">details</a></li></ul>
            <ol><li>first</li><li>second</li></ol>
            <p>line<br>break</p><script>alert(1)</script>
            <p><a href="https://same.example">https://same.example</a> <img src=x alt="logo"></p>
            <!-- hidden --><pre>  keep
  this</pre><p>a < b</p></body></html>"#;
        let text = html_to_text(html);
        assert_eq!(
            text,
            "Report\n\nSales rose & costs fell!\n\n- one\n- two details <https://x.example/a?b=1&c=2>\n\n1. first\n2. second\n\nline\nbreak\n\nhttps://same.example [logo]\n\n  keep\n  this\n\na < b"
        );
    }

    #[test]
    fn nested_lists_tables_and_junk() {
        let text = html_to_text(
            "<ul><li>a<ul><li>b</li></ul></li></ul><table><tr><td>x</td><td>y</td></tr><tr><td>1</td><td>2</td></tr></table>",
        );
        assert_eq!(text, "- a\n  - b\n\nx | y\n1 | 2");
        for junk in [
            "<",
            "<a href='",
            "&",
            "&#xZZ;",
            "<<<>>>",
            "<!--",
            "<p",
            "&#99999999;",
        ] {
            let _ = html_to_text(junk);
        }
        assert_eq!(html_to_text("AT&T &unknown; &#x41;"), "AT&T &unknown; A");
    }
}
