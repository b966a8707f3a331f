//! The OAuth clients the emulator knows, and which redirect URIs each may use.

/// Client id of the built-in "installed" (desktop) OAuth client.
pub const DEFAULT_CLIENT_ID: &str = "gapi-emulator.apps.googleusercontent.com";
/// Client secret of the built-in "installed" client (not secret: it is public on purpose).
pub const DEFAULT_CLIENT_SECRET: &str = "emulator-client-secret";
/// Client id of the built-in "web" client, which only accepts its registered redirect URI.
pub const WEB_CLIENT_ID: &str = "gapi-emulator-web.apps.googleusercontent.com";
/// Client secret of the built-in "web" client.
pub const WEB_CLIENT_SECRET: &str = "emulator-web-secret";
/// The only redirect URI registered for the "web" client.
pub const WEB_CLIENT_REDIRECT_URI: &str = "http://127.0.0.1:8080/callback";

/// The out-of-band redirect URI that shows the code on a page.
pub(crate) const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";
/// The out-of-band redirect URI whose page title carries the code.
pub(crate) const OOB_AUTO: &str = "urn:ietf:wg:oauth:2.0:oob:auto";

/// Which kind of client this is, which decides the redirect URI rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClientKind {
    /// Desktop app: any loopback redirect (any port and path) plus the OOB URIs.
    Installed,
    /// Web app: exact registered redirect URIs only.
    Web,
}

/// One registered OAuth client.
#[derive(Debug)]
pub(crate) struct OAuthClient {
    pub id: &'static str,
    pub secret: &'static str,
    pub kind: ClientKind,
}

static CLIENTS: [OAuthClient; 2] = [
    OAuthClient {
        id: DEFAULT_CLIENT_ID,
        secret: DEFAULT_CLIENT_SECRET,
        kind: ClientKind::Installed,
    },
    OAuthClient {
        id: WEB_CLIENT_ID,
        secret: WEB_CLIENT_SECRET,
        kind: ClientKind::Web,
    },
];

/// Finds a client by id.
pub(crate) fn find_client(id: &str) -> Option<&'static OAuthClient> {
    CLIENTS.iter().find(|c| c.id == id)
}

/// How the authorization response reaches the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RedirectKind {
    /// An HTTP redirect to the app's URI.
    Http,
    /// A page showing the code to copy.
    Oob,
    /// A page whose title carries the code.
    OobAuto,
}

impl OAuthClient {
    /// Whether this client may use `uri`, and how the response is delivered if so.
    pub(crate) fn redirect_kind(&self, uri: &str) -> Option<RedirectKind> {
        match self.kind {
            ClientKind::Web => (uri == WEB_CLIENT_REDIRECT_URI).then_some(RedirectKind::Http),
            ClientKind::Installed => {
                if uri == OOB {
                    return Some(RedirectKind::Oob);
                }
                if uri == OOB_AUTO {
                    return Some(RedirectKind::OobAuto);
                }
                let url = url::Url::parse(uri).ok()?;
                let host_ok = matches!(
                    url.host_str(),
                    Some("127.0.0.1") | Some("[::1]") | Some("localhost")
                );
                (url.scheme() == "http"
                    && host_ok
                    && url.username().is_empty()
                    && url.password().is_none()
                    && url.fragment().is_none())
                .then_some(RedirectKind::Http)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_rules() {
        let installed = find_client(DEFAULT_CLIENT_ID).unwrap();
        for ok in [
            "http://127.0.0.1:5000/cb",
            "http://[::1]:5000/",
            "http://localhost",
            "http://localhost:8080/x?y=1",
        ] {
            assert_eq!(
                installed.redirect_kind(ok),
                Some(RedirectKind::Http),
                "{ok}"
            );
        }
        assert_eq!(installed.redirect_kind(OOB), Some(RedirectKind::Oob));
        assert_eq!(
            installed.redirect_kind(OOB_AUTO),
            Some(RedirectKind::OobAuto)
        );
        for bad in [
            "https://127.0.0.1/cb",
            "http://example.com/cb",
            "http://127.0.0.2/cb",
            "http://user@127.0.0.1/cb",
            "http://127.0.0.1/cb#frag",
            "urn:ietf:wg:oauth:2.0:oob:other",
            "not a url",
        ] {
            assert_eq!(installed.redirect_kind(bad), None, "{bad}");
        }
        let web = find_client(WEB_CLIENT_ID).unwrap();
        assert_eq!(
            web.redirect_kind(WEB_CLIENT_REDIRECT_URI),
            Some(RedirectKind::Http)
        );
        assert_eq!(web.redirect_kind("http://127.0.0.1:8081/callback"), None);
        assert_eq!(web.redirect_kind(OOB), None);
    }
}
