//! Printing API responses: pretty JSON, NDJSON, tables and CSV.
//!
//! Lists are recognised by shape: the first array of objects in a response (`files`, `items`,
//! `buckets`, ...) is the list; tables pick the columns its items have, preferring a few
//! well-known ones (`id`, `name`, `mimeType`, ...) first. A single resource prints as a
//! `FIELD VALUE` table (every field) or as a one-row CSV.
//!
//! Nothing is dropped without a trace: nested objects become dotted columns
//! (`user.emailAddress`), arrays a compact JSON cell, and a table cell cut to its column's
//! width ends in `…`. Server data cannot drive the terminal: in tables, control characters,
//! bidirectional overrides and other invisible format characters are written as visible
//! escapes (`\x1b`, `\n`, `\u202e`; a backslash as `\\`). CSV keeps every value exact (RFC
//! 4180 quoting), as JSON and NDJSON do: they are data formats, read by programs.
//!
//! [`Rows`] writes the items of one response or of every page of `--page-all`: the first page
//! fixes the columns (and a table's widths), later pages are written under the same header, so
//! the output is one aligned table or one well-formed CSV document.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write;

use gapi_discovery::{JsonSchema, RestDescription, RestMethod};
use serde_json::Value;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::cli::Format;

/// Columns shown first when present, in this order.
const PREFERRED_COLUMNS: &[&str] = &[
    "id",
    "name",
    "title",
    "displayName",
    "mimeType",
    "kind",
    "modifiedTime",
    "modifiedByMeTime",
    "size",
    "status",
];
/// Tables of lists show at most this many columns (CSV shows them all).
const MAX_COLUMNS: usize = 6;
/// A table column (other than the last) is at most this wide.
const MAX_WIDTH: usize = 60;
/// Nested objects deeper than this become one JSON cell.
const MAX_DEPTH: usize = 4;

/// The items of a list response: the library's one rule ([`gapi_client::listing::list_items`]),
/// for tables, NDJSON, `--page-all` and `gapi mcp`'s `page_all` alike.
pub fn list_items(v: &Value) -> Option<(&str, &[Value])> {
    gapi_client::listing::list_items(v)
}

/// Writes one response in the chosen format.
pub fn write_value(out: &mut dyn Write, v: &Value, format: Format) -> std::io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, v)?;
            writeln!(out)
        }
        Format::Ndjson => match list_items(v) {
            Some((_, items)) => items.iter().try_for_each(|i| write_line(out, i)),
            None => write_line(out, v),
        },
        Format::Table | Format::Csv => {
            let mut rows = Rows::new(format);
            rows.write_value(out, v)?;
            rows.finish(out)
        }
    }
}

/// Writes one compact JSON value on its own line.
pub fn write_line(out: &mut dyn Write, v: &Value) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, v)?;
    writeln!(out)
}

/// Text of a scalar cell; arrays and (too deep or empty) objects as compact JSON.
fn cell_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `v` as (dotted path, cell text) pairs: objects open into their members, everything else
/// is one cell.
fn flatten(prefix: &str, v: &Value, depth: usize, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(obj) if !obj.is_empty() && depth < MAX_DEPTH => {
            for (k, member) in obj {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&path, member, depth + 1, out);
            }
        }
        other => out.push((prefix.to_string(), cell_text(other))),
    }
}

fn flat_row(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match v {
        Value::Object(_) => flatten("", v, 0, &mut out),
        other => out.push(("value".to_string(), cell_text(other))),
    }
    out
}

/// Orders column names: the preferred ones first, then the others in order of appearance.
fn order_columns(seen: Vec<String>) -> Vec<String> {
    let mut cols: Vec<String> = PREFERRED_COLUMNS
        .iter()
        .filter(|c| seen.iter().any(|s| s == *c))
        .map(|c| c.to_string())
        .collect();
    for s in seen {
        if !cols.contains(&s) {
            cols.push(s);
        }
    }
    cols
}

/// The columns of a list table: the item schema's scalar properties, ordered as for rows.
/// Used for the header of an empty list.
pub fn schema_columns(doc: &RestDescription, method: &RestMethod) -> Vec<String> {
    let resolve = |s: &JsonSchema| match &s.reference {
        Some(name) => doc.schema(name),
        None => Some(s.clone()),
    };
    let Some(response) = method
        .response
        .as_ref()
        .and_then(|r| doc.schema(&r.reference))
    else {
        return Vec::new();
    };
    let item = response.properties.values().find_map(|p| {
        let items = p.items.as_deref().filter(|_| p.type_name() == "array")?;
        resolve(items).filter(|s| !s.properties.is_empty())
    });
    let Some(item) = item else { return Vec::new() };
    let seen = item
        .properties
        .iter()
        .filter(|(_, p)| {
            p.reference.is_none() && !matches!(p.type_name(), "object" | "array" | "any")
        })
        .map(|(k, _)| k.to_string())
        .collect();
    let mut cols = order_columns(seen);
    cols.truncate(MAX_COLUMNS);
    cols
}

