//! The emulator as tests drive it: start one, mint its tokens through the control API, run
//! the OAuth dance, check Google's error shape. Everything goes over plain reqwest, never
//! through gapi's own client: the emulator is what that client is tested against.
//!
//! Helpers that only talk HTTP take anything that knows the emulator's base URL ([`Base`]): a
//! [`RunningEmulator`], or the `http://127.0.0.1:PORT` of one running as a `gapi emulator`
//! process.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gapi_emulator::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Emulator, EmulatorConfig, RunningEmulator,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub use crate::http::http;

/// Where an emulator answers: its base URL, no trailing slash.
pub trait Base {
    /// `http://127.0.0.1:PORT`.
    fn base_url(&self) -> String;
}

impl Base for RunningEmulator {
    fn base_url(&self) -> String {
        RunningEmulator::base_url(self).to_owned()
    }
}

impl Base for str {
    fn base_url(&self) -> String {
        self.trim_end_matches('/').to_owned()
    }
}

impl Base for String {
    fn base_url(&self) -> String {
        self.as_str().base_url()
    }
}

impl<T: Base + ?Sized> Base for &T {
    fn base_url(&self) -> String {
        (**self).base_url()
    }
}

/// Starts an emulator on a free loopback port; `auto_approve` skips the consent page (the
/// first test user approves).
pub async fn start(auto_approve: bool) -> RunningEmulator {
    start_with(EmulatorConfig {
        auto_approve,
        ..Default::default()
    })
    .await
}

/// Starts an emulator with `config`.
pub async fn start_with(config: EmulatorConfig) -> RunningEmulator {
    Emulator::start(config).await.expect("emulator starts")
}

/// A fresh, empty directory for an emulator that keeps its state (`data_dir`, `--data`),
/// removed when dropped, so a failing test leaves nothing behind either. Derefs to its path.
pub struct DataDir(tempfile::TempDir);

impl DataDir {
    /// A new empty directory under the system's temp dir.
    pub fn new() -> Self {
        Self(
            tempfile::Builder::new()
                .prefix("gapi-emulator-test-")
                .tempdir()
                .expect("a temp dir"),
        )
    }

    /// An auto-approving emulator keeping its state here (restart one with the same config).
    pub fn config(&self) -> EmulatorConfig {
        EmulatorConfig {
            auto_approve: true,
            data_dir: Some(self.0.path().to_path_buf()),
            ..Default::default()
        }
    }
}

impl Default for DataDir {
    fn default() -> Self {
        Self::new()
    }
}

impl std::ops::Deref for DataDir {
    type Target = std::path::Path;

    fn deref(&self) -> &std::path::Path {
        self.0.path()
    }
}

impl AsRef<std::path::Path> for DataDir {
    fn as_ref(&self) -> &std::path::Path {
        self.0.path()
    }
}

