//! The browser side of a two-machine login (like gcloud's `--remote-bootstrap`, for any
//! client): take the authorization URL a headless machine printed, add this machine's own
//! loopback redirect, open the browser, receive the redirect and hand back its URL (code and
//! state) for the user to paste on the headless machine. Nothing is exchanged or stored here:
//! the PKCE verifier never left the headless machine, which checks `state`, rebuilds the
//! redirect URI from the pasted URL and exchanges the code itself.
//!
//! A bootstrap URL from someone else hands them a code for the user's account, so callers must
//! warn that this is only for a login the user started themselves (see [`BootstrapRequest`]).

use url::Url;

use super::headless::browser_unavailable;
use super::loopback::{LocalServer, Server, bind, page};
use super::redirect::show_url;
use crate::error::{Error, ErrorKind, Result};
use crate::secret::State;

/// A checked bootstrap URL: an authorization request with `state` and a PKCE S256 challenge,
/// ready to be sent to the browser with this machine's loopback redirect.
#[derive(Debug, Clone)]
pub struct BootstrapRequest {
    url: Url,
    client_id: String,
    state: String,
}

/// The host of Google's consent page.
pub const GOOGLE_ACCOUNTS_HOST: &str = "accounts.google.com";

fn bad(why: impl Into<String>) -> Error {
    Error::new(
        ErrorKind::Config,
        format!("this is not a bootstrap URL: {}", why.into()),
    )
    .with_hint(
        "copy the whole `--remote-bootstrap '...'` command printed by the login waiting on the \
         other machine, quotes included",
    )
}

impl BootstrapRequest {
    /// Checks `text` (the URL printed by the headless side): https (or http on a loopback
    /// host, for a local emulator), `response_type=code`, a `client_id`, a `state` and a PKCE
    /// S256 challenge. A `redirect_uri` in it is replaced by this machine's.
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim().trim_matches(['\'', '"']);
        let url = Url::parse(text).map_err(|e| bad(format!("{e}")))?;
        let local = url.scheme() == "http" && crate::protocol::transport::is_loopback_host(&url);
        if url.scheme() != "https" && !local {
            return Err(bad(format!(
                "the authorization server must use https, not {}",
                url.scheme()
            )));
        }
        let get = |name: &str| {
            url.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
                .filter(|v| !v.is_empty())
        };
        if get("response_type").as_deref() != Some("code") {
            return Err(bad(
                "it does not ask for an authorization code (response_type=code)",
            ));
        }
        let client_id = get("client_id").ok_or_else(|| bad("it names no client_id"))?;
        let state = get("state").ok_or_else(|| bad("it has no state"))?;
        if get("code_challenge").is_none()
            || get("code_challenge_method").as_deref() != Some("S256")
        {
            return Err(bad("it has no PKCE S256 code challenge"));
        }
        let mut clean = url.clone();
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| k != "redirect_uri")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        clean.query_pairs_mut().clear().extend_pairs(pairs);
        Ok(BootstrapRequest {
            url: clean,
            client_id,
            state,
        })
    }

    /// The OAuth client the login is for (show it in the warning).
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The authorization server's host (show it in the warning).
    pub fn server(&self) -> &str {
        self.url.host_str().unwrap_or_default()
    }

    /// Whether the consent page is Google's own (`https://accounts.google.com`): any other
    /// host (an emulator, a look-alike domain) deserves a loud warning before a login.
    pub fn is_google(&self) -> bool {
        self.url.scheme() == "https" && self.url.host_str() == Some(GOOGLE_ACCOUNTS_HOST)
    }

    /// The scopes requested.
    pub fn scopes(&self) -> Vec<String> {
        self.url
            .query_pairs()
            .find(|(k, _)| k == "scope")
            .map(|(_, v)| crate::protocol::scopes::parse_scope_list(&v))
            .unwrap_or_default()
    }

    /// Runs the browser side: listens as `server` says (host, port, path, timeout, browser),
    /// opens the consent page with that loopback redirect, waits for the redirect (its `state`
    /// checked against the URL's), answers the browser and returns the redirect URL to paste on
    /// the headless machine. Stores nothing.
    pub async fn run(&self, server: LocalServer) -> Result<Url> {
        let bound = bind(&server.host, server.port).await?;
        let redirect_uri = format!("http://{}:{}{}", server.host, bound.port, server.path);
        let mut url = self.url.clone();
        url.query_pairs_mut()
            .append_pair("redirect_uri", &redirect_uri);
        let mut srv = Server::start(bound, server.path.clone());
        show_url(&server.on_url, &url);
        if server.open_browser {
            match browser_unavailable() {
                Some(reason) => eprintln!(
                    "No browser can be opened here ({reason}): open the URL above in a browser \
                     on this machine, since it redirects to this machine's port."
                ),
                None => {
                    let to_open = url.to_string();
                    tokio::task::spawn_blocking(move || {
                        if let Err(e) = webbrowser::open(&to_open) {
                            eprintln!(
                                "Could not start a browser ({e}): open the URL above in a \
                                 browser on this machine."
                            );
                        }
                    });
                }
            }
        }
        let deadline = tokio::time::Instant::now() + server.timeout;
        let state = State::new(self.state.clone());
        let result = match srv.wait(&state, deadline).await {
            Ok(outcome) => {
                outcome
                    .pending
                    .send(
                        "200 OK",
                        &page(
                            "Approved",
                            "Access was approved. Copy the line printed in the terminal back to \
                             the machine where the login is waiting.",
                        ),
                    )
                    .await;
                let mut back = Url::parse(&redirect_uri)
                    .map_err(|e| bad(format!("the redirect URI is not a URL: {e}")))?;
                back.set_query(outcome.url.query());
                Ok(back)
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

    const GOOD: &str = "https://accounts.example/o/oauth2/auth?response_type=code&client_id=c1\
                        &scope=openid+email&state=s1&code_challenge=ch&code_challenge_method=S256\
                        &redirect_uri=http%3A%2F%2Flocalhost%3A9%2F";

    #[test]
    fn accepts_a_full_request_and_drops_its_redirect() {
        let r = BootstrapRequest::parse(&format!("'{GOOD}'")).unwrap();
        assert_eq!(r.client_id(), "c1");
        assert_eq!(r.server(), "accounts.example");
        assert_eq!(r.scopes(), ["openid", "email"]);
        assert!(!r.url.as_str().contains("redirect_uri"));
        assert!(!r.is_google());
        let google = GOOGLE_ACCOUNTS_HOST;
        let g = BootstrapRequest::parse(&GOOD.replace("accounts.example", google)).unwrap();
        assert!(g.is_google());
        let lookalike = GOOD.replace("accounts.example", "accounts.google.com.evil.example");
        assert!(!BootstrapRequest::parse(&lookalike).unwrap().is_google());
    }

    #[test]
    fn refuses_incomplete_or_insecure_requests() {
        for (from, to) in [
            ("https://", "http://"),
            ("response_type=code", "response_type=token"),
            ("client_id=c1", "client_id="),
            ("state=s1", "x=s1"),
            ("code_challenge_method=S256", "code_challenge_method=plain"),
        ] {
            let text = GOOD.replace(from, to);
            let e = BootstrapRequest::parse(&text).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Config, "{text}");
        }
        assert!(BootstrapRequest::parse("not a url").is_err());
        let local = GOOD.replace("https://accounts.example", "http://127.0.0.1:8642");
        assert!(BootstrapRequest::parse(&local).is_ok());
    }
}