/// Outside text made safe for a terminal as one value: control characters (line breaks too),
/// bidirectional overrides and invisible format characters as visible escapes (`\x1b`,
/// `\n`, `\u202e`), a backslash doubled so that an escape cannot be forged.
///
/// With [`visible_lines`], the one escaping of the CLI: every text that comes from a URL, a
/// server or a file and is printed for a person (table cells, error messages, account names,
/// scopes, client ids, key-file emails, the remote-bootstrap warning, document descriptions)
/// goes through it, so no such text can move the cursor, erase a line, recolour or reorder
/// what gapi itself says.
pub fn visible(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// [`visible`] for prose of several lines (error messages, help text): line breaks, tabs and
/// backslashes are kept as they are (a Windows path or a regular expression reads as
/// written); every other control, bidirectional or format character is escaped.
pub fn visible_lines(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

fn escape(s: &str, prose: bool) -> Cow<'_, str> {
    let escaped = |c: char| {
        if prose {
            c != '\n' && c != '\t' && needs_escape(c)
        } else {
            c == '\\' || needs_escape(c)
        }
    };
    if !s.chars().any(escaped) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !escaped(c) {
            out.push(c);
            continue;
        }
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) <= 0xffff => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

/// Characters a terminal would act on or hide: C0/C1 controls and DEL, line and paragraph
/// separators, and the Unicode format characters (bidi overrides and isolates, zero-width
/// characters, soft hyphen, BOM, tags).
fn needs_escape(c: char) -> bool {
    let u = c as u32;
    c.is_control()
        || matches!(
            u,
            0x00ad
                | 0x0600..=0x0605
                | 0x061c
                | 0x06dd
                | 0x070f
                | 0x0890..=0x0891
                | 0x08e2
                | 0x180e
                | 0x200b..=0x200f
                | 0x2028..=0x202e
                | 0x2060..=0x2064
                | 0x2066..=0x206f
                | 0xfeff
                | 0xfff9..=0xfffb
                | 0x110bd
                | 0x110cd
                | 0x13430..=0x1343f
                | 0x1bca0..=0x1bca3
                | 0x1d173..=0x1d17a
                | 0xe0001
                | 0xe0020..=0xe007f
        )
}

/// `s` cut to `width` display columns, ending in `…` when something was cut.
fn fit(s: &str, width: usize) -> Cow<'_, str> {
    if s.width() <= width {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

fn csv_field(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

/// The header and rows of tables and CSV, for one response or every page of `--page-all`.
pub struct Rows {
    format: Format,
    /// Columns fixed by the first page of items.
    columns: Option<Vec<String>>,
    /// A table's column widths (display columns), fixed with the columns.
    widths: Vec<usize>,
    /// Header for an empty list (from the item schema).
    fallback: Vec<String>,
    /// Columns that appeared after the header was written (not shown).
    unshown: Vec<String>,
    /// Whether anything was written.
    wrote: bool,
}

impl Rows {
    /// Rows in `format` (`Table` or `Csv`).
    pub fn new(format: Format) -> Self {
        Rows {
            format,
            columns: None,
            widths: Vec::new(),
            fallback: Vec::new(),
            unshown: Vec::new(),
            wrote: false,
        }
    }

    /// The header to print when the list turns out empty (see [`schema_columns`]).
    pub fn fallback_columns(mut self, columns: Vec<String>) -> Self {
        self.fallback = columns;
        self
    }

    /// Writes one response: the items of a list, or a single resource.
    pub fn write_value(&mut self, out: &mut dyn Write, v: &Value) -> std::io::Result<()> {
        match list_items(v) {
            Some((_, items)) => self.write_items(out, items),
            None if self.format == Format::Table => self.write_fields(out, v),
            None => self.write_items(out, std::slice::from_ref(v)),
        }
    }

    /// Writes list items; the first call with items fixes the columns.
    pub fn write_items(&mut self, out: &mut dyn Write, items: &[Value]) -> std::io::Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        let flat: Vec<Vec<(String, String)>> = items.iter().map(flat_row).collect();
        if self.columns.is_none() {
            let mut seen: Vec<String> = Vec::new();
            for (k, _) in flat.iter().flatten() {
                if !seen.contains(k) {
                    seen.push(k.clone());
                }
            }
            let mut cols = order_columns(seen);
            if self.format == Format::Table {
                cols.truncate(MAX_COLUMNS);
            }
            self.start(out, cols, &flat)?;
        }
        let cols = self.columns.clone().unwrap_or_default();
        for row in &flat {
            for (k, _) in row {
                if self.format == Format::Csv && !cols.contains(k) && !self.unshown.contains(k) {
                    self.unshown.push(k.clone());
                }
            }
            let cells: Vec<&str> = cols
                .iter()
                .map(|c| {
                    row.iter()
                        .find(|(k, _)| k == c)
                        .map(|(_, v)| v.as_str())
                        .unwrap_or("")
                })
                .collect();
            self.line(out, &cells)?;
        }
        Ok(())
    }

    /// Fixes the columns (and widths from the first rows) and writes the header.
    fn start(
        &mut self,
        out: &mut dyn Write,
        cols: Vec<String>,
        rows: &[Vec<(String, String)>],
    ) -> std::io::Result<()> {
        let header: Vec<String> = match self.format {
            Format::Table => cols.iter().map(|c| c.to_uppercase()).collect(),
            _ => cols.clone(),
        };
        self.widths = header
            .iter()
            .enumerate()
            .map(|(i, h)| {
                rows.iter()
                    .filter_map(|r| r.iter().find(|(k, _)| *k == cols[i]))
                    .map(|(_, v)| visible(v).width())
                    .chain([visible(h).width()])
                    .max()
                    .unwrap_or(0)
                    .min(MAX_WIDTH)
            })
            .collect();
        self.columns = Some(cols);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        self.line(out, &header)
    }

    /// Writes one line of cells (escaped and padded for a table, quoted for CSV).
    fn line(&mut self, out: &mut dyn Write, cells: &[&str]) -> std::io::Result<()> {
        self.wrote = true;
        if self.format == Format::Csv {
            let fields: Vec<Cow<'_, str>> = cells.iter().map(|c| csv_field(c)).collect();
            return writeln!(out, "{}", fields.join(","));
        }
        let mut text = String::new();
        let last = cells.len().saturating_sub(1);
        for (i, c) in cells.iter().enumerate() {
            let shown = visible(c);
            if i == last {
                text.push_str(&shown);
                break;
            }
            let width = self.widths.get(i).copied().unwrap_or(0);
            let shown = fit(&shown, width);
            text.push_str(&shown);
            text.extend(std::iter::repeat_n(' ', width - shown.width() + 2));
        }
        writeln!(out, "{}", text.trim_end())
    }

    /// A single resource as a table: one `FIELD VALUE` line per (dotted) field.
    fn write_fields(&mut self, out: &mut dyn Write, v: &Value) -> std::io::Result<()> {
        let flat = flat_row(v);
        let rows: Vec<Vec<(String, String)>> = flat
            .iter()
            .map(|(k, v)| vec![("field".into(), k.clone()), ("value".into(), v.clone())])
            .collect();
        let mut table = Rows::new(Format::Table);
        table.start(out, vec!["field".into(), "value".into()], &rows)?;
        for (k, v) in &flat {
            table.line(out, &[k, v])?;
        }
        self.wrote = true;
        Ok(())
    }

    /// Ends the output: an empty list still gets its header (or, without a schema, a line
    /// saying it is empty), and columns that only later pages had are reported.
    pub fn finish(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        if !self.wrote {
            if self.fallback.is_empty() {
                if self.format == Format::Table {
                    writeln!(out, "(no items)")?;
                }
            } else {
                let cols = self.fallback.clone();
                self.start(out, cols, &[])?;
            }
        }
        if !self.unshown.is_empty() {
            eprintln!(
                "warning: later pages had fields the first page did not ({}); they are not in \
                 the CSV, use --format ndjson to get every field",
                self.unshown.join(", ")
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(v: &Value, f: Format) -> String {
        let mut buf = Vec::new();
        write_value(&mut buf, v, f).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn table_prefers_id_and_name_columns() {
        let v = json!({"kind": "drive#fileList", "files": [
            {"mimeType": "text/plain", "name": "a.txt", "id": "1"},
            {"mimeType": "image/png", "name": "b.png", "id": "2"}]});
        let t = render(&v, Format::Table);
        let mut lines = t.lines();
        assert_eq!(
            lines.next().unwrap().split_whitespace().collect::<Vec<_>>(),
            ["ID", "NAME", "MIMETYPE"]
        );
        assert!(lines.next().unwrap().starts_with("1   a.txt"));
    }

    #[test]
    fn table_snapshot() {
        let v = json!({"kind": "drive#fileList", "nextPageToken": "t", "files": [
            {"id": "1a", "name": "Quarterly report.pdf", "mimeType": "application/pdf", "size": "1024", "starred": true},
            {"id": "2b", "name": "notes.txt", "mimeType": "text/plain", "parents": ["root"]},
            {"id": "3c", "name": "a very long name that goes on and on and on and on and on and on past sixty", "mimeType": "text/csv"}]});
        insta::assert_snapshot!(render(&v, Format::Table));
        insta::assert_snapshot!(render(&v, Format::Csv));
    }

    #[test]
    fn csv_quotes_commas_and_quotes() {
        let v = json!({"files": [{"id": "1", "name": "a, \"b\""}]});
        assert_eq!(render(&v, Format::Csv), "id,name\n1,\"a, \"\"b\"\"\"\n");
    }

    #[test]
    fn ndjson_prints_one_item_per_line() {
        let v = json!({"files": [{"id": "1"}, {"id": "2"}], "nextPageToken": "x"});
        assert_eq!(
            render(&v, Format::Ndjson),
            "{\"id\":\"1\"}\n{\"id\":\"2\"}\n"
        );
    }

    #[test]
    fn table_escapes_control_and_bidi_characters() {
        let v = json!({"files": [{"id": "1", "name": "evil\u{1b}]0;pwned\u{7}\u{0}x\ny\u{202e}gpj.exe\u{9b}"}]});
        let t = render(&v, Format::Table);
        assert!(!t.chars().any(|c| c.is_control() && c != '\n'), "{t:?}");
        assert!(!t.contains('\u{202e}'), "{t:?}");
        assert!(
            t.contains(r"evil\x1b]0;pwned\x07\x00x\ny\u202egpj.exe\u009b"),
            "{t}"
        );
        assert_eq!(
            t.lines().count(),
            2,
            "a newline in a cell must not start a row: {t}"
        );
    }

    #[test]
    fn prose_keeps_its_lines_and_backslashes_but_nothing_a_terminal_acts_on() {
        let text = "C:\\keys\\a.json: bad\r\x1b]0;title\x07\nnext \u{2066}line\u{200b}";
        let shown = visible_lines(text);
        assert_eq!(
            shown,
            "C:\\keys\\a.json: bad\\r\\x1b]0;title\\x07\nnext \\u2066line\\u200b"
        );
        assert!(matches!(visible_lines("plain\ntext"), Cow::Borrowed(_)));
    }

    #[test]
    fn table_escapes_backslashes_so_escapes_are_unambiguous() {
        let v = json!({"files": [{"id": "1", "name": r"C:\x1b"}]});
        assert!(render(&v, Format::Table).contains(r"C:\\x1b"));
    }

    #[test]
    fn table_escapes_column_names_too() {
        let v = json!({"files": [{"id": "1", "n\u{1b}[2J": "x"}]});
        let t = render(&v, Format::Table);
        assert!(!t.contains('\u{1b}'), "{t:?}");
        assert!(t.contains(r"N\x1b[2J"), "{t}");
    }

    #[test]
    fn nested_objects_show_as_dotted_fields() {
        let v = json!({"user": {"displayName": "Alice", "emailAddress": "alice@example.com"},
                       "storageQuota": {"limit": "100", "usage": "7"}});
        let t = render(&v, Format::Table);
        assert!(
            t.lines().all(|l| !l.trim().is_empty()),
            "blank line in {t:?}"
        );
        for (k, val) in [
            ("user.emailAddress", "alice@example.com"),
            ("storageQuota.limit", "100"),
        ] {
            assert!(
                t.lines()
                    .any(|l| l.starts_with(k) && l.trim_end().ends_with(val)),
                "{k} = {val} missing from\n{t}"
            );
        }
        let c = render(&v, Format::Csv);
        let mut lines = c.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let row: Vec<&str> = lines.next().unwrap().split(',').collect();
        let at = header
            .iter()
            .position(|h| *h == "user.emailAddress")
            .expect("column");
        assert_eq!(row[at], "alice@example.com");
    }

    #[test]
    fn arrays_in_a_row_show_as_json_cells() {
        let v = json!({"files": [{"id": "1", "parents": ["a", "b"], "owners": [{"me": true}]}]});
        let t = render(&v, Format::Table);
        assert!(t.contains(r#"["a","b"]"#), "{t}");
        assert!(t.contains(r#"[{"me":true}]"#), "{t}");
        let c = render(&v, Format::Csv);
        assert!(c.contains(r#""[""a"",""b""]""#), "{c}");
    }

    #[test]
    fn list_items_flatten_nested_objects() {
        let v = json!({"files": [{"id": "1", "capabilities": {"canEdit": true}}]});
        let t = render(&v, Format::Table);
        assert!(
            t.lines().next().unwrap().contains("CAPABILITIES.CANEDIT"),
            "{t}"
        );
        assert!(t.lines().nth(1).unwrap().contains("true"), "{t}");
    }

    #[test]
    fn an_empty_list_prints_its_header() {
        let v = json!({"kind": "drive#fileList", "files": []});
        let mut buf = Vec::new();
        let mut rows = Rows::new(Format::Table).fallback_columns(vec!["id".into(), "name".into()]);
        rows.write_value(&mut buf, &v).unwrap();
        rows.finish(&mut buf).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), "ID  NAME\n");
        let mut buf = Vec::new();
        let mut rows = Rows::new(Format::Csv).fallback_columns(vec!["id".into(), "name".into()]);
        rows.write_value(&mut buf, &v).unwrap();
        rows.finish(&mut buf).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), "id,name\n");
        // Without a schema, an empty list is said in so many words, never a blank line.
        let t = render(&v, Format::Table);
        assert!(!t.trim().is_empty(), "{t:?}");
    }

    #[test]
    fn pages_share_one_header_and_aligned_columns() {
        let mut buf = Vec::new();
        let mut rows = Rows::new(Format::Table);
        let page = |id: Option<&str>, name: &str| {
            let mut item = json!({"name": name, "mimeType": "t"});
            if let Some(id) = id {
                item["id"] = json!(id);
            }
            json!({ "files": [item] })
        };
        rows.write_value(&mut buf, &page(Some("1"), "short"))
            .unwrap();
        rows.write_value(&mut buf, &page(Some("22"), "a much longer name"))
            .unwrap();
        rows.write_value(&mut buf, &page(None, "no id")).unwrap();
        rows.finish(&mut buf).unwrap();
        let t = String::from_utf8(buf).unwrap();
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 4, "{t}");
        assert!(lines[0].starts_with("ID"), "{t}");
        let name_at = lines[0].find("NAME").unwrap();
        for l in &lines[1..] {
            assert!(l.len() > name_at, "{t}");
            let (before, after) = l.split_at(name_at);
            assert!(before.ends_with("  ") || before.trim().is_empty(), "{t}");
            assert!(!after.starts_with(' '), "column NAME misaligned:\n{t}");
        }
        // A later cell wider than the first page's column is cut visibly, not silently.
        assert!(lines[2].contains('…'), "{t}");
    }

    #[test]
    fn csv_pages_keep_the_first_pages_columns() {
        let mut buf = Vec::new();
        let mut rows = Rows::new(Format::Csv);
        rows.write_value(&mut buf, &json!({"files": [{"id": "1", "name": "a"}]}))
            .unwrap();
        rows.write_value(&mut buf, &json!({"files": [{"name": "b", "id": "2"}]}))
            .unwrap();
        rows.finish(&mut buf).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), "id,name\n1,a\n2,b\n");
    }

    #[test]
    fn wide_characters_are_measured_by_display_width() {
        use unicode_width::UnicodeWidthStr;
        let v = json!({"files": [
            {"id": "1", "name": "日本語", "mimeType": "a"},
            {"id": "2", "name": "abcd", "mimeType": "b"}]});
        let t = render(&v, Format::Table);
        let starts: Vec<usize> = t
            .lines()
            .map(|l| l[..l.rfind(' ').unwrap() + 1].width())
            .collect();
        assert!(starts.windows(2).all(|w| w[0] == w[1]), "{starts:?}\n{t}");
    }

    #[test]
    fn csv_keeps_values_exact() {
        let v = json!({"files": [{"id": "1", "name": "=cmd|' /c calc'!A0", "d": "a\r\nb\u{1b}"}]});
        let c = render(&v, Format::Csv);
        assert_eq!(c, "id,name,d\n1,=cmd|' /c calc'!A0,\"a\r\nb\u{1b}\"\n");
    }
}
