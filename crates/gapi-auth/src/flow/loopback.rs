//! The loopback redirect flow (RFC 8252 section 7.3): a one-shot HTTP server on 127.0.0.1 (and
//! `[::1]` on the same port when possible) that waits for the browser's redirect.
//!
//! A small hand-written HTTP/1.1 reader: it only needs the request line and the `Host` header.
//! Stray requests (`/favicon.ico`) get a 404 and do not end the wait; requests with a foreign
//! `Host` header get a 403 (DNS rebinding); the first request on the redirect path carrying
//! `code` or `error` ends it, after its `state` has been checked.
//!
//! Where no browser can be opened (or when asked not to open one) the flow turns headless (see
//! [`super::headless`]): it prints how to finish the login from another machine and, when told
//! to, reads a pasted redirect URL or code from the terminal while the port keeps listening.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncBufRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use url::Url;

use super::InstalledFlow;
use super::headless::{
    HeadlessPrompt, PasteInput, bootstrap_url, browser_unavailable, shell_quote,
};
use super::paste::PastedLine;
use super::redirect::{Pasted, RedirectParams, UrlCallback, parse_pasted, show_url};
use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};
use crate::secret::{AuthorizationCode, State};

/// A callback that shows the instructions of a headless login.
pub type HeadlessCallback = Box<dyn Fn(&HeadlessPrompt) + Send + Sync>;

const DEFAULT_SUCCESS: &str = "The authentication flow has completed. You may close this window.";
const MAX_HEAD: usize = 16 * 1024;

/// Options of the loopback redirect server.
#[must_use = "builder methods return the changed value; use it"]
pub struct LocalServer {
    pub(super) host: String,
    pub(super) port: u16,
    pub(super) path: String,
    pub(super) timeout: Duration,
    pub(super) open_browser: bool,
    pub(super) success_text: String,
    pub(super) success_html: Option<String>,
    pub(super) on_url: Option<UrlCallback>,
    accept_paste: bool,
    paste_input: Option<Box<dyn AsyncBufRead + Unpin + Send>>,
    bootstrap_command: Option<String>,
    on_headless: Option<HeadlessCallback>,
}

impl Default for LocalServer {
    fn default() -> Self {
        LocalServer {
            host: "localhost".to_string(),
            port: 0,
            path: "/".to_string(),
            timeout: Duration::from_secs(300),
            open_browser: true,
            success_text: DEFAULT_SUCCESS.to_string(),
            success_html: None,
            on_url: None,
            accept_paste: false,
            paste_input: None,
            bootstrap_command: None,
            on_headless: None,
        }
    }
}

impl std::fmt::Debug for LocalServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalServer")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("path", &self.path)
            .field("timeout", &self.timeout)
            .field("open_browser", &self.open_browser)
            .field("accept_paste", &self.accept_paste)
            .field("bootstrap_command", &self.bootstrap_command)
            .finish_non_exhaustive()
    }
}

impl LocalServer {
    /// Default options: advertise `http://localhost:<ephemeral port>/`, wait 5 minutes, open
    /// the browser, print the URL to stderr.
    pub fn new() -> Self {
        Self::default()
    }

    /// Options matching a loopback redirect URI such as `http://127.0.0.1:8080/callback`
    /// (host, port and path taken from it; no port means any free port).
    pub fn from_redirect_uri(uri: &str) -> Result<Self> {
        let bad = |why: &str| {
            Error::new(
                ErrorKind::Config,
                format!("the redirect URI `{uri}` cannot be served locally: {why}"),
            )
            .with_hint(
                "use http://localhost[:PORT][/path], http://127.0.0.1[:PORT][/path] or \
                 http://[::1][:PORT][/path]",
            )
        };
        let url = Url::parse(uri).map_err(|e| bad(&e.to_string()))?;
        if url.scheme() != "http" {
            return Err(bad("the scheme must be http"));
        }
        if !crate::protocol::transport::is_loopback_host(&url) {
            return Err(bad("the host is not a loopback address"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("it must not have a query or fragment"));
        }
        let host = match url.host() {
            Some(url::Host::Ipv6(ip)) => format!("[{ip}]"),
            Some(h) => h.to_string(),
            None => return Err(bad("it has no host")),
        };
        Ok(Self::default()
            .host(host)
            .port(url.port().unwrap_or(0))
            .path(url.path()))
    }

    /// The port it will listen on (0 = any free port), e.g. the one a redirect URI named.
    pub fn listen_port(&self) -> u16 {
        self.port
    }

    /// The port to listen on (0 = any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The host advertised in the redirect URI: `localhost` (Google's registration),
    /// `127.0.0.1` or `[::1]` (servers that match the literal).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        let host = host.into();
        // A bare IPv6 literal needs brackets in a URL.
        self.host = if host.contains(':') && !host.starts_with('[') {
            format!("[{host}]")
        } else {
            host
        };
        self
    }

