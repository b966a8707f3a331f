//! `gapi <api> --batch FILE|-`: NDJSON calls in, one `multipart/mixed` batch per group of
//! calls out, NDJSON results back in input order.
//!
//! Each input line is `{"method": "files.get", "params": {...}, "body": {...}}` (`params` and
//! `body` optional; `drive.files.get` works too). Each output line is
//! `{"status": 200, "body": ...}` for a call that worked (its own status: 204 for a delete,
//! 201 where the API answers it), `{"status": 404, "body": {"error":
//! ...}}` for one the API refused and `{"status": null, "error": "..."}` for a line that could
//! not be made into a request (bad JSON, unknown method, bad parameter or body). A failed call
//! never stops the others. Exit status: 5 if any call got a 5xx, else 4 if any got a 4xx,
//! else 2 if any line was unusable, else 0.
//!
//! Lines are read and sent one batch at a time (the API's limit: 100 parts for Drive, 1000
//! elsewhere), so memory stays bounded by one batch however long the input is.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::Context;
use gapi_client::batch::Batch;
use gapi_client::{PreparedRequest, Service};
use serde_json::{Value, json};

use crate::cli::CallArgs;
use crate::exit;

/// What one input line became: a request to send, or the reason it cannot be sent.
enum Line {
    Call(Box<PreparedRequest>),
    Invalid(String),
}

/// Runs the batch named by `--batch` against `service`.
pub async fn run(service: &Service, source: &str, args: &CallArgs) -> anyhow::Result<ExitCode> {
    let url = service.batch_url().ok_or_else(|| {
        exit::usage(format!(
            "{} has no batch endpoint (its Discovery document has no batchPath)",
            service.document().name
        ))
    })?;
    let url = url::Url::parse(&url).with_context(|| format!("batch URL {url}"))?;
    let limit = gapi_client::batch::parts_limit(&service.document().name);
    let batch = Batch::new(service.transport(), url).max_parts(limit);

    let input: Box<dyn BufRead> = if source == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(source).with_context(|| format!("cannot open --batch {source}"))?,
        ))
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut worst = Worst::default();
    let mut group: Vec<Line> = Vec::with_capacity(limit);
    let mut lines = input.lines();
    loop {
        let next = lines.next();
        let done = next.is_none();
        if let Some(line) = next {
            let line = line.context("reading the --batch input")?;
            if line.trim().is_empty() {
                continue;
            }
            group.push(prepare(service, &line, args));
        }
        let calls = group.iter().filter(|l| matches!(l, Line::Call(_))).count();
        if calls >= limit || (done && !group.is_empty()) {
            send_group(
                &batch,
                service,
                std::mem::take(&mut group),
                args,
                &mut out,
                &mut worst,
            )
            .await?;
            out.flush()?;
        }
        if done {
            break;
        }
    }
    out.flush()?;
    Ok(ExitCode::from(worst.code()))
}

/// Sends the calls of one group and prints every line's result in input order.
async fn send_group(
    batch: &Batch,
    service: &Service,
    group: Vec<Line>,
    args: &CallArgs,
    out: &mut dyn Write,
    worst: &mut Worst,
) -> anyhow::Result<()> {
    let requests: Vec<PreparedRequest> = group
        .iter()
        .filter_map(|l| match l {
            Line::Call(r) => Some((**r).clone()),
            Line::Invalid(_) => None,
        })
        .collect();
    let mut results = if args.dry_run || requests.is_empty() {
        Vec::new()
    } else {
        batch.execute(&requests).await?
    }
    .into_iter();
    for line in group {
        let v = match line {
            Line::Invalid(msg) => {
                worst.invalid = true;
                json!({"status": null, "error": msg})
            }
            Line::Call(req) if args.dry_run => req.to_dry_run_json(service),
            Line::Call(_) => match results.next() {
                Some(Ok(reply)) => json!({"status": reply.status, "body": reply.body}),
                Some(Err(e)) => match e.api() {
                    Some(api) => {
                        worst.status = worst.status.max(api.code);
                        json!({"status": api.code, "body": {"error": {
                            "code": api.code,
                            "message": api.message,
                            "status": api.status,
                            "reason": api.reason,
                            "details": api.details,
                        }}})
                    }
                    None => {
                        worst.invalid = true;
                        json!({"status": null, "error": e.to_string()})
                    }
                },
                None => anyhow::bail!("the batch answered fewer results than it was sent"),
            },
        };
        serde_json::to_writer(&mut *out, &v)?;
        writeln!(out)?;
    }
    Ok(())
}

/// One NDJSON line made into a request, or the reason it cannot be.
fn prepare(service: &Service, line: &str, args: &CallArgs) -> Line {
    match try_prepare(service, line, args) {
        Ok(r) => Line::Call(Box::new(r)),
        Err(e) => Line::Invalid(format!("{e:#}")),
    }
}

fn try_prepare(service: &Service, line: &str, args: &CallArgs) -> anyhow::Result<PreparedRequest> {
    let v: Value = serde_json::from_str(line).context("the line is not JSON")?;
    let method = v
        .get("method")
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow::anyhow!("the line has no \"method\" (e.g. \"files.get\")"))?;
    let api_prefix = format!("{}.", service.document().name);
    let dotted = match service.find_method(method) {
        Ok(_) => method,
        Err(_) if method.starts_with(&api_prefix) => &method[api_prefix.len()..],
        Err(e) => return Err(e.into()),
    };
    super::api::check_policy(service, dotted, args)?;
    let mut call = service.method(dotted)?;
    match v.get("params") {
        None | Some(Value::Null) => {}
        Some(p @ Value::Object(_)) => call = call.params_json(p)?,
        Some(_) => anyhow::bail!("\"params\" must be an object"),
    }
    match v.get("body") {
        None | Some(Value::Null) => {}
        Some(body) => {
            if !args.no_validate {
                super::api::check_body(service, dotted, body)?;
            }
            call = call.body(body.clone());
        }
    }
    if let Some(mask) = &args.fields {
        call = call.fields(mask.clone());
    }
    Ok(call.prepare()?)
}

/// The worst outcome so far, for the exit status.
#[derive(Default)]
struct Worst {
    status: u16,
    invalid: bool,
}

impl Worst {
    fn code(&self) -> u8 {
        match self.status {
            500.. => exit::API_5XX,
            400.. => exit::API_4XX,
            _ if self.invalid => exit::USAGE,
            _ => 0,
        }
    }
}
