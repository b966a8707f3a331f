//! API calls: `gapi <api>[:<version>] <resource>... <method> [flags]`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use futures_util::StreamExt;
use gapi_client::media::{MediaSource, UploadProtocol};
use gapi_client::upload_naming;
use gapi_client::{MethodCall, NoAuth, ParamValue, Service};
use serde_json::Value;

use crate::call::document::{self as describe, Node};
use crate::call::prepare::{
    check_body, check_output_path, check_policy, credentials_for, service_for,
};
use crate::call::write::{create_output, write_output};
use crate::cli::{CallArgs, Format, GlobalArgs};
use crate::jq::Jq;
use crate::{exit, output, progress};

/// Runs one API call (or prints its help).
///
/// Everything that can be checked locally is checked before any request is sent (a token
/// refresh included): parameters and body, the upload source, the output file. So a call is
/// never made and then reported failed for a local reason (and then repeated by a retry).
pub async fn run(global: &GlobalArgs, args: CallArgs) -> anyhow::Result<ExitCode> {
    crate::call::prepare::with_anonymous_hint(global, call(global, args).await)
}

async fn call(global: &GlobalArgs, args: CallArgs) -> anyhow::Result<ExitCode> {
    let Some(first) = args.words.first() else {
        return Err(exit::usage(
            "name an API, e.g. `gapi drive files list`; `gapi apis` lists them",
        ));
    };
    // A bad jq program is a usage error before anything else happens.
    let jq = args.jq.as_deref().map(Jq::compile).transpose()?;
    let (api, version) = describe::api_and_version(first)?;
    let doc = describe::load_method_index(&api, &version)?;
    let (dotted, http_method, method_scopes) = {
        let node = describe::resolve(&doc, &args.words[1..])?;
        match (&node, args.help) {
            (Node::Method(dotted, m), false) => (
                dotted.clone(),
                m.http_method_or_get().to_string(),
                m.scopes.clone(),
            ),
            (_, help) => {
                // Help shows descriptions: they are in the full document, not the index.
                let full = describe::load_document(&api, &version)?;
                let node = describe::resolve(&full, &args.words[1..])?;
                // Document text (descriptions) escaped for the terminal.
                print!(
                    "{}",
                    crate::output::visible_lines(&describe::help_text(&full, &node, false))
                );
                return Ok(if help {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(exit::USAGE)
                });
            }
        }
    };
    let doc = Arc::new(doc);

    // 1. Local checks, with a service that holds no credentials.
    let body = args.json.as_deref().map(read_json_arg).transpose()?;
    let offline = service_for(global, &args, doc.clone(), Arc::new(NoAuth))?;
    check_policy(&offline, &dotted)?;
    let offline_call = name_upload(build_call(&offline, &dotted, &args, body.clone())?, &args);
    if let (Some(body), false) = (offline_call.get_body(), args.no_validate) {
        check_body(&offline, &dotted, body)?;
    }
    if args.follow {
        crate::call::follow::check(&offline_call, &args)?;
    }
    let prepared = offline_call.prepare()?;
    // `-p alt=media`, or `-o FILE` on a method that can return media, downloads the media.
    let wants_media = matches!(prepared.url.query_pairs().find(|(k, _)| k == "alt"), Some((_, v)) if v == "media");
    let download = args.upload.is_none()
        && (wants_media || args.output.is_some())
        && prepared.supports_media_download
        && prepared.download_url.is_some();
    check_upload_source(&args)?;
    // The protocol the library will choose must be offered, and the method take media.
    let upload_plan = match &args.upload {
        Some(upload) => Some(offline_call.clone().upload(upload_source(upload)).plan()?),
        None => None,
    };
    if args.dry_run {
        let mut v = prepared.to_dry_run_json(&offline);
        if let (Some(upload), Some((protocol, url))) = (&args.upload, &upload_plan) {
            let media = media_description(upload, args.upload_content_type.as_deref())?;
            let metadata = prepared.body.clone().unwrap_or(Value::Null);
            describe_upload(&mut v, *protocol, url.as_str(), media, metadata);
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(path) = &args.output {
        check_output_path(path, args.force)?;
    }

    // 2. Credentials (the scope check names a scope that lets this call do its job), then send.
    let access = gapi_client::scopes::Access::of(&http_method, download);
    let auth = credentials_for(global, &method_scopes, access).await?;
    let service = service_for(global, &args, doc, auth)?;
    let call = name_upload(build_call(&service, &dotted, &args, body)?, &args);
    if let Some(upload) = &args.upload {
        return upload_media(&call, upload, &args, jq.as_ref()).await;
    }
    if download {
        return download_media(&call, &args).await;
    }
    if args.follow {
        return crate::call::follow::run(call, &args, jq.as_ref()).await;
    }
    if args.page_all {
        if let Some(jq) = &jq {
            return page_all_jq(&call, &args, jq).await;
        }
        return page_all(&call, &args).await;
    }
    let value = call.execute().await?;
    write_output(
        &value,
        &args,
        table_columns(&call, args.format),
        jq.as_ref(),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `--upload ./report.pdf` names the new object `report.pdf` unless a name is given
/// (uploadType=media sends no metadata, so nothing to name there).
fn name_upload(call: MethodCall, args: &CallArgs) -> MethodCall {
    let media_only =
        matches!(call.get_param("uploadType"), Some(ParamValue::Str(s)) if s == "media");
    match args
        .upload
        .as_deref()
        .filter(|u| !is_stdin(u) && !media_only)
        .and_then(upload_naming::file_name)
    {
        Some(name) => upload_naming::with_default_name(call, &name),
        None => call,
    }
}

/// `--upload FILE` must be a readable regular file (`-` is stdin): a folder, a FIFO or a
/// device is refused before anything is sent.
fn check_upload_source(args: &CallArgs) -> anyhow::Result<()> {
    let Some(path) = args.upload.as_deref().filter(|u| !is_stdin(u)) else {
        return Ok(());
    };
    let upload = path.display();
    let meta = std::fs::metadata(path)
        .map_err(|e| exit::usage(format!("cannot read --upload file {upload}: {e}")))?;
    if meta.is_dir() {
        return Err(exit::usage(format!(
            "--upload {upload} is a folder; name a file (or `-` for stdin)"
        )));
    }
    if !meta.is_file() {
        return Err(exit::usage(format!(
            "--upload {upload} is not a regular file (a FIFO or device); pipe it with `--upload -`"
        )));
    }
    std::fs::File::open(path)
        .map_err(|e| exit::usage(format!("cannot read --upload file {upload}: {e}")))?;
    Ok(())
}

/// `--upload -`: the media comes from stdin.
fn is_stdin(upload: &Path) -> bool {
    upload.as_os_str() == "-"
}

/// Applies `-p`, `--params`, `--fields` and the `--json` body (read once, by the caller) to a
/// method call.
fn build_call(
    service: &Service,
    dotted: &str,
    args: &CallArgs,
    body: Option<Value>,
) -> anyhow::Result<MethodCall> {
    let mut call = service.method(dotted)?;
    if let Some(json) = &args.params_json {
        let v: Value = serde_json::from_str(json)
            .map_err(|e| exit::usage(format!("--params is not valid JSON: {e}")))?;
        call = call.params_json(&v)?;
    }
    // `-p name=value` as given: grouping, casting and placing are the library's.
    call = call.params_from_args(&args.params)?;
    if let Some(mask) = &args.fields {
        call = call.fields(mask.clone());
    }
    if let Some(body) = body {
        // Checked by `check_body` (exit 2 with the CLI's hint) unless --no-validate.
        call = call.body(body).validate(false);
    }
    Ok(call)
}

/// `--json` takes JSON text, `@FILE`, or `@-` for stdin.
fn read_json_arg(arg: &str) -> anyhow::Result<Value> {
    let text = match arg.strip_prefix('@') {
        Some("-") => {
            std::io::read_to_string(std::io::stdin()).context("reading --json from stdin")?
        }
        Some(path) => {
            std::fs::read_to_string(path).with_context(|| format!("reading --json file {path}"))?
        }
        None => arg.to_string(),
    };
    serde_json::from_str(&text).map_err(|e| exit::usage(format!("--json is not valid JSON: {e}")))
}

/// The MIME type of an upload: its extension's (stdin has none), `--upload-content-type` wins.
fn upload_content_type(upload: &Path, given: Option<&str>) -> String {
    match given {
        Some(t) => t.to_string(),
        None if is_stdin(upload) => "application/octet-stream".to_string(),
        None => upload_naming::content_type_for(upload),
    }
}

/// `--dry-run --upload`: the upload's first request as the library sends it (the `/upload/`
/// URL with `uploadType`, the protocol's content type) and the media it would carry.
fn describe_upload(
    v: &mut Value,
    protocol: UploadProtocol,
    url: &str,
    media: Value,
    metadata: Value,
) {
    let media_type = media["content_type"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    v["url"] = Value::String(url.into());
    v["upload_protocol"] = Value::String(protocol.upload_type().into());
    let headers = &mut v["headers"];
    match protocol {
        UploadProtocol::Simple => headers["content-type"] = Value::String(media_type),
        UploadProtocol::Multipart => {
            headers["content-type"] = Value::String("multipart/related; boundary=<random>".into())
        }
        UploadProtocol::Resumable => {
            match metadata.is_null() {
                true => headers.as_object_mut().map(|h| h.remove("content-type")),
                false => headers.as_object_mut().map(|h| {
                    h.insert(
                        "content-type".into(),
                        "application/json; charset=UTF-8".into(),
                    )
                }),
            };
            headers["x-upload-content-type"] = Value::String(media_type);
            if let Some(size) = media["size"].as_u64() {
                headers["x-upload-content-length"] = Value::String(size.to_string());
            }
        }
    }
    v["body"] = serde_json::json!({ "media": media, "metadata": metadata });
}

fn media_description(upload: &Path, content_type: Option<&str>) -> anyhow::Result<Value> {
    let size = if is_stdin(upload) {
        None
    } else {
        Some(
            std::fs::metadata(upload)
                .with_context(|| format!("cannot read --upload file {}", upload.display()))?
                .len(),
        )
    };
    Ok(serde_json::json!({
        "path": upload.display().to_string(),
        "content_type": upload_content_type(upload, content_type),
        "size": size,
    }))
}

/// The `--upload` source: a file, or stdin for `-`.
fn upload_source(upload: &Path) -> MediaSource {
    if is_stdin(upload) {
        MediaSource::reader(tokio::io::stdin(), None)
    } else {
        MediaSource::path(upload)
    }
}

async fn upload_media(
    call: &MethodCall,
    upload: &Path,
    args: &CallArgs,
    jq: Option<&Jq>,
) -> anyhow::Result<ExitCode> {
    let source = upload_source(upload);
    let bar = progress::bar(source.size()?, "uploading");
    let content_type = upload_content_type(upload, args.upload_content_type.as_deref());
    let value = call
        .clone()
        .upload(source)
        .content_type(content_type)
        .progress(progress::callback(&bar))
        .send()
        .await?;
    progress::finish(bar);
    write_output(&value, args, Vec::new(), jq)?;
    Ok(ExitCode::SUCCESS)
}

async fn download_media(call: &MethodCall, args: &CallArgs) -> anyhow::Result<ExitCode> {
    let download = call.clone().download();
    match &args.output {
        Some(path) => {
            let bar = progress::bar(None, "downloading");
            let report = download
                .overwrite(args.force)
                .progress(progress::callback(&bar))
                .to_file(path)
                .await?;
            progress::finish(bar);
            eprintln!(
                "wrote {} bytes to {}{}{}",
                report.bytes,
                path.display(),
                if report.resumed_from > 0 {
                    format!(" (resumed at byte {})", report.resumed_from)
                } else {
                    String::new()
                },
                match report.verified {
                    Some(kind) => format!(", {kind} checked"),
                    None => String::new(),
                }
            );
        }
        None => {
            let mut stdout = tokio::io::stdout();
            download.to_writer(&mut stdout).await?;
            tokio::io::AsyncWriteExt::flush(&mut stdout).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `--page-all --jq EXPR`: the program's results for each item, page by page, as they come.
async fn page_all_jq(call: &MethodCall, args: &CallArgs, jq: &Jq) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out: std::io::BufWriter<Box<dyn Write>> = std::io::BufWriter::new(match &args.output {
        Some(path) => Box::new(create_output(path, args.force)?),
        None => Box::new(stdout.lock()),
    });
    let mut pages = Box::pin(call.pages());
    let mut count = 0usize;
    while let Some(page) = pages.next().await {
        let page = page?;
        count += 1;
        match output::list_items(&page) {
            Some((_, items)) => items.iter().try_for_each(|i| jq.write(&mut out, i))?,
            None => jq.write(&mut out, &page)?,
        }
        out.flush()?;
        if args.page_limit.is_some_and(|limit| count >= limit) {
            break;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The response schema's columns, which only tables and CSV use: reading them loads the
/// schema from the full document, which JSON and NDJSON output never needs.
fn table_columns(call: &MethodCall, format: Format) -> Vec<String> {
    match format {
        Format::Table | Format::Csv => {
            output::schema_columns(call.service().document(), call.method())
        }
        _ => Vec::new(),
    }
}

/// Follows every page in constant memory, to `-o FILE` or stdout: NDJSON prints one item per line, tables and CSV one
/// row per item under one header, each as its page arrives (a failure stops at a whole line);
/// JSON prints one array of the items, spooled to a temporary file and printed only once every
/// page has arrived, so a failed stream never leaves half a document on stdout.
async fn page_all(call: &MethodCall, args: &CallArgs) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let spool = if args.format == Format::Json {
        Some(tempfile::tempfile().context("creating a temporary file for --page-all output")?)
    } else {
        None
    };
    // The destination: `-o FILE` (checked before the first request) or stdout.
    let sink = || -> anyhow::Result<Box<dyn Write>> {
        Ok(match &args.output {
            Some(path) => Box::new(create_output(path, args.force)?),
            None => Box::new(stdout.lock()),
        })
    };
    let mut out: std::io::BufWriter<Box<dyn Write>> = std::io::BufWriter::new(match &spool {
        Some(file) => Box::new(file.try_clone()?),
        None => sink()?,
    });
    let mut pages = Box::pin(call.pages());
    let bar = progress::spinner("pages");
    let mut count = 0usize;
    let mut first_item = true;
    let mut rows =
        output::Rows::new(args.format).fallback_columns(table_columns(call, args.format));
    if args.format == Format::Json {
        writeln!(out, "[")?;
    }
    while let Some(page) = pages.next().await {
        let page = page?;
        count += 1;
        progress::tick(&bar, count);
        match output::list_items(&page) {
            Some((_, items)) => {
                for item in items {
                    match args.format {
                        Format::Json => {
                            if !first_item {
                                writeln!(out, ",")?;
                            }
                            first_item = false;
                            let text = serde_json::to_string_pretty(item)?;
                            write!(out, "  {}", text.replace('\n', "\n  "))?;
                        }
                        Format::Ndjson => output::write_line(&mut out, item)?,
                        Format::Table | Format::Csv => {}
                    }
                }
                if matches!(args.format, Format::Table | Format::Csv) {
                    rows.write_items(&mut out, items)?;
                }
            }
            None => match args.format {
                Format::Json => {
                    if !first_item {
                        writeln!(out, ",")?;
                    }
                    first_item = false;
                    write!(out, "  {}", serde_json::to_string(&page)?)?;
                }
                _ => output::write_line(&mut out, &page)?,
            },
        }
        out.flush()?;
        if args.page_limit.is_some_and(|limit| count >= limit) {
            break;
        }
    }
    if args.format == Format::Json {
        if !first_item {
            writeln!(out)?;
        }
        writeln!(out, "]")?;
    }
    if matches!(args.format, Format::Table | Format::Csv) {
        rows.finish(&mut out)?;
    }
    out.flush()?;
    drop(out);
    if let Some(mut file) = spool {
        use std::io::Seek;
        file.seek(std::io::SeekFrom::Start(0))?;
        let mut dest = sink()?;
        std::io::copy(&mut file, &mut dest)?;
        dest.flush()?;
    }
    progress::finish(bar);
    Ok(ExitCode::SUCCESS)
}
