//! Markdown -> Docs `batchUpdate` requests (pulldown-cmark): one `insertText` with all the
//! text, then paragraph styles (headings, quotes), text styles (bold, italic, strikethrough,
//! links, code spans and blocks in a monospace font), then bullets (nesting from leading
//! tabs, which Docs removes: lists go last, the last one first, so no index moves before it
//! is used). Every index is in UTF-16 code units, as Docs counts them.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde_json::{Value, json};

/// The font family used for code spans and code blocks.
pub const MONOSPACE_FONT: &str = "Courier New";

/// Where the Markdown goes in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsertAt {
    /// The UTF-16 index to insert at: inside the last paragraph, before the body's final
    /// newline (`endIndex - 1` of the last content element; 1 in an empty document).
    pub index: usize,
    /// The paragraph at `index` already has text: start a new paragraph first.
    pub new_paragraph: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ParaKind {
    Normal,
    Heading(u8),
    Quote,
}

#[derive(Debug, Clone)]
struct Para {
    start: usize,
    kind: ParaKind,
    /// (list group, ordered) when the paragraph is a list item.
    list: Option<(usize, bool)>,
    /// Whole paragraph in the monospace font (a code block line).
    code: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum SpanKind {
    Bold,
    Italic,
    Strike,
    Code,
    Link(String),
}

struct Builder {
    text: String,
    /// Length of `text` in UTF-16 code units.
    len16: usize,
    paras: Vec<Para>,
    open: Option<Para>,
    /// Whether the open paragraph has received any text.
    open_has_text: bool,
    spans: Vec<(usize, usize, SpanKind)>,
    span_starts: Vec<(usize, SpanKind)>,
    /// (group, ordered) per open list level.
    lists: Vec<(usize, bool)>,
    next_group: usize,
    quote_depth: usize,
    code_block: bool,
    /// A list item was just opened: its first paragraph continues it.
    item_fresh: bool,
}

impl Builder {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.len16 += s.encode_utf16().count();
    }

    fn open_para(&mut self, kind: ParaKind, list: Option<(usize, bool)>, code: bool) {
        self.close_para();
        if !self.paras.is_empty() {
            self.push("\n");
        }
        let kind = if kind == ParaKind::Normal && self.quote_depth > 0 {
            ParaKind::Quote
        } else {
            kind
        };
        self.open = Some(Para {
            start: self.len16,
            kind,
            list,
            code,
        });
        self.open_has_text = false;
        if let Some((_, _)) = list {
            let level = self.lists.len().saturating_sub(1);
            self.push(&"\t".repeat(level));
        }
    }

    fn close_para(&mut self) {
        if let Some(p) = self.open.take() {
            self.paras.push(p);
        }
    }

    fn ensure_open(&mut self) {
        if self.open.is_none() {
            self.open_para(ParaKind::Normal, None, false);
        }
    }

    fn add_text(&mut self, s: &str) {
        self.ensure_open();
        self.push(s);
        self.open_has_text = true;
    }

    fn start_span(&mut self, kind: SpanKind) {
        self.ensure_open();
        self.span_starts.push((self.len16, kind));
    }

    fn end_span(&mut self) {
        if let Some((start, kind)) = self.span_starts.pop()
            && self.len16 > start
        {
            self.spans.push((start, self.len16, kind));
        }
    }
}

