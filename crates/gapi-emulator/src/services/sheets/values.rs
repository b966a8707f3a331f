//! `spreadsheets.values`: get, update, append, clear, batchGet, batchUpdate, batchClear.

use axum::extract::{Path, State};
use serde_json::{Map, Value, json};

use super::a1::{self, GridRange};
use super::input::{self, Input, Render};
use super::model::{Sheet, SheetsData};
use super::{Shared, book_mut, not_implemented, require};
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::{Params, body_object};
use crate::framework::caller::Caller;

/// `majorDimension`.
fn columns_major(value: Option<&str>) -> Result<bool, ApiError> {
    match value {
        None | Some("") | Some("ROWS") | Some("DIMENSION_UNSPECIFIED") => Ok(false),
        Some("COLUMNS") => Ok(true),
        Some(other) => Err(ApiError::invalid_param(
            "majorDimension",
            format!("Invalid majorDimension: {other}"),
        )),
    }
}

fn transpose(rows: Vec<Vec<Value>>) -> Vec<Vec<Value>> {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    (0..width)
        .map(|c| {
            let mut col: Vec<Value> = rows
                .iter()
                .map(|r| r.get(c).cloned().unwrap_or_else(|| json!("")))
                .collect();
            while col.last().is_some_and(|v| v == "") {
                col.pop();
            }
            col
        })
        .collect()
}

/// The values of `range` (rows, trailing empties trimmed) as a ValueRange.
fn value_range(sheet: &Sheet, range: &GridRange, render: Render, by_columns: bool) -> Value {
    let r_end = range
        .end_row_in(sheet)
        .min(sheet.used_rows().max(range.start_row));
    let c_end = range.end_col_in(sheet);
    let mut rows: Vec<Vec<Value>> = Vec::new();
    for r in range.start_row..r_end {
        let mut row: Vec<Value> = (range.start_col..c_end)
            .map(|c| {
                sheet
                    .cell(r, c)
                    .map(|cell| input::render(cell, sheet, render))
                    .unwrap_or_else(|| json!(""))
            })
            .collect();
        while row.last().is_some_and(|v| v == "") {
            row.pop();
        }
        rows.push(row);
    }
    while rows.last().is_some_and(Vec::is_empty) {
        rows.pop();
    }
    let rows = if by_columns { transpose(rows) } else { rows };
    let mut v = json!({
        "range": a1::format_range(sheet, range),
        "majorDimension": if by_columns { "COLUMNS" } else { "ROWS" },
    });
    if !rows.is_empty() {
        v["values"] = json!(rows);
    }
    v
}

fn render_of(params: &Params) -> Result<Render, ApiError> {
    Render::from_param(params.get("valueRenderOption"))
}

/// `GET /v4/spreadsheets/{id}/values/{range}`.
pub(crate) async fn get(
    State(state): State<Shared>,
    Path((id, range)): Path<(String, String)>,
    caller: Caller,
    params: Params,
) -> ApiResult {
    require(&caller, "spreadsheets.values.get")?;
    let render = render_of(&params)?;
    let by_columns = columns_major(params.get("majorDimension"))?;
    let mut data = state.data.write();
    let book = book_mut(&mut data, &caller, &id)?;
    let r = a1::parse(book, &range)?;
    Ok(json_ok(&value_range(
        &book.sheets[r.sheet],
        &r,
        render,
        by_columns,
    )))
}

/// The rows of a ValueRange body (`values`, `majorDimension`).
fn body_rows(body: &Map<String, Value>) -> Result<Vec<Vec<Value>>, ApiError> {
    let by_columns = columns_major(body.get("majorDimension").and_then(Value::as_str))?;
    let rows: Vec<Vec<Value>> = match body.get("values") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(rows)) => rows
            .iter()
            .map(|r| match r {
                Value::Array(cells) => Ok(cells.clone()),
                _ => Err(ApiError::bad_request(
                    "Invalid JSON payload received. 'values' is a list of lists.",
                )),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(ApiError::bad_request(
                "Invalid JSON payload received. 'values' is a list of lists.",
            ));
        }
    };
    Ok(if by_columns { transpose(rows) } else { rows })
}

/// Google's limit of cells per spreadsheet (here: per sheet).
pub(crate) const MAX_CELLS: u64 = 10_000_000;

/// Google's 400 for a grid over [`MAX_CELLS`].
pub(crate) fn too_many_cells() -> ApiError {
    ApiError::bad_request(format!(
        "This action would increase the number of cells in the workbook above the limit of {MAX_CELLS} cells."
    ))
}

