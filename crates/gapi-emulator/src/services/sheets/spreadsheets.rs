//! `spreadsheets.create` and `spreadsheets.get` (with `includeGridData`).

use axum::extract::{Path, State};
use serde_json::{Map, Value, json};

use super::input::{self, Render};
use super::model::{Cell, Sheet, Spreadsheet};
use super::{Shared, book_mut, not_implemented, require};
use crate::framework::api_error::{ApiError, ApiResult, json_ok};
use crate::framework::body::{Params, body_object};
use crate::framework::caller::Caller;
use crate::framework::random;

const ROWS: u32 = 1000;
const COLUMNS: u32 = 26;

fn grid_size(props: &Value) -> (u32, u32) {
    let g = &props["gridProperties"];
    let get = |k: &str, d: u32| {
        g.get(k)
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0)
            .unwrap_or(d)
    };
    (get("rowCount", ROWS), get("columnCount", COLUMNS))
}

/// A sheet's `properties`.
pub(crate) fn sheet_properties(sheet: &Sheet, index: usize) -> Value {
    json!({
        "sheetId": sheet.sheet_id,
        "title": sheet.title,
        "index": index,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": sheet.row_count, "columnCount": sheet.column_count},
    })
}

fn cell_data(cell: &Cell, sheet: &Sheet) -> Value {
    let typed = |v: &Value| -> Value {
        match v {
            Value::Bool(b) => json!({"boolValue": b}),
            Value::Number(n) => json!({"numberValue": n}),
            Value::String(s) if s.starts_with('#') => {
                json!({"errorValue": {"type": "ERROR", "message": s}})
            }
            other => json!({"stringValue": other}),
        }
    };
    let effective = input::render(cell, sheet, Render::Unformatted);
    let entered = match cell {
        Cell::Formula(f) => json!({"formulaValue": f}),
        _ => typed(&effective),
    };
    json!({
        "userEnteredValue": entered,
        "effectiveValue": typed(&effective),
        "formattedValue": input::render(cell, sheet, Render::Formatted),
    })
}

/// The spreadsheet resource.
pub(crate) fn book_json(book: &Spreadsheet, grid: bool) -> Value {
    let sheets: Vec<Value> = book
        .sheets
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut v = json!({"properties": sheet_properties(s, i)});
            if grid {
                let rows: Vec<Value> = s
                    .rows
                    .iter()
                    .take(s.used_rows() as usize)
                    .map(|r| {
                        let values: Vec<Value> = r
                            .iter()
                            .map(|c| {
                                c.as_ref()
                                    .map(|c| cell_data(c, s))
                                    .unwrap_or_else(|| json!({}))
                            })
                            .collect();
                        if values.is_empty() {
                            json!({})
                        } else {
                            json!({"values": values})
                        }
                    })
                    .collect();
                v["data"] = json!([{"rowData": rows}]);
            }
            v
        })
        .collect();
    json!({
        "spreadsheetId": book.id,
        "properties": {
            "title": book.title,
            "locale": book.locale,
            "autoRecalc": "ON_CHANGE",
            "timeZone": book.time_zone,
            "defaultFormat": {
                "backgroundColor": {"red": 1, "green": 1, "blue": 1},
                "verticalAlignment": "BOTTOM",
                "wrapStrategy": "OVERFLOW_CELL",
                "textFormat": {"fontFamily": "arial,sans,sans-serif", "fontSize": 10, "bold": false, "italic": false, "strikethrough": false, "underline": false},
            },
        },
        "sheets": sheets,
        "spreadsheetUrl": format!("https://docs.google.com/spreadsheets/d/{}/edit", book.id),
    })
}

fn str_at<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key).and_then(Value::as_str)
}

/// `POST /v4/spreadsheets`.
pub(crate) async fn create(
    State(state): State<Shared>,
    caller: Caller,
    body: axum::body::Body,
) -> ApiResult {
    require(&caller, "spreadsheets.create")?;
    let body = body_object(body).await?;
    let props = body
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut sheets = Vec::new();
    let mut next_id = 0i64;
    if let Some(list) = body.get("sheets").and_then(Value::as_array) {
        for (i, s) in list.iter().enumerate() {
            let p = &s["properties"];
            let title = p["title"]
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| format!("Sheet{}", i + 1));
            if sheets
                .iter()
                .any(|x: &Sheet| x.title.eq_ignore_ascii_case(&title))
            {
                return Err(ApiError::bad_request(format!(
                    "Invalid requests[{i}].addSheet: A sheet with the name \"{title}\" already exists. Please enter another name."
                )));
            }
            let sheet_id = p["sheetId"].as_i64().unwrap_or_else(|| {
                let id = next_id;
                next_id += 1;
                if i == 0 { 0 } else { id * 7919 + 1_000_000 }
            });
            let (row_count, column_count) = grid_size(p);
            if u64::from(row_count) * u64::from(column_count) > super::values::MAX_CELLS {
                return Err(super::values::too_many_cells());
            }
            sheets.push(Sheet {
                sheet_id,
                title,
                row_count,
                column_count,
                rows: Vec::new(),
            });
        }
    }
    if sheets.is_empty() {
        sheets.push(Sheet {
            sheet_id: 0,
            title: "Sheet1".into(),
            row_count: ROWS,
            column_count: COLUMNS,
            rows: Vec::new(),
        });
    }
    let id = format!("1{}", &random::token(33)[..43]);
    let book = Spreadsheet {
        id: id.clone(),
        owner: caller.email.to_ascii_lowercase(),
        title: str_at(&props, "title")
            .unwrap_or("Untitled spreadsheet")
            .to_owned(),
        locale: str_at(&props, "locale").unwrap_or("en_US").to_owned(),
        time_zone: str_at(&props, "timeZone").unwrap_or("Etc/GMT").to_owned(),
        sheets,
        next_sheet_id: next_id + 1,
    };
    let v = book_json(&book, false);
    state.data.write().spreadsheets.insert(id, book);
    Ok(json_ok(&v))
}

/// `GET /v4/spreadsheets/{id}` (`includeGridData`).
pub(crate) async fn get(
    State(state): State<Shared>,
    Path(id): Path<String>,
    caller: Caller,
    params: Params,
) -> ApiResult {
    require(&caller, "spreadsheets.get")?;
    let grid = params.bool("includeGridData")?.unwrap_or(false);
    let mut data = state.data.write();
    let book = book_mut(&mut data, &caller, &id)?;
    Ok(json_ok(&book_json(book, grid)))
}

/// `POST /v4/spreadsheets/{id}:batchUpdate` and other custom methods: not served.
pub(crate) async fn custom(Path(id): Path<String>) -> ApiResult {
    match id.rsplit_once(':') {
        Some((_, verb)) => Err(not_implemented(&format!("spreadsheets.{verb}"))),
        None => Err(ApiError::new(
            405,
            "UNIMPLEMENTED",
            "httpMethodNotAllowed",
            "POST is not allowed here.",
        )),
    }
}
