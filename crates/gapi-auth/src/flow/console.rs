//! The console flow: print the authorization URL, read back either the code (out-of-band
//! redirect) or the full redirect URL the browser ended on (a loopback client used on a
//! machine without a browser; its `state` is checked).

use std::io::Write;

use tokio::io::{AsyncBufRead, BufReader};
use url::Url;

use super::loopback::{RedirectParams, UrlCallback, show_url};
use super::paste::{LineSplitter, MAX_PASTE_LINE, PastedLine, check_code, read_line};
use super::{InstalledFlow, OOB_REDIRECT_URI, is_oob};
use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};
use crate::secret::{AuthorizationCode, State};

/// Options of [`InstalledFlow::run_console`].
pub struct ConsoleOptions {
    input: Option<Box<dyn AsyncBufRead + Unpin + Send>>,
    on_url: Option<UrlCallback>,
    redirect_uri: Option<String>,
    prompt: String,
}

impl Default for ConsoleOptions {
    fn default() -> Self {
        ConsoleOptions {
            input: None,
            on_url: None,
            redirect_uri: None,
            prompt: "Enter the authorization code (or paste the full URL the browser was sent \
                     to): "
                .to_string(),
        }
    }
}

impl std::fmt::Debug for ConsoleOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsoleOptions")
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

impl ConsoleOptions {
    /// Defaults: read stdin, print to stderr, redirect to `urn:ietf:wg:oauth:2.0:oob` unless
    /// the flow or these options name another redirect URI.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the answer from `input` instead of stdin (tests, GUIs).
    pub fn input(mut self, input: impl AsyncBufRead + Unpin + Send + 'static) -> Self {
        self.input = Some(Box::new(input));
        self
    }

    /// Called with the authorization URL (default: print it to stderr).
    pub fn on_url(mut self, callback: UrlCallback) -> Self {
        self.on_url = Some(callback);
        self
    }

    /// The redirect URI to put in the request: a loopback URI (e.g. `http://localhost:8085/`)
    /// for the paste-the-URL mode, or the OOB URI (the default).
    pub fn redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(uri.into());
        self
    }

    /// The prompt printed before reading (to stderr).
    pub fn prompt(mut self, prompt: impl Into<String>) -> Self {
        self.prompt = prompt.into();
        self
    }
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
    .with_remedy(crate::Remedy::UseLoopbackFlow);
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

/// Interprets what the user typed: a bare code, a full redirect URL, or a query string.
fn parse_answer(answer: &str, state: &State, oob: bool) -> Result<AuthorizationCode> {
    parse_pasted(answer, state, oob).map(|p| p.code)
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
            .with_remedy(crate::Remedy::UseLoopbackFlow)
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

impl InstalledFlow {
    /// Runs the console flow: prints the URL, reads the code or the pasted redirect URL,
    /// exchanges it. When the server refuses OOB, the error says so and names the alternatives.
    pub async fn run_console(&self, options: ConsoleOptions) -> Result<Credentials> {
        let redirect_uri = options
            .redirect_uri
            .clone()
            .or_else(|| self.redirect_uri.clone())
            .unwrap_or_else(|| OOB_REDIRECT_URI.to_string());
        let oob = is_oob(&redirect_uri);
        let (url, state, verifier) = self.authorization_url(&redirect_uri)?;
        show_url(&options.on_url, &url);
        if !oob {
            eprintln!(
                "After approving, the browser is sent to {redirect_uri}... (the page may fail to \
                 load: that is expected). Copy the full URL from its address bar."
            );
        }
        eprint!("{}", options.prompt);
        let _ = std::io::stderr().flush();
        let mut input: Box<dyn AsyncBufRead + Unpin + Send> = match options.input {
            Some(input) => input,
            None => Box::new(BufReader::new(tokio::io::stdin())),
        };
        // Lines are read with a bound; one that is not text, too long, or not a code is
        // said and asked for again: nothing unchecked is sent to the token endpoint.
        let mut splitter = LineSplitter::new(MAX_PASTE_LINE);
        let code = loop {
            let line = read_line(&mut input, &mut splitter)
                .await
                .map_err(|e| Error::io("cannot read the answer from the terminal", e))?;
            let problem = match line {
                None => break parse_answer("", &state, oob)?,
                Some(PastedLine::Text(line)) => match parse_answer(&line, &state, oob) {
                    Ok(code) => break code,
                    Err(e) if e.kind() == ErrorKind::Config && !line.trim().is_empty() => {
                        e.to_string()
                    }
                    Err(e) => return Err(e),
                },
                Some(other) => other.complaint().unwrap_or_default(),
            };
            eprint!("{problem}\n{}", options.prompt);
            let _ = std::io::stderr().flush();
        };
        self.exchange_code(&code, &verifier, &redirect_uri).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers() {
        let s = State::new("st");
        assert_eq!(
            parse_answer(" 4/abc \n", &s, true).unwrap().secret(),
            "4/abc"
        );
        assert_eq!(
            parse_answer(
                "http://localhost:8085/?code=4%2Fx&state=st&scope=a",
                &s,
                false
            )
            .unwrap()
            .secret(),
            "4/x"
        );
        let e = parse_answer("http://localhost:8085/?code=x&state=other", &s, false).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::StateMismatch);
        let e =
            parse_answer("http://localhost/?error=access_denied&state=st", &s, false).unwrap_err();
        assert!(e.is_access_denied());
        assert_eq!(
            parse_answer("code=c1&state=st", &s, false)
                .unwrap()
                .secret(),
            "c1"
        );
        let e = parse_answer("Error 400: invalid_request oob", &s, true).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OobRefused);
        assert!(parse_answer("", &s, true).is_err());
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