/// What one write did.
struct Written {
    range: String,
    rows: usize,
    columns: usize,
    cells: usize,
}

impl Written {
    fn json(&self, id: &str) -> Value {
        let mut v = json!({"spreadsheetId": id, "updatedRange": self.range});
        if self.cells > 0 {
            v["updatedRows"] = json!(self.rows);
            v["updatedColumns"] = json!(self.columns);
            v["updatedCells"] = json!(self.cells);
        }
        v
    }
}

/// Writes `rows` at (`row`, `col`), growing the grid when `grow` (append) and otherwise
/// refusing to pass it (Google's "exceeds grid limits").
fn write(
    sheet: &mut Sheet,
    row: u32,
    col: u32,
    rows: &[Vec<Value>],
    input: Input,
    grow: bool,
) -> Result<Written, ApiError> {
    let height = rows.len() as u32;
    let width = rows.iter().map(Vec::len).max().unwrap_or(0) as u32;
    let (need_rows, need_cols) = (row.saturating_add(height), col.saturating_add(width));
    if need_rows > sheet.row_count || need_cols > sheet.column_count {
        if grow
            && u64::from(need_rows.max(sheet.row_count))
                * u64::from(need_cols.max(sheet.column_count))
                > MAX_CELLS
        {
            return Err(too_many_cells());
        }
        if !grow {
            return Err(ApiError::bad_request(format!(
                "Range ({}!{}{}) exceeds grid limits. Max rows: {}, max columns: {}",
                a1::quote_sheet(&sheet.title),
                a1::column_letters(need_cols.max(1) - 1),
                need_rows.max(1),
                sheet.row_count,
                sheet.column_count
            )));
        }
        sheet.row_count = sheet.row_count.max(need_rows);
        sheet.column_count = sheet.column_count.max(need_cols);
    }
    let mut cells = 0;
    for (i, r) in rows.iter().enumerate() {
        for (j, v) in r.iter().enumerate() {
            if v.is_null() {
                continue;
            }
            let cell = input::to_cell(v, input)?;
            sheet.set(row + i as u32, col + j as u32, cell);
            cells += 1;
        }
    }
    Ok(Written {
        range: a1::format(sheet, row, row + height.max(1), col, col + width.max(1)),
        rows: height as usize,
        columns: width as usize,
        cells,
    })
}

/// Checks that `rows` fit a bounded range of more than one cell, in Google's words.
fn fits(sheet: &Sheet, range: &GridRange, rows: &[Vec<Value>]) -> Result<(), ApiError> {
    // A single cell is where the values start, whatever their size.
    if range.end_row == Some(range.start_row + 1) && range.end_col == Some(range.start_col + 1) {
        return Ok(());
    }
    let text = a1::format_range(sheet, range);
    if let Some(end) = range.end_row
        && range.start_row + rows.len() as u32 > end
    {
        return Err(ApiError::bad_request(format!(
            "Requested writing within range [{text}], but tried writing to row [{}]",
            end + 1
        )));
    }
    if let Some(end) = range.end_col
        && let Some(wide) = rows.iter().map(Vec::len).max()
        && range.start_col + wide as u32 > end
    {
        return Err(ApiError::bad_request(format!(
            "Requested writing within range [{text}], but tried writing to column [{}]",
            a1::column_letters(end)
        )));
    }
    Ok(())
}

fn update_one(
    data: &mut SheetsData,
    caller: &Caller,
    id: &str,
    range_text: &str,
    body: &Map<String, Value>,
    input: Input,
    params_render: Option<(Render, bool)>,
) -> Result<Value, ApiError> {
    let book = book_mut(data, caller, id)?;
    let r = a1::parse(book, range_text)?;
    let rows = body_rows(body)?;
    let sheet = &mut book.sheets[r.sheet];
    fits(sheet, &r, &rows)?;
    let w = write(sheet, r.start_row, r.start_col, &rows, input, false)?;
    let mut v = w.json(id);
    if let Some((render, by_columns)) = params_render {
        let written = a1::parse(book, &w.range)?;
        v["updatedData"] = value_range(&book.sheets[written.sheet], &written, render, by_columns);
    }
    Ok(v)
}

fn include_values(params: &Params) -> Result<Option<(Render, bool)>, ApiError> {
    Ok(match params.bool("includeValuesInResponse")? {
        Some(true) => Some((
            Render::from_param(params.get("responseValueRenderOption"))?,
            false,
        )),
        _ => None,
    })
}

