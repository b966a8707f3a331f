//! Logging in on a machine without a browser: telling whether a browser can be opened here, the
//! instructions for the two ways to finish such a login (open the URL elsewhere and paste back
//! the address the browser ends on, or run a remote-bootstrap command on a machine with a
//! browser), and the line reader that receives the pasted answer while the loopback port keeps
//! listening.

use tokio::io::AsyncBufRead;
use tokio::sync::mpsc;
use url::Url;

use super::paste::{LineSplitter, MAX_PASTE_LINE, PastedLine, read_line, read_line_blocking};

/// Why no browser can be opened on this machine, or `None` when one probably can.
///
/// `$BROWSER` always counts as a browser. Otherwise an SSH session without a display, and on
/// Linux and the BSDs a session with neither `DISPLAY` nor `WAYLAND_DISPLAY` (WSL excepted: it
/// opens the Windows browser), have none.
pub fn browser_unavailable() -> Option<String> {
    browser_unavailable_in(&|name| std::env::var_os(name).filter(|v| !v.is_empty()).is_some())
}

fn browser_unavailable_in(set: &dyn Fn(&str) -> bool) -> Option<String> {
    if set("BROWSER") {
        return None;
    }
    let display = set("DISPLAY") || set("WAYLAND_DISPLAY");
    if (set("SSH_CONNECTION") || set("SSH_TTY")) && !display {
        return Some("this is an SSH session without X forwarding".to_string());
    }
    let x11_desktop = cfg!(all(
        unix,
        not(target_os = "macos"),
        not(target_os = "ios"),
        not(target_os = "android")
    ));
    if x11_desktop && !display && !set("WSL_DISTRO_NAME") {
        return Some("there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)".into());
    }
    None
}

/// The authorization URL for another machine's `--remote-bootstrap`: the same request without
/// `redirect_uri` (that machine adds its own loopback address). It carries the PKCE challenge,
/// never the verifier.
pub fn bootstrap_url(auth_url: &Url) -> Url {
    let mut url = auth_url.clone();
    let pairs: Vec<(String, String)> = auth_url
        .query_pairs()
        .filter(|(k, _)| k != "redirect_uri")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    url
}

/// Wraps `s` in single quotes for a POSIX shell (an authorization URL contains `&`).
pub(crate) fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// What the user of a headless login needs to know.
#[derive(Debug, Clone)]
pub struct HeadlessPrompt {
    /// Why the browser was not opened (`None`: the caller asked for no browser).
    pub reason: Option<String>,
    /// The authorization URL, redirecting to this machine's loopback port.
    pub auth_url: Url,
    /// The redirect URI on this machine.
    pub redirect_uri: String,
    /// The loopback port this machine listens on.
    pub port: u16,
    /// The command to run on a machine with a browser, when remote bootstrap is offered.
    pub bootstrap_command: Option<String>,
    /// Whether a pasted URL or code is read from the terminal.
    pub accepts_paste: bool,
}

impl HeadlessPrompt {
    /// The instructions, step by step, as printed to stderr by default.
    pub fn instructions(&self) -> String {
        let mut out = String::new();
        if let Some(reason) = &self.reason {
            out.push_str(&format!(
                "No browser can be opened here: {reason}. Continuing as with --no-browser.\n\n"
            ));
        }
        let port = self.port;
        let ways = if self.bootstrap_command.is_some() {
            "Finish this login one of two ways.\n\n1. "
        } else {
            ""
        };
        out.push_str(ways);
        out.push_str(&format!(
            "Open this URL in a browser on any machine and approve access:\n\n    {url}\n\n",
            url = self.auth_url
        ));
        let indent = if self.bootstrap_command.is_some() {
            "   "
        } else {
            ""
        };
        out.push_str(&format!(
            "{indent}The browser is then sent to {redirect}?code=... on port {port}.\n\
             {indent}- If the browser's machine reaches this port (it is this machine, or it forwards the\n\
             {indent}  port: `ssh -L {port}:localhost:{port} THIS-HOST`; pick a fixed one with --port),\n\
             {indent}  the login finishes by itself.\n",
            redirect = self.redirect_uri,
        ));
        if self.accepts_paste {
            out.push_str(&format!(
                "{indent}- Otherwise the page fails to load; that is expected. Copy the whole address from\n\
                 {indent}  the browser's address bar (it starts with {redirect}) and paste it here.\n",
                redirect = self.redirect_uri,
            ));
        }
        if let Some(cmd) = &self.bootstrap_command {
            out.push_str(&format!(
                "\n2. On a machine that has a browser and gapi, run:\n\n    {cmd}\n\n   \
                 and paste here the line it prints.\n"
            ));
        }
        out.push('\n');
        if self.accepts_paste {
            out.push_str(&format!(
                "Waiting for the redirect on port {port}, or for a pasted URL or code (then Enter): "
            ));
        } else {
            out.push_str(&format!("Waiting for the redirect on port {port}...\n"));
        }
        out
    }
}

