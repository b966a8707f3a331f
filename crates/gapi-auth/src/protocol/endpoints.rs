//! The OAuth endpoints a flow talks to: Google's by default, every one overridable.

use url::Url;

use crate::error::{Error, ErrorKind, Result};

/// Google's authorization endpoint.
pub const GOOGLE_AUTH_URI: &str = "https://accounts.google.com/o/oauth2/v2/auth";
/// Google's token endpoint.
pub const GOOGLE_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
/// Google's revocation endpoint.
pub(crate) const GOOGLE_REVOKE_URI: &str = "https://oauth2.googleapis.com/revoke";
/// Google's tokeninfo endpoint.
pub(crate) const GOOGLE_TOKENINFO_URI: &str = "https://oauth2.googleapis.com/tokeninfo";
/// Google's device authorization endpoint (RFC 8628).
pub(crate) const GOOGLE_DEVICE_URI: &str = "https://oauth2.googleapis.com/device/code";

/// The tokeninfo endpoint beside `token` (an endpoint that issues access tokens): Google's
/// ([`GOOGLE_TOKENINFO_URI`]) for any googleapis.com host, else the same server's: the
/// sibling `tokeninfo` of a `.../token` URL (an emulator, `oauth2.<universe>/token`), or
/// `/tokeninfo` at its root. A token is never sent to a server other than the one that
/// issued it (or Google, for Google's).
pub fn tokeninfo_beside(token: &Url) -> Url {
    let host = token.host_str().unwrap_or_default().to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    if host == "googleapis.com" || host.ends_with(".googleapis.com") {
        return Url::parse(GOOGLE_TOKENINFO_URI)
            .unwrap_or_else(|_| unreachable!("constant URL {GOOGLE_TOKENINFO_URI}"));
    }
    let mut url = token.clone();
    url.set_query(None);
    url.set_fragment(None);
    let path = match url.path().strip_suffix("/token") {
        Some(base) => format!("{base}/tokeninfo"),
        None => "/tokeninfo".to_string(),
    };
    url.set_path(&path);
    url
}

/// The set of endpoints used by flows and the token client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Where the user is sent to consent.
    pub auth: Url,
    /// Where codes and refresh tokens are exchanged for access tokens.
    pub token: Url,
    /// Where tokens are revoked (`POST token=`).
    pub revoke: Url,
    /// Where an access token can be inspected.
    pub tokeninfo: Url,
    /// Where a device flow starts (RFC 8628).
    pub device: Url,
}

fn parse(what: &str, value: &str) -> Result<Url> {
    Url::parse(value).map_err(|e| {
        Error::new(
            ErrorKind::Config,
            format!("the {what} endpoint `{value}` is not a valid URL: {e}"),
        )
        .with_hint("give an absolute URL such as https://oauth2.googleapis.com/token")
    })
}

impl Default for Endpoints {
    fn default() -> Self {
        Self::google()
    }
}

impl Endpoints {
    /// Google's production endpoints.
    pub fn google() -> Self {
        // These constants are valid URLs; parsing them cannot fail.
        let p = |s: &str| Url::parse(s).unwrap_or_else(|_| unreachable!("constant URL {s}"));
        Endpoints {
            auth: p(GOOGLE_AUTH_URI),
            token: p(GOOGLE_TOKEN_URI),
            revoke: p(GOOGLE_REVOKE_URI),
            tokeninfo: p(GOOGLE_TOKENINFO_URI),
            device: p(GOOGLE_DEVICE_URI),
        }
    }

    /// Endpoints from a client_secret.json's `auth_uri` and `token_uri`; revoke, tokeninfo and
    /// device code are siblings of the token endpoint (`.../token` -> `.../revoke`,
    /// `.../tokeninfo`, `.../device/code`).
    pub fn from_auth_and_token(auth_uri: &str, token_uri: &str) -> Result<Self> {
        let auth = parse("authorization", auth_uri)?;
        let token = parse("token", token_uri)?;
        let sibling = |suffix: &str| -> Result<Url> {
            let base = token.as_str();
            let base = base.split(['?', '#']).next().unwrap_or(base);
            let trimmed = base
                .strip_suffix("/token")
                .unwrap_or_else(|| base.rfind('/').map(|i| &base[..i]).unwrap_or(base));
            parse(suffix, &format!("{trimmed}/{suffix}"))
        };
        Ok(Endpoints {
            revoke: sibling("revoke")?,
            tokeninfo: sibling("tokeninfo")?,
            device: sibling("device/code")?,
            auth,
            token,
        })
    }

    /// Replaces the authorization endpoint.
    pub fn with_auth(mut self, url: Url) -> Self {
        self.auth = url;
        self
    }

    /// Replaces the token endpoint (siblings are not changed).
    pub fn with_token(mut self, url: Url) -> Self {
        self.token = url;
        self
    }

    /// Replaces the revocation endpoint.
    pub fn with_revoke(mut self, url: Url) -> Self {
        self.revoke = url;
        self
    }

    /// Replaces the tokeninfo endpoint.
    pub fn with_tokeninfo(mut self, url: Url) -> Self {
        self.tokeninfo = url;
        self
    }

    /// Replaces the device authorization endpoint.
    pub fn with_device(mut self, url: Url) -> Self {
        self.device = url;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokeninfo_is_asked_of_the_server_that_issued_the_token() {
        let beside = |s: &str| tokeninfo_beside(&Url::parse(s).unwrap()).to_string();
        assert_eq!(beside(GOOGLE_TOKEN_URI), GOOGLE_TOKENINFO_URI);
        assert_eq!(
            beside("https://sts.googleapis.com/v1/token"),
            GOOGLE_TOKENINFO_URI
        );
        assert_eq!(
            beside(
                "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/a@b:generateAccessToken"
            ),
            GOOGLE_TOKENINFO_URI
        );
        assert_eq!(
            beside("http://127.0.0.1:9/token?x=1"),
            "http://127.0.0.1:9/tokeninfo"
        );
        assert_eq!(
            beside("https://oauth2.example-universe.com/token"),
            "https://oauth2.example-universe.com/tokeninfo"
        );
        assert_eq!(
            beside("http://[::1]:8/v1/projects/-/serviceAccounts/a:generateAccessToken"),
            "http://[::1]:8/tokeninfo"
        );
        // A look-alike host is not Google's.
        assert_eq!(
            beside("https://googleapis.com.evil.example/token"),
            "https://googleapis.com.evil.example/tokeninfo"
        );
    }

    #[test]
    fn siblings_of_token_uri() {
        let e = Endpoints::from_auth_and_token(
            "http://127.0.0.1:9/o/oauth2/auth",
            "http://127.0.0.1:9/token",
        )
        .unwrap();
        assert_eq!(e.revoke.as_str(), "http://127.0.0.1:9/revoke");
        assert_eq!(e.tokeninfo.as_str(), "http://127.0.0.1:9/tokeninfo");
        assert_eq!(e.device.as_str(), "http://127.0.0.1:9/device/code");
        let g = Endpoints::from_auth_and_token(
            "https://accounts.google.com/o/oauth2/auth",
            GOOGLE_TOKEN_URI,
        )
        .unwrap();
        assert_eq!(g.revoke.as_str(), GOOGLE_REVOKE_URI);
        assert_eq!(g.device.as_str(), GOOGLE_DEVICE_URI);
    }

    #[test]
    fn bad_url_is_config_error() {
        let err = Endpoints::from_auth_and_token("nope", GOOGLE_TOKEN_URI).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        assert!(err.to_string().contains("authorization endpoint `nope`"));
    }
}
