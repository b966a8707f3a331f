//! The device flow (RFC 8628) over plain HTTP: pending, slow_down, approve, deny.

use std::time::Duration;

use gapi_emulator::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, EmulatorConfig, WEB_CLIENT_ID};
use gapi_testkit::emulator::*;
use serde_json::Value;

async fn device_code(http: &reqwest::Client, base: &str) -> Value {
    let r = http
        .post(format!("{base}/device/code"))
        .form(&[("client_id", DEFAULT_CLIENT_ID), ("scope", DRIVE_FILE)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

async fn poll(http: &reqwest::Client, base: &str, device_code: &str) -> (u16, Value) {
    let r = http
        .post(format!("{base}/token"))
        .form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", device_code),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

fn config() -> EmulatorConfig {
    EmulatorConfig {
        device_poll_interval: Duration::from_secs(1),
        ..Default::default()
    }
}

#[tokio::test]
async fn pending_then_slow_down_then_approved_through_the_page() {
    let emu = start_with(config()).await;
    let http = http();
    let base = emu.base_url();
    let d = device_code(&http, &base).await;
    assert_eq!(d["interval"], 1);
    assert_eq!(d["verification_url"], format!("{base}/device"));
    let user_code = d["user_code"].as_str().unwrap().to_owned();
    let code = d["device_code"].as_str().unwrap().to_owned();

    let (status, v) = poll(&http, &base, &code).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (428, Some("authorization_pending"))
    );
    let (status, v) = poll(&http, &base, &code).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (403, Some("slow_down")),
        "polling faster than the interval"
    );

    let page = http
        .get(format!("{base}/device?user_code={user_code}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&user_code));
    let r = http
        .post(format!("{base}/device"))
        .form(&[
            ("user_code", user_code.to_lowercase().as_str()),
            ("user", "bob@example.com"),
            ("decision", "allow"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // slow_down raised the interval to 6 s; the emulator answers tokens regardless of pace once
    // approved, so no wait is needed here.
    let (status, v) = poll(&http, &base, &code).await;
    assert_eq!(status, 200, "{v}");
    assert!(v["refresh_token"].as_str().is_some());
    let info: Value = http
        .get(format!(
            "{base}/tokeninfo?access_token={}",
            v["access_token"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["email"], "bob@example.com");
    // The device code is spent.
    let (status, v) = poll(&http, &base, &code).await;
    assert_eq!((status, v["error"].as_str()), (400, Some("invalid_grant")));
}

#[tokio::test]
async fn denied_and_control_api_and_errors() {
    let emu = start_with(config()).await;
    let http = http();
    let base = emu.base_url();
    let d = device_code(&http, &base).await;
    let r = http
        .post(format!("{base}/__emulator/device/approve"))
        .json(&serde_json::json!({"user_code": d["user_code"], "deny": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (status, v) = poll(&http, &base, d["device_code"].as_str().unwrap()).await;
    assert_eq!((status, v["error"].as_str()), (403, Some("access_denied")));

    let r = http
        .post(format!("{base}/device"))
        .form(&[("user_code", "ZZZZ-ZZZZ"), ("decision", "allow")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = http
        .post(format!("{base}/device/code"))
        .form(&[("client_id", WEB_CLIENT_ID), ("scope", DRIVE)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = http
        .post(format!("{base}/device/code"))
        .form(&[("client_id", DEFAULT_CLIENT_ID)])
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "invalid_request");
}
