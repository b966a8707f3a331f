//! The window-title flow (`urn:ietf:wg:oauth:2.0:oob:auto`): the server's final page is titled
//! `Success code=CODE` (or `Denied error=REASON`); the app finds the browser window showing it,
//! takes the code, and asks the window to close.
//!
//! Window titles are read over X11 (feature `x11`). Where there is no X display, or the title
//! does not show up in time, the user is asked to paste the code instead. A page elsewhere that
//! fakes such a title gains nothing: the code is bound to this login's PKCE verifier, so a
//! foreign code fails at the token endpoint.

use std::time::Duration;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, BufReader};

use super::redirect::{UrlCallback, show_url};
use super::{InstalledFlow, OOB_AUTO_REDIRECT_URI};
use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};
use crate::secret::AuthorizationCode;

/// What a window title says about the login.
#[derive(Debug)]
pub(crate) enum TitleOutcome {
    /// `Success code=...`: the code (secret).
    Code(AuthorizationCode),
    /// `Denied error=...`: the OAuth error code.
    Denied(String),
}

/// Reads a window title such as `Success code=4/abc - Chromium`.
pub(crate) fn parse_title(title: &str) -> Option<TitleOutcome> {
    let word = |rest: &str| rest.split_whitespace().next().unwrap_or("").to_string();
    if let Some(rest) = title.strip_prefix("Success code=") {
        let code = word(rest);
        return (!code.is_empty()).then(|| TitleOutcome::Code(AuthorizationCode::new(code)));
    }
    if let Some(rest) = title.strip_prefix("Denied error=") {
        let error = word(rest);
        return Some(TitleOutcome::Denied(if error.is_empty() {
            "access_denied".into()
        } else {
            error
        }));
    }
    None
}

/// Options of [`InstalledFlow::run_title`].
#[must_use = "builder methods return the changed value; use it"]
pub struct TitleOptions {
    timeout: Duration,
    poll_interval: Duration,
    open_browser: bool,
    close_window: bool,
    on_url: Option<UrlCallback>,
    input: Option<Box<dyn AsyncBufRead + Unpin + Send>>,
}

impl Default for TitleOptions {
    fn default() -> Self {
        TitleOptions {
            timeout: Duration::from_secs(180),
            poll_interval: Duration::from_millis(200),
            open_browser: true,
            close_window: true,
            on_url: None,
            input: None,
        }
    }
}

impl std::fmt::Debug for TitleOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TitleOptions")
            .field("timeout", &self.timeout)
            .field("poll_interval", &self.poll_interval)
            .field("open_browser", &self.open_browser)
            .field("close_window", &self.close_window)
            .finish_non_exhaustive()
    }
}

impl TitleOptions {
    /// Defaults: open the browser, watch titles for 3 minutes, then ask for the code.
    pub fn new() -> Self {
        Self::default()
    }

    /// How long to watch window titles before asking the user to paste the code.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Whether to open the system browser (the URL is always shown too).
    pub fn open_browser(mut self, open: bool) -> Self {
        self.open_browser = open;
        self
    }

    /// Whether to ask the window that showed the code to close (WM_DELETE_WINDOW).
    pub fn close_window(mut self, close: bool) -> Self {
        self.close_window = close;
        self
    }

    /// Called with the authorization URL (default: print it to stderr).
    pub fn on_url(mut self, callback: UrlCallback) -> Self {
        self.on_url = Some(callback);
        self
    }

    /// Where the pasted code is read from when the title is not found (default stdin).
    pub fn input(mut self, input: impl AsyncBufRead + Unpin + Send + 'static) -> Self {
        self.input = Some(Box::new(input));
        self
    }
}

