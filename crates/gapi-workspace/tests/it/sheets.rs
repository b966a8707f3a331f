//! Sheets: CSV written here is read by Python's `csv` (and the other way round), and rows
//! appended through the emulator's Sheets come back exactly.

use crate::common::{python, service, start};
use gapi_workspace::sheets::{self, ValueInputOption, read_csv, to_csv_string};

fn rows(r: &[&[&str]]) -> Vec<Vec<String>> {
    r.iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

fn tricky() -> Vec<Vec<String>> {
    rows(&[
        &["name", "comment", "city"],
        &["Doe, Ann", "said \"hello\", then\nleft early", "Köln"],
        &["李雷", "tab\there, emoji 🎉", " spaced "],
        &["x", "", "ends with a quote\""],
        &[
            "multi\r\nline",
            "=not a formula in RAW",
            "'leading apostrophe",
        ],
    ])
}

const PY_READ: &str = r#"
import sys, csv, io, json
print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.buffer.read().decode("utf-8"), newline="")))))
"#;

const PY_WRITE: &str = r#"
import sys, csv, io, json
rows = json.loads(sys.stdin.buffer.read())
out = io.StringIO(newline="")
csv.writer(out).writerows(rows)
print(json.dumps(out.getvalue()))
"#;

#[test]
fn python_csv_reads_what_we_write_and_we_read_what_it_writes() {
    let data = tricky();
    let text = to_csv_string(&data).unwrap();
    let seen: Vec<Vec<String>> = serde_json::from_value(python(PY_READ, text.as_bytes())).unwrap();
    assert_eq!(seen, data);
    let theirs = python(PY_WRITE, serde_json::to_string(&data).unwrap().as_bytes());
    let theirs = theirs.as_str().unwrap();
    assert!(theirs.contains("\r\n"), "Python writes CRLF rows");
    assert_eq!(read_csv(theirs.as_bytes()).unwrap(), data);
}

#[tokio::test]
async fn append_and_read_round_trip_exactly() {
    let emu = start().await;
    let svc = service(&emu, "sheets", "v4", "alice@example.com").await;
    let id = sheets::create(&svc, "Round trip").await.unwrap();
    let data = tricky();
    let first = sheets::append(&svc, &id, "Sheet1!A1", &data[..2], ValueInputOption::Raw)
        .await
        .unwrap();
    assert_eq!(first.updated_rows, 2);
    assert_eq!(first.updated_ranges, ["Sheet1!A1:C2"]);
    // A second append lands after the table.
    let second = sheets::append(&svc, &id, "Sheet1", &data[2..], ValueInputOption::Raw)
        .await
        .unwrap();
    assert_eq!(second.updated_ranges, ["Sheet1!A3:C5"]);
    assert_eq!(second.table_range.as_deref(), Some("Sheet1!A1:C2"));
    let back = sheets::read(&svc, &id, "Sheet1").await.unwrap();
    // Sheets drops empty cells at the end of a row; the CSV writer pads them back.
    assert_eq!(
        read_csv(to_csv_string(&back).unwrap().as_bytes()).unwrap(),
        data
    );
    let seen: Vec<Vec<String>> =
        serde_json::from_value(python(PY_READ, to_csv_string(&back).unwrap().as_bytes())).unwrap();
    assert_eq!(seen, data);

    // USER_ENTERED: numbers and formulas are parsed, as typed in the UI.
    let typed = rows(&[&["n", "double"], &["21", "=A7*2"]]);
    sheets::append(&svc, &id, "Sheet1!A6", &typed, ValueInputOption::default())
        .await
        .unwrap();
    let out = sheets::read(&svc, &id, "Sheet1!A7:B7").await.unwrap();
    assert_eq!(out, rows(&[&["21", "42"]]));
    let json = sheets::rows_to_records(&sheets::read(&svc, &id, "Sheet1!A6:B7").await.unwrap());
    assert_eq!(json, serde_json::json!([{"n": "21", "double": "42"}]));

    // Errors are the API's, clear.
    let err = sheets::read(&svc, &id, "NoSuchSheet!A1").await.unwrap_err();
    assert_eq!(err.api().and_then(|e| e.http_status()), Some(400), "{err}");
    let err = sheets::append(&svc, &id, "Sheet1", &[], ValueInputOption::Raw)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no rows"), "{err}");
}
