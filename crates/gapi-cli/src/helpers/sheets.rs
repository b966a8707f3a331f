//! `gapi sheets +read | +append`.

use std::process::ExitCode;

use gapi_workspace::sheets::{self, ValueInputOption};
use serde_json::json;

use super::CommonFlags;
use super::ctx::{Ctx, ws};
use crate::cli::helpers::sheets::{AppendArgs, ReadArgs, SheetsHelper};
use crate::cli::{Format, GlobalArgs};

const GET: &str = "spreadsheets.values.get";
const APPEND: &str = "spreadsheets.values.append";

pub async fn run(global: &GlobalArgs, helper: SheetsHelper) -> anyhow::Result<ExitCode> {
    match helper {
        SheetsHelper::Read(a) => read(global, a).await,
        SheetsHelper::Append(a) => append(global, a).await,
    }
}

async fn read(global: &GlobalArgs, a: ReadArgs) -> anyhow::Result<ExitCode> {
    let ctx = Ctx::new(global, "sheets", &a.common, Some(&a.out), a.format)?;
    ctx.check_policy(&[GET])?;
    if ctx.dry_run() {
        let call = ctx
            .offline()
            .method(GET)?
            .param("spreadsheetId", a.spreadsheet.as_str())
            .param("range", a.range.as_str())
            .param("majorDimension", "ROWS");
        return ctx.print_dry_run(&[call], None);
    }
    let svc = ctx.service(&[GET]).await?;
    let rows = sheets::read(&svc, &a.spreadsheet, &a.range)
        .await
        .map_err(ws)?;
    if common_jq(&a.common) {
        return ctx.output(&sheets::rows_to_json(&rows), None, true);
    }
    match a.format.unwrap_or(Format::Csv) {
        Format::Csv => {
            ctx.write_text(sheets::to_csv_string(&rows).map_err(ws)?.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Format::Table => ctx.output(&sheets::rows_to_records(&rows), None, true),
        Format::Json | Format::Ndjson => ctx.output(&sheets::rows_to_json(&rows), None, true),
    }
}

fn common_jq(c: &CommonFlags) -> bool {
    c.jq.is_some()
}

async fn append(global: &GlobalArgs, a: AppendArgs) -> anyhow::Result<ExitCode> {
    let ctx = Ctx::new(global, "sheets", &a.common, Some(&a.out), None)?;
    ctx.check_policy(&[APPEND])?;
    let rows = match (&a.csv, &a.stdin) {
        (Some(p), _) if p.as_os_str() != "-" => {
            let file = std::fs::File::open(p).map_err(|e| {
                crate::exit::usage(format!("cannot read the CSV file {}: {e}", p.display()))
            })?;
            sheets::read_csv(file).map_err(ws)?
        }
        (Some(_), _) | (None, Some(_)) => sheets::read_csv(std::io::stdin().lock()).map_err(ws)?,
        (None, None) => {
            return Err(crate::exit::usage(
                "give the rows: --csv FILE, or `-` to read CSV from stdin",
            ));
        }
    };
    if rows.is_empty() {
        return Err(crate::exit::usage("no rows to append (the CSV is empty)"));
    }
    let option = if a.raw {
        ValueInputOption::Raw
    } else {
        ValueInputOption::UserEntered
    };
    if ctx.dry_run() {
        let chunks = rows.chunks(sheets::APPEND_CHUNK_ROWS);
        let count = chunks.len();
        let calls = chunks
            .take(1)
            .map(|chunk| {
                Ok(ctx
                    .offline()
                    .method(APPEND)?
                    .param("spreadsheetId", a.spreadsheet.as_str())
                    .param("range", a.range.as_str())
                    .param("valueInputOption", option.as_api())
                    .param("insertDataOption", "INSERT_ROWS")
                    .body(json!({"range": a.range, "majorDimension": "ROWS", "values": chunk})))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let then = (count > 1).then(|| {
            format!(
                "{} more requests like it, {} rows each",
                count - 1,
                sheets::APPEND_CHUNK_ROWS
            )
        });
        return ctx.print_dry_run(&calls, then);
    }
    let svc = ctx.service(&[APPEND]).await?;
    let report = sheets::append(&svc, &a.spreadsheet, &a.range, &rows, option)
        .await
        .map_err(ws)?;
    ctx.output(
        &json!({
            "spreadsheetId": a.spreadsheet,
            "tableRange": report.table_range,
            "updatedRanges": report.updated_ranges,
            "updatedRows": report.updated_rows,
            "updatedCells": report.updated_cells,
        }),
        None,
        false,
    )
}