/// POSTs `body` to the control API `/__emulator/<path>` and returns the JSON answer; the
/// answer must be a 200.
pub async fn control(emu: impl Base, path: &str, body: Value) -> Value {
    let url = format!(
        "{}/__emulator/{}",
        emu.base_url(),
        path.trim_start_matches('/')
    );
    let r = http()
        .post(&url)
        .json(&body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST {url}: {e}"));
    let status = r.status();
    let text = r.text().await.expect("control API answers");
    assert_eq!(status, 200, "POST {url}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("POST {url}: not JSON ({e}): {text}"))
}

/// Mints a grant through the control API (`/__emulator/tokens/issue`) and returns the whole
/// answer (`access_token`, and `refresh_token` with `"offline": true`). `body` takes `email`
/// (default alice), `scope` or `scopes`, `client_id`, `offline`.
pub async fn issue(emu: impl Base, body: Value) -> Value {
    control(emu, "tokens/issue", body).await
}

/// An access token for `email` with `scope` (space-separated scopes), minted through the
/// control API: the fast path for API tests that are not about signing in.
pub async fn issued_token(emu: impl Base, email: &str, scope: &str) -> String {
    let v = issue(emu, json!({"email": email, "scope": scope})).await;
    v["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("no access_token in {v}"))
        .to_owned()
}

/// Drive's full scope.
pub const DRIVE: &str = "https://www.googleapis.com/auth/drive";
/// Drive's per-file scope.
pub const DRIVE_FILE: &str = "https://www.googleapis.com/auth/drive.file";
/// Drive's read-only metadata scope.
pub const DRIVE_METADATA_READONLY: &str = "https://www.googleapis.com/auth/drive.metadata.readonly";
/// Drive's read-only scope.
pub const DRIVE_READONLY: &str = "https://www.googleapis.com/auth/drive.readonly";
/// The loopback redirect URI the flow helpers use (nothing listens: tests read the Location).
pub const REDIRECT: &str = "http://127.0.0.1:9/callback";

/// A PKCE pair.
pub struct Pkce {
    /// The `code_verifier` the token request sends.
    pub verifier: String,
    /// Its S256 `code_challenge`.
    pub challenge: String,
}

/// A deterministic PKCE pair derived from `seed`.
pub fn pkce(seed: &str) -> Pkce {
    let verifier = format!("{seed}-verifier-0123456789abcdefghijklmnopqrstuvwxyz");
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    Pkce {
        verifier,
        challenge,
    }
}

/// The authorization URL for the installed client with the given extra parameters.
pub fn auth_url(emu: impl Base, extra: &[(&str, &str)]) -> String {
    let mut url = url::Url::parse(&format!("{}/o/oauth2/v2/auth", emu.base_url())).unwrap();
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("client_id", DEFAULT_CLIENT_ID);
        q.append_pair("response_type", "code");
        for (k, v) in extra {
            q.append_pair(k, v);
        }
    }
    url.to_string()
}

/// Query parameters of a redirect Location.
pub fn location_params(response: &reqwest::Response) -> Vec<(String, String)> {
    let location = response
        .headers()
        .get("location")
        .expect("a Location header")
        .to_str()
        .unwrap();
    url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The value of `key` among redirect parameters.
pub fn param<'a>(params: &'a [(String, String)], key: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Runs the auto-approved code flow (S256) and returns the code.
pub async fn code_for(
    emu: impl Base,
    http: &reqwest::Client,
    scope: &str,
    extra: &[(&str, &str)],
) -> (String, Pkce) {
    let p = pkce("flow");
    let mut params = vec![
        ("redirect_uri", REDIRECT),
        ("scope", scope),
        ("code_challenge", p.challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("state", "st"),
    ];
    params.extend_from_slice(extra);
    let r = http.get(auth_url(emu, &params)).send().await.unwrap();
    assert_eq!(r.status(), 302, "auto-approve redirects");
    let q = location_params(&r);
    assert_eq!(param(&q, "state"), Some("st"));
    (param(&q, "code").expect("code").to_owned(), p)
}

/// Trades `code` (with its PKCE `verifier`) at `/token` for the installed client.
pub async fn exchange(
    emu: impl Base,
    http: &reqwest::Client,
    code: &str,
    verifier: &str,
) -> reqwest::Response {
    http.post(format!("{}/token", emu.base_url()))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("code_verifier", verifier),
        ])
        .send()
        .await
        .unwrap()
}

/// A full flow to tokens for `scope` as the auto-approved user (needs auto_approve).
pub async fn tokens(
    emu: impl Base,
    http: &reqwest::Client,
    scope: &str,
    extra: &[(&str, &str)],
) -> Value {
    let base = emu.base_url();
    let (code, p) = code_for(base.as_str(), http, scope, extra).await;
    let r = exchange(base.as_str(), http, &code, &p.verifier).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// Asserts a Google-shaped error body and returns it.
pub async fn google_error(r: reqwest::Response, code: u16, reason: &str) -> Value {
    assert_eq!(r.status().as_u16(), code);
    let v: Value = r.json().await.expect("JSON error body");
    assert_eq!(v["error"]["code"], code, "{v}");
    assert_eq!(v["error"]["errors"][0]["reason"], reason, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{v}"
    );
    assert!(v["error"]["status"].as_str().is_some(), "{v}");
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn minted_tokens_call_the_emulator_as_the_user_named() {
        let emu = start(false).await;
        let token = issued_token(&emu, "bob@example.com", DRIVE_READONLY).await;
        let about: Value = http()
            .get(format!("{}/drive/v3/about?fields=user", emu.base_url()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(about["user"]["emailAddress"], "bob@example.com", "{about}");
        // The same through a bare base URL, as for an emulator run as a process.
        let base = emu.base_url().to_owned();
        let full = issue(base.as_str(), json!({"scope": DRIVE, "offline": true})).await;
        assert!(full["refresh_token"].as_str().is_some(), "{full}");
    }

    #[tokio::test]
    async fn the_code_flow_yields_tokens() {
        let emu = start(true).await;
        let v = tokens(&emu, &http(), DRIVE, &[]).await;
        assert!(
            v["access_token"].as_str().is_some_and(|t| !t.is_empty()),
            "{v}"
        );
    }
}
