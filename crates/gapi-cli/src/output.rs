//! Printing API responses: pretty JSON, NDJSON, tables and CSV.
//!
//! Lists are recognised by shape: the first array of objects in a response (`files`, `items`,
//! `buckets`, ...) is the list; tables pick the columns its items have, preferring a few
//! well-known ones (`id`, `name`, `mimeType`, ...) first.

use std::io::Write;

use serde_json::Value;

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
/// Tables show at most this many columns.
const MAX_COLUMNS: usize = 6;

/// The items of a list response: the first top-level array whose elements are objects.
pub fn list_items(v: &Value) -> Option<(&str, &Vec<Value>)> {
    let obj = v.as_object()?;
    obj.iter().find_map(|(k, v)| match v {
        Value::Array(a) if a.iter().all(Value::is_object) => Some((k.as_str(), a)),
        _ => None,
    })
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
            let rows: Vec<&Value> = match list_items(v) {
                Some((_, items)) => items.iter().collect(),
                None => vec![v],
            };
            write_rows(out, &rows, format, true)
        }
    }
}

/// Writes one compact JSON value on its own line.
pub fn write_line(out: &mut dyn Write, v: &Value) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, v)?;
    writeln!(out)
}

/// The columns to show for these rows.
pub fn columns(rows: &[&Value]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for row in rows {
        if let Some(obj) = row.as_object() {
            for (k, v) in obj {
                if !v.is_object() && !v.is_array() && !seen.contains(k) {
                    seen.push(k.clone());
                }
            }
        }
    }
    let mut cols: Vec<String> = PREFERRED_COLUMNS
        .iter()
        .filter(|c| seen.iter().any(|s| s == *c))
        .map(|c| c.to_string())
        .collect();
    for s in seen {
        if cols.len() >= MAX_COLUMNS {
            break;
        }
        if !cols.contains(&s) {
            cols.push(s);
        }
    }
    cols.truncate(MAX_COLUMNS);
    cols
}

fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Writes rows as a table or CSV; `header` prints the column names first.
pub fn write_rows(
    out: &mut dyn Write,
    rows: &[&Value],
    format: Format,
    header: bool,
) -> std::io::Result<()> {
    let cols = columns(rows);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| cols.iter().map(|c| cell(r.get(c))).collect())
        .collect();
    if format == Format::Csv {
        if header {
            writeln!(
                out,
                "{}",
                cols.iter()
                    .map(|c| csv_field(c))
                    .collect::<Vec<_>>()
                    .join(",")
            )?;
        }
        for row in &cells {
            writeln!(
                out,
                "{}",
                row.iter()
                    .map(|c| csv_field(c))
                    .collect::<Vec<_>>()
                    .join(",")
            )?;
        }
        return Ok(());
    }
    let widths: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .chain([c.chars().count()])
                .max()
                .unwrap_or(0)
                .min(60)
        })
        .collect();
    let line = |out: &mut dyn Write, values: &[String]| -> std::io::Result<()> {
        let text: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| {
                let v: String = v.chars().take(*w).collect();
                format!("{v:<w$}")
            })
            .collect();
        writeln!(out, "{}", text.join("  ").trim_end())
    };
    if header {
        line(
            out,
            &cols.iter().map(|c| c.to_uppercase()).collect::<Vec<_>>(),
        )?;
    }
    for row in &cells {
        line(out, row)?;
    }
    Ok(())
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
}
