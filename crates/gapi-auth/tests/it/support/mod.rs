//! A small in-test OAuth server (authorization, token, revoke, tokeninfo, device endpoints)
//! that records what it was asked, plus a scripted "browser".
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use serde_json::json;
use sha2::{Digest, Sha256};

pub const CLIENT_ID: &str = "test-client.apps.example";
pub const CLIENT_SECRET: &str = "GOCSPX-super-secret-client";
pub const EMAIL: &str = "user@example.com";

/// What `/auth` does with the next consent.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Consent {
    Approve,
    Deny,
}

/// A scripted device-flow poll answer.
#[derive(Clone, Debug)]
pub enum DeviceStep {
    Pending,
    SlowDown,
    Expired,
    Denied,
    Approve,
}

#[derive(Default)]
pub struct MockState {
    pub consent: Option<Consent>,
    pub refuse_oob: bool,
    pub rotate_refresh_tokens: bool,
    pub expires_in: u64,
    pub granted_scope: Option<String>,
    /// code -> (challenge, redirect_uri, scope)
    pub codes: HashMap<String, (String, String, String)>,
    pub valid_refresh_tokens: Vec<String>,
    pub issued_access_tokens: Vec<String>,
    pub revoked: Vec<String>,
    pub fail_token_with_503: usize,
    pub device_steps: Vec<DeviceStep>,
    pub device_interval: Option<u64>,
    pub next_id: usize,
    pub token_form_log: Vec<HashMap<String, String>>,
    pub iss: Option<String>,
}

#[derive(Clone)]
pub struct Mock {
    pub base: String,
    pub state: Arc<Mutex<MockState>>,
    pub token_requests: Arc<AtomicUsize>,
    pub refresh_requests: Arc<AtomicUsize>,
}

type Shared = (Arc<Mutex<MockState>>, Arc<AtomicUsize>, Arc<AtomicUsize>);

fn s256(v: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(v.as_bytes()))
}

fn oauth_err(status: StatusCode, code: &str, desc: &str) -> Response {
    (
        status,
        Json(json!({"error": code, "error_description": desc})),
    )
        .into_response()
}

fn id_token(email: &str) -> String {
    let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.c2ln",
        e.encode(br#"{"alg":"none"}"#),
        e.encode(json!({"email": email, "sub": "42"}).to_string())
    )
}

async fn auth(
    State((st, _, _)): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut s = st.lock().unwrap();
    let redirect = q.get("redirect_uri").cloned().unwrap_or_default();
    let state = q.get("state").cloned().unwrap_or_default();
    if q.get("code_challenge_method").map(String::as_str) != Some("S256") {
        return (StatusCode::BAD_REQUEST, "PKCE S256 required").into_response();
    }
    if redirect.starts_with("urn:ietf:wg:oauth:2.0:oob") && s.refuse_oob {
        return (
            StatusCode::BAD_REQUEST,
            "Error 400: invalid_request. The out-of-band (OOB) flow has been blocked",
        )
            .into_response();
    }
    let consent = s.consent.unwrap_or(Consent::Approve);
    let sep = if redirect.contains('?') { '&' } else { '?' };
    let iss = s
        .iss
        .clone()
        .map(|i| format!("&iss={i}"))
        .unwrap_or_default();
    if consent == Consent::Deny {
        let loc = format!("{redirect}{sep}error=access_denied&state={state}{iss}");
        return (StatusCode::FOUND, [(header::LOCATION, loc)]).into_response();
    }
    s.next_id += 1;
    let code = format!("4/code-{}-secretcode", s.next_id);
    s.codes.insert(
        code.clone(),
        (
            q.get("code_challenge").cloned().unwrap_or_default(),
            redirect.clone(),
            q.get("scope").cloned().unwrap_or_default(),
        ),
    );
    if redirect.starts_with("urn:") {
        return (
            StatusCode::OK,
            format!("<title>Success code={code}</title>"),
        )
            .into_response();
    }
    let enc: String = url::form_urlencoded::byte_serialize(code.as_bytes()).collect();
    let loc = format!("{redirect}{sep}code={enc}&state={state}&scope=x{iss}");
    (StatusCode::FOUND, [(header::LOCATION, loc)]).into_response()
}

fn issue(s: &mut MockState, scope: &str, new_refresh: bool) -> serde_json::Value {
    s.next_id += 1;
    let at = format!("ya29.access-{}-secrettoken", s.next_id);
    s.issued_access_tokens.push(at.clone());
    let mut body = json!({
        "access_token": at,
        "token_type": "Bearer",
        "expires_in": if s.expires_in == 0 { 3599 } else { s.expires_in },
        "scope": s.granted_scope.clone().unwrap_or_else(|| scope.to_string()),
        "id_token": id_token(EMAIL),
    });
    if new_refresh {
        let rt = format!("1//refresh-{}-secretrefresh", s.next_id);
        s.valid_refresh_tokens.push(rt.clone());
        body["refresh_token"] = json!(rt);
    }
    body
}

