//! A Docs document (the `documents.get` JSON) as Markdown or plain text: headings, bold,
//! italic, strikethrough, links, code (monospace runs; whole monospace paragraphs as fenced
//! blocks), bullet and numbered lists with nesting, indented paragraphs as quotes.

use std::collections::HashMap;

use serde_json::Value;

const MONOSPACE: &[&str] = &[
    "courier new",
    "courier",
    "consolas",
    "roboto mono",
    "source code pro",
    "inconsolata",
    "fira code",
    "ubuntu mono",
    "monospace",
];

#[derive(Debug, Clone, Default, PartialEq)]
struct Style {
    bold: bool,
    italic: bool,
    strike: bool,
    code: bool,
    link: Option<String>,
}

#[derive(Debug, Clone)]
struct Run {
    text: String,
    style: Style,
}

#[derive(Debug, Clone)]
struct Para {
    named: String,
    bullet: Option<(String, usize)>,
    indented: bool,
    runs: Vec<Run>,
}

impl Para {
    fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
    fn is_code(&self) -> bool {
        !self.runs.is_empty()
            && self.runs.iter().all(|r| r.style.code || r.text.is_empty())
            && self.runs.iter().any(|r| !r.text.is_empty())
    }
}

fn style_of(ts: &Value) -> Style {
    let flag = |k: &str| ts.get(k).and_then(Value::as_bool).unwrap_or(false);
    let family = ts
        .get("weightedFontFamily")
        .and_then(|f| f.get("fontFamily"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_ascii_lowercase();
    Style {
        bold: flag("bold"),
        italic: flag("italic"),
        strike: flag("strikethrough"),
        code: MONOSPACE.contains(&family.as_str()),
        link: ts
            .get("link")
            .and_then(|l| l.get("url"))
            .and_then(Value::as_str)
            .map(str::to_string),
    }
}

fn paragraphs(doc: &Value) -> Vec<Para> {
    let mut out = Vec::new();
    let content = doc
        .get("body")
        .and_then(|b| b.get("content"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for element in content {
        let Some(p) = element.get("paragraph") else {
            continue;
        };
        let style = p.get("paragraphStyle");
        let named = style
            .and_then(|s| s.get("namedStyleType"))
            .and_then(Value::as_str)
            .unwrap_or("NORMAL_TEXT")
            .to_string();
        let indented = style
            .and_then(|s| s.get("indentStart"))
            .and_then(|i| i.get("magnitude"))
            .and_then(Value::as_f64)
            .is_some_and(|m| m > 0.0);
        let bullet = p.get("bullet").map(|b| {
            (
                b.get("listId")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                b.get("nestingLevel").and_then(Value::as_u64).unwrap_or(0) as usize,
            )
        });
        let mut runs: Vec<Run> = Vec::new();
        for el in p
            .get("elements")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let Some(tr) = el.get("textRun") else {
                continue;
            };
            let text = tr
                .get("content")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let style = tr.get("textStyle").map(style_of).unwrap_or_default();
            match runs.last_mut() {
                Some(last) if last.style == style => last.text.push_str(&text),
                _ => runs.push(Run { text, style }),
            }
        }
        if let Some(last) = runs.last_mut()
            && last.text.ends_with('\n')
        {
            last.text.pop();
        }
        runs.retain(|r| !r.text.is_empty());
        out.push(Para {
            named,
            bullet,
            indented,
            runs,
        });
    }
    out
}

/// Whether `list_id`'s `level` is numbered (a `glyphType`), per the document's `lists`.
fn is_numbered(doc: &Value, list_id: &str, level: usize) -> bool {
    doc.get("lists")
        .and_then(|l| l.get(list_id))
        .and_then(|l| l.get("listProperties"))
        .and_then(|p| p.get("nestingLevels"))
        .and_then(|n| n.get(level))
        .and_then(|n| n.get("glyphType"))
        .and_then(Value::as_str)
        .is_some_and(|g| !g.is_empty() && g != "GLYPH_TYPE_UNSPECIFIED" && g != "NONE")
}

/// Numbers list items per list and level, restarting deeper levels under a new parent.
#[derive(Default)]
struct Counters(HashMap<(String, usize), usize>);

impl Counters {
    fn next(&mut self, list: &str, level: usize) -> usize {
        self.0.retain(|(l, lv), _| !(l == list && *lv > level));
        let n = self.0.entry((list.to_string(), level)).or_insert(0);
        *n += 1;
        *n
    }
}

/// The document as Markdown.
pub fn to_markdown(doc: &Value) -> String {
    let paras = paragraphs(doc);
    let mut blocks: Vec<(String, Option<String>)> = Vec::new(); // (text, list of an item)
    let mut counters = Counters::default();
    let mut i = 0;
    while i < paras.len() {
        let p = &paras[i];
        if p.is_code() {
            // A fenced block: this and the following code paragraphs (empty lines between
            // code lines included).
            let mut lines = Vec::new();
            let mut j = i;
            while j < paras.len() {
                let q = &paras[j];
                if q.is_code() {
                    lines.push(q.text());
                    j += 1;
                } else if q.runs.is_empty()
                    && paras.get(j + 1).is_some_and(Para::is_code)
                    && q.bullet.is_none()
                {
                    lines.push(String::new());
                    j += 1;
                } else {
                    break;
                }
            }
            let body = lines.join("\n").replace('\u{000b}', "\n");
            let fence = if body.contains("```") { "~~~~" } else { "```" };
            blocks.push((format!("{fence}\n{body}\n{fence}"), None));
            i = j;
            continue;
        }
        i += 1;
        if p.runs.is_empty() && p.bullet.is_none() {
            continue;
        }
        let inline = render_inline(&p.runs);
        let text = if let Some((list, level)) = &p.bullet {
            let marker = if is_numbered(doc, list, *level) {
                format!("{}.", counters.next(list, *level))
            } else {
                counters.next(list, *level);
                "-".to_string()
            };
            format!("{}{marker} {inline}", "    ".repeat(*level))
        } else {
            counters = Counters::default();
            match p.named.as_str() {
                "TITLE" => format!("# {inline}"),
                "SUBTITLE" => format!("## {inline}"),
                h if h.starts_with("HEADING_") => {
                    let n: usize = h[8..].parse().unwrap_or(1);
                    format!("{} {inline}", "#".repeat(n.clamp(1, 6)))
                }
                _ if p.indented => format!("> {inline}"),
                _ => inline,
            }
        };
        blocks.push((text, p.bullet.as_ref().map(|(l, _)| l.clone())));
    }
    let mut out = String::new();
    for (n, (text, item)) in blocks.iter().enumerate() {
        if n > 0 {
            // Items of one list on consecutive lines; anything else apart.
            let same_list = item.is_some() && *item == blocks[n - 1].1;
            out.push_str(if same_list { "\n" } else { "\n\n" });
        }
        out.push_str(text);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

fn render_inline(runs: &[Run]) -> String {
    let mut out = String::new();
    for (k, r) in runs.iter().enumerate() {
        let at_start = k == 0;
        // Markers must touch text: white space goes outside them.
        let core = r.text.trim_matches(|c: char| c == ' ' || c == '\t');
        let lead = &r.text[..r.text.len() - r.text.trim_start_matches([' ', '\t']).len()];
        let trail = &r.text[r.text.trim_end_matches([' ', '\t']).len()..];
        if core.is_empty() {
            out.push_str(&r.text);
            continue;
        }
        let mut s = if r.style.code {
            let ticks = if core.contains('`') { "``" } else { "`" };
            let pad = if core.starts_with('`') || core.ends_with('`') {
                " "
            } else {
                ""
            };
            format!("{ticks}{pad}{core}{pad}{ticks}")
        } else {
            escape(core, at_start && lead.is_empty())
        };
        if !r.style.code {
            if r.style.strike {
                s = format!("~~{s}~~");
            }
            match (r.style.bold, r.style.italic) {
                (true, true) => s = format!("***{s}***"),
                (true, false) => s = format!("**{s}**"),
                (false, true) => s = format!("*{s}*"),
                _ => {}
            }
        }
        if let Some(url) = &r.style.link {
            s = format!("[{s}]({})", url.replace(' ', "%20").replace(')', "%29"));
        }
        out.push_str(lead);
        out.push_str(&s);
        out.push_str(trail);
    }
    out.replace('\u{000b}', "\\\n")
}

/// Escapes what Markdown would read as markup; at the start of a paragraph also what would
/// start a heading, quote or list.
fn escape(text: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    if line_start {
        if out.starts_with(['#', '-', '+', '=']) {
            out.insert(0, '\\');
        } else {
            let digits = out.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 && out[digits..].starts_with(['.', ')']) {
                out.insert(digits, '\\');
            }
        }
    }
    out
}

/// The document as plain text: one paragraph per line, list items with `•` or their number
/// and indented by level, line breaks inside paragraphs kept.
pub fn to_text(doc: &Value) -> String {
    let mut out = String::new();
    let mut counters = Counters::default();
    for p in paragraphs(doc) {
        if let Some((list, level)) = &p.bullet {
            out.push_str(&"    ".repeat(*level));
            if is_numbered(doc, list, *level) {
                out.push_str(&format!("{}. ", counters.next(list, *level)));
            } else {
                counters.next(list, *level);
                out.push_str("• ");
            }
        } else {
            counters = Counters::default();
        }
        out.push_str(&p.text().replace('\u{000b}', "\n"));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(text: &str, style: Value) -> Value {
        json!({"textRun": {"content": text, "textStyle": style}})
    }

    fn doc() -> Value {
        json!({
            "body": {"content": [
                {"sectionBreak": {}},
                {"paragraph": {"paragraphStyle": {"namedStyleType": "HEADING_2"}, "elements": [run("Plan\n", json!({}))]}},
                {"paragraph": {"paragraphStyle": {"namedStyleType": "NORMAL_TEXT"}, "elements": [
                    run("Use ", json!({})), run("bold ", json!({"bold": true})), run("and", json!({"bold": true})),
                    run(" a ", json!({})), run("link", json!({"link": {"url": "https://x.example/a b"}, "underline": true})),
                    run(" with *stars* and ", json!({})), run("x = 1", json!({"weightedFontFamily": {"fontFamily": "Courier New"}})),
                    run("\n", json!({}))]}},
                {"paragraph": {"bullet": {"listId": "l1"}, "elements": [run("first\n", json!({}))]}},
                {"paragraph": {"bullet": {"listId": "l1", "nestingLevel": 1}, "elements": [run("inner\n", json!({"italic": true}))]}},
                {"paragraph": {"bullet": {"listId": "l1"}, "elements": [run("second\n", json!({}))]}},
                {"paragraph": {"elements": [run("\n", json!({}))]}},
                {"paragraph": {"elements": [run("1. not a list\n", json!({}))]}},
            ]},
            "lists": {"l1": {"listProperties": {"nestingLevels": [{"glyphType": "DECIMAL"}, {"glyphSymbol": "○"}]}}}
        })
    }

    #[test]
    fn renders_markdown() {
        assert_eq!(
            to_markdown(&doc()),
            "## Plan\n\nUse **bold and** a [link](https://x.example/a%20b) with \\*stars\\* and `x = 1`\n\n1. first\n    - *inner*\n2. second\n\n1\\. not a list\n"
        );
    }

    #[test]
    fn renders_text() {
        assert_eq!(
            to_text(&doc()),
            "Plan\nUse bold and a link with *stars* and x = 1\n1. first\n    • inner\n2. second\n\n1. not a list\n"
        );
        assert_eq!(to_text(&json!({})), "");
        assert_eq!(
            to_markdown(&json!({"body": {"content": [{"paragraph": {}}]}})),
            ""
        );
    }
}