    /// The redirect path (default `/`).
    pub fn path(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        self.path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        self
    }

    /// How long to wait for the redirect.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Whether to open the system browser (through `$BROWSER` or the platform opener).
    pub fn open_browser(mut self, open: bool) -> Self {
        self.open_browser = open;
        self
    }

    /// The text of the success page (HTML-escaped; the default says the window can be closed).
    pub fn success_text(mut self, text: impl Into<String>) -> Self {
        self.success_text = text.into();
        self
    }

    /// A complete HTML document served as the success page instead of the default one.
    pub fn success_html(mut self, html: impl Into<String>) -> Self {
        self.success_html = Some(html.into());
        self
    }

    /// Called with the authorization URL (default: print it to stderr).
    pub fn on_url(mut self, callback: UrlCallback) -> Self {
        self.on_url = Some(callback);
        self
    }

    /// Also reads the terminal (stdin) while waiting: a pasted redirect URL or code finishes
    /// the login like a redirect reaching the port. Off by default in the library; the reader
    /// is a thread that may still consume one more line of stdin after the login ended.
    pub fn accept_paste(mut self, on: bool) -> Self {
        self.accept_paste = on;
        self
    }

    /// Reads pasted answers from `input` instead of stdin (tests, GUIs); implies accepting
    /// pastes.
    pub fn paste_input(mut self, input: impl AsyncBufRead + Unpin + Send + 'static) -> Self {
        self.paste_input = Some(Box::new(input));
        self
    }

    /// Offers two-machine login in headless mode: the instructions name `PREFIX 'URL'` (e.g.
    /// `gapi auth login --remote-bootstrap`) to run on a machine with a browser, whose printed
    /// redirect URL is then pasted back here.
    pub fn remote_bootstrap_command(mut self, prefix: impl Into<String>) -> Self {
        self.bootstrap_command = Some(prefix.into());
        self
    }

    /// Called with the instructions of a headless login (default: print them to stderr, or
    /// hand only the URL to [`LocalServer::on_url`] when that is set).
    pub fn on_headless(mut self, callback: HeadlessCallback) -> Self {
        self.on_headless = Some(callback);
        self
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub(super) fn page(title: &str, text: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body style=\"font-family:sans-serif;margin:3em\"><h1>{t}</h1><p>{x}</p></body></html>",
        t = html_escape(title),
        x = html_escape(text)
    )
}

/// A parsed request head.
pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) target: String,
    pub(crate) host: Option<String>,
}

/// The browser connection that carried the code; answered once the exchange is done.
pub(crate) struct PendingResponse {
    stream: TcpStream,
}

impl PendingResponse {
    pub(super) async fn send(mut self, status: &str, body: &str) {
        write_response(&mut self.stream, status, body).await;
    }
}

async fn write_response(stream: &mut TcpStream, status: &str, body: &str) {
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.set_nodelay(true);
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

async fn read_head(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
    }
    parse_head(&buf)
}

/// Parses a request head (request line and headers, as read from the socket): `None` when it
/// is not a request line followed by headers. Only the method, target and `Host` are kept.
pub(crate) fn parse_head(buf: &[u8]) -> Option<Request> {
    let text = String::from_utf8_lossy(buf);
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let target = request_line.next()?.to_string();
    let host = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.trim().to_string());
    Some(Request {
        method,
        target,
        host,
    })
}

/// The bound listeners and what they advertise.
pub(super) struct Bound {
    listeners: Vec<TcpListener>,
    pub(super) port: u16,
}

