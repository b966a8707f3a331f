//! Reading and appending cell values through a Sheets [`Service`]
//! (`gapi_client::build("sheets", "v4", auth)`): `spreadsheets.values.get` and
//! `spreadsheets.values.append`, as method calls of the service.

use gapi_client::Service;
use serde_json::{Value, json};

use super::csv_map::cell_text;
use crate::error::{Error, Result};

/// How Sheets reads what is appended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ValueInputOption {
    /// As if typed in the UI: `12` is a number, `=A1*2` a formula, `'12` text (the default).
    #[default]
    UserEntered,
    /// Stored as given, as text.
    Raw,
}

impl ValueInputOption {
    /// The API's name (`USER_ENTERED`, `RAW`).
    pub fn as_api(self) -> &'static str {
        match self {
            ValueInputOption::UserEntered => "USER_ENTERED",
            ValueInputOption::Raw => "RAW",
        }
    }
}

/// What happens to rows below the table when appending.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum InsertDataOption {
    /// New rows are inserted, pushing what is below the table down (the default: nothing is
    /// ever overwritten).
    #[default]
    InsertRows,
    /// The rows after the table are written over.
    Overwrite,
}

impl InsertDataOption {
    fn as_api(self) -> &'static str {
        match self {
            InsertDataOption::InsertRows => "INSERT_ROWS",
            InsertDataOption::Overwrite => "OVERWRITE",
        }
    }
}

/// At most this many rows go in one append request; more are sent in several, in order.
pub const APPEND_CHUNK_ROWS: usize = 10_000;

/// What an append did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppendReport {
    /// The table found in the range before the first append (`Sheet1!A1:C10`), if any.
    pub table_range: Option<String>,
    /// The ranges written, one per request.
    pub updated_ranges: Vec<String>,
    /// Rows written.
    pub updated_rows: u64,
    /// Cells written.
    pub updated_cells: u64,
}

/// Appends `rows` after the table found in `range` (A1 notation: `Sheet1`, `Sheet1!A:C`).
/// Large inputs are sent in requests of [`APPEND_CHUNK_ROWS`] rows; if one fails, the error
/// says how many rows were already appended.
pub async fn append(
    service: &Service,
    spreadsheet_id: &str,
    range: &str,
    rows: &[Vec<String>],
    option: ValueInputOption,
) -> Result<AppendReport> {
    append_with(
        service,
        spreadsheet_id,
        range,
        rows,
        option,
        InsertDataOption::default(),
    )
    .await
}

/// [`append`] with the choice of what happens below the table.
pub async fn append_with(
    service: &Service,
    spreadsheet_id: &str,
    range: &str,
    rows: &[Vec<String>],
    option: ValueInputOption,
    insert: InsertDataOption,
) -> Result<AppendReport> {
    if rows.is_empty() {
        return Err(Error::invalid("no rows to append (the CSV is empty)"));
    }
    let mut report = AppendReport::default();
    for chunk in rows.chunks(APPEND_CHUNK_ROWS) {
        let answer = service
            .method("spreadsheets.values.append")?
            .param("spreadsheetId", spreadsheet_id)
            .param("range", range)
            .param("valueInputOption", option.as_api())
            .param("insertDataOption", insert.as_api())
            .body(json!({"range": range, "majorDimension": "ROWS", "values": chunk}))
            .execute()
            .await
            .map_err(|e| {
                if report.updated_rows == 0 {
                    Error::from(e)
                } else {
                    Error::invalid(format!(
                        "appending stopped after {} rows ({}): {e}",
                        report.updated_rows,
                        report.updated_ranges.join(", ")
                    ))
                }
            })?;
        if report.table_range.is_none() && report.updated_ranges.is_empty() {
            report.table_range = answer
                .get("tableRange")
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        let updates = &answer["updates"];
        if let Some(r) = updates.get("updatedRange").and_then(Value::as_str) {
            report.updated_ranges.push(r.to_string());
        }
        report.updated_rows += updates["updatedRows"].as_u64().unwrap_or(0);
        report.updated_cells += updates["updatedCells"].as_u64().unwrap_or(0);
    }
    Ok(report)
}

/// Reads `range` as rows of text, as Sheets shows the cells (formatted values). Sheets leaves
/// out empty rows and cells at the end; an empty range gives no rows.
pub async fn read(
    service: &Service,
    spreadsheet_id: &str,
    range: &str,
) -> Result<Vec<Vec<String>>> {
    let answer = service
        .method("spreadsheets.values.get")?
        .param("spreadsheetId", spreadsheet_id)
        .param("range", range)
        .param("majorDimension", "ROWS")
        .execute()
        .await?;
    Ok(values_to_rows(&answer))
}

/// The `values` member of a `ValueRange` as rows of text.
pub fn values_to_rows(value_range: &Value) -> Vec<Vec<String>> {
    value_range
        .get("values")
        .and_then(Value::as_array)
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    r.as_array()
                        .map(|cells| cells.iter().map(cell_text).collect())
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Creates a spreadsheet titled `title` and returns its id.
pub async fn create(service: &Service, title: &str) -> Result<String> {
    let answer = service
        .method("spreadsheets.create")?
        .body(json!({"properties": {"title": title}}))
        .execute()
        .await?;
    answer
        .get("spreadsheetId")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| Error::response("sheets.spreadsheets.create", "no spreadsheetId"))
}