async fn token(
    State((st, count, refreshes)): State<Shared>,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    count.fetch_add(1, Ordering::SeqCst);
    let mut s = st.lock().unwrap();
    s.token_form_log.push(f.clone());
    if !headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
    {
        return oauth_err(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "form-encoded only",
        );
    }
    if s.fail_token_with_503 > 0 {
        s.fail_token_with_503 -= 1;
        return (StatusCode::SERVICE_UNAVAILABLE, "try later").into_response();
    }
    if f.get("client_id").map(String::as_str) != Some(CLIENT_ID) {
        return oauth_err(StatusCode::UNAUTHORIZED, "invalid_client", "unknown client");
    }
    match f.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            let code = f.get("code").cloned().unwrap_or_default();
            let redirect = f.get("redirect_uri").cloned().unwrap_or_default();
            if redirect.starts_with("urn:") && s.refuse_oob {
                return oauth_err(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "The out-of-band (OOB) flow has been blocked in order to keep users secure.",
                );
            }
            let Some((challenge, want_redirect, scope)) = s.codes.remove(&code) else {
                return oauth_err(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "Malformed auth code.",
                );
            };
            if redirect != want_redirect {
                return oauth_err(
                    StatusCode::BAD_REQUEST,
                    "redirect_uri_mismatch",
                    "Bad Request",
                );
            }
            if s256(f.get("code_verifier").map(String::as_str).unwrap_or("")) != challenge {
                return oauth_err(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "code_verifier mismatch",
                );
            }
            let body = issue(&mut s, &scope, true);
            Json(body).into_response()
        }
        Some("refresh_token") => {
            refreshes.fetch_add(1, Ordering::SeqCst);
            let rt = f.get("refresh_token").cloned().unwrap_or_default();
            let Some(pos) = s.valid_refresh_tokens.iter().position(|t| *t == rt) else {
                return oauth_err(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "Token has been expired or revoked.",
                );
            };
            let rotate = s.rotate_refresh_tokens;
            if rotate {
                s.valid_refresh_tokens.remove(pos);
            }
            let body = issue(&mut s, "https://www.googleapis.com/auth/drive", rotate);
            Json(body).into_response()
        }
        Some("urn:ietf:params:oauth:grant-type:device_code") => {
            let step = if s.device_steps.is_empty() {
                DeviceStep::Pending
            } else {
                s.device_steps.remove(0)
            };
            match step {
                DeviceStep::Pending => oauth_err(
                    StatusCode::PRECONDITION_REQUIRED,
                    "authorization_pending",
                    "",
                ),
                DeviceStep::SlowDown => oauth_err(StatusCode::FORBIDDEN, "slow_down", ""),
                DeviceStep::Expired => oauth_err(StatusCode::FORBIDDEN, "expired_token", ""),
                DeviceStep::Denied => oauth_err(StatusCode::FORBIDDEN, "access_denied", ""),
                DeviceStep::Approve => {
                    let body = issue(&mut s, "https://www.googleapis.com/auth/drive.file", true);
                    Json(body).into_response()
                }
            }
        }
        _ => oauth_err(StatusCode::BAD_REQUEST, "unsupported_grant_type", ""),
    }
}

async fn revoke(
    State((st, _, _)): State<Shared>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let mut s = st.lock().unwrap();
    let t = f.get("token").cloned().unwrap_or_default();
    s.valid_refresh_tokens.retain(|r| *r != t);
    s.revoked.push(t);
    StatusCode::OK.into_response()
}

async fn tokeninfo(
    State((st, _, _)): State<Shared>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let s = st.lock().unwrap();
    let t = f.get("access_token").cloned().unwrap_or_default();
    if !s.issued_access_tokens.contains(&t) {
        return oauth_err(StatusCode::BAD_REQUEST, "invalid_token", "Invalid Value");
    }
    Json(json!({"aud": CLIENT_ID, "scope": "https://www.googleapis.com/auth/drive", "expires_in": "3000", "email": EMAIL})).into_response()
}

async fn device(
    State((st, _, _)): State<Shared>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let s = st.lock().unwrap();
    if f.get("client_id").map(String::as_str) != Some(CLIENT_ID) {
        return oauth_err(StatusCode::UNAUTHORIZED, "invalid_client", "");
    }
    let mut body = json!({
        "device_code": "device-code-secret",
        "user_code": "ABCD-EFGH",
        "verification_uri": "https://example.com/device",
        "expires_in": 60,
    });
    if let Some(i) = s.device_interval {
        body["interval"] = json!(i);
    }
    Json(body).into_response()
}