/// `PUT /v4/spreadsheets/{id}/values/{range}`.
pub(crate) async fn update(
    State(state): State<Shared>,
    Path((id, range)): Path<(String, String)>,
    caller: Caller,
    params: Params,
    body: axum::body::Body,
) -> ApiResult {
    require(&caller, "spreadsheets.values.update")?;
    let input = Input::from_param(params.get("valueInputOption"))?;
    let include = include_values(&params)?;
    let body = body_object(body).await?;
    let mut data = state.data.write();
    Ok(json_ok(&update_one(
        &mut data, &caller, &id, &range, &body, input, include,
    )?))
}

/// The table `values.append` appends to: the first non-empty row in `range`, widened to its
/// contiguous non-empty cells, then down while rows have cells in those columns. Returns
/// (first row, last row + 1, first column, last column + 1).
fn find_table(sheet: &Sheet, range: &GridRange) -> Option<(u32, u32, u32, u32)> {
    let r_end = range.end_row_in(sheet).min(sheet.used_rows());
    let c_end = range.end_col_in(sheet);
    let (first, hit) = (range.start_row..r_end).find_map(|r| {
        (range.start_col..c_end)
            .find(|c| sheet.cell(r, *c).is_some())
            .map(|c| (r, c))
    })?;
    let mut left = hit;
    while left > 0 && sheet.cell(first, left - 1).is_some() {
        left -= 1;
    }
    let mut right = hit + 1;
    while right < sheet.column_count && sheet.cell(first, right).is_some() {
        right += 1;
    }
    let mut last = first + 1;
    while last < sheet.row_count && (left..right).any(|c| sheet.cell(last, c).is_some()) {
        while right < sheet.column_count && sheet.cell(last, right).is_some() {
            right += 1;
        }
        last += 1;
    }
    Some((first, last, left, right))
}

/// `POST .../values/{range}:append` and `:clear`.
pub(crate) async fn post(
    State(state): State<Shared>,
    Path((id, range)): Path<(String, String)>,
    caller: Caller,
    params: Params,
    body: axum::body::Body,
) -> ApiResult {
    if let Some(range) = range.strip_suffix(":append") {
        require(&caller, "spreadsheets.values.append")?;
        let input = Input::from_param(params.get("valueInputOption"))?;
        let insert_rows = match params.get("insertDataOption") {
            None | Some("OVERWRITE") => false,
            Some("INSERT_ROWS") => true,
            Some(other) => {
                return Err(ApiError::invalid_param(
                    "insertDataOption",
                    format!("Invalid insertDataOption: {other}"),
                ));
            }
        };
        let include = include_values(&params)?;
        let body = body_object(body).await?;
        let mut data = state.data.write();
        let book = book_mut(&mut data, &caller, &id)?;
        let r = a1::parse(book, range)?;
        let rows = body_rows(&body)?;
        let sheet = &mut book.sheets[r.sheet];
        let table = find_table(sheet, &r);
        let (row, col) = match table {
            Some((_, last, left, _)) => (last, left),
            None => (r.start_row, r.start_col),
        };
        if insert_rows && !rows.is_empty() {
            let n = rows.len();
            let at = (row as usize).min(sheet.rows.len());
            for _ in 0..n {
                sheet.rows.insert(at, Vec::new());
            }
            sheet.row_count += n as u32;
        }
        let w = write(sheet, row, col, &rows, input, true)?;
        let mut updates = w.json(&id);
        if let Some((render, by_columns)) = include {
            let written = a1::parse(book, &w.range)?;
            updates["updatedData"] =
                value_range(&book.sheets[written.sheet], &written, render, by_columns);
        }
        let mut v = json!({"spreadsheetId": id, "updates": updates});
        if let Some((first, last, left, right)) = table {
            v["tableRange"] = json!(a1::format(&book.sheets[r.sheet], first, last, left, right));
        }
        return Ok(json_ok(&v));
    }
    if let Some(range) = range.strip_suffix(":clear") {
        require(&caller, "spreadsheets.values.clear")?;
        let mut data = state.data.write();
        let book = book_mut(&mut data, &caller, &id)?;
        let cleared = clear(book, range)?;
        return Ok(json_ok(
            &json!({"spreadsheetId": id, "clearedRange": cleared}),
        ));
    }
    Err(not_implemented(&format!("spreadsheets.values.{range}")))
}

