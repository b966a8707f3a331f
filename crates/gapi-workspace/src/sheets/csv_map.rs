//! CSV text <-> rows of cells (`Vec<Vec<String>>`, what Sheets `values` hold), with the
//! `csv` crate: quotes, commas, embedded newlines and any Unicode come back exactly.

use std::io::{Read, Write};

use serde_json::Value;

use crate::error::{Error, Result};

/// Reads CSV (RFC 4180: `"` quotes, `""` inside quotes, line breaks inside quoted cells, rows
/// of any width) into rows. A UTF-8 byte-order mark is skipped; text that is not UTF-8 is
/// an error naming the line.
pub fn read_csv(mut reader: impl Read) -> Result<Vec<Vec<String>>> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Csv(format!("could not read the CSV: {e}")))?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut rows = Vec::new();
    for record in rdr.records() {
        let record = record.map_err(|e| match e.kind() {
            csv::ErrorKind::Utf8 { pos, .. } => Error::Csv(format!(
                "line {} is not UTF-8 text; save the file as UTF-8 CSV",
                pos.as_ref().map_or(0, |p| p.line())
            )),
            _ => Error::Csv(e.to_string()),
        })?;
        rows.push(record.iter().map(str::to_string).collect());
    }
    Ok(rows)
}

/// Writes rows as CSV: cells quoted only when needed (a comma, quote, line break, or leading
/// or trailing space), `\n` after each row. Short rows are padded with empty cells to the
/// widest row, since Sheets leaves out the empty cells at the end of a row.
pub fn write_csv(rows: &[Vec<String>], writer: impl Write) -> Result<()> {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(writer);
    for row in rows {
        let mut cells: Vec<&str> = row.iter().map(String::as_str).collect();
        cells.resize(width, "");
        w.write_record(&cells)
            .map_err(|e| Error::Csv(e.to_string()))?;
    }
    w.flush()
        .map_err(|e| Error::Csv(format!("could not write the CSV: {e}")))
}

/// Writes rows as a CSV string (see [`write_csv`]).
pub fn to_csv_string(rows: &[Vec<String>]) -> Result<String> {
    let mut out = Vec::new();
    write_csv(rows, &mut out)?;
    String::from_utf8(out).map_err(|e| Error::Csv(e.to_string()))
}

/// Rows as a JSON array of arrays of strings.
pub fn rows_to_json(rows: &[Vec<String>]) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| Value::Array(r.iter().cloned().map(Value::String).collect()))
            .collect(),
    )
}

/// Rows as a JSON array of objects keyed by the first row (the header); missing cells are
/// `""`, cells beyond the header are keyed by their column letter.
pub fn rows_to_records(rows: &[Vec<String>]) -> Value {
    let Some((header, data)) = rows.split_first() else {
        return Value::Array(Vec::new());
    };
    Value::Array(
        data.iter()
            .map(|row| {
                let width = header.len().max(row.len());
                let mut obj = serde_json::Map::new();
                for i in 0..width {
                    let key = header
                        .get(i)
                        .filter(|h| !h.is_empty())
                        .cloned()
                        .unwrap_or_else(|| column_letter(i));
                    obj.insert(key, Value::String(row.get(i).cloned().unwrap_or_default()));
                }
                Value::Object(obj)
            })
            .collect(),
    )
}

/// `0` -> `A`, `25` -> `Z`, `26` -> `AA`.
pub fn column_letter(mut index: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A cell of a `values` answer as text: strings as they are, numbers as JSON writes them,
/// booleans `TRUE`/`FALSE` (as Sheets shows them), nothing as `""`.
pub fn cell_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "TRUE".into(),
        Value::Bool(false) => "FALSE".into(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(r: &[&[&str]]) -> Vec<Vec<String>> {
        r.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn round_trips_quotes_commas_newlines_and_unicode() {
        let data = rows(&[
            &["name", "note", "n"],
            &["Zoë, K.", "said \"hi\"\nthen left", "1"],
            &[" padded ", "", "日本語 📈"],
            &["crlf\r\ninside", "=SUM(A1)", ""],
        ]);
        let text = to_csv_string(&data).unwrap();
        assert_eq!(read_csv(text.as_bytes()).unwrap(), data);
        assert!(
            text.starts_with("name,note,n\n\"Zoë, K.\",\"said \"\"hi\"\"\nthen left\",1\n"),
            "{text}"
        );
    }

    #[test]
    fn pads_short_rows_skips_bom_and_reports_bad_utf8() {
        let text = to_csv_string(&rows(&[&["a", "b", "c"], &["x"]])).unwrap();
        assert_eq!(text, "a,b,c\nx,,\n");
        assert_eq!(
            read_csv(&b"\xEF\xBB\xBFa,b\n"[..]).unwrap(),
            rows(&[&["a", "b"]])
        );
        let err = read_csv(&b"a\n\xff\xfe,b\n"[..]).unwrap_err();
        assert!(
            err.to_string().contains("line 2") && err.to_string().contains("UTF-8"),
            "{err}"
        );
        assert!(read_csv(&b""[..]).unwrap().is_empty());
        assert_eq!(to_csv_string(&rows(&[&["a"], &[""]])).unwrap(), "a\n\"\"\n");
        assert_eq!(read_csv(&b"a\n\"\"\n"[..]).unwrap(), rows(&[&["a"], &[""]]));
    }

    #[test]
    fn json_shapes_and_cells() {
        let data = rows(&[&["h1", ""], &["a", "b", "c"], &["x"]]);
        assert_eq!(rows_to_json(&data)[1], serde_json::json!(["a", "b", "c"]));
        assert_eq!(
            rows_to_records(&data),
            serde_json::json!([{"h1": "a", "B": "b", "C": "c"}, {"h1": "x", "B": ""}])
        );
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
        assert_eq!(cell_text(&serde_json::json!(1.5)), "1.5");
        assert_eq!(cell_text(&serde_json::json!(true)), "TRUE");
    }
}
