//! Replies and forwards made from a read message, as Gmail's own buttons make them: a reply
//! goes to `Reply-To` (else `From`), with `--all` also to the original `To` and `Cc` minus
//! yourself; its subject gets `Re:` exactly once; `In-Reply-To` and `References` chain it to
//! the original and `threadId` keeps it in the same thread. A forward carries the original's
//! attachments and text under a "Forwarded message" block, its subject prefixed `Fwd:` once.

use super::address::{Mailbox, dedupe};
use super::compose::{Attachment, Compose};
use super::message::MailMessage;
use crate::error::{Error, Result};

/// A composed message and the Gmail thread it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The message.
    pub compose: Compose,
    /// The thread to send it in (the original's), if known.
    pub thread_id: Option<String>,
}

/// What a reply says and who gets it.
#[derive(Debug, Clone)]
pub struct ReplyOptions {
    /// Reply to everyone: also the original `To` and `Cc` (minus yourself).
    pub all: bool,
    /// The reply's text.
    pub text: Option<String>,
    /// The reply's HTML.
    pub html: Option<String>,
    /// Files to attach.
    pub attachments: Vec<Attachment>,
    /// Quote the original below the reply (default true), as mail programs do.
    pub quote: bool,
    /// Send from this alias instead of the account's address.
    pub from: Option<Mailbox>,
}

impl Default for ReplyOptions {
    fn default() -> Self {
        ReplyOptions {
            all: false,
            text: None,
            html: None,
            attachments: Vec::new(),
            quote: true,
            from: None,
        }
    }
}

/// What a forward says and who gets it.
#[derive(Debug, Clone, Default)]
pub struct ForwardOptions {
    /// Recipients.
    pub to: Vec<Mailbox>,
    /// `Cc` recipients.
    pub cc: Vec<Mailbox>,
    /// `Bcc` recipients.
    pub bcc: Vec<Mailbox>,
    /// A note above the forwarded message.
    pub text: Option<String>,
    /// More files to attach (after the original's).
    pub attachments: Vec<Attachment>,
    /// Send from this alias instead of the account's address.
    pub from: Option<Mailbox>,
}

/// `Re: subject`, never `Re: Re: subject`: any leading `Re:` (any case, `RE :` too) is
/// dropped before one is added.
pub fn reply_subject(subject: &str) -> String {
    format!("Re: {}", strip_prefixes(subject, &["re"]))
}

/// `Fwd: subject`, never twice (`Fw:` and `Fwd:` count as the same prefix).
pub fn forward_subject(subject: &str) -> String {
    format!("Fwd: {}", strip_prefixes(subject, &["fwd", "fw"]))
}

fn strip_prefixes<'a>(subject: &'a str, prefixes: &[&str]) -> &'a str {
    let mut s = subject.trim();
    loop {
        let lower = s.to_ascii_lowercase();
        let Some(p) = prefixes
            .iter()
            .find(|p| lower.starts_with(*p) && lower[p.len()..].trim_start().starts_with(':'))
        else {
            return s;
        };
        let after = s[p.len()..].trim_start();
        s = after[1..].trim_start();
    }
}

