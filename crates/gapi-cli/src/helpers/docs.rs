//! `gapi docs +write | +create | +read`.

use std::path::Path;
use std::process::ExitCode;

use gapi_workspace::docs::{self, InsertAt};
use serde_json::json;

use super::ctx::{Ctx, ws};
use super::read_text;
use crate::cli::GlobalArgs;
use crate::cli::helpers::docs::{CreateArgs, DocFormat, DocsHelper, ReadArgs, WriteArgs};

const GET: &str = "documents.get";
const CREATE: &str = "documents.create";
const UPDATE: &str = "documents.batchUpdate";

pub async fn run(global: &GlobalArgs, helper: DocsHelper) -> anyhow::Result<ExitCode> {
    match helper {
        DocsHelper::Write(a) => write(global, a).await,
        DocsHelper::Create(a) => create(global, a).await,
        DocsHelper::Read(a) => read(global, a).await,
    }
}

fn markdown(path: &Path) -> anyhow::Result<String> {
    Ok(read_text(None, Some(path), "Markdown")?.unwrap_or_default())
}

fn get_call(ctx: &Ctx<'_>, id: &str) -> anyhow::Result<gapi_client::MethodCall> {
    Ok(ctx.offline().method(GET)?.param("documentId", id))
}

async fn write(global: &GlobalArgs, a: WriteArgs) -> anyhow::Result<ExitCode> {
    let ctx = Ctx::new(global, "docs", &a.common, Some(&a.out), None)?;
    ctx.check_policy(&[GET, UPDATE])?;
    let md = markdown(&a.markdown)?;
    let requests = docs::markdown_to_requests(
        &md,
        InsertAt {
            index: 1,
            new_paragraph: false,
        },
    );
    if requests.is_empty() {
        return Err(crate::exit::usage("the Markdown has no text to write"));
    }
    if ctx.dry_run() {
        return ctx.print_dry_run(
            &[get_call(&ctx, &a.document)?],
            Some(format!(
                "{UPDATE} at the end of the document, bound to its revision, with {} requests",
                requests.len()
            )),
        );
    }
    let svc = ctx.service(&[GET, UPDATE]).await?;
    let answer = docs::append_markdown(&svc, &a.document, &md)
        .await
        .map_err(ws)?;
    ctx.output(&answer, None, false)
}

async fn create(global: &GlobalArgs, a: CreateArgs) -> anyhow::Result<ExitCode> {
    let ctx = Ctx::new(global, "docs", &a.common, Some(&a.out), None)?;
    ctx.check_policy(&[CREATE, GET, UPDATE])?;
    let md = match &a.markdown {
        Some(p) => markdown(p)?,
        None => String::new(),
    };
    if ctx.dry_run() {
        let call = ctx
            .offline()
            .method(CREATE)?
            .body(json!({"title": a.title}));
        let requests = docs::markdown_to_requests(
            &md,
            InsertAt {
                index: 1,
                new_paragraph: false,
            },
        );
        let then = (!requests.is_empty()).then(|| {
            format!(
                "{UPDATE} of the new document with these requests: {}",
                json!(requests)
            )
        });
        return ctx.print_dry_run(&[call], then);
    }
    let svc = ctx.service(&[CREATE, GET, UPDATE]).await?;
    let id = docs::create_from_markdown(&svc, &a.title, &md)
        .await
        .map_err(ws)?;
    ctx.output(&json!({"documentId": id, "title": a.title}), None, false)
}

async fn read(global: &GlobalArgs, a: ReadArgs) -> anyhow::Result<ExitCode> {
    let ctx = Ctx::new(global, "docs", &a.common, Some(&a.out), None)?;
    ctx.check_policy(&[GET])?;
    if ctx.dry_run() {
        return ctx.print_dry_run(&[get_call(&ctx, &a.document)?], None);
    }
    let svc = ctx.service(&[GET]).await?;
    let doc = docs::get(&svc, &a.document).await.map_err(ws)?;
    let text = match a.format {
        DocFormat::Markdown => Some(docs::to_markdown(&doc)),
        DocFormat::Text => Some(docs::to_text(&doc)),
        DocFormat::Json => None,
    };
    match text {
        // Written as it is to a file; escaped for a terminal.
        Some(t) if a.out.output.is_some() || a.common.jq.is_some() => {
            ctx.output(&json!(t), Some(t.clone()), a.common.jq.is_some())
        }
        Some(t) => ctx.output(
            &json!(t),
            Some(crate::output::visible_lines(&t).into_owned()),
            false,
        ),
        None => ctx.output(&doc, None, true),
    }
}
