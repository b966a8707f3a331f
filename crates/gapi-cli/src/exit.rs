//! Exit codes and the one place errors are printed.
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | success |
//! | 1 | any other error |
//! | 2 | bad arguments (usage, unknown parameter, invalid value) |
//! | 3 | authorization needed, expired, revoked or refused |
//! | 4 | the API answered 4xx |
//! | 5 | the API answered 5xx |
//! | 6 | network error (could not connect, timed out) |

use std::process::ExitCode;

pub use crate::hint::{About, Hint};

/// Exit status for any other error.
pub const OTHER: u8 = 1;
/// Exit status for bad arguments.
pub const USAGE: u8 = 2;
/// Exit status for authorization problems.
pub const AUTH: u8 = 3;
/// Exit status for a 4xx answer.
pub const API_4XX: u8 = 4;
/// Exit status for a 5xx answer.
pub const API_5XX: u8 = 5;
/// Exit status for network failures.
pub const NETWORK: u8 = 6;

/// Marks an error as a usage error (exit 2) while keeping its message and hint.
#[derive(Debug)]
pub struct Usage {
    message: String,
    hint: Option<Hint>,
}

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Usage {}

/// Marks an error as "log in first" (exit 3) while keeping its message and hint.
#[derive(Debug)]
pub struct LoginNeeded {
    message: String,
    hint: Option<Hint>,
}

impl std::fmt::Display for LoginNeeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LoginNeeded {}

/// An error with a hint added on its way out ([`with_hint`]): the hint is said with the
/// others, the error itself is the next cause (this layer prints nothing of its own).
#[derive(Debug)]
pub struct Hinted {
    hint: Hint,
    source: anyhow::Error,
}

impl std::fmt::Display for Hinted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "hint: {}", self.hint.text())
    }
}

impl std::error::Error for Hinted {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// `err` with `hint` said first among its hints.
pub fn with_hint(err: anyhow::Error, hint: Hint) -> anyhow::Error {
    anyhow::Error::new(Hinted { hint, source: err })
}

/// Builds a "log in first" error with its hint.
pub fn login_needed_hint(msg: impl Into<String>, hint: Hint) -> anyhow::Error {
    anyhow::Error::new(LoginNeeded {
        message: msg.into(),
        hint: Some(hint),
    })
}

/// Builds a usage error.
pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Usage {
        message: msg.into(),
        hint: None,
    })
}

/// Builds a usage error with its hint.
pub fn usage_hint(msg: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Usage {
        message: msg.into(),
        hint: Some(Hint::new(hint)),
    })
}

/// A gapi-auth error as a usage error (exit 2): its message after `prefix`, its hint in this
/// CLI's words.
pub fn usage_of(prefix: Option<String>, e: &gapi_auth::Error) -> anyhow::Error {
    anyhow::Error::new(Usage {
        message: match prefix {
            Some(p) => format!("{p}: {e}"),
            None => e.to_string(),
        },
        hint: crate::auth_hints::hint(e),
    })
}

/// Chooses the exit status for an error by looking through its chain.
pub fn code_for(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if cause.downcast_ref::<Usage>().is_some() {
            return USAGE;
        }
        if cause.downcast_ref::<LoginNeeded>().is_some() {
            return AUTH;
        }
        if let Some(e) = cause.downcast_ref::<gapi_client::Error>() {
            // Getting a token failed: the credentials' own error tells network from auth.
            if e.is_auth()
                && !e.needs_login()
                && let Some(inner) = err
                    .chain()
                    .find_map(|c| c.downcast_ref::<gapi_auth::Error>())
            {
                return auth_code(inner);
            }
            return client_code(e);
        }
        if let Some(e) = cause.downcast_ref::<gapi_auth::Error>() {
            return auth_code(e);
        }
        if cause.downcast_ref::<clap::Error>().is_some() {
            return USAGE;
        }
    }
    OTHER
}