/// Builds the reply to `original`; `me` lists the account's own addresses (left out of the
/// recipients). Errors when the original names nobody to answer.
pub fn reply(original: &MailMessage, me: &[String], opts: &ReplyOptions) -> Result<Outgoing> {
    let me_refs: Vec<&str> = me.iter().map(String::as_str).collect();
    let is_me = |m: &Mailbox| me_refs.iter().any(|a| m.same_address(a));
    let mut primary = if original.reply_to.is_empty() {
        original.from.clone()
    } else {
        original.reply_to.clone()
    };
    // Answering one's own message goes to its recipients, as Gmail does.
    if !primary.is_empty() && primary.iter().all(is_me) && !original.to.is_empty() {
        primary = original.to.clone();
    }
    let to = {
        let without_me = dedupe(primary.clone(), &me_refs);
        if without_me.is_empty() {
            dedupe(primary, &[])
        } else {
            without_me
        }
    };
    if to.is_empty() {
        return Err(Error::invalid(
            "the original message has no From or Reply-To address to reply to",
        ));
    }
    let cc = if opts.all {
        let mut drop = me_refs.clone();
        drop.extend(to.iter().map(|m| m.email.as_str()));
        dedupe(
            original.to.iter().chain(&original.cc).cloned().collect(),
            &drop,
        )
    } else {
        Vec::new()
    };
    let mut references = original.references.clone();
    if references.is_empty()
        && let Some(parent) = &original.in_reply_to
    {
        references.push(parent.clone());
    }
    if let Some(id) = &original.message_id
        && !references.contains(id)
    {
        references.push(id.clone());
    }
    let attribution = format!(
        "On {}, {} wrote:",
        original.date.as_deref().unwrap_or("an earlier date"),
        original
            .from
            .first()
            .map(Mailbox::to_string)
            .unwrap_or_else(|| "someone".into())
    );
    let text = match (&opts.text, opts.quote) {
        (t, true) => Some(format!(
            "{}\n\n{attribution}\n{}",
            t.as_deref().unwrap_or("").trim_end(),
            quote_lines(&original.text)
        )),
        (t, false) => t.clone(),
    };
    let html = opts.html.as_ref().map(|h| {
        if opts.quote {
            let quoted = original
                .html
                .clone()
                .unwrap_or_else(|| format!("<pre>{}</pre>", escape_html(&original.text)));
            format!(
                "{h}<br><div>{}<br><blockquote style=\"margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex\">{quoted}</blockquote></div>",
                escape_html(&attribution)
            )
        } else {
            h.clone()
        }
    });
    Ok(Outgoing {
        compose: Compose {
            from: opts.from.clone(),
            to,
            cc,
            subject: reply_subject(&original.subject),
            text,
            html,
            attachments: opts.attachments.clone(),
            in_reply_to: original.message_id.clone(),
            references,
            ..Default::default()
        },
        thread_id: original.thread_id.clone(),
    })
}