/// The text Markdown becomes, paragraph by paragraph, and the requests that put it at `at`.
pub fn markdown_to_requests(markdown: &str, at: InsertAt) -> Vec<Value> {
    let mut b = Builder {
        text: String::new(),
        len16: 0,
        paras: Vec::new(),
        open: None,
        open_has_text: false,
        spans: Vec::new(),
        span_starts: Vec::new(),
        lists: Vec::new(),
        next_group: 0,
        quote_depth: 0,
        code_block: false,
        item_fresh: false,
    };
    let options = Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                b.item_fresh = false;
                b.open_para(ParaKind::Heading(heading_number(level)), None, false);
            }
            Event::Start(Tag::Paragraph) => {
                if b.item_fresh && b.open.is_some() && !b.open_has_text {
                    b.item_fresh = false;
                } else {
                    b.open_para(ParaKind::Normal, None, false);
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => b.close_para(),
            Event::Start(Tag::BlockQuote(_)) => {
                b.close_para();
                b.quote_depth += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                b.close_para();
                b.quote_depth = b.quote_depth.saturating_sub(1);
            }
            Event::Start(Tag::List(first)) => {
                let group = match b.lists.first() {
                    Some((g, _)) => *g,
                    None => {
                        b.next_group += 1;
                        b.next_group
                    }
                };
                b.lists.push((group, first.is_some()));
            }
            Event::End(TagEnd::List(_)) => {
                b.close_para();
                b.lists.pop();
            }
            Event::Start(Tag::Item) => {
                // A list is numbered or not by its outermost level (one Docs preset per list).
                let list = b.lists.first().copied();
                b.open_para(ParaKind::Normal, list, false);
                b.item_fresh = true;
            }
            Event::End(TagEnd::Item) => {
                b.close_para();
                b.item_fresh = false;
            }
            Event::Start(Tag::CodeBlock(_)) => {
                b.close_para();
                b.code_block = true;
            }
            Event::End(TagEnd::CodeBlock) => {
                b.close_para();
                b.code_block = false;
            }
            Event::Text(t) if b.code_block => {
                let body = t.strip_suffix('\n').unwrap_or(&t);
                for line in body.split('\n') {
                    b.open_para(ParaKind::Normal, None, true);
                    b.add_text(line);
                    b.close_para();
                }
            }
            Event::Text(t) => {
                b.item_fresh = false;
                b.add_text(&t.replace('\n', " "));
            }
            Event::Code(t) => {
                b.item_fresh = false;
                b.start_span(SpanKind::Code);
                b.add_text(&t);
                b.end_span();
            }
            Event::Html(t) | Event::InlineHtml(t) => b.add_text(t.trim_end_matches('\n')),
            Event::SoftBreak => b.add_text(" "),
            Event::HardBreak => b.add_text("\u{000b}"),
            Event::Start(Tag::Emphasis) => b.start_span(SpanKind::Italic),
            Event::Start(Tag::Strong) => b.start_span(SpanKind::Bold),
            Event::Start(Tag::Strikethrough) => b.start_span(SpanKind::Strike),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                b.start_span(SpanKind::Link(dest_url.to_string()))
            }
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            ) => b.end_span(),
            Event::TaskListMarker(done) => b.add_text(if done { "☑ " } else { "☐ " }),
            _ => {}
        }
    }
    b.close_para();
    requests_for(b, at)
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn range(start: usize, end: usize) -> Value {
    json!({"startIndex": start, "endIndex": end})
}

