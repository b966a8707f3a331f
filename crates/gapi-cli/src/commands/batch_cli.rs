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
//! else 2 if any line was unusable, else 1 if `--jq` failed on a line, else 0.
//!
//! Lines are read and sent one batch at a time (the API's limit: 100 parts for Drive, 1000
//! elsewhere), so memory stays bounded by one batch however long the input is.
//!
//! The output flags apply to each result line: `--jq` runs on it (a line the program fails
//! on is reported on stderr with its input line number, the others still print, exit 1 if
//! nothing worse), `--format table|csv` makes the lines rows under one header (`json`, the
//! default, and `ndjson` print NDJSON), and `-o FILE` is written whole at the end, or not at
//! all. Flags a batch cannot honour are refused before anything is sent (exit 2): `-p`,
//! `--params` and `--json` (each line carries its own), `--upload` and `--page-all`; a line
//! asking for media (`alt=media`) is an unusable line.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::Context;
use gapi_client::batch::Batch;
use gapi_client::{PreparedRequest, Service};
use serde_json::{Value, json};

use std::sync::Arc;

use gapi_client::{Authenticator, NoAuth};

use crate::call::{document, prepare};
use crate::cli::{CallArgs, Format, GlobalArgs};
use crate::jq::Jq;
use crate::{exit, output};

/// What one input line became: a request to send, or the reason it cannot be sent.
enum Line {
    Call(Box<PreparedRequest>),
    Invalid(String),
}

/// Runs `gapi <api> --batch FILE|-`: the same checks and credentials rule as a single call,
/// every flag a batch cannot honour refused before anything is sent.
pub async fn start(global: &GlobalArgs, args: CallArgs) -> anyhow::Result<ExitCode> {
    let result = async {
        let Some(first) = args.words.first() else {
            return Err(exit::usage(
                "name an API, e.g. `gapi drive --batch calls.ndjson`; `gapi apis` lists them",
            ));
        };
        let jq = args.jq.as_deref().map(Jq::compile).transpose()?;
        let (api, version) = document::api_and_version(first)?;
        let doc = document::load_method_index(&api, &version)?;
        if args.words.len() > 1 {
            return Err(exit::usage(
                "--batch takes the API alone: `gapi drive --batch calls.ndjson` (each line names its method)",
            ));
        }
        check_args(&args)?;
        let auth: Arc<dyn Authenticator> = if args.dry_run {
            Arc::new(NoAuth)
        } else {
            prepare::batch_credentials(global, &doc).await?
        };
        let service = prepare::service_for(global, &args, Arc::new(doc), auth)?;
        let source = args.batch.clone().unwrap_or_default();
        run(&service, &source, &args, jq.as_ref()).await
    }
    .await;
    prepare::with_anonymous_hint(global, result)
}

/// Refuses, before anything is sent (credentials included), the call flags a batch cannot
/// honour, and checks `-o FILE` as a single call does (exit 2).
fn check_args(args: &CallArgs) -> anyhow::Result<()> {
    let refuse =
        |flags: &str, why: &str| Err(exit::usage(format!("--batch does not take {flags}: {why}")));
    if args.upload.is_some() || args.upload_content_type.is_some() {
        return refuse(
            "--upload",
            "media cannot travel in a batch; upload each file with its own call \
             (e.g. `gapi drive files create --upload FILE`)",
        );
    }
    if args.page_all || args.page_limit.is_some() {
        return refuse(
            "--page-all",
            "each call in a batch answers one page; follow the pages of a list with its own \
             call (e.g. `gapi drive files list --page-all`)",
        );
    }
    if !args.params.is_empty() || args.params_json.is_some() || args.json.is_some() {
        return refuse(
            "-p, --params or --json",
            "each line carries its own \"params\" and \"body\"",
        );
    }
    if let Some(path) = &args.output {
        crate::call::prepare::check_output_path(path, args.force)?;
    }
    Ok(())
}

