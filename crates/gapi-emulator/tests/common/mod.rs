//! Helpers shared by the black-box tests: start an emulator, a plain reqwest client, PKCE,
//! and a full authorization-code flow. Nothing here uses gapi's own client code.
#![allow(dead_code)]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gapi_emulator::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Emulator, EmulatorConfig, RunningEmulator,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const DRIVE: &str = "https://www.googleapis.com/auth/drive";
pub const DRIVE_FILE: &str = "https://www.googleapis.com/auth/drive.file";
pub const DRIVE_METADATA_READONLY: &str = "https://www.googleapis.com/auth/drive.metadata.readonly";
pub const DRIVE_READONLY: &str = "https://www.googleapis.com/auth/drive.readonly";
pub const REDIRECT: &str = "http://127.0.0.1:9/callback";

pub async fn start(auto_approve: bool) -> RunningEmulator {
    start_with(EmulatorConfig {
        auto_approve,
        ..Default::default()
    })
    .await
}

pub async fn start_with(config: EmulatorConfig) -> RunningEmulator {
    Emulator::start(config).await.expect("emulator starts")
}

/// A client that does not follow redirects (the tests inspect them).
pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client builds")
}

pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

pub fn pkce(seed: &str) -> Pkce {
    let verifier = format!("{seed}-verifier-0123456789abcdefghijklmnopqrstuvwxyz");
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    Pkce {
        verifier,
        challenge,
    }
}

/// The authorization URL for the installed client with the given extra parameters.
pub fn auth_url(emu: &RunningEmulator, extra: &[(&str, &str)]) -> String {
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

pub fn param<'a>(params: &'a [(String, String)], key: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Runs the auto-approved code flow (S256) and returns the code.
pub async fn code_for(
    emu: &RunningEmulator,
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

pub async fn exchange(
    emu: &RunningEmulator,
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
    emu: &RunningEmulator,
    http: &reqwest::Client,
    scope: &str,
    extra: &[(&str, &str)],
) -> Value {
    let (code, p) = code_for(emu, http, scope, extra).await;
    let r = exchange(emu, http, &code, &p.verifier).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// An access token minted through the control API (fast path for API tests).
pub async fn issued_token(
    emu: &RunningEmulator,
    http: &reqwest::Client,
    email: &str,
    scope: &str,
) -> String {
    let r = http
        .post(format!("{}/__emulator/tokens/issue", emu.base_url()))
        .json(&serde_json::json!({"email": email, "scope": scope}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    v["access_token"].as_str().unwrap().to_owned()
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
