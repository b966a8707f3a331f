//! What every consent flow shares about the redirect back from the authorization server: the
//! callback that shows the authorization URL, the redirect's query parameters (`code`,
//! `state`, `error`), and reading an answer a user pasted (a bare code, the full redirect URL
//! the browser ended on, or its query string). The loopback, console, title and remote flows
//! all use it, and none of them uses another for it.

use url::Url;

use super::paste::check_code;
use crate::error::{Error, ErrorKind, Result};
use crate::secret::{AuthorizationCode, State};

/// A callback that shows the authorization URL to the user.
pub type UrlCallback = Box<dyn Fn(&Url) + Send + Sync>;

/// Shows `url` through the callback, or prints it to stderr.
pub(crate) fn show_url(callback: &Option<UrlCallback>, url: &Url) {
    match callback {
        Some(cb) => cb(url),
        None => eprintln!("Please visit this URL to authorize this application:\n\n    {url}\n"),
    }
}

/// The query parameters of a redirect back from the authorization server.
pub(crate) struct RedirectParams {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

impl RedirectParams {
    pub(crate) fn from_url(url: &Url) -> Self {
        let mut p = RedirectParams {
            code: None,
            state: None,
            error: None,
            error_description: None,
        };
        for (k, v) in url.query_pairs() {
            match k.as_ref() {
                "code" => p.code = Some(v.into_owned()),
                "state" => p.state = Some(v.into_owned()),
                "error" => p.error = Some(v.into_owned()),
                "error_description" => p.error_description = Some(v.into_owned()),
                // `iss` (RFC 9207) and `scope`/`authuser`/`prompt` (Google) are not needed.
                _ => {}
            }
        }
        p
    }

    pub(crate) fn check_state(&self, expected: &State) -> Result<()> {
        match &self.state {
            Some(s) if expected.matches(s) => Ok(()),
            _ => Err(Error::new(
                ErrorKind::StateMismatch,
                "the redirect's `state` does not match this login (a stale or forged redirect)",
            )
            .with_hint("start the login again and use the newest authorization URL")),
        }
    }