impl InstalledFlow {
    /// Runs the `oob:auto` flow: open the consent page, read the code from the browser
    /// window's title (X11), fall back to asking for it.
    /// A repeat consent that issued no refresh token is asked once more with `prompt=consent`
    /// ([`InstalledFlow::consent_retry`]).
    pub fn run_title(
        &self,
        options: TitleOptions,
    ) -> crate::credentials::BoxFuture<'_, Result<Credentials>> {
        Box::pin(self.title(options))
    }

    async fn title(&self, mut options: TitleOptions) -> Result<Credentials> {
        match self.title_once(&mut options).await {
            Err(e) => match self.consent_retry(&e) {
                Some(again) => again.title_once(&mut options).await,
                None => Err(e),
            },
            done => done,
        }
    }

    async fn title_once(&self, options: &mut TitleOptions) -> Result<Credentials> {
        let (url, _state, verifier) = self.authorization_url(OOB_AUTO_REDIRECT_URI)?;
        show_url(&options.on_url, &url);
        if options.open_browser {
            let to_open = url.to_string();
            tokio::task::spawn_blocking(move || {
                if let Err(e) = webbrowser::open(&to_open) {
                    tracing::debug!(error = %e, "could not open a browser");
                }
            });
        }
        let found =
            watch_titles(options.timeout, options.poll_interval, options.close_window).await;
        let outcome = match found {
            Ok(Some(outcome)) => outcome,
            Ok(None) => {
                eprintln!(
                    "Did not see the code in a window title. Paste the code the page shows: "
                );
                read_code(options.input.take()).await?
            }
            Err(reason) => {
                tracing::info!("cannot read window titles ({reason}); asking for the code");
                eprintln!("Paste the code the page shows: ");
                read_code(options.input.take()).await?
            }
        };
        match outcome {
            TitleOutcome::Code(code) => {
                self.exchange_code(&code, &verifier, OOB_AUTO_REDIRECT_URI)
                    .await
            }
            TitleOutcome::Denied(error) => Err(Error::new(
                ErrorKind::AccessDenied,
                format!("the authorization was refused ({error})"),
            )
            .with_oauth_code(error)
            .with_hint("run the login again and choose Allow on the consent page")),
        }
    }
}

async fn read_code(input: Option<Box<dyn AsyncBufRead + Unpin + Send>>) -> Result<TitleOutcome> {
    let mut input: Box<dyn AsyncBufRead + Unpin + Send> = match input {
        Some(i) => i,
        None => Box::new(BufReader::new(tokio::io::stdin())),
    };
    let mut line = String::new();
    input
        .read_line(&mut line)
        .await
        .map_err(|e| Error::io("reading the authorization code", e))?;
    let line = line.trim();
    if line.is_empty() {
        return Err(
            Error::new(ErrorKind::Config, "no authorization code was entered")
                .with_hint("copy the code from the browser page and paste it, then press Enter"),
        );
    }
    // Accept the bare code or the whole title text.
    Ok(parse_title(line)
        .unwrap_or_else(|| TitleOutcome::Code(AuthorizationCode::new(line.to_string()))))
}

/// Polls window titles until one carries the outcome, the timeout passes, or X11 is unusable.
async fn watch_titles(
    timeout: Duration,
    interval: Duration,
    close: bool,
) -> std::result::Result<Option<TitleOutcome>, String> {
    #[cfg(feature = "x11")]
    {
        tokio::task::spawn_blocking(move || x11::watch(timeout, interval, close))
            .await
            .map_err(|e| format!("the title watcher stopped: {e}"))?
    }
    #[cfg(not(feature = "x11"))]
    {
        let _ = (timeout, interval, close);
        Err("this build of gapi-auth has no X11 support (feature `x11`)".to_string())
    }
}

#[cfg(feature = "x11")]
mod x11 {
    //! Reading top-level window titles over the X11 protocol (pure Rust, x11rb).

    use std::time::{Duration, Instant};

    use x11rb::connection::Connection;
    use x11rb::protocol::xproto::{
        AtomEnum, ClientMessageEvent, ConnectionExt as _, EventMask, Window,
    };
    use x11rb::rust_connection::RustConnection;

    use super::{TitleOutcome, parse_title};

    struct Atoms {
        net_wm_name: u32,
        utf8_string: u32,
        wm_protocols: u32,
        wm_delete_window: u32,
    }

    fn atom(conn: &RustConnection, name: &[u8]) -> Result<u32, String> {
        conn.intern_atom(false, name)
            .map_err(|e| e.to_string())?
            .reply()
            .map(|r| r.atom)
            .map_err(|e| e.to_string())
    }

