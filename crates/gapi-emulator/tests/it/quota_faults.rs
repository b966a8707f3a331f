//! Quota faults for batch jobs: a rule that rejects a deterministic share of batch parts
//! (429, or 403 with a chosen reason) and leaves the rest, and everything outside batches,
//! alone.

use gapi_emulator::seeded_files;
use gapi_testkit::emulator::*;
use serde_json::{Value, json};

/// The emulator's draw (splitmix64), repeated here so the test predicts the rejected parts.
fn drawn(seed: u64, position: u64, percent: u64) -> bool {
    let mut z = seed ^ position.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    z % 100 < percent
}

async fn batch(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    ids: &[String],
) -> Vec<(u16, String)> {
    let mut body = String::new();
    for (i, id) in ids.iter().enumerate() {
        body.push_str(&format!(
            "--END\r\nContent-Type: application/http\r\nContent-ID: <p{i}>\r\n\r\nGET /drive/v3/files/{id}?fields=id HTTP/1.1\r\n\r\n\r\n"
        ));
    }
    body.push_str("--END--\r\n");
    let r = http
        .post(format!("{base}/batch/drive/v3"))
        .bearer_auth(token)
        .header("Content-Type", "multipart/mixed; boundary=END")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the batch itself is never rejected");
    let text = r.text().await.unwrap();
    let mut out = Vec::new();
    for i in 0..ids.len() {
        let start = text
            .find(&format!("Content-ID: <response-p{i}>"))
            .expect("every part answered");
        let rest = &text[start..];
        let end = rest[1..]
            .find("Content-ID: <response-")
            .map(|e| e + 1)
            .unwrap_or(rest.len());
        let part = &rest[..end];
        let status: u16 = part
            .split("HTTP/1.1 ")
            .nth(1)
            .and_then(|s| s.get(..3))
            .and_then(|s| s.parse().ok())
            .unwrap();
        out.push((status, part.to_owned()));
    }
    out
}

#[tokio::test]
async fn a_share_of_batch_parts_is_rejected_deterministically() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    let ids: Vec<String> = seeded_files("alice@example.com")
        .iter()
        .take(20)
        .map(|f| f.id.clone())
        .collect();
    let rule = json!({"match": {"batch_part": true}, "times": 1000, "action": {"status": 429, "percent": 30, "seed": 7}});
    let r = http
        .post(format!("{base}/__emulator/faults"))
        .json(&rule)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let parts = batch(&http, &base, &token, &ids).await;
    let expected: Vec<bool> = (0..20).map(|i| drawn(7, i, 30)).collect();
    let rejected: Vec<bool> = parts.iter().map(|(s, _)| *s == 429).collect();
    assert_eq!(rejected, expected);
    let n = rejected.iter().filter(|r| **r).count();
    assert!((1..20).contains(&n), "some but not all parts fail: {n}");
    for (status, part) in &parts {
        match status {
            429 => assert!(
                part.contains("rateLimitExceeded") && part.contains("RESOURCE_EXHAUSTED"),
                "{part}"
            ),
            200 => assert!(part.contains("\"id\"")),
            other => panic!("unexpected status {other}: {part}"),
        }
    }
    // The draw continues from where it was: the next 20 parts follow positions 20..40.
    let parts = batch(&http, &base, &token, &ids).await;
    let expected: Vec<bool> = (20..40).map(|i| drawn(7, i, 30)).collect();
    assert_eq!(
        parts.iter().map(|(s, _)| *s == 429).collect::<Vec<_>>(),
        expected
    );
    // Requests outside batches are left alone.
    for id in &ids {
        let r = http
            .get(format!("{base}/drive/v3/files/{id}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    // The same seed again (a new rule) rejects the same positions.
    http.delete(format!("{base}/__emulator/faults"))
        .send()
        .await
        .unwrap();
    http.post(format!("{base}/__emulator/faults"))
        .json(&rule)
        .send()
        .await
        .unwrap();
    let again = batch(&http, &base, &token, &ids).await;
    assert_eq!(
        again.iter().map(|(s, _)| *s == 429).collect::<Vec<_>>(),
        (0..20).map(|i| drawn(7, i, 30)).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn forbidden_rate_limit_reason_and_times_counts_rejections() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    let ids: Vec<String> = seeded_files("alice@example.com")
        .iter()
        .take(10)
        .map(|f| f.id.clone())
        .collect();
    let rule = json!({"match": {"batch_part": true}, "times": 2, "action": {"status": 403, "reason": "rateLimitExceeded", "percent": 100}});
    http.post(format!("{base}/__emulator/faults"))
        .json(&rule)
        .send()
        .await
        .unwrap();
    let parts = batch(&http, &base, &token, &ids).await;
    let statuses: Vec<u16> = parts.iter().map(|(s, _)| *s).collect();
    assert_eq!(
        &statuses[..3],
        &[403, 403, 200],
        "times counts the rejected parts"
    );
    assert!(
        parts[0].1.contains("\"reason\":\"rateLimitExceeded\"")
            && parts[0].1.contains("PERMISSION_DENIED"),
        "{}",
        parts[0].1
    );
    let list: Value = http
        .get(format!("{base}/__emulator/faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["faults"], json!([]), "used up");
    for bad in [
        json!({"action": {"status": 429, "percent": 0}}),
        json!({"action": {"status": 429, "percent": 101}}),
        json!({"action": {"stall_ms": 1, "seed": 3}}),
        json!({"action": {"status": 403, "reason": "nope"}}),
        json!({"action": {"stall_ms": 1, "reason": "rateLimitExceeded"}}),
    ] {
        let r = http
            .post(format!("{base}/__emulator/faults"))
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{bad}");
    }
}