impl Mock {
    pub async fn start() -> Mock {
        let state = Arc::new(Mutex::new(MockState::default()));
        let count = Arc::new(AtomicUsize::new(0));
        let refreshes = Arc::new(AtomicUsize::new(0));
        let app = Router::new()
            .route("/auth", get(auth))
            .route("/token", post(token))
            .route("/revoke", post(revoke))
            .route("/tokeninfo", post(tokeninfo))
            .route("/device/code", post(device))
            .with_state((state.clone(), count.clone(), refreshes.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Mock {
            base,
            state,
            token_requests: count,
            refresh_requests: refreshes,
        }
    }

    pub fn secrets_json(&self) -> String {
        json!({"installed": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "auth_uri": format!("{}/auth", self.base),
            "token_uri": format!("{}/token", self.base),
            "redirect_uris": ["http://localhost"],
        }})
        .to_string()
    }

    pub fn secrets(&self) -> gapi_auth::ClientSecrets {
        gapi_auth::ClientSecrets::from_json(&self.secrets_json()).unwrap()
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut MockState) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }

    pub fn token_client(&self) -> gapi_auth::TokenClient {
        gapi_auth::TokenClient::from_secrets(&self.secrets())
            .unwrap()
            .with_retry_policy(fast_retry())
    }

    /// Adds a valid refresh token and returns it.
    pub fn add_refresh_token(&self, rt: &str) {
        self.with(|s| s.valid_refresh_tokens.push(rt.to_string()));
    }
}

pub fn fast_retry() -> gapi_auth::RetryPolicy {
    gapi_auth::RetryPolicy::token_requests()
        .with_delays(
            std::time::Duration::from_millis(5),
            std::time::Duration::from_millis(20),
        )
        .with_max_retry_after(std::time::Duration::from_millis(20))
}

/// What the scripted browser saw at the end of its redirects.
#[derive(Debug, Clone)]
pub struct Page {
    pub status: u16,
    pub url: String,
    pub body: String,
}

/// A "browser": when the flow shows the URL, fetch it (following redirects to the loopback
/// server) and report the final page through the returned receiver.
pub fn browser() -> (
    gapi_auth::flow::UrlCallback,
    tokio::sync::mpsc::UnboundedReceiver<Result<Page, String>>,
) {
    browser_with(|_| {})
}

/// Like [`browser`], running `before` (with the authorization URL) before fetching.
pub fn browser_with(
    before: impl Fn(&url::Url) + Send + Sync + 'static,
) -> (
    gapi_auth::flow::UrlCallback,
    tokio::sync::mpsc::UnboundedReceiver<Result<Page, String>>,
) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let cb = Box::new(move |url: &url::Url| {
        before(url);
        let url = url.clone();
        let tx = tx.clone();
        tokio::spawn(async move {
            let client = http_client_following_redirects();
            let result = match client.get(url).send().await {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let url = resp.url().to_string();
                    let body = resp.text().await.unwrap_or_default();
                    Ok(Page { status, url, body })
                }
                Err(e) => Err(e.to_string()),
            };
            let _ = tx.send(result);
        });
    });
    (cb, rx)
}

pub fn http_client_following_redirects() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().build().unwrap()
}

/// The port of the `redirect_uri` inside an authorization URL.
pub fn redirect_port(auth_url: &url::Url) -> u16 {
    let redirect = auth_url
        .query_pairs()
        .find(|(k, _)| k == "redirect_uri")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    url::Url::parse(&redirect).unwrap().port().unwrap()
}

pub fn query_param(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A terminal whose input is typed by `answer(url)` once the URL has been shown.
pub fn terminal<F, Fut>(answer: F) -> gapi_auth::ConsoleOptions
where
    F: Fn(url::Url) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = String> + Send + 'static,
{
    let (reader, writer) = tokio::io::duplex(4096);
    let writer = std::sync::Mutex::new(Some(writer));
    gapi_auth::ConsoleOptions::new()
        .input(tokio::io::BufReader::new(reader))
        .on_url(Box::new(move |url| {
            let fut = answer(url.clone());
            let mut w = writer.lock().unwrap().take().expect("URL shown once");
            tokio::spawn(async move {
                let line = fut.await;
                tokio::io::AsyncWriteExt::write_all(&mut w, format!("{line}\n").as_bytes())
                    .await
                    .unwrap();
            });
        }))
}