/// Builds the forward of `original` with its attachments; they must carry their bytes (read
/// the message in raw format, or fetch them first).
pub fn forward(original: &MailMessage, opts: &ForwardOptions) -> Result<Outgoing> {
    if opts.to.is_empty() && opts.cc.is_empty() && opts.bcc.is_empty() {
        return Err(Error::invalid("a forward needs at least one recipient"));
    }
    let mut attachments = Vec::new();
    for a in &original.attachments {
        let data = a.data.clone().ok_or_else(|| {
            Error::invalid(format!(
                "the bytes of attachment {:?} were not fetched; read the message in raw format to forward it",
                a.filename
            ))
        })?;
        attachments.push(Attachment {
            filename: a.filename.clone(),
            mime: a.mime.clone(),
            data,
        });
    }
    attachments.extend(opts.attachments.iter().cloned());
    let list = |l: &[Mailbox]| {
        l.iter()
            .map(Mailbox::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut block = String::from("---------- Forwarded message ---------\n");
    for (name, value) in [
        ("From", list(&original.from)),
        ("Date", original.date.clone().unwrap_or_default()),
        ("Subject", original.subject.clone()),
        ("To", list(&original.to)),
        ("Cc", list(&original.cc)),
    ] {
        if !value.is_empty() {
            block.push_str(&format!("{name}: {value}\n"));
        }
    }
    let note = opts.text.as_deref().unwrap_or("").trim_end();
    let text = format!("{note}\n\n{block}\n{}", original.text);
    let mut references = original.references.clone();
    if let Some(id) = &original.message_id
        && !references.contains(id)
    {
        references.push(id.clone());
    }
    Ok(Outgoing {
        compose: Compose {
            from: opts.from.clone(),
            to: opts.to.clone(),
            cc: opts.cc.clone(),
            bcc: opts.bcc.clone(),
            subject: forward_subject(&original.subject),
            text: Some(text.trim_start_matches('\n').to_string()),
            attachments,
            in_reply_to: original.message_id.clone(),
            references,
            ..Default::default()
        },
        thread_id: original.thread_id.clone(),
    })
}

fn quote_lines(text: &str) -> String {
    text.trim_end()
        .lines()
        .map(|l| {
            if l.is_empty() {
                ">".to_string()
            } else {
                format!("> {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn original() -> MailMessage {
        MailMessage {
            thread_id: Some("t1".into()),
            subject: "RE: re : Plans".into(),
            from: Mailbox::parse_list("Bob <bob@example.com>").unwrap(),
            to: Mailbox::parse_list("me@example.com, Carol <carol@example.com>").unwrap(),
            cc: Mailbox::parse_list("dan@example.com, BOB@example.com").unwrap(),
            message_id: Some("m2@example.com".into()),
            in_reply_to: Some("m1@example.com".into()),
            date: Some("Mon, 2 Mar 2026 10:00:00 +0000".into()),
            text: "line one\n\nline two".into(),
            ..Default::default()
        }
    }

    #[test]
    fn subjects_get_one_prefix() {
        assert_eq!(reply_subject("Plans"), "Re: Plans");
        assert_eq!(reply_subject("Re: Plans"), "Re: Plans");
        assert_eq!(reply_subject("RE: re : Plans"), "Re: Plans");
        assert_eq!(reply_subject("Fwd: Plans"), "Re: Fwd: Plans");
        assert_eq!(reply_subject("Reunion"), "Re: Reunion");
        assert_eq!(forward_subject("Fw: Fwd: x"), "Fwd: x");
        assert_eq!(forward_subject(""), "Fwd: ");
    }

    #[test]
    fn reply_and_reply_all_pick_recipients_and_thread() {
        let me = vec!["me@example.com".to_string()];
        let r = reply(
            &original(),
            &me,
            &ReplyOptions {
                text: Some("ok".into()),
                ..Default::default()
            },
        )
        .unwrap();
        let emails = |l: &[Mailbox]| l.iter().map(|m| m.email.clone()).collect::<Vec<_>>();
        assert_eq!(emails(&r.compose.to), ["bob@example.com"]);
        assert!(r.compose.cc.is_empty());
        assert_eq!(r.compose.subject, "Re: Plans");
        assert_eq!(r.thread_id.as_deref(), Some("t1"));
        assert_eq!(r.compose.in_reply_to.as_deref(), Some("m2@example.com"));
        assert_eq!(r.compose.references, ["m1@example.com", "m2@example.com"]);
        let text = r.compose.text.unwrap();
        assert!(text.starts_with("ok\n\nOn Mon, 2 Mar 2026 10:00:00 +0000, Bob <bob@example.com> wrote:\n> line one\n>\n> line two"), "{text}");

        let all = reply(
            &original(),
            &me,
            &ReplyOptions {
                all: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(emails(&all.compose.to), ["bob@example.com"]);
        assert_eq!(
            emails(&all.compose.cc),
            ["carol@example.com", "dan@example.com"]
        );

        let mut with_reply_to = original();
        with_reply_to.reply_to = Mailbox::parse_list("list@example.com").unwrap();
        let r = reply(&with_reply_to, &me, &ReplyOptions::default()).unwrap();
        assert_eq!(emails(&r.compose.to), ["list@example.com"]);

        let mut mine = original();
        mine.from = Mailbox::parse_list("me@example.com").unwrap();
        mine.to = Mailbox::parse_list("x@example.com").unwrap();
        let r = reply(&mine, &me, &ReplyOptions::default()).unwrap();
        assert_eq!(
            emails(&r.compose.to),
            ["x@example.com"],
            "replying to my own mail goes to its recipients"
        );

        let mut nobody = original();
        nobody.from.clear();
        assert!(reply(&nobody, &me, &ReplyOptions::default()).is_err());
    }

    #[test]
    fn forward_carries_attachments_and_needs_their_bytes() {
        let mut o = original();
        o.attachments.push(super::super::message::MailAttachment {
            filename: "a.bin".into(),
            mime: "application/octet-stream".into(),
            size: 3,
            data: Some(vec![0, 1, 2]),
            attachment_id: None,
        });
        let opts = ForwardOptions {
            to: Mailbox::parse_list("z@example.com").unwrap(),
            text: Some("FYI".into()),
            ..Default::default()
        };
        let f = forward(&o, &opts).unwrap();
        assert_eq!(f.compose.subject, "Fwd: RE: re : Plans");
        assert_eq!(f.compose.attachments[0].data, [0, 1, 2]);
        let text = f.compose.text.unwrap();
        assert!(
            text.starts_with(
                "FYI\n\n---------- Forwarded message ---------\nFrom: Bob <bob@example.com>\n"
            ),
            "{text}"
        );
        assert!(text.ends_with("line one\n\nline two"));
        o.attachments[0].data = None;
        assert!(forward(&o, &opts).is_err());
        assert!(forward(&original(), &ForwardOptions::default()).is_err());
    }
}
