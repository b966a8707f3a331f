//! `gapi gmail +send | +draft | +reply | +forward | +read`.

use std::path::PathBuf;
use std::process::ExitCode;

use gapi_workspace::mail::{
    Attachment, Compose, ForwardOptions, Gmail, GmailCall, MailMessage, Mailbox, ReplyOptions,
};
use serde_json::{Value, json};

use super::ctx::{Ctx, ws};
use super::read_text;
use crate::cli::GlobalArgs;
use crate::cli::helpers::gmail::{
    BodyArgs, ComposeArgs, ForwardArgs, GmailHelper, ReadArgs, ReplyArgs,
};

const SEND: &str = "users.messages.send";
const DRAFT: &str = "users.drafts.create";
const GET: &str = "users.messages.get";
const PROFILE: &str = "users.getProfile";

impl BodyArgs {
    fn read(&self) -> anyhow::Result<Option<String>> {
        let file = match (&self.body_file, &self.stdin) {
            (Some(f), _) => Some(f.clone()),
            (None, Some(_)) => Some(PathBuf::from("-")),
            _ => None,
        };
        read_text(self.body.as_deref(), file.as_deref(), "body")
    }
}

impl ComposeArgs {
    /// The mail's subject.
    #[cfg(test)]
    pub fn subject(&self) -> &str {
        &self.subject
    }
}

pub async fn run(global: &GlobalArgs, helper: GmailHelper) -> anyhow::Result<ExitCode> {
    match helper {
        GmailHelper::Send(a) => compose(global, a, false).await,
        GmailHelper::Draft(a) => compose(global, a, true).await,
        GmailHelper::Reply(a) => reply(global, a).await,
        GmailHelper::Forward(a) => forward(global, a).await,
        GmailHelper::Read(a) => read(global, a).await,
    }
}

fn mailboxes(list: &[String]) -> anyhow::Result<Vec<Mailbox>> {
    let mut out = Vec::new();
    for l in list {
        out.extend(Mailbox::parse_list(l).map_err(ws)?);
    }
    Ok(out)
}

fn attachments(paths: &[PathBuf]) -> anyhow::Result<Vec<Attachment>> {
    paths
        .iter()
        .map(|p| Attachment::from_path(p).map_err(ws))
        .collect()
}

fn from(alias: Option<&str>) -> anyhow::Result<Option<Mailbox>> {
    alias.map(|a| Mailbox::parse(a).map_err(ws)).transpose()
}

async fn compose(global: &GlobalArgs, a: ComposeArgs, draft: bool) -> anyhow::Result<ExitCode> {
    let method = if draft { DRAFT } else { SEND };
    let ctx = Ctx::new(global, "gmail", &a.common, Some(&a.out), None)?;
    ctx.check_policy(&[method])?;
    let body = a.body.read()?.unwrap_or_default();
    let mut c = Compose {
        to: mailboxes(&a.to)?,
        cc: mailboxes(&a.cc)?,
        bcc: mailboxes(&a.bcc)?,
        from: from(a.from.as_deref())?,
        subject: a.subject.clone(),
        attachments: attachments(&a.attach)?,
        ..Compose::default()
    };
    if a.body.html {
        c.html = Some(body);
    } else {
        c.text = Some(body);
    }
    send(&ctx, c, None, draft).await
}

/// Sends (or drafts) `c`, or shows the request under `--dry-run`.
async fn send(
    ctx: &Ctx<'_>,
    c: Compose,
    thread_id: Option<String>,
    draft: bool,
) -> anyhow::Result<ExitCode> {
    let method = if draft { DRAFT } else { SEND };
    if !c.has_recipients() {
        return Err(crate::exit::usage(
            "the message has no recipient: give at least one --to, --cc or --bcc address",
        ));
    }
    let raw = c.to_rfc5322().map_err(ws)?;
    let size = raw.len();
    if ctx.dry_run() {
        let gmail = Gmail::new(ctx.offline().clone()).map_err(ws)?;
        let call = if draft {
            gmail.draft_call(raw, thread_id.as_deref())
        } else {
            gmail.send_call(raw, thread_id.as_deref())
        }
        .map_err(ws)?;
        return match call {
            GmailCall::Json(call) => ctx.print_dry_run(&[call], None),
            GmailCall::Upload(upload) => {
                let (protocol, url) = upload.plan()?;
                ctx.print_plan(
                    json!({"requests": [{
                        "method": "POST",
                        "url": url.as_str(),
                        "upload_protocol": protocol.upload_type(),
                        "body": {"media": {"content_type": "message/rfc822", "size": size}},
                    }]}),
                    None,
                )
            }
        };
    }
    let gmail = Gmail::new(ctx.service(&[method]).await?).map_err(ws)?;
    let call = if draft {
        gmail.draft_call(raw, thread_id.as_deref())
    } else {
        gmail.send_call(raw, thread_id.as_deref())
    }
    .map_err(ws)?;
    let answer = call.execute().await.map_err(ws)?;
    let shown = if draft {
        json!({"id": answer["id"], "message": {"id": answer["message"]["id"], "threadId": answer["message"]["threadId"]}})
    } else {
        json!({"id": answer["id"], "threadId": answer["threadId"], "labelIds": answer["labelIds"]})
    };
    ctx.output(&shown, None, false)
}

