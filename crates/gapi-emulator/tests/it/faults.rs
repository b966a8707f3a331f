//! Fault injection and the control API over plain HTTP.

use std::time::{Duration, Instant};

use gapi_testkit::emulator::*;
use serde_json::{Value, json};

async fn add_fault(http: &reqwest::Client, base: &str, rule: Value) -> reqwest::Response {
    http.post(format!("{base}/__emulator/faults"))
        .json(&rule)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn status_faults_fire_n_times_then_stop() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    let r = add_fault(&http, &base, json!({"match": {"method": "GET", "path_prefix": "/drive/v3/files"}, "times": 2, "action": {"status": 503}})).await;
    assert_eq!(r.status(), 200);
    for _ in 0..2 {
        let r = http
            .get(format!("{base}/drive/v3/files"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let v = google_error(r, 503, "backendError").await;
        assert_eq!(v["error"]["status"], "UNAVAILABLE");
    }
    let r = http
        .get(format!("{base}/drive/v3/files"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    add_fault(
        &http,
        &base,
        json!({"action": {"status": 429, "retry_after": 1}}),
    )
    .await;
    let r = http
        .get(format!("{base}/drive/v3/about?fields=user"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["retry-after"], "1");
    google_error(r, 429, "rateLimitExceeded").await;

    // Unmatched methods are untouched; the control API is never affected.
    add_fault(
        &http,
        &base,
        json!({"match": {"method": "POST"}, "action": {"status": 500}}),
    )
    .await;
    let r = http
        .get(format!("{base}/drive/v3/files"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let faults: Value = http
        .get(format!("{base}/__emulator/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(faults["faults"].as_array().unwrap().len(), 1);
    http.delete(format!("{base}/__emulator/faults"))
        .send()
        .await
        .unwrap();
    let faults: Value = http
        .get(format!("{base}/__emulator/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(faults["faults"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn invalid_fault_rules_are_rejected() {
    let emu = start(true).await;
    let http = http();
    for rule in [
        json!({"action": {}}),
        json!({"action": {"status": 200}}),
        json!({"action": {"status": 503, "drop_after_bytes": 3}}),
        json!({"action": {"retry_after": 3}}),
        json!({"times": 0, "action": {"status": 503}}),
        json!({"action": {"statsu": 503}}),
        json!("nope"),
    ] {
        let r = add_fault(&http, &emu.base_url(), rule.clone()).await;
        google_error(r, 400, "badRequest").await;
    }
}

#[tokio::test]
async fn stall_delays_the_answer() {
    let emu = start(true).await;
    let http = http();
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    add_fault(&http, &emu.base_url(), json!({"action": {"stall_ms": 300}})).await;
    let t = Instant::now();
    let r = http
        .get(format!("{}/drive/v3/files", emu.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    // A client timeout shorter than the stall fires.
    add_fault(
        &http,
        &emu.base_url(),
        json!({"action": {"stall_ms": 5000}}),
    )
    .await;
    let r = http
        .get(format!("{}/drive/v3/files", emu.base_url()))
        .bearer_auth(&token)
        .timeout(Duration::from_millis(200))
        .send()
        .await;
    assert!(r.unwrap_err().is_timeout());
}

#[tokio::test]
async fn drop_after_bytes_truncates_a_download() {
    let emu = start(true).await;
    let http = http();
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    let zip = gapi_emulator::seeded_files("alice@example.com")
        .into_iter()
        .find(|f| f.name == "backup.zip")
        .unwrap();
    let url = format!("{}/drive/v3/files/{}?alt=media", emu.base_url(), zip.id);
    add_fault(
        &http,
        &emu.base_url(),
        json!({"match": {"query_contains": "alt=media"}, "action": {"drop_after_bytes": 10000}}),
    )
    .await;
    let r = http.get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.content_length(), Some(300_000));
    assert!(r.bytes().await.is_err(), "the body ends early");
    // Resume with a Range request.
    let r = http
        .get(&url)
        .bearer_auth(&token)
        .header("Range", "bytes=10000-")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 206);
    assert_eq!(
        r.bytes().await.unwrap().as_ref(),
        &zip.content.unwrap()[10000..]
    );
}

#[tokio::test]
async fn request_log_records_without_secrets() {
    let emu = start(true).await;
    let http = http();
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    http.get(format!("{}/drive/v3/files?pageSize=2", emu.base_url()))
        .bearer_auth(&token)
        .header("x-goog-api-client", "gl-rust/1 gdcl/0.1")
        .send()
        .await
        .unwrap();
    let text = http
        .get(format!("{}/__emulator/requests", emu.base_url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!text.contains(&token), "the token never appears in clear");
    let v: Value = serde_json::from_str(&text).unwrap();
    let last = v["requests"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["method"], "GET");
    assert_eq!(last["path"], "/drive/v3/files");
    assert_eq!(last["query"], json!([["pageSize", "2"]]));
    assert_eq!(last["status"], 200);
    assert_eq!(last["headers"]["x-goog-api-client"], "gl-rust/1 gdcl/0.1");
    assert!(
        last["headers"]["authorization"]
            .as_str()
            .unwrap()
            .starts_with("Bearer sha256:")
    );
    http.delete(format!("{}/__emulator/requests", emu.base_url()))
        .send()
        .await
        .unwrap();
    let v: Value = http
        .get(format!("{}/__emulator/requests", emu.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["requests"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn revoke_all_and_reset() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    http.post(format!("{base}/drive/v3/files"))
        .bearer_auth(&token)
        .json(&json!({"name": "new"}))
        .send()
        .await
        .unwrap();
    let r = http
        .post(format!("{base}/__emulator/tokens/revoke"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = http
        .get(format!("{base}/drive/v3/files"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    google_error(r, 401, "authError").await;
    http.post(format!("{base}/__emulator/reset"))
        .send()
        .await
        .unwrap();
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    let v: Value = http
        .get(format!("{base}/drive/v3/files?q=name%20%3D%20'new'"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        v["files"].as_array().unwrap().len(),
        0,
        "reset restores the seed"
    );
}
