//! Building the authorization (consent) URL with PKCE S256 and `state`.

use url::Url;

use crate::protocol::pkce;
use crate::secret::PkceVerifier;

/// Everything that goes into an authorization URL; built by [`crate::InstalledFlow`].
#[derive(Debug, Clone)]
pub(crate) struct AuthorizationRequest {
    /// The OAuth client id.
    pub client_id: String,
    /// Full scope URLs (or OpenID names).
    pub scopes: Vec<String>,
    /// Where the server sends the user back.
    pub redirect_uri: String,
    /// Ask for a refresh token (`access_type=offline`, Google).
    pub access_type_offline: bool,
    /// `prompt` (`consent`, `select_account`, `none`).
    pub prompt: Option<String>,
    /// `login_hint` (an email address or `sub`).
    pub login_hint: Option<String>,
    /// `include_granted_scopes=true` for incremental authorization (Google).
    pub include_granted_scopes: bool,
    /// `hd`: restrict the account chooser to a Workspace domain (Google).
    pub hd: Option<String>,
    /// Extra parameters appended verbatim.
    pub extra: Vec<(String, String)>,
}

impl AuthorizationRequest {
    /// The full URL for `auth_endpoint`, with PKCE S256 challenge and `state` included.
    pub(crate) fn url(&self, auth_endpoint: &Url, state: &str, verifier: &PkceVerifier) -> Url {
        let mut url = auth_endpoint.clone();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("response_type", "code")
                .append_pair("client_id", &self.client_id)
                .append_pair("redirect_uri", &self.redirect_uri)
                .append_pair("scope", &self.scopes.join(" "))
                .append_pair("state", state)
                .append_pair("code_challenge", &pkce::s256_challenge(verifier))
                .append_pair("code_challenge_method", "S256");
            if self.access_type_offline {
                q.append_pair("access_type", "offline");
            }
            if let Some(p) = &self.prompt {
                q.append_pair("prompt", p);
            }
            if let Some(h) = &self.login_hint {
                q.append_pair("login_hint", h);
            }
            if self.include_granted_scopes {
                q.append_pair("include_granted_scopes", "true");
            }
            if let Some(hd) = &self.hd {
                q.append_pair("hd", hd);
            }
            for (k, v) in &self.extra {
                q.append_pair(k, v);
            }
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_has_all_parameters() {
        let req = AuthorizationRequest {
            client_id: "cid".into(),
            scopes: vec![
                "openid".into(),
                "https://www.googleapis.com/auth/drive".into(),
            ],
            redirect_uri: "http://localhost:8080/".into(),
            access_type_offline: true,
            prompt: Some("consent".into()),
            login_hint: Some("a@b.c".into()),
            include_granted_scopes: true,
            hd: Some("b.c".into()),
            extra: vec![("foo".into(), "bar".into())],
        };
        let v = PkceVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        let url = req.url(&Url::parse("https://example.com/auth").unwrap(), "st", &v);
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["client_id"], "cid");
        assert_eq!(q["redirect_uri"], "http://localhost:8080/");
        assert_eq!(q["scope"], "openid https://www.googleapis.com/auth/drive");
        assert_eq!(q["state"], "st");
        assert_eq!(
            q["code_challenge"],
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["access_type"], "offline");
        assert_eq!(q["prompt"], "consent");
        assert_eq!(q["login_hint"], "a@b.c");
        assert_eq!(q["include_granted_scopes"], "true");
        assert_eq!(q["hd"], "b.c");
        assert_eq!(q["foo"], "bar");
        assert!(
            !url.as_str().contains("dBjftJeZ"),
            "verifier must not be in the URL"
        );
    }
}