/// Under `--dry-run`, the reads a reply or forward starts with (the rest needs their answer).
fn dry_run_reads(ctx: &Ctx<'_>, id: &str, me: bool, then: &str) -> anyhow::Result<ExitCode> {
    let svc = ctx.offline();
    let mut calls = vec![
        svc.method(GET)?
            .param("userId", "me")
            .param("id", id)
            .param("format", "raw"),
    ];
    if me {
        calls.push(svc.method(PROFILE)?.param("userId", "me"));
    }
    ctx.print_dry_run(&calls, Some(then.to_string()))
}

async fn reply(global: &GlobalArgs, a: ReplyArgs) -> anyhow::Result<ExitCode> {
    let method = if a.draft { DRAFT } else { SEND };
    let ctx = Ctx::new(global, "gmail", &a.common, Some(&a.out), None)?;
    ctx.check_policy(&[GET, PROFILE, method])?;
    let body = a.body.read()?;
    let Some(body) = body else {
        return Err(crate::exit::usage(
            "say something: give --body TEXT, --body-file FILE or `-` (stdin)",
        ));
    };
    let opts = ReplyOptions {
        all: a.all,
        text: (!a.body.html).then(|| body.clone()),
        html: a.body.html.then_some(body),
        attachments: attachments(&a.attach)?,
        from: from(a.from.as_deref())?,
        ..ReplyOptions::default()
    };
    if ctx.dry_run() {
        return dry_run_reads(
            &ctx,
            &a.message_id,
            true,
            &format!("{method} of the reply, in the original's thread"),
        );
    }
    let gmail = Gmail::new(ctx.service(&[GET, PROFILE, method]).await?).map_err(ws)?;
    let out = gmail.reply(&a.message_id, &opts).await.map_err(ws)?;
    send(&ctx, out.compose, out.thread_id, a.draft).await
}

async fn forward(global: &GlobalArgs, a: ForwardArgs) -> anyhow::Result<ExitCode> {
    let ctx = Ctx::new(global, "gmail", &a.common, Some(&a.out), None)?;
    ctx.check_policy(&[GET, SEND])?;
    let opts = ForwardOptions {
        to: mailboxes(&a.to)?,
        cc: mailboxes(&a.cc)?,
        bcc: mailboxes(&a.bcc)?,
        text: a.body.read()?,
        attachments: attachments(&a.attach)?,
        from: from(a.from.as_deref())?,
    };
    if ctx.dry_run() {
        return dry_run_reads(
            &ctx,
            &a.message_id,
            false,
            &format!("{SEND} of the forward, with the original's attachments"),
        );
    }
    let gmail = Gmail::new(ctx.service(&[GET, SEND]).await?).map_err(ws)?;
    let out = gmail.forward(&a.message_id, &opts).await.map_err(ws)?;
    send(&ctx, out.compose, None, false).await
}

async fn read(global: &GlobalArgs, a: ReadArgs) -> anyhow::Result<ExitCode> {
    let ctx = Ctx::new(global, "gmail", &a.common, Some(&a.out), a.format)?;
    ctx.check_policy(&[GET])?;
    if ctx.dry_run() {
        let call = ctx
            .offline()
            .method(GET)?
            .param("userId", "me")
            .param("id", a.message_id.as_str())
            .param("format", "raw");
        return ctx.print_dry_run(&[call], None);
    }
    let gmail = Gmail::new(ctx.service(&[GET]).await?).map_err(ws)?;
    let msg = gmail.read(&a.message_id).await.map_err(ws)?;
    let saved = match &a.save_attachments {
        Some(dir) => msg.save_attachments(dir).map_err(ws)?,
        None => Vec::new(),
    };
    for p in &saved {
        eprintln!("saved {}", crate::output::visible(&p.display().to_string()));
    }
    let value = message_json(&msg, &saved);
    let text = crate::output::visible_lines(&msg.to_plain_text()).into_owned();
    ctx.output(&value, Some(text), a.format.is_some())
}

fn message_json(m: &MailMessage, saved: &[PathBuf]) -> Value {
    let list = |l: &[Mailbox]| l.iter().map(|b| b.to_string()).collect::<Vec<_>>();
    json!({
        "id": m.id,
        "threadId": m.thread_id,
        "labelIds": m.label_ids,
        "from": list(&m.from),
        "to": list(&m.to),
        "cc": list(&m.cc),
        "date": m.date,
        "subject": m.subject,
        "messageId": m.message_id,
        "text": m.text,
        "attachments": m.attachments.iter().map(|a| json!({
            "filename": a.filename,
            "mimeType": a.mime,
            "size": a.size,
        })).collect::<Vec<_>>(),
        "saved": saved.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
    })
}