/// Runs the batch named by `--batch` against `service`.
async fn run(
    service: &Service,
    source: &str,
    args: &CallArgs,
    jq: Option<&Jq>,
) -> anyhow::Result<ExitCode> {
    check_args(args)?;
    let url = service.batch_url().ok_or_else(|| {
        exit::usage(format!(
            "{} has no batch endpoint (its Discovery document has no batchPath)",
            service.document().name
        ))
    })?;
    let url = url::Url::parse(&url).with_context(|| format!("batch URL {url}"))?;
    let limit = gapi_client::batch::parts_limit(&service.document().name);
    let mut batch = Batch::new(service.transport(), url).max_parts(limit);
    // `--max-concurrency N`, `--rate R` (issue 18).
    if let Some(n) = args.max_concurrency {
        batch = batch.max_concurrency(n as usize);
    }
    if let Some(r) = args.rate {
        batch = batch.rate(r);
    }

    let input: Box<dyn BufRead> = if source == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(source).with_context(|| format!("cannot open --batch {source}"))?,
        ))
    };
    // `-o FILE`: a temporary file beside it, renamed into place once every line is written.
    let file = match &args.output {
        Some(path) => Some(OutputFile::create(path, args.force)?),
        None => None,
    };
    let stdout = std::io::stdout();
    let mut out: std::io::BufWriter<Box<dyn Write>> = std::io::BufWriter::new(match &file {
        Some(f) => Box::new(f.tmp.as_file().try_clone()?),
        None => Box::new(stdout.lock()),
    });
    let mut printer = Printer::new(args, jq);
    let mut worst = Worst::default();
    let mut group: Vec<(usize, Line)> = Vec::with_capacity(limit);
    let mut lines = input.lines().enumerate();
    loop {
        let next = lines.next();
        let done = next.is_none();
        if let Some((index, line)) = next {
            let line = line.context("reading the --batch input")?;
            if line.trim().is_empty() {
                continue;
            }
            group.push((index + 1, prepare(service, &line, args)));
        }
        let calls = group
            .iter()
            .filter(|(_, l)| matches!(l, Line::Call(_)))
            .count();
        if calls >= limit || (done && !group.is_empty()) {
            send_group(
                &batch,
                service,
                std::mem::take(&mut group),
                args,
                &mut out,
                &mut printer,
                &mut worst,
            )
            .await?;
            out.flush()?;
        }
        if done {
            break;
        }
    }
    printer.finish(&mut out)?;
    out.flush()?;
    drop(out);
    worst.jq_failed = printer.jq_failed;
    if let Some(file) = file {
        file.commit()?;
    }
    Ok(ExitCode::from(worst.code()))
}

/// `-o FILE` for a batch: written whole, or not at all.
struct OutputFile {
    tmp: tempfile::NamedTempFile,
    path: std::path::PathBuf,
    force: bool,
}

impl OutputFile {
    fn create(path: &std::path::Path, force: bool) -> anyhow::Result<OutputFile> {
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => std::path::Path::new("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".gapi-batch-")
            .tempfile_in(folder)
            .with_context(|| format!("-o {}: cannot create a file beside it", path.display()))?;
        Ok(OutputFile {
            tmp,
            path: path.to_path_buf(),
            force,
        })
    }

    /// Puts the finished file in place: over an existing FILE only with `--force`.
    fn commit(self) -> anyhow::Result<()> {
        let shown = self.path.display().to_string();
        let placed = if self.force {
            self.tmp.persist(&self.path).map(drop)
        } else {
            self.tmp.persist_noclobber(&self.path).map(drop)
        };
        placed.map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                exit::usage(format!(
                    "{shown} appeared while the batch ran; pass --force to overwrite it"
                ))
            } else {
                anyhow::Error::new(e.error).context(format!("cannot write {shown}"))
            }
        })
    }
}

