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

/// Marks an error as a usage error (exit 2) while keeping its message.
#[derive(Debug)]
pub struct Usage(pub String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// Marks an error as "log in first" (exit 3) while keeping its message.
#[derive(Debug)]
pub struct LoginNeeded(pub String);

impl std::fmt::Display for LoginNeeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoginNeeded {}

/// Builds a "log in first" error.
pub fn login_needed(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(LoginNeeded(msg.into()))
}

/// Builds a usage error.
pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Usage(msg.into()))
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

/// A library hint in this CLI's words (the commands that do it), else its plain sentence.
fn cli_hint(hint: gapi_client::Hint) -> &'static str {
    match hint {
        gapi_client::Hint::ListApis => "`gapi apis` lists the known APIs",
        other => other.text(),
    }
}

/// Prints an error as `error: ...`, its causes, then every `hint:` line last, and returns the
/// exit status.
pub fn report(err: &anyhow::Error) -> ExitCode {
    eprintln!("{}", render(err));
    ExitCode::from(code_for(err))
}

/// The text `report` prints: message, causes (deduplicated), hints at the end; control,
/// bidirectional and format characters of any of them escaped ([`crate::output::visible_lines`]).
pub fn render(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut hints: Vec<String> = Vec::new();
    // gapi-auth words its hints without naming a program; they are said here as commands.
    let auth_hints = crate::auth_hints::replacements(err);
    for cause in err.chain() {
        let mut body = Vec::new();
        let mut cause_text = cause.to_string();
        for (library, cli) in &auth_hints {
            cause_text = cause_text.replace(library, cli);
        }
        // Error text carries server messages, API names, paths and emails from files: each
        // line goes through the one escaping function before it reaches the terminal.
        for line in cause_text.lines() {
            let line = crate::output::visible_lines(line);
            if line.trim_start().starts_with("hint:") {
                let hint = line.trim().to_string();
                if !hints.contains(&hint) {
                    hints.push(hint);
                }
            } else {
                body.push(line.to_string());
            }
        }
        // gapi-client carries its hints as data; they are said here.
        if let Some(hint) = cause
            .downcast_ref::<gapi_client::Error>()
            .and_then(gapi_client::Error::hint)
        {
            let hint = format!("hint: {}", cli_hint(hint));
            if !hints.contains(&hint) {
                hints.push(hint);
            }
        }
        let body = body.join("\n");
        if !body.trim().is_empty() && !parts.iter().any(|p| p.contains(body.trim())) {
            parts.push(body);
        }
    }
    let mut text = String::from("error: ");
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            text.push_str("\n  caused by: ");
        }
        text.push_str(part);
    }
    // With GAPI_CLIENT_SECRETS set, `gapi auth login` needs no --client-secrets: the hint
    // then names the exact command.
    let env_secrets = std::env::var_os("GAPI_CLIENT_SECRETS").is_some_and(|v| !v.is_empty());
    for hint in hints {
        text.push('\n');
        if env_secrets {
            text.push_str(&hint.replace(" --client-secrets FILE", ""));
        } else {
            text.push_str(&hint);
        }
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
    fn hints_go_last_and_causes_are_not_repeated() {
        let inner = anyhow::anyhow!("token refresh failed\nhint: log in again");
        let err = inner
            .context("hint: run `gapi auth login`")
            .context("calling drive.files.list");
        let text = render(&err);
        assert_eq!(
            text,
            "error: calling drive.files.list\n  caused by: token refresh failed\nhint: run `gapi auth login`\nhint: log in again"
        );
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
    }

    #[test]
    fn usage_errors_exit_2_and_login_errors_exit_3() {
        assert_eq!(code_for(&usage("bad")), USAGE);
        assert_eq!(code_for(&login_needed("log in").context("x")), AUTH);
        assert_eq!(code_for(&anyhow::anyhow!("other")), OTHER);
    }
}