    fn title_of(conn: &RustConnection, atoms: &Atoms, win: Window) -> Option<String> {
        let get = |prop: u32, ty: u32| {
            conn.get_property(false, win, prop, ty, 0, 1024)
                .ok()?
                .reply()
                .ok()
                .filter(|r| !r.value.is_empty())
                .map(|r| String::from_utf8_lossy(&r.value).into_owned())
        };
        get(atoms.net_wm_name, atoms.utf8_string)
            .or_else(|| get(AtomEnum::WM_NAME.into(), AtomEnum::STRING.into()))
    }

    /// Depth-first over the window tree (window managers reparent top-levels into frames).
    fn find(
        conn: &RustConnection,
        atoms: &Atoms,
        win: Window,
        depth: u8,
    ) -> Option<(Window, TitleOutcome)> {
        let tree = conn.query_tree(win).ok()?.reply().ok()?;
        for child in tree.children {
            if let Some(outcome) = title_of(conn, atoms, child)
                .as_deref()
                .and_then(parse_title)
            {
                return Some((child, outcome));
            }
            if depth > 0
                && let Some(found) = find(conn, atoms, child, depth - 1)
            {
                return Some(found);
            }
        }
        None
    }

    fn close_window(conn: &RustConnection, atoms: &Atoms, win: Window) {
        let event = ClientMessageEvent::new(
            32,
            win,
            atoms.wm_protocols,
            [atoms.wm_delete_window, x11rb::CURRENT_TIME, 0, 0, 0],
        );
        let _ = conn.send_event(false, win, EventMask::NO_EVENT, event);
        let _ = conn.flush();
    }

    pub(super) fn watch(
        timeout: Duration,
        interval: Duration,
        close: bool,
    ) -> Result<Option<TitleOutcome>, String> {
        if std::env::var_os("DISPLAY").is_none_or(|d| d.is_empty()) {
            return Err("no X display ($DISPLAY is not set)".into());
        }
        let (conn, screen) =
            x11rb::connect(None).map_err(|e| format!("cannot connect to the X display: {e}"))?;
        let atoms = Atoms {
            net_wm_name: atom(&conn, b"_NET_WM_NAME")?,
            utf8_string: atom(&conn, b"UTF8_STRING")?,
            wm_protocols: atom(&conn, b"WM_PROTOCOLS")?,
            wm_delete_window: atom(&conn, b"WM_DELETE_WINDOW")?,
        };
        let root = conn
            .setup()
            .roots
            .get(screen)
            .map(|s| s.root)
            .ok_or("the X display has no such screen")?;
        let deadline = Instant::now() + timeout;
        loop {
            if let Some((win, outcome)) = find(&conn, &atoms, root, 3) {
                if close {
                    close_window(&conn, &atoms, win);
                }
                return Ok(Some(outcome));
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            std::thread::sleep(interval);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_with_a_code_or_an_error_are_recognised() {
        match parse_title("Success code=4/abc_DEF-1 - Chromium") {
            Some(TitleOutcome::Code(c)) => assert_eq!(c.secret(), "4/abc_DEF-1"),
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            parse_title("Denied error=access_denied - Chromium"),
            Some(TitleOutcome::Denied(e)) if e == "access_denied"
        ));
        assert!(parse_title("Sign in - gapi emulator - Chromium").is_none());
        assert!(parse_title("Success code=").is_none());
    }

    #[tokio::test]
    async fn pasted_code_or_title_is_accepted() {
        let input = BufReader::new(&b"Success code=xyz - Chromium\n"[..]);
        match read_code(Some(Box::new(input))).await.unwrap() {
            TitleOutcome::Code(c) => assert_eq!(c.secret(), "xyz"),
            other => panic!("unexpected {other:?}"),
        }
        let input = BufReader::new(&b"  plain-code \n"[..]);
        match read_code(Some(Box::new(input))).await.unwrap() {
            TitleOutcome::Code(c) => assert_eq!(c.secret(), "plain-code"),
            other => panic!("unexpected {other:?}"),
        }
        let empty = BufReader::new(&b"\n"[..]);
        assert!(read_code(Some(Box::new(empty))).await.is_err());
    }
}