/// Lines typed by the user, read while the loopback server keeps waiting. Each line is read
/// with the [`MAX_PASTE_LINE`] bound; one that is not UTF-8 or too long is passed on as such
/// (the wait goes on), never ending the reader.
pub(crate) struct PasteInput {
    rx: mpsc::Receiver<PastedLine>,
}

impl PasteInput {
    /// Reads lines from stdin on a plain thread: a tokio stdin read cannot be cancelled and
    /// would hold the runtime open after the login finished through the port. The thread ends
    /// at end of input or when the receiver is gone and the next line arrives.
    pub(crate) fn stdin() -> Self {
        let (tx, rx) = mpsc::channel(4);
        let spawned = std::thread::Builder::new()
            .name("gapi-paste".into())
            .spawn(move || {
                let stdin = std::io::stdin();
                let mut splitter = LineSplitter::new(MAX_PASTE_LINE);
                loop {
                    // Locked per line: the buffer is the process's own, nothing is lost.
                    let line = read_line_blocking(&mut stdin.lock(), &mut splitter);
                    match line {
                        Ok(None) | Err(_) => break,
                        Ok(Some(line)) => {
                            if tx.blocking_send(line).is_err() {
                                break;
                            }
                        }
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::debug!(error = %e, "cannot start the stdin reader; only the port listens");
        }
        PasteInput { rx }
    }

    /// Reads lines from `input` (tests, GUIs).
    pub(crate) fn from_reader(mut input: Box<dyn AsyncBufRead + Unpin + Send>) -> Self {
        let (tx, rx) = mpsc::channel(4);
        tokio::spawn(async move {
            let mut splitter = LineSplitter::new(MAX_PASTE_LINE);
            while let Ok(Some(line)) = read_line(&mut input, &mut splitter).await {
                if tx.send(line).await.is_err() {
                    break;
                }
            }
        });
        PasteInput { rx }
    }

    /// The next line, or `None` at end of input.
    pub(crate) async fn next(&mut self) -> Option<PastedLine> {
        self.rx.recv().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [&'static str]) -> impl Fn(&str) -> bool {
        move |name| vars.contains(&name)
    }

    #[test]
    fn detects_missing_browsers() {
        assert!(browser_unavailable_in(&env(&["BROWSER"])).is_none());
        assert!(browser_unavailable_in(&env(&["BROWSER", "SSH_CONNECTION"])).is_none());
        let ssh = browser_unavailable_in(&env(&["SSH_CONNECTION"])).unwrap();
        assert!(ssh.contains("SSH"), "{ssh}");
        assert!(browser_unavailable_in(&env(&["SSH_TTY", "DISPLAY"])).is_none());
        if cfg!(target_os = "linux") {
            let none = browser_unavailable_in(&env(&[])).unwrap();
            assert!(none.contains("DISPLAY"), "{none}");
            assert!(browser_unavailable_in(&env(&["WAYLAND_DISPLAY"])).is_none());
            assert!(browser_unavailable_in(&env(&["WSL_DISTRO_NAME"])).is_none());
        }
    }

    #[test]
    fn bootstrap_url_drops_only_the_redirect() {
        let url = Url::parse(
            "https://accounts.example/auth?client_id=c&redirect_uri=http%3A%2F%2Flocalhost%3A1%2F\
             &state=s&code_challenge=x&code_challenge_method=S256",
        )
        .unwrap();
        let b = bootstrap_url(&url);
        let keys: Vec<String> = b.query_pairs().map(|(k, _)| k.into_owned()).collect();
        assert_eq!(
            keys,
            [
                "client_id",
                "state",
                "code_challenge",
                "code_challenge_method"
            ]
        );
        assert_eq!(b.host_str(), Some("accounts.example"));
    }

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("a&b"), "'a&b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn instructions_name_both_ways() {
        let p = HeadlessPrompt {
            reason: Some("no display".into()),
            auth_url: Url::parse("https://a.example/auth?x=1").unwrap(),
            redirect_uri: "http://localhost:8085/".into(),
            port: 8085,
            bootstrap_command: Some("gapi auth login --remote-bootstrap 'u'".into()),
            accepts_paste: true,
        };
        let text = p.instructions();
        for needle in [
            "No browser can be opened here: no display",
            "https://a.example/auth?x=1",
            "ssh -L 8085:localhost:8085",
            "paste it here",
            "gapi auth login --remote-bootstrap 'u'",
            "pasted URL or code",
        ] {
            assert!(text.contains(needle), "{needle}: {text}");
        }
    }
}
