//! The `+helper` commands: everyday Workspace work in one line (`gapi gmail +send`,
//! `gapi sheets +append`...), thin over `gapi-workspace`.
//!
//! A helper is named with a leading `+` beside an API's Discovery methods. Its words are
//! parsed by `crate::cli::helpers` (clap, one module per API) and it runs on the same services as any method
//! call ([`ctx::Ctx`]): the same credentials and profiles, retry policy, the global
//! `--read-only` and `--allow` policy (checked on every method the helper will call before
//! anything is sent),
//! `--dry-run`, `-o FILE`, `--format` and `--jq`.

mod calendar;
mod ctx;
mod docs;
mod drive;
mod gmail;
mod sheets;

use std::process::ExitCode;

use crate::cli::GlobalArgs;
use crate::cli::helpers::{ApiHelper, Helper};
pub use crate::cli::helpers::{CommonFlags, OutputFlags};

/// Runs a helper.
pub async fn run(global: &GlobalArgs, helper: Helper) -> anyhow::Result<ExitCode> {
    match helper.api {
        ApiHelper::Gmail(h) => gmail::run(global, h).await,
        ApiHelper::Calendar(h) => calendar::run(global, h).await,
        ApiHelper::Sheets(h) => sheets::run(global, h).await,
        ApiHelper::Docs(h) => docs::run(global, h).await,
        ApiHelper::Drive(h) => drive::run(global, h).await,
    }
}

/// Text from `--X TEXT`, `--X-file FILE` or stdin (`-`), read once.
pub fn read_text(
    text: Option<&str>,
    file: Option<&std::path::Path>,
    what: &str,
) -> anyhow::Result<Option<String>> {
    use anyhow::Context;
    if let Some(t) = text {
        return Ok(Some(t.to_string()));
    }
    let Some(path) = file else { return Ok(None) };
    if path.as_os_str() == "-" {
        return std::io::read_to_string(std::io::stdin())
            .with_context(|| format!("reading the {what} from stdin"))
            .map(Some);
    }
    std::fs::read_to_string(path)
        .map_err(|e| {
            crate::exit::usage(format!(
                "cannot read the {what} file {}: {e}",
                path.display()
            ))
        })
        .map(Some)
}

#[cfg(test)]
mod tests {
    use crate::cli::{Action, parse};

    fn p(args: &[&str]) -> Result<crate::cli::Parsed, clap::Error> {
        parse(args.iter().map(OsString::from).collect())
    }
    use std::ffi::OsString;

    #[test]
    fn subject_before_the_api_is_delegation_after_a_mail_helper_the_mail_subject() {
        let parsed = p(&[
            "gapi",
            "--subject",
            "boss@corp.example",
            "--profile",
            "sa",
            "gmail",
            "+send",
            "--to",
            "a@example.com",
            "--subject",
            "Hi",
            "--body",
            "x",
        ])
        .unwrap();
        assert_eq!(parsed.global.subject.as_deref(), Some("boss@corp.example"));
        assert_eq!(parsed.global.profile_request(), Some("sa"));
        let Action::Helper(h) = parsed.action else {
            panic!("a helper")
        };
        let crate::cli::helpers::ApiHelper::Gmail(crate::cli::helpers::gmail::GmailHelper::Send(
            args,
        )) = h.api
        else {
            panic!("gmail +send")
        };
        assert_eq!(args.subject(), "Hi");
        // Without a leading --subject, no delegation.
        let parsed = p(&[
            "gapi",
            "gmail",
            "+send",
            "--to",
            "a@example.com",
            "--subject",
            "Hi",
            "--body",
            "x",
            "--profile",
            "work",
        ])
        .unwrap();
        assert_eq!(parsed.global.subject, None);
        assert_eq!(parsed.global.profile_request(), Some("work"));
        assert!(parsed.global.origin("subject").is_none());
        // A helper without a mail subject refuses it after its words.
        assert!(
            p(&[
                "gapi",
                "gmail",
                "+read",
                "--message-id",
                "x",
                "--subject",
                "b@x"
            ])
            .is_err()
        );
        // A global given twice is refused, as for a method call.
        let e = p(&[
            "gapi",
            "--profile",
            "a",
            "gmail",
            "+read",
            "--message-id",
            "x",
            "--profile",
            "b",
        ])
        .unwrap_err();
        assert!(e.to_string().contains("given both before and after"), "{e}");
    }
}