/// A broken credentials file, a refused or expired grant: 3. A local file that cannot be read
/// or written: 1. A bad client secrets file, profile name or option: 2. The network: 6.
fn auth_code(e: &gapi_auth::Error) -> u8 {
    use gapi_auth::ErrorKind;
    if e.is_retryable() {
        return NETWORK;
    }
    match e.kind() {
        ErrorKind::Transport => NETWORK,
        ErrorKind::Io => OTHER,
        ErrorKind::Config | ErrorKind::InsecureTransport => USAGE,
        _ => AUTH,
    }
}

fn client_code(e: &gapi_client::Error) -> u8 {
    if e.needs_login() || e.is_auth() {
        return AUTH;
    }
    match (e.http_status(), e) {
        (Some(s), _) if (400..500).contains(&s) => API_4XX,
        (Some(s), _) if s >= 500 => API_5XX,
        (Some(_), _) => OTHER,
        (None, e) if e.is_invalid_argument() => USAGE,
        (None, e) if e.is_network() => NETWORK,
        _ => OTHER,
    }
}

/// A gapi-client hint in this CLI's words (the commands that do it), else its plain sentence.
fn client_hint(hint: gapi_client::Hint) -> Hint {
    match hint {
        gapi_client::Hint::ListApis => Hint::new("`gapi apis` lists the known APIs"),
        gapi_client::Hint::LogInAgain => Hint::of(hint.text(), About::BareLogin),
        gapi_client::Hint::GrantScope => Hint::of(hint.text(), About::Login),
        other => Hint::new(other.text()),
    }
}

