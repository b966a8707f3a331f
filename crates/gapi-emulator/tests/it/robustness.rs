//! Malformed input never panics or hangs the emulator: bad JSON, bad forms, huge bodies and
//! headers, garbage parameters. Every answer is a 4xx, and the emulator keeps serving.

use gapi_emulator::DEFAULT_CLIENT_ID;
use gapi_testkit::emulator::*;
use serde_json::Value;

#[tokio::test]
async fn garbage_gets_4xx_and_the_server_survives() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    let weird = [
        "%",
        "%zz",
        "'",
        "((((((((((",
        "\u{0}",
        "\u{8800}%",
        "name contains '\\",
        "a/b/c(d)",
        "*",
        ",,,",
        "files(",
        ")",
    ];
    for w in weird {
        for key in ["q", "fields", "orderBy", "pageToken", "pageSize", "alt"] {
            let r = http
                .get(format!("{base}/drive/v3/files"))
                .query(&[(key, w)])
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert!(r.status().as_u16() < 500, "{key}={w:?} -> {}", r.status());
        }
        let r = http
            .get(format!("{base}/o/oauth2/auth"))
            .query(&[
                ("client_id", DEFAULT_CLIENT_ID),
                ("redirect_uri", w),
                ("scope", w),
            ])
            .send()
            .await
            .unwrap();
        assert!(r.status().as_u16() < 500);
    }
    for body in [
        "",
        "{",
        "[]",
        "null",
        "{\"name\": 5}",
        "{\"parents\": \"x\"}",
        "{\"properties\": [1]}",
        "\u{0}\u{1}",
    ] {
        let r = http
            .post(format!("{base}/drive/v3/files"))
            .bearer_auth(&token)
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_success() || r.status().is_client_error(),
            "{body:?} -> {}",
            r.status()
        );
        if r.status().is_client_error() {
            let v: Value = r.json().await.unwrap();
            assert!(v["error"]["code"].is_number());
        }
    }
    for body in [
        "%%%",
        "grant_type",
        "=&=&",
        "grant_type=authorization_code&code=%ff%fe",
    ] {
        let r = http
            .post(format!("{base}/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16() / 100, 4, "{body}");
        let v: Value = r.json().await.unwrap();
        assert!(v["error"].is_string());
    }
    let r = http
        .post(format!("{base}/token"))
        .header("Content-Type", "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = http
        .post(format!("{base}/token"))
        .header("Authorization", "Basic !!!")
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    for range in [
        "bytes */x",
        "bytes 1-0/5",
        "bytes",
        "bytes 0-99999999999999999999/1",
        "bytes -1-2/3",
    ] {
        let r = http
            .put(format!(
                "{base}/upload/drive/v3/files?uploadType=resumable&upload_id=x"
            ))
            .header("Content-Range", range)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16() / 100, 4, "{range}");
    }
    for path in [
        "/nope",
        "/drive/v3/files/a/b/c",
        "/drive/v3/files/%00",
        "/discovery/v1/apis/%ff/%ff/rest",
        "/__emulator/nope",
    ] {
        let r = http
            .get(format!("{base}{path}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16() / 100, 4, "{path}");
    }
    // Still alive.
    let r = http
        .get(format!("{base}/drive/v3/files?pageSize=1"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn huge_bodies_and_headers_are_refused() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    let big = vec![b'a'; 2 * 1024 * 1024];
    let r = http
        .post(format!("{base}/drive/v3/files"))
        .bearer_auth(&token)
        .body(big.clone())
        .send()
        .await
        .unwrap();
    google_error(r, 413, "uploadTooLarge").await;
    let r = http
        .post(format!("{base}/token"))
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let huge_header = "x".repeat(512 * 1024);
    let r = http
        .get(format!("{base}/drive/v3/files"))
        .header("X-Huge", huge_header)
        .send()
        .await;
    // hyper answers 431 or closes the connection; either way the server keeps running.
    if let Ok(r) = r {
        assert_eq!(r.status().as_u16() / 100, 4);
    }
    let r = http
        .get(format!("{base}/drive/v3/files?pageSize=1"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn control_api_rejects_bad_json() {
    let emu = start(true).await;
    let http = http();
    for path in [
        "/__emulator/faults",
        "/__emulator/tokens/expire",
        "/__emulator/tokens/issue",
        "/__emulator/device/approve",
    ] {
        let r = http
            .post(format!("{}{path}", emu.base_url()))
            .body("{nope")
            .send()
            .await
            .unwrap();
        google_error(r, 400, "badRequest").await;
    }
    let r = http
        .post(format!("{}/__emulator/tokens/issue", emu.base_url()))
        .json(&serde_json::json!({"email": "mallory@example.com"}))
        .send()
        .await
        .unwrap();
    google_error(r, 400, "badRequest").await;
}

#[tokio::test]
async fn extreme_content_range_on_a_real_session_is_a_4xx() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    let r = http
        .post(format!("{base}/upload/drive/v3/files?uploadType=resumable"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let session = r.headers()["location"].to_str().unwrap().to_owned();
    for range in [
        "bytes 0-18446744073709551615/*",
        "bytes 18446744073709551614-18446744073709551615/*",
        "bytes */18446744073709551615",
    ] {
        let r = http
            .put(&session)
            .header("Content-Range", range)
            .body("abc")
            .send()
            .await
            .unwrap();
        assert!(
            r.status().as_u16() == 308 || r.status().is_client_error(),
            "{range}: {}",
            r.status()
        );
    }
    let r = http
        .get(format!("{base}/drive/v3/files?pageSize=1"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}
