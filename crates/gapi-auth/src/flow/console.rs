//! The console flow: print the authorization URL, read back either the code (out-of-band
//! redirect) or the full redirect URL the browser ended on (a loopback client used on a
//! machine without a browser; its `state` is checked).

use std::io::Write;

use tokio::io::{AsyncBufRead, BufReader};

use super::paste::{LineSplitter, MAX_PASTE_LINE, PastedLine, read_line};
use super::redirect::{UrlCallback, parse_pasted, show_url};
use super::{InstalledFlow, OOB_REDIRECT_URI, is_oob};
use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};
use crate::secret::{AuthorizationCode, State};

/// Options of [`InstalledFlow::run_console`].
#[must_use = "builder methods return the changed value; use it"]
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

/// Interprets what the user typed: a bare code, a full redirect URL, or a query string.
fn parse_answer(answer: &str, state: &State, oob: bool) -> Result<AuthorizationCode> {
    parse_pasted(answer, state, oob).map(|p| p.code)
}

impl InstalledFlow {
    /// Runs the console flow: prints the URL, reads the code or the pasted redirect URL,
    /// exchanges it. When the server refuses OOB, the error says so and names the alternatives.
    /// A repeat consent that issued no refresh token is asked once more with `prompt=consent`
    /// ([`InstalledFlow::consent_retry`]).
    pub fn run_console(
        &self,
        options: ConsoleOptions,
    ) -> crate::credentials::BoxFuture<'_, Result<Credentials>> {
        Box::pin(self.console(options))
    }

    async fn console(&self, mut options: ConsoleOptions) -> Result<Credentials> {
        match self.console_once(&mut options).await {
            Err(e) => match self.consent_retry(&e) {
                Some(again) => again.console_once(&mut options).await,
                None => Err(e),
            },
            done => done,
        }
    }

    async fn console_once(&self, options: &mut ConsoleOptions) -> Result<Credentials> {
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
        let mut input: Box<dyn AsyncBufRead + Unpin + Send> = match options.input.take() {
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
    use crate::error::ErrorKind;

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
}