/// The hint a cause carries, by its type (as uv's `hints_for_error`).
fn hint_of(cause: &(dyn std::error::Error + 'static)) -> Option<Hint> {
    if let Some(h) = cause.downcast_ref::<Hinted>() {
        return Some(h.hint.clone());
    }
    if let Some(u) = cause.downcast_ref::<Usage>() {
        return u.hint.clone();
    }
    if let Some(l) = cause.downcast_ref::<LoginNeeded>() {
        return l.hint.clone();
    }
    if let Some(e) = cause.downcast_ref::<gapi_client::Error>() {
        return e.hint().map(client_hint);
    }
    if let Some(e) = cause.downcast_ref::<gapi_auth::Error>() {
        return crate::auth_hints::hint(e);
    }
    None
}

/// Every hint of the error's chain, outermost first, each once; a bare "log in again" is left
/// out when another hint says how.
pub fn hints_for_error(err: &anyhow::Error) -> Vec<Hint> {
    let mut hints: Vec<Hint> = Vec::new();
    for hint in err.chain().filter_map(hint_of) {
        if !hints.contains(&hint) {
            hints.push(hint);
        }
    }
    if hints.iter().any(|h| h.about() == About::Login) {
        hints.retain(|h| h.about() != About::BareLogin);
    }
    hints
}

/// Prints an error as `error: ...`, its causes, then every `hint:` line last, and returns the
/// exit status.
pub fn report(err: &anyhow::Error) -> ExitCode {
    eprintln!("{}", render(err));
    ExitCode::from(code_for(err))
}

/// The text `report` prints: the message, each cause on its own line (every error says its
/// own words once: a wrapper prints its cause or returns it, never both), the hints last;
/// control, bidirectional and format characters of any of them escaped
/// ([`crate::output::visible_lines`]).
pub fn render(err: &anyhow::Error) -> String {
    // Error text carries server messages, API names, paths and emails from files, and a hint
    // may quote them: every line goes through the one escaping function before it reaches
    // the terminal.
    let causes: Vec<String> = err
        .chain()
        .filter(|cause| !cause.is::<Hinted>())
        .map(|cause| crate::output::visible_lines(&cause.to_string()).into_owned())
        .collect();
    let mut text = format!("error: {}", causes.join("\n  caused by: "));
    for hint in hints_for_error(err) {
        text.push_str("\nhint: ");
        text.push_str(&crate::output::visible_lines(hint.text()));
    }
    text
}

/// Prints a clap error (help and version go to stdout with status 0).
pub fn report_clap(err: clap::Error) -> ExitCode {
    let _ = err.print();
    ExitCode::from(if err.use_stderr() { USAGE } else { 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_hints_are_said_in_cli_words() {
        let err = gapi_client::build("drvie", "v3", gapi_client::NoAuth).unwrap_err();
        let text = render(&anyhow::Error::new(err));
        assert!(
            text.ends_with("hint: `gapi apis` lists the known APIs"),
            "{text}"
        );
    }

    #[test]
    fn hints_go_last_and_each_cause_is_said_once() {
        let inner = login_needed_hint(
            "token refresh failed",
            Hint::of("log in again", About::BareLogin),
        );
        let err = with_hint(inner, Hint::of("run `gapi auth login`", About::Login))
            .context("calling drive.files.list");
        assert_eq!(
            render(&err),
            "error: calling drive.files.list\n  caused by: token refresh failed\nhint: run `gapi auth login`"
        );
        // Without a command, the bare hint stays; the same hint is said once.
        let err = with_hint(login_needed_hint("a", Hint::new("h")), Hint::new("h"));
        assert_eq!(render(&err), "error: a\nhint: h");
        assert_eq!(code_for(&err), AUTH);
    }

    /// A credential error inside a client error: its message once (the client's own words
    /// are "authorization failed"), its remedy as the one hint, in this CLI's words.
    #[tokio::test]
    async fn a_credential_error_through_the_client_is_said_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = gapi_auth::FileStore::new(dir.path());
        let auth = gapi_auth::select_credentials(&store, Some("work"), None)
            .await
            .unwrap_err();
        let message = auth.to_string();
        let err = anyhow::Error::new(gapi_client::Error::auth_needs_login(auth));
        let text = render(&err);
        assert_eq!(text.matches(&message).count(), 1, "{text}");
        assert!(
            text.starts_with(&format!(
                "error: authorization failed\n  caused by: {message}\n"
            )),
            "{text}"
        );
        assert!(
            text.ends_with("\nhint: run `gapi auth login --client-secrets FILE --profile work`"),
            "{text}"
        );
        assert_eq!(text.matches("hint:").count(), 1, "{text}");
    }

    #[test]
    fn client_secrets_and_profile_problems_are_usage_errors() {
        let bad_json = gapi_auth::ClientSecrets::from_json("{").unwrap_err();
        assert_eq!(code_for(&anyhow::Error::new(bad_json)), USAGE);
        let bad_profile = gapi_auth::validate_profile("../x").unwrap_err();
        assert_eq!(code_for(&anyhow::Error::new(bad_profile)), USAGE);
        let plain_http = gapi_auth::ClientSecrets::from_json(
            r#"{"installed":{"client_id":"a","token_uri":"http://example.com/token"}}"#,
        )
        .unwrap_err();
        assert_eq!(code_for(&anyhow::Error::new(plain_http)), USAGE);
    }

    #[test]
    fn error_text_from_outside_cannot_drive_the_terminal() {
        let inner = anyhow::anyhow!("server said: \x1b[2K\x1b[1Agone \u{202e}txt.exe\r");
        let err = inner.context("calling drive.files.list\u{200b}");
        let text = render(&err);
        assert!(
            !text
                .chars()
                .any(|c| (c.is_control() && c != '\n') || ('\u{200b}'..='\u{202e}').contains(&c)),
            "{text:?}"
        );
        assert!(
            text.contains("\\x1b[2K") && text.contains("\\u202e"),
            "{text}"
        );
        // A hint is data but may quote outside text: escaped the same way.
        let hinted = with_hint(
            anyhow::anyhow!("bad"),
            Hint::new("try \x1b]0;title\x07 again"),
        );
        assert_eq!(
            render(&hinted),
            "error: bad\nhint: try \\x1b]0;title\\x07 again"
        );
    }

    #[test]
    fn usage_errors_exit_2_and_login_errors_exit_3() {
        assert_eq!(code_for(&usage("bad")), USAGE);
        assert_eq!(
            code_for(&login_needed_hint("log in", Hint::new("h")).context("x")),
            AUTH
        );
        assert_eq!(code_for(&anyhow::anyhow!("other")), OTHER);
    }
}