pub(super) async fn bind(host: &str, port: u16) -> Result<Bound> {
    let v6_first = matches!(host.trim_matches(['[', ']']), "::1");
    let primary: IpAddr = if v6_first {
        Ipv6Addr::LOCALHOST.into()
    } else {
        Ipv4Addr::LOCALHOST.into()
    };
    let secondary: IpAddr = if v6_first {
        Ipv4Addr::LOCALHOST.into()
    } else {
        Ipv6Addr::LOCALHOST.into()
    };
    let first = TcpListener::bind(SocketAddr::new(primary, port))
        .await
        .map_err(|e| {
            Error::io(format!("cannot listen on {primary} port {port}"), e)
                .with_remedy(crate::error::Remedy::ChooseAnotherPort)
        })?;
    let port = first
        .local_addr()
        .map_err(|e| Error::io("cannot read the local address", e))?
        .port();
    let mut listeners = vec![first];
    match TcpListener::bind(SocketAddr::new(secondary, port)).await {
        Ok(l) => listeners.push(l),
        Err(e) => {
            tracing::debug!(%secondary, port, error = %e, "second loopback address not bound")
        }
    }
    Ok(Bound { listeners, port })
}

pub(crate) fn host_allowed(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else { return false };
    let host = host.to_ascii_lowercase();
    ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .any(|name| host == format!("{name}:{port}") || (port == 80 && host == *name))
}

/// What the redirect carried: the code, the browser connection to answer, and the URL itself.
pub(super) struct Outcome {
    pub(super) code: AuthorizationCode,
    pub(super) pending: PendingResponse,
    pub(super) url: Url,
}

pub(super) struct Server {
    rx: mpsc::Receiver<(TcpStream, Request)>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    port: u16,
    path: String,
}

impl Server {
    pub(super) fn start(bound: Bound, path: String) -> Self {
        let (tx, rx) = mpsc::channel(16);
        let mut tasks = Vec::new();
        for listener in bound.listeners {
            let tx = tx.clone();
            tasks.push(tokio::spawn(async move {
                let mut conns = tokio::task::JoinSet::new();
                loop {
                    let Ok((mut stream, _peer)) = listener.accept().await else {
                        // Out of file descriptors or similar: do not spin.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    };
                    let tx = tx.clone();
                    conns.spawn(async move {
                        let head =
                            tokio::time::timeout(Duration::from_secs(10), read_head(&mut stream))
                                .await;
                        if let Ok(Some(req)) = head {
                            let _ = tx.send((stream, req)).await;
                        }
                    });
                    while conns.try_join_next().is_some() {}
                }
            }));
        }
        Server {
            rx,
            tasks,
            port: bound.port,
            path,
        }
    }

    /// Stops listening and waits until the sockets are closed.
    pub(super) async fn stop(self) {
        for t in &self.tasks {
            t.abort();
        }
        for t in self.tasks {
            let _ = t.await;
        }
    }

    pub(super) async fn wait(
        &mut self,
        state: &State,
        deadline: tokio::time::Instant,
    ) -> Result<Outcome> {
        loop {
            let received = tokio::time::timeout_at(deadline, self.rx.recv()).await;
            let Ok(Some((mut stream, req))) = received else {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    "timed out waiting for the browser to come back with an authorization code",
                )
                .with_remedy(crate::error::Remedy::FinishConsentSooner));
            };
            if !host_allowed(req.host.as_deref(), self.port) {
                tracing::debug!("loopback request with an unexpected Host header refused");
                write_response(
                    &mut stream,
                    "403 Forbidden",
                    &page("Forbidden", "Unexpected Host header."),
                )
                .await;
                continue;
            }
            if req.method != "GET" {
                write_response(
                    &mut stream,
                    "405 Method Not Allowed",
                    &page("Method not allowed", "Use GET."),
                )
                .await;
                continue;
            }
            let Ok(url) = Url::parse(&format!("http://localhost{}", req.target)) else {
                write_response(
                    &mut stream,
                    "400 Bad Request",
                    &page("Bad request", "Malformed URL."),
                )
                .await;
                continue;
            };
            if url.path() != self.path {
                tracing::trace!(path = url.path(), "stray loopback request answered 404");
                write_response(
                    &mut stream,
                    "404 Not Found",
                    &page("Not found", "Nothing here."),
                )
                .await;
                continue;
            }
            let params = RedirectParams::from_url(&url);
            if params.code.is_none() && params.error.is_none() {
                write_response(
                    &mut stream,
                    "400 Bad Request",
                    &page(
                        "Waiting",
                        "Waiting for the authorization server's redirect.",
                    ),
                )
                .await;
                continue;
            }
            if let Err(e) = params.check_state(state) {
                write_response(
                    &mut stream,
                    "400 Bad Request",
                    &page("Authorization failed", e.message()),
                )
                .await;
                return Err(e);
            }
            match params.into_code() {
                Ok(code) => {
                    return Ok(Outcome {
                        code,
                        pending: PendingResponse { stream },
                        url,
                    });
                }
                Err(e) => {
                    write_response(
                        &mut stream,
                        "400 Bad Request",
                        &page("Authorization failed", e.message()),
                    )
                    .await;
                    return Err(e);
                }
            }
        }
    }
}