fn requests_for(b: Builder, at: InsertAt) -> Vec<Value> {
    if b.paras.is_empty() {
        return Vec::new();
    }
    let base = at.index + usize::from(at.new_paragraph);
    let mut text = String::new();
    if at.new_paragraph {
        text.push('\n');
    }
    text.push_str(&b.text);
    let total16 = b.len16;
    // The inserted paragraphs span base..base+total16, plus the final newline they end on.
    let all = range(base, base + total16 + 1);
    let mut reqs = vec![
        json!({"insertText": {"location": {"index": at.index}, "text": text}}),
        json!({"updateParagraphStyle": {"range": all, "paragraphStyle": {"namedStyleType": "NORMAL_TEXT"}, "fields": "namedStyleType,indentStart,indentFirstLine"}}),
        json!({"deleteParagraphBullets": {"range": all}}),
    ];
    if total16 > 0 {
        reqs.push(json!({"updateTextStyle": {"range": range(base, base + total16), "textStyle": {}, "fields": "bold,italic,strikethrough,underline,link,weightedFontFamily"}}));
    }
    // Paragraph ends: each paragraph ends where the next one starts (minus its newline).
    let ends: Vec<usize> = b
        .paras
        .iter()
        .skip(1)
        .map(|p| p.start - 1)
        .chain(std::iter::once(total16))
        .collect();
    for p in &b.paras {
        let r = range(base + p.start, base + p.start + 1);
        match p.kind {
            ParaKind::Heading(n) => reqs.push(json!({"updateParagraphStyle": {"range": r, "paragraphStyle": {"namedStyleType": format!("HEADING_{n}")}, "fields": "namedStyleType"}})),
            ParaKind::Quote => reqs.push(json!({"updateParagraphStyle": {"range": r, "paragraphStyle": {"indentStart": {"magnitude": 36, "unit": "PT"}, "indentFirstLine": {"magnitude": 36, "unit": "PT"}}, "fields": "indentStart,indentFirstLine"}})),
            ParaKind::Normal => {}
        }
    }
    let mono = json!({"weightedFontFamily": {"fontFamily": MONOSPACE_FONT}});
    for (p, end) in b.paras.iter().zip(&ends) {
        if p.code && *end > p.start {
            reqs.push(json!({"updateTextStyle": {"range": range(base + p.start, base + end), "textStyle": mono, "fields": "weightedFontFamily"}}));
        }
    }
    for (s, e, kind) in &b.spans {
        let (style, fields) = match kind {
            SpanKind::Bold => (json!({"bold": true}), "bold"),
            SpanKind::Italic => (json!({"italic": true}), "italic"),
            SpanKind::Strike => (json!({"strikethrough": true}), "strikethrough"),
            SpanKind::Code => (mono.clone(), "weightedFontFamily"),
            SpanKind::Link(url) if url.trim().is_empty() => continue,
            SpanKind::Link(url) => (json!({"link": {"url": url}}), "link"),
        };
        reqs.push(json!({"updateTextStyle": {"range": range(base + s, base + e), "textStyle": style, "fields": fields}}));
    }
    // Bullets: runs of consecutive items of one list, the last run first.
    let mut runs: Vec<(usize, usize, bool)> = Vec::new();
    let mut current: Option<(usize, usize, usize, bool)> = None;
    for (p, end) in b.paras.iter().zip(&ends) {
        match (p.list, current.as_mut()) {
            (Some((g, _)), Some(c)) if c.0 == g => c.2 = *end,
            (Some((g, ordered)), _) => {
                if let Some((_, s, e, o)) = current.take() {
                    runs.push((s, e, o));
                }
                current = Some((g, p.start, *end, ordered));
            }
            (None, _) => {
                if let Some((_, s, e, o)) = current.take() {
                    runs.push((s, e, o));
                }
            }
        }
    }
    if let Some((_, s, e, o)) = current {
        runs.push((s, e, o));
    }
    for (s, e, ordered) in runs.into_iter().rev() {
        let preset = if ordered {
            "NUMBERED_DECIMAL_ALPHA_ROMAN"
        } else {
            "BULLET_DISC_CIRCLE_SQUARE"
        };
        reqs.push(json!({"createParagraphBullets": {"range": range(base + s, base + e + 1), "bulletPreset": preset}}));
    }
    reqs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(reqs: &[Value]) -> &str {
        reqs[0]["insertText"]["text"].as_str().unwrap()
    }

    #[test]
    fn text_styles_and_utf16_indices() {
        let reqs = markdown_to_requests(
            "# Tîtle\n\n📈 **bold** and *it* `code` [link](https://x.example)",
            InsertAt {
                index: 1,
                new_paragraph: false,
            },
        );
        assert_eq!(text_of(&reqs), "Tîtle\n📈 bold and it code link");
        let find = |field: &str| {
            reqs.iter()
                .find(|r| r["updateTextStyle"]["fields"] == field)
                .map(|r| {
                    (
                        r["updateTextStyle"]["range"]["startIndex"]
                            .as_u64()
                            .unwrap(),
                        r["updateTextStyle"]["range"]["endIndex"].as_u64().unwrap(),
                    )
                })
                .unwrap()
        };
        // "Tîtle\n" is 6 units from index 1; the emoji counts 2.
        assert_eq!(find("bold"), (10, 14));
        assert_eq!(find("italic"), (19, 21));
        assert_eq!(find("weightedFontFamily"), (22, 26));
        assert_eq!(find("link"), (27, 31));
        assert!(reqs.iter().any(
            |r| r["updateParagraphStyle"]["paragraphStyle"]["namedStyleType"] == "HEADING_1"
                && r["updateParagraphStyle"]["range"]["startIndex"] == 1
        ));
    }

    #[test]
    fn lists_nest_with_tabs_and_go_last_in_reverse() {
        let md = "- a\n- b\n  - c\n\ntext\n\n1. one\n2. two\n";
        let reqs = markdown_to_requests(
            md,
            InsertAt {
                index: 5,
                new_paragraph: true,
            },
        );
        assert_eq!(text_of(&reqs), "\na\nb\n\tc\ntext\none\ntwo");
        let bullets: Vec<&Value> = reqs
            .iter()
            .filter(|r| r.get("createParagraphBullets").is_some())
            .collect();
        assert_eq!(bullets.len(), 2);
        assert_eq!(
            bullets[0]["createParagraphBullets"]["bulletPreset"],
            "NUMBERED_DECIMAL_ALPHA_ROMAN"
        );
        assert_eq!(
            bullets[0]["createParagraphBullets"]["range"],
            json!({"startIndex": 18, "endIndex": 26})
        );
        assert_eq!(
            bullets[1]["createParagraphBullets"]["range"],
            json!({"startIndex": 6, "endIndex": 13})
        );
        assert_eq!(reqs.last().unwrap(), bullets[1]);
    }

    #[test]
    fn code_blocks_quotes_and_empty_input() {
        let reqs = markdown_to_requests(
            "```\nfn x() {}\n\nend\n```\n\n> quoted",
            InsertAt {
                index: 1,
                new_paragraph: false,
            },
        );
        assert_eq!(text_of(&reqs), "fn x() {}\n\nend\nquoted");
        let mono: Vec<&Value> = reqs
            .iter()
            .filter(|r| r["updateTextStyle"]["fields"] == "weightedFontFamily")
            .collect();
        assert_eq!(mono.len(), 2, "the empty line has nothing to style");
        assert!(reqs.iter().any(|r| r["updateParagraphStyle"]["fields"]
            == "indentStart,indentFirstLine"
            && r["updateParagraphStyle"]["range"]["startIndex"] == 16));
        assert!(
            markdown_to_requests(
                "",
                InsertAt {
                    index: 1,
                    new_paragraph: false
                }
            )
            .is_empty()
        );
    }
}
