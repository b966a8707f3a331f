//! API calls: `gapi <api>[:<version>] <resource>... <method> [flags]`.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use futures_util::StreamExt;
use gapi_client::media::{
    DownloadOptions, MediaClient, MediaSource, Progress, UploadOptions, UploadProtocol,
};
use gapi_client::{Authenticator, MethodCall, NoAuth, ParamValue, RetryPolicy, Service};
use serde_json::Value;

use super::describe::{self, Node};
use crate::cli::{CallArgs, Format, GlobalArgs};
use crate::{exit, output, progress};

/// Uploads above this size go resumable when no protocol is named.
const RESUMABLE_THRESHOLD: u64 = 5 * 1024 * 1024;

/// Runs one API call (or prints its help).
pub async fn run(global: &GlobalArgs, args: CallArgs) -> anyhow::Result<ExitCode> {
    let Some(first) = args.words.first() else {
        return Err(exit::usage(
            "name an API, e.g. `gapi drive files list`; `gapi apis` lists them",
        ));
    };
    let (api, version) = describe::api_and_version(first)?;
    let doc = describe::load_document(&api, &version)?;
    let node = describe::resolve(&doc, &args.words[1..])?;
    let dotted = match (&node, args.help) {
        (Node::Method(dotted, _), false) => dotted.clone(),
        (node, help) => {
            print!("{}", describe::help_text(&doc, node, false));
            return Ok(if help {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(exit::USAGE)
            });
        }
    };
    let scopes = match &node {
        Node::Method(_, m) => m.scopes.clone(),
        _ => Vec::new(),
    };

    let auth: Arc<dyn Authenticator> = if args.dry_run || global.anonymous {
        Arc::new(NoAuth)
    } else {
        credentials_for(global, &scopes).await?
    };
    let mut builder = Service::builder()
        .document(doc)
        .auth_arc(auth)
        .retry_policy(RetryPolicy::default().with_retry_non_idempotent(args.retry_all));
    if let Some(endpoint) = &global.endpoint {
        builder = builder.endpoint(endpoint.clone());
    }
    if let Some(project) = &global.quota_project {
        builder = builder.quota_project(project.clone());
    }
    let service = builder.build()?;
    let call = build_call(&service, &dotted, &args)?;

    if args.dry_run {
        let prepared = call.prepare()?;
        let mut v = prepared.to_dry_run_json(&service);
        if let Some(upload) = &args.upload {
            v["body"] = serde_json::json!({
                "media": media_description(upload, args.upload_content_type.as_deref())?,
                "metadata": prepared.body.clone().unwrap_or(Value::Null),
            });
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(upload) = &args.upload {
        return upload_media(&service, &call, upload, &args).await;
    }
    // `-p alt=media`, or `-o FILE` on a method that can return media, downloads the media.
    let wants_media = call
        .get_param("alt")
        .is_some_and(|v| matches!(v, ParamValue::Str(s) if s == "media"));
    if wants_media || args.output.is_some() {
        let prepared = call.prepare()?;
        if let Some(url) = prepared
            .download_url
            .filter(|_| prepared.supports_media_download)
        {
            return download_media(&service, url, &args).await;
        }
    }
    if args.page_all {
        return page_all(&call, &args).await;
    }
    let value = call.execute().await?;
    write_output(&value, &args)?;
    Ok(ExitCode::SUCCESS)
}

/// Loads the profile's credentials and checks they cover one of the method's scopes.
async fn credentials_for(
    global: &GlobalArgs,
    scopes: &[String],
) -> anyhow::Result<Arc<dyn Authenticator>> {
    let store = gapi_auth::FileStore::default_location()?;
    // The named profile, else the default one, else ADC (only if no profile was named).
    let creds = super::auth::select(&store, global).await?.credentials;
    let granted = creds.granted_scopes();
    if !scopes.is_empty()
        && !granted.is_empty()
        && gapi_client::scopes::pick_granted(scopes, &granted).is_none()
    {
        let wanted = gapi_client::scopes::narrowest_first(scopes);
        let pick = wanted.first().cloned().unwrap_or_default();
        let short = pick
            .strip_prefix("https://www.googleapis.com/auth/")
            .unwrap_or(&pick);
        return Err(exit::login_needed(format!(
            "the stored credentials (profile `{}`) were granted none of the scopes this method accepts:\n  {}\n\
             hint: run `gapi auth login --add-scope {short}{}` (adds it to this login)",
            global.profile,
            scopes.join("\n  "),
            super::auth::profile_flag(&global.profile)
        )));
    }
    Ok(Arc::new(creds))
}

/// Applies `-p`, `--params`, `--fields` and `--json` to a method call.
fn build_call(service: &Service, dotted: &str, args: &CallArgs) -> anyhow::Result<MethodCall> {
    let mut call = service.method(dotted)?;
    if let Some(json) = &args.params_json {
        let v: Value = serde_json::from_str(json)
            .map_err(|e| exit::usage(format!("--params is not valid JSON: {e}")))?;
        call = call.params_json(&v)?;
    }
    // Repeating a name makes a list (a repeated parameter).
    let mut grouped: Vec<(String, Vec<String>)> = Vec::new();
    for p in &args.params {
        let Some((name, value)) = p.split_once('=') else {
            return Err(exit::usage(format!("-p {p:?} must be name=value")));
        };
        match grouped.iter_mut().find(|(n, _)| n == name) {
            Some((_, values)) => values.push(value.to_string()),
            None => grouped.push((name.to_string(), vec![value.to_string()])),
        }
    }
    for (name, mut values) in grouped {
        call = if values.len() == 1 {
            call.param(name, values.remove(0))
        } else {
            call.param(
                name,
                ParamValue::List(values.into_iter().map(ParamValue::Str).collect()),
            )
        };
    }
    if let Some(mask) = &args.fields {
        call = call.fields(mask.clone());
    }
    if let Some(body) = &args.json {
        call = call.body(read_json_arg(body)?);
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

fn guess_content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "txt" | "md" | "log" => "text/plain",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

fn media_description(upload: &str, content_type: Option<&str>) -> anyhow::Result<Value> {
    let size = if upload == "-" {
        None
    } else {
        Some(
            std::fs::metadata(upload)
                .with_context(|| format!("cannot read --upload file {upload}"))?
                .len(),
        )
    };
    Ok(serde_json::json!({
        "path": upload,
        "content_type": content_type.unwrap_or_else(|| guess_content_type(upload)),
        "size": size,
    }))
}

async fn upload_media(
    service: &Service,
    call: &MethodCall,
    upload: &str,
    args: &CallArgs,
) -> anyhow::Result<ExitCode> {
    // uploadType picks the protocol; it is not a parameter of the method itself.
    let named = call.get_param("uploadType").and_then(|v| match v {
        ParamValue::Str(s) => Some(s.clone()),
        _ => None,
    });
    let call = call.clone().remove_param("uploadType");
    let prepared = call.prepare()?;
    let Some(target) = prepared.media_upload.clone() else {
        return Err(exit::usage(format!(
            "{} does not accept media uploads",
            prepared.method_id
        )));
    };
    let source = if upload == "-" {
        MediaSource::reader(tokio::io::stdin(), None)
    } else {
        MediaSource::path(upload)
    };
    let size = source.size()?;
    let protocol = match named.as_deref() {
        Some(name) => UploadProtocol::from_upload_type(name).ok_or_else(|| {
            exit::usage(format!(
                "uploadType={name} is not one of media, multipart, resumable"
            ))
        })?,
        None if size.is_none_or(|s| s > RESUMABLE_THRESHOLD) && target.resumable_url.is_some() => {
            UploadProtocol::Resumable
        }
        None if prepared.body.is_some() => UploadProtocol::Multipart,
        None => UploadProtocol::Simple,
    };
    let url = match protocol {
        UploadProtocol::Resumable => target.resumable_url.clone(),
        _ => target.simple_url.clone(),
    }
    .ok_or_else(|| {
        exit::usage(format!(
            "{} does not offer uploadType={}",
            prepared.method_id,
            protocol.upload_type()
        ))
    })?;
    let content_type = args
        .upload_content_type
        .clone()
        .unwrap_or_else(|| guess_content_type(upload).to_string());
    let bar = progress::bar(size, "uploading");
    let opts = UploadOptions::new(content_type).progress(progress::callback(&bar));
    let media = MediaClient::new(service.transport())?;
    let value = media
        .upload(
            prepared.method.clone(),
            url,
            protocol,
            prepared.body.as_ref(),
            source,
            &opts,
        )
        .await?;
    progress::finish(bar);
    write_output(&value, args)?;
    Ok(ExitCode::SUCCESS)
}

async fn download_media(
    service: &Service,
    url: url::Url,
    args: &CallArgs,
) -> anyhow::Result<ExitCode> {
    let media = MediaClient::new(service.transport())?;
    match &args.output {
        Some(path) => {
            let bar = progress::bar(None, "downloading");
            let opts = DownloadOptions::default()
                .resume(true)
                .progress(progress::callback(&bar));
            let report = media.download_to_file(url, path, &opts).await?;
            progress::finish(bar);
            eprintln!(
                "wrote {} bytes to {}{}",
                report.bytes,
                path.display(),
                if report.resumed_from > 0 {
                    format!(" (resumed at byte {})", report.resumed_from)
                } else {
                    String::new()
                }
            );
        }
        None => {
            let mut stdout = tokio::io::stdout();
            media
                .download_to_writer(url, &mut stdout, &Progress::none())
                .await?;
            tokio::io::AsyncWriteExt::flush(&mut stdout).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Follows every page, printing as it goes (constant memory): JSON prints one array of the
/// items, NDJSON one item per line, tables and CSV one row per item under one header.
async fn page_all(call: &MethodCall, args: &CallArgs) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut pages = Box::pin(call.pages());
    let bar = progress::spinner("pages");
    let mut count = 0usize;
    let mut first_item = true;
    let mut header = true;
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
                        Format::Table | Format::Csv => {
                            output::write_rows(&mut out, &[item], args.format, header)?;
                            header = false;
                        }
                    }
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
    out.flush()?;
    progress::finish(bar);
    Ok(ExitCode::SUCCESS)
}

fn write_output(value: &Value, args: &CallArgs) -> anyhow::Result<()> {
    match &args.output {
        Some(path) => {
            let mut file = std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            output::write_value(&mut file, value, args.format)?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            output::write_value(&mut lock, value, args.format)?;
        }
    }
    Ok(())
}