/// How result lines are printed: NDJSON, rows of a table or CSV, or a `--jq` program's
/// results for each.
struct Printer<'a> {
    jq: Option<&'a Jq>,
    /// Table or CSV rows (the first group fixes the columns).
    rows: Option<output::Rows>,
    /// This group's lines, for `rows`.
    pending: Vec<Value>,
    /// The program failed on some line.
    jq_failed: bool,
}

impl<'a> Printer<'a> {
    fn new(args: &CallArgs, jq: Option<&'a Jq>) -> Printer<'a> {
        let rows = match (jq, args.format) {
            (None, Format::Table | Format::Csv) => Some(output::Rows::new(args.format)),
            _ => None,
        };
        Printer {
            jq,
            rows,
            pending: Vec::new(),
            jq_failed: false,
        }
    }

    /// One result line (for input line `number`).
    fn line(&mut self, out: &mut dyn Write, number: usize, v: Value) -> anyhow::Result<()> {
        if let Some(jq) = self.jq {
            match jq.run(&v) {
                Ok(bytes) => out.write_all(&bytes)?,
                Err(e) => {
                    self.jq_failed = true;
                    eprintln!(
                        "{}",
                        exit::render(&e.context(format!("the result of --batch line {number}")))
                    );
                }
            }
            return Ok(());
        }
        match self.rows {
            Some(_) => self.pending.push(v),
            None => output::write_line(out, &v)?,
        }
        Ok(())
    }

    /// Ends a group: its rows are written.
    fn end_group(&mut self, out: &mut dyn Write) -> anyhow::Result<()> {
        if let Some(rows) = &mut self.rows {
            rows.write_items(out, &std::mem::take(&mut self.pending))?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> anyhow::Result<()> {
        self.end_group(out)?;
        if let Some(rows) = &mut self.rows {
            rows.finish(out)?;
        }
        Ok(())
    }
}

/// Sends the calls of one group and prints every line's result in input order.
async fn send_group(
    batch: &Batch,
    service: &Service,
    group: Vec<(usize, Line)>,
    args: &CallArgs,
    out: &mut dyn Write,
    printer: &mut Printer<'_>,
    worst: &mut Worst,
) -> anyhow::Result<()> {
    let requests: Vec<PreparedRequest> = group
        .iter()
        .filter_map(|(_, l)| match l {
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
    for (number, line) in group {
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
        printer.line(out, number, v)?;
    }
    printer.end_group(out)
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
    crate::call::prepare::check_policy(service, dotted)?;
    let mut call = service.method(dotted)?;
    match v.get("params") {
        None | Some(Value::Null) => {}
        Some(p @ Value::Object(_)) => call = call.params_json(p)?,
        Some(_) => anyhow::bail!("\"params\" must be an object"),
    }
    match v.get("body") {
        None | Some(Value::Null) => {}
        Some(body) => {
            call = crate::call::prepare::with_body(call, service, dotted, body, !args.no_validate)?;
        }
    }
    if let Some(mask) = &args.fields {
        call = call.fields(mask.clone());
    }
    let prepared = call.prepare()?;
    if let Some((_, alt)) = prepared.url.query_pairs().find(|(k, _)| k == "alt")
        && alt != "json"
    {
        anyhow::bail!(
            "alt={alt}: media cannot travel in a batch; download it with its own call \
             (e.g. `gapi drive files get -p fileId=ID -o FILE`)"
        );
    }
    Ok(prepared)
}

/// The worst outcome so far, for the exit status.
#[derive(Default)]
struct Worst {
    status: u16,
    invalid: bool,
    jq_failed: bool,
}

impl Worst {
    fn code(&self) -> u8 {
        match self.status {
            500.. => exit::API_5XX,
            400.. => exit::API_4XX,
            _ if self.invalid => exit::USAGE,
            _ if self.jq_failed => exit::OTHER,
            _ => 0,
        }
    }
}
