//! Starting the emulator, issuing tokens, building services, asking the control API, and
//! running Python peers.

use std::time::Duration;

use gapi_client::{RetryPolicy, Service, StaticToken};
use gapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde_json::{Value, json};

pub async fn start() -> RunningEmulator {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Emulator::start(EmulatorConfig {
        auto_approve: true,
        ..Default::default()
    })
    .await
    .expect("emulator starts")
}

pub async fn control(emu: &RunningEmulator, method: &str, path: &str, body: Value) -> Value {
    let client = reqwest::Client::new();
    let url = format!("{}/__emulator/{path}", emu.base_url());
    let req = match method {
        "GET" => client.get(url),
        "DELETE" => client.delete(url),
        _ => client.post(url).json(&body),
    };
    let resp = req.send().await.expect("control API reachable");
    assert!(
        resp.status().is_success(),
        "control {path}: {}",
        resp.status()
    );
    resp.json().await.unwrap_or(Value::Null)
}

/// An access token for `email` with `scopes`.
pub async fn token(emu: &RunningEmulator, email: &str, scopes: &[&str]) -> String {
    let t = control(
        emu,
        "POST",
        "tokens/issue",
        json!({"email": email, "scopes": scopes}),
    )
    .await;
    t["access_token"]
        .as_str()
        .expect("token issued")
        .to_string()
}

/// A service of `api` `version` on the emulator acting as `email` with full scopes.
pub async fn service(emu: &RunningEmulator, api: &str, version: &str, email: &str) -> Service {
    let scope = match api {
        "gmail" => "https://mail.google.com/",
        "calendar" => "https://www.googleapis.com/auth/calendar",
        "sheets" => "https://www.googleapis.com/auth/spreadsheets",
        "docs" => "https://www.googleapis.com/auth/documents",
        "drive" => "https://www.googleapis.com/auth/drive",
        "people" => "https://www.googleapis.com/auth/contacts",
        other => panic!("no scope for {other}"),
    };
    Service::builder()
        .bundled(api, version)
        .endpoint(emu.base_url())
        .auth(StaticToken(token(emu, email, &[scope]).await))
        .retry_policy(
            RetryPolicy::default().with_delays(Duration::from_millis(5), Duration::from_millis(20)),
        )
        .build()
        .expect("service builds")
}

/// The paths of the requests the emulator saw, in order.
pub async fn request_paths(emu: &RunningEmulator) -> Vec<(String, String)> {
    let log = control(emu, "GET", "requests", Value::Null).await;
    log.as_array()
        .or_else(|| log["requests"].as_array())
        .expect("request log")
        .iter()
        .map(|r| {
            (
                r["method"].as_str().unwrap_or("").to_string(),
                r["path"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Runs a Python script with `input` on stdin and returns its stdout parsed as JSON.
pub fn python(script: &str, input: &[u8]) -> Value {
    use std::io::Write;
    let python = std::env::var("GAPI_TEST_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "python3".into());
    let mut child = std::process::Command::new(&python)
        .arg("-c")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("could not run {python}: {e}; set GAPI_TEST_PYTHON to a Python 3")
        });
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{python} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the Python peer prints JSON")
}