fn clear(book: &mut super::model::Spreadsheet, range: &str) -> Result<String, ApiError> {
    let r = a1::parse(book, range)?;
    let sheet = &mut book.sheets[r.sheet];
    let r_end = r.end_row_in(sheet).min(sheet.used_rows());
    let c_end = r.end_col_in(sheet);
    for row in r.start_row..r_end {
        for col in r.start_col..c_end {
            sheet.set(row, col, None);
        }
    }
    Ok(a1::format_range(sheet, &r))
}

/// `GET /v4/spreadsheets/{id}/values:batchGet`.
pub(crate) async fn batch_get(
    State(state): State<Shared>,
    Path((id, action)): Path<(String, String)>,
    caller: Caller,
    params: Params,
) -> ApiResult {
    if action != "values:batchGet" {
        return Err(not_implemented(&format!("spreadsheets.{action}")));
    }
    require(&caller, "spreadsheets.values.batchGet")?;
    let render = render_of(&params)?;
    let by_columns = columns_major(params.get("majorDimension"))?;
    let ranges: Vec<&str> = params
        .0
        .iter()
        .filter(|(k, _)| k == "ranges")
        .map(|(_, v)| v.as_str())
        .collect();
    let mut data = state.data.write();
    let book = book_mut(&mut data, &caller, &id)?;
    let mut out = Vec::new();
    for text in ranges {
        let r = a1::parse(book, text)?;
        out.push(value_range(&book.sheets[r.sheet], &r, render, by_columns));
    }
    let mut v = json!({"spreadsheetId": id});
    if !out.is_empty() {
        v["valueRanges"] = json!(out);
    }
    Ok(json_ok(&v))
}

/// `POST /v4/spreadsheets/{id}/values:batchUpdate` and `values:batchClear`.
pub(crate) async fn batch_post(
    State(state): State<Shared>,
    Path((id, action)): Path<(String, String)>,
    caller: Caller,
    body: axum::body::Body,
) -> ApiResult {
    let body = body_object(body).await?;
    match action.as_str() {
        "values:batchUpdate" => {
            require(&caller, "spreadsheets.values.batchUpdate")?;
            let input = Input::from_param(body.get("valueInputOption").and_then(Value::as_str))?;
            let include = match body.get("includeValuesInResponse").and_then(Value::as_bool) {
                Some(true) => Some((
                    Render::from_param(
                        body.get("responseValueRenderOption")
                            .and_then(Value::as_str),
                    )?,
                    false,
                )),
                _ => None,
            };
            let items = body
                .get("data")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let mut data = state.data.write();
            let mut responses = Vec::new();
            let (mut rows, mut cols, mut cells) = (0u64, 0u64, 0u64);
            for (i, item) in items.iter().enumerate() {
                let Some(map) = item.as_object() else {
                    return Err(ApiError::bad_request(format!(
                        "Invalid data[{i}]: a ValueRange object is expected."
                    )));
                };
                let range = map.get("range").and_then(Value::as_str).ok_or_else(|| {
                    ApiError::bad_request(format!("Invalid data[{i}]: No range specified."))
                })?;
                let v = update_one(&mut data, &caller, &id, range, map, input, include)?;
                rows += v["updatedRows"].as_u64().unwrap_or(0);
                cols += v["updatedColumns"].as_u64().unwrap_or(0);
                cells += v["updatedCells"].as_u64().unwrap_or(0);
                responses.push(v);
            }
            let sheets: std::collections::BTreeSet<String> = responses
                .iter()
                .filter_map(|r| r["updatedRange"].as_str())
                .filter_map(|r| r.rsplit_once('!').map(|(s, _)| s.to_owned()))
                .collect();
            Ok(json_ok(&json!({
                "spreadsheetId": id,
                "totalUpdatedRows": rows,
                "totalUpdatedColumns": cols,
                "totalUpdatedCells": cells,
                "totalUpdatedSheets": sheets.len(),
                "responses": responses,
            })))
        }
        "values:batchClear" => {
            require(&caller, "spreadsheets.values.batchClear")?;
            let ranges: Vec<String> = body
                .get("ranges")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            let mut data = state.data.write();
            let book = book_mut(&mut data, &caller, &id)?;
            let mut cleared = Vec::new();
            for r in ranges {
                cleared.push(clear(book, &r)?);
            }
            Ok(json_ok(
                &json!({"spreadsheetId": id, "clearedRanges": cleared}),
            ))
        }
        other => Err(not_implemented(&format!("spreadsheets.{other}"))),
    }
}