    pub(crate) fn into_code(self) -> Result<AuthorizationCode> {
        if let Some(error) = self.error {
            let error: String = error
                .chars()
                .filter(|&c| shown_as_is(c))
                .take(100)
                .collect();
            let detail = self
                .error_description
                .map(|d| {
                    let d: String = d.chars().filter(|&c| shown_as_is(c)).take(300).collect();
                    format!(" ({d})")
                })
                .unwrap_or_default();
            let denied = matches!(error.as_str(), "access_denied" | "admin_policy_enforced");
            let (kind, hint) = if denied {
                (
                    ErrorKind::AccessDenied,
                    "consent was refused; run the login again and allow access, or ask your \
                     administrator to allow this app",
                )
            } else {
                (
                    ErrorKind::OAuth,
                    "check the client id, scopes and redirect URI, then try again",
                )
            };
            return Err(Error::new(
                kind,
                format!("the authorization server returned `{error}`{detail}"),
            )
            .with_oauth_code(error)
            .with_hint(hint));
        }
        match self.code {
            Some(code) if !code.is_empty() => Ok(AuthorizationCode::new(code)),
            _ => Err(Error::new(
                ErrorKind::InvalidResponse,
                "the redirect carried no authorization code",
            )
            .with_hint("start the login again")),
        }
    }
}

/// Whether a character of a redirect's `error` text may be quoted in a message: not a control
/// character, nor a bidi mark, override or isolate, nor a zero-width one (the text comes from
/// a URL anyone can send to the port, or the user pasted).
fn shown_as_is(c: char) -> bool {
    !c.is_control()
        && !matches!(
            c as u32,
            0x00ad | 0x061c | 0x180e | 0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x206f | 0xfeff
        )
}

/// The error for a server that refuses the out-of-band flow.
pub(crate) fn oob_refused(cause: Option<&Error>) -> Error {
    let detail = cause
        .map(|e| format!(" ({})", e.message()))
        .unwrap_or_default();
    let mut err = Error::new(
        ErrorKind::OobRefused,
        format!(
            "the server refused the out-of-band (OOB, urn:ietf:wg:oauth:2.0:oob) flow{detail}; \
             Google blocked it for all clients on 2023-01-31"
        ),
    )
    .with_remedy(crate::error::Remedy::UseLoopbackFlow);
    if let Some(code) = cause.and_then(|e| e.oauth_error_code()) {
        err = err.with_oauth_code(code.to_string());
    }
    err
}

/// What a pasted answer carried: the code, and the redirect URI the browser was sent to when a
/// full URL was pasted (a remote-bootstrap machine's own loopback address, say).
#[derive(Debug)]
pub(crate) struct Pasted {
    pub code: AuthorizationCode,
    pub redirect_uri: Option<String>,
}

/// The redirect URI a pasted redirect URL was sent to (scheme, host, port, path; no query):
/// what the code exchange must repeat. Only loopback http addresses are accepted, as those are
/// the only ones an installed-app login can have been redirected to.
fn redirect_uri_of(url: &Url) -> Result<String> {
    if url.scheme() != "http" || !crate::protocol::transport::is_loopback_host(url) {
        // The host as pasted, shortened: the message is printed again at each re-prompt.
        let host = url.host_str().unwrap_or_default();
        let host = match host.char_indices().nth(60) {
            Some((cut, _)) => format!("{}…", &host[..cut]),
            None => host.to_string(),
        };
        let scheme: String = url.scheme().chars().take(20).collect();
        return Err(Error::new(
            ErrorKind::Config,
            format!(
                "the pasted URL goes to {scheme}://{host}, not to a loopback address (http://localhost:PORT/...)"
            ),
        )
        .with_hint("paste the address the browser ended on after you approved access"));
    }
    let mut base = url.clone();
    base.set_query(None);
    base.set_fragment(None);
    Ok(base.to_string())
}

/// Interprets what the user typed, keeping the redirect URI of a pasted URL.
pub(crate) fn parse_pasted(answer: &str, state: &State, oob: bool) -> Result<Pasted> {
    let answer = answer.trim();
    if answer.is_empty() {
        let err = Error::new(ErrorKind::Config, "no authorization code was entered");
        return Err(if oob {
            err.with_hint(
                "if the browser showed an error about the OOB flow, the server does not allow it",
            )
            .with_remedy(crate::error::Remedy::UseLoopbackFlow)
        } else {
            err.with_hint("paste the code or the full URL shown in the browser's address bar")
        });
    }
    let url = if answer.starts_with("http://") || answer.starts_with("https://") {
        Some(Url::parse(answer).map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("the pasted URL is not valid: {e}"),
            )
            .with_hint("copy the whole address from the browser's address bar")
        })?)
    } else if answer.contains("code=") || answer.contains("error=") {
        let query = answer.trim_start_matches(['?', '/']);
        Url::parse(&format!("http://localhost/?{query}")).ok()
    } else {
        None
    };
    if let Some(url) = url {
        let params = RedirectParams::from_url(&url);
        if params.code.is_none() && params.error.is_none() {
            return Err(Error::new(
                ErrorKind::Config,
                "the pasted URL has no `code` or `error` parameter",
            )
            .with_hint("paste the URL the browser ended on after you approved access"));
        }
        params.check_state(state)?;
        let has_host = answer.starts_with("http://") || answer.starts_with("https://");
        let redirect_uri = if has_host {
            Some(redirect_uri_of(&url)?)
        } else {
            None
        };
        let code = params.into_code()?;
        check_code(code.secret())?;
        return Ok(Pasted { code, redirect_uri });
    }
    if answer.chars().any(char::is_whitespace) {
        let lower = answer.to_ascii_lowercase();
        if oob
            && (lower.contains("oob")
                || lower.contains("out-of-band")
                || lower.contains("invalid_request"))
        {
            return Err(oob_refused(None));
        }
        return Err(Error::new(
            ErrorKind::Config,
            "that does not look like an authorization code (it contains spaces)",
        )
        .with_hint("paste only the code, or the full redirect URL"));
    }
    check_code(answer)?;
    Ok(Pasted {
        code: AuthorizationCode::new(answer),
        redirect_uri: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_error_texts_drop_bidi_and_control_characters() {
        // Found by the `paste` fuzz target: U+202E was quoted in the error.
        let url = Url::parse(
            "http://localhost/?error=access_%E2%80%AEdenied%1B&error_description=a%E2%81%A6b&state=s",
        )
        .unwrap();
        let e = RedirectParams::from_url(&url).into_code().unwrap_err();
        assert!(
            e.message().contains("`access_denied` (ab)"),
            "{}",
            e.message()
        );
    }

    #[test]
    fn redirect_errors() {
        let url = Url::parse("http://localhost/?error=access_denied&state=s").unwrap();
        let p = RedirectParams::from_url(&url);
        assert!(p.check_state(&State::new("s")).is_ok());
        assert!(p.into_code().unwrap_err().is_access_denied());
        let url = Url::parse("http://localhost/?code=c&state=x").unwrap();
        let e = RedirectParams::from_url(&url)
            .check_state(&State::new("s"))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::StateMismatch);
    }

    #[test]
    fn pasted_urls_keep_their_redirect_uri() {
        let s = State::new("st");
        let p = parse_pasted(
            "http://localhost:9123/cb?state=st&code=c2&scope=x",
            &s,
            false,
        )
        .unwrap();
        assert_eq!(p.code.secret(), "c2");
        assert_eq!(p.redirect_uri.as_deref(), Some("http://localhost:9123/cb"));
        let p = parse_pasted("http://127.0.0.1:8/?code=c3&state=st", &s, false).unwrap();
        assert_eq!(p.redirect_uri.as_deref(), Some("http://127.0.0.1:8/"));
        assert!(
            parse_pasted("c4", &s, false)
                .unwrap()
                .redirect_uri
                .is_none()
        );
        assert!(
            parse_pasted("code=c5&state=st", &s, false)
                .unwrap()
                .redirect_uri
                .is_none()
        );
        let e = parse_pasted("https://evil.example/?code=c&state=st", &s, false).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
        assert!(e.message().contains("https://evil.example,"), "{e}");
        // Found by the `paste` fuzz target: a long host was quoted whole at every re-prompt.
        let long = format!("http://{}.example/?code=c&state=st", "y".repeat(5000));
        let e = parse_pasted(&long, &s, false).unwrap_err();
        assert!(e.message().len() < 200, "{e}");
    }
}