/// How the login ended: a redirect reached the port, or the user pasted the answer.
enum Got {
    Redirect(Outcome),
    Pasted(Pasted),
}

/// Opens the system browser on a blocking thread; its error text when none could be started.
fn spawn_opener(url: &Url) -> tokio::task::JoinHandle<std::result::Result<(), String>> {
    let to_open = url.to_string();
    tokio::task::spawn_blocking(move || webbrowser::open(&to_open).map_err(|e| e.to_string()))
}

impl InstalledFlow {
    /// Runs the loopback flow: listens on a local port, opens the browser at the consent page,
    /// waits for the redirect, exchanges the code, answers the browser, releases the port.
    ///
    /// With no browser to open ([`LocalServer::open_browser`] off, none found here, or the
    /// opener failing) it prints the headless instructions instead and keeps listening; with
    /// [`LocalServer::accept_paste`] a pasted redirect URL (whose `state` is checked and whose
    /// redirect URI is used for the exchange, as after a remote bootstrap) or code ends the
    /// wait just as well.
    ///
    /// A repeat consent that issued no refresh token (and whose stored one cannot be kept) is
    /// asked once more with `prompt=consent` ([`InstalledFlow::consent_retry`]).
    pub fn run_local_server(
        &self,
        server: LocalServer,
    ) -> crate::credentials::BoxFuture<'_, Result<Credentials>> {
        Box::pin(self.local_server(server))
    }

    async fn local_server(&self, mut server: LocalServer) -> Result<Credentials> {
        match self.local_server_once(&mut server).await {
            Err(e) => match self.consent_retry(&e) {
                Some(again) => again.local_server_once(&mut server).await,
                None => Err(e),
            },
            done => done,
        }
    }

    async fn local_server_once(&self, server: &mut LocalServer) -> Result<Credentials> {
        let bound = bind(&server.host, server.port).await?;
        let port = bound.port;
        let redirect_uri = format!("http://{}:{}{}", server.host, port, server.path);
        let (url, state, verifier) = self.authorization_url(&redirect_uri)?;
        let mut srv = Server::start(bound, server.path.clone());
        tracing::debug!(%redirect_uri, "loopback server listening");
        let mut paste = match server.paste_input.take() {
            Some(input) => Some(PasteInput::from_reader(input)),
            None => server.accept_paste.then(PasteInput::stdin),
        };
        let accepts_paste = paste.is_some();
        let headless = |reason: Option<String>| {
            let prompt = HeadlessPrompt {
                reason,
                auth_url: url.clone(),
                redirect_uri: redirect_uri.clone(),
                port,
                bootstrap_command: server.bootstrap_command.as_ref().map(|prefix| {
                    format!("{prefix} {}", shell_quote(bootstrap_url(&url).as_str()))
                }),
                accepts_paste,
            };
            match (&server.on_headless, &server.on_url) {
                (Some(cb), _) => cb(&prompt),
                // A caller that shows the URL itself keeps doing so.
                (None, Some(cb)) => cb(&url),
                (None, None) => {
                    eprint!("{}", prompt.instructions());
                    let _ = std::io::Write::flush(&mut std::io::stderr());
                }
            }
        };
        let mut opener = None;
        if !server.open_browser {
            headless(None);
        } else if let Some(reason) = browser_unavailable() {
            headless(Some(reason));
        } else {
            show_url(&server.on_url, &url);
            opener = Some(spawn_opener(&url));
        }
        let deadline = tokio::time::Instant::now() + server.timeout;
        let got = loop {
            tokio::select! {
                outcome = srv.wait(&state, deadline) => break outcome.map(Got::Redirect),
                line = async { paste.as_mut()?.next().await }, if paste.is_some() => {
                    let line = match line {
                        None => {
                            paste = None;
                            continue;
                        }
                        Some(PastedLine::Text(line)) => line,
                        // Not UTF-8, or too long to be an answer: said, and the wait goes on.
                        Some(other) => {
                            let why = other.complaint().unwrap_or_default();
                            eprint!("{why}\nPaste the URL or code again (or wait for the redirect): ");
                            let _ = std::io::Write::flush(&mut std::io::stderr());
                            continue;
                        }
                    };
                    if line.trim().is_empty() {
                        continue;
                    }
                    // Checked here before anything is sent: a bounded code of URL-safe
                    // characters, or a redirect URL with a code and this login's state.
                    match parse_pasted(&line, &state, false) {
                        Ok(pasted) => break Ok(Got::Pasted(pasted)),
                        Err(e) if matches!(e.kind(), ErrorKind::Config | ErrorKind::StateMismatch) => {
                            eprint!("{e}\nPaste the URL or code again (or wait for the redirect): ");
                            let _ = std::io::Write::flush(&mut std::io::stderr());
                        }
                        Err(e) => break Err(e),
                    }
                }
                opened = async { opener.as_mut()?.await.ok() }, if opener.is_some() => {
                    opener = None;
                    if let Some(Err(e)) = opened {
                        tracing::debug!(error = %e, "no browser could be opened");
                        headless(Some(format!("could not start a browser ({e})")));
                    }
                }
            }
        };
        let result = match got {
            Ok(Got::Redirect(Outcome { code, pending, .. })) => {
                match self.exchange_code(&code, &verifier, &redirect_uri).await {
                    Ok(creds) => {
                        pending
                            .send(
                                "200 OK",
                                &server.success_html.clone().unwrap_or_else(|| {
                                    page("Authorization complete", &server.success_text)
                                }),
                            )
                            .await;
                        Ok(creds)
                    }
                    // run_local_server asks once more with prompt=consent (relogin.rs).
                    Err(e) if e.needs_consent() => {
                        pending
                            .send(
                                "200 OK",
                                &page(
                                    "One more step",
                                    "The server issued no refresh token for this sign-in, so \
                                     the application asks for consent once more. You may close \
                                     this window.",
                                ),
                            )
                            .await;
                        Err(e)
                    }
                    Err(e) => {
                        pending
                            .send(
                                "500 Internal Server Error",
                                &page("Authorization failed", e.message()),
                            )
                            .await;
                        Err(e)
                    }
                }
            }
            Ok(Got::Pasted(pasted)) => {
                let uri = pasted.redirect_uri.as_deref().unwrap_or(&redirect_uri);
                if uri != redirect_uri {
                    tracing::debug!(
                        redirect_uri = uri,
                        "exchanging a code issued for another machine's redirect"
                    );
                }
                self.exchange_code(&pasted.code, &verifier, uri).await
            }
            Err(e) => Err(e),
        };
        srv.stop().await;
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_check() {
        assert!(host_allowed(Some("localhost:8080"), 8080));
        assert!(host_allowed(Some("127.0.0.1:8080"), 8080));
        assert!(host_allowed(Some("[::1]:8080"), 8080));
        assert!(!host_allowed(Some("evil.example:8080"), 8080));
        assert!(!host_allowed(Some("localhost:8081"), 8080));
        assert!(!host_allowed(None, 8080));
    }

    #[test]
    fn from_redirect_uri() {
        let s = LocalServer::from_redirect_uri("http://127.0.0.1:8080/cb").unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.path.as_str()),
            ("127.0.0.1", 8080, "/cb")
        );
        let s = LocalServer::from_redirect_uri("http://localhost").unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.path.as_str()),
            ("localhost", 0, "/")
        );
        let s = LocalServer::from_redirect_uri("http://[::1]:9/").unwrap();
        assert_eq!(s.host, "[::1]");
        assert!(LocalServer::from_redirect_uri("https://localhost/").is_err());
        assert!(LocalServer::from_redirect_uri("http://example.com/").is_err());
        assert!(LocalServer::from_redirect_uri("urn:ietf:wg:oauth:2.0:oob").is_err());
    }

    #[test]
    fn pages_escape_text() {
        assert!(page("t", "<script>").contains("&lt;script&gt;"));
    }
}
