//! Writing a call's answer: to `-o FILE` (never replacing a file without `--force`) or
//! stdout, as JSON, NDJSON, a table, CSV or through `--jq` (method calls and `+helpers`).

use std::io::Write;

use serde_json::Value;

use crate::cli::{CallArgs, Format};
use crate::jq::Jq;
use crate::{exit, output};

/// Opens `-o FILE` for writing: replaces it only with `--force` (checked again here, so a
/// file that appeared since the check is not silently overwritten).
pub fn create_output(path: &std::path::Path, force: bool) -> anyhow::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true);
    if force {
        opts.create(true).truncate(true);
    } else {
        opts.create_new(true);
    }
    opts.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            exit::usage(format!(
                "{} already exists; pass --force to overwrite it",
                path.display()
            ))
        } else {
            anyhow::Error::new(e).context(format!("cannot create {}", path.display()))
        }
    })
}

/// Prints `value` as `args` ask (`--jq`, `--format`, `-o FILE`); rendered whole first, so a
/// failure prints nothing.
pub fn write_output(
    value: &Value,
    args: &CallArgs,
    columns: Vec<String>,
    jq: Option<&Jq>,
) -> anyhow::Result<()> {
    let write = |out: &mut dyn Write| -> anyhow::Result<()> {
        if let Some(jq) = jq {
            return jq.write(out, value);
        }
        match args.format {
            Format::Table | Format::Csv => {
                let mut rows = output::Rows::new(args.format).fallback_columns(columns.clone());
                rows.write_value(out, value)?;
                rows.finish(out)?;
            }
            format => output::write_value(out, value, format)?,
        }
        Ok(())
    };
    // Rendered in full first: a --jq program that fails leaves no file and prints nothing
    // (and an existing FILE under --force is not emptied by a failure).
    let mut text = Vec::new();
    write(&mut text)?;
    match &args.output {
        Some(path) => create_output(path, args.force)?.write_all(&text)?,
        None => std::io::stdout().lock().write_all(&text)?,
    }
    Ok(())
}
