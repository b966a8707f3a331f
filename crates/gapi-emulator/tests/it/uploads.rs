//! Uploads over plain HTTP: media, multipart, resumable (308/Range, status queries, resuming
//! after a dropped connection), content updates.

use gapi_testkit::emulator::*;
use serde_json::{Value, json};

const CHUNK: usize = 256 * 1024;

fn payload(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 256) as u8).collect()
}

async fn download(http: &reqwest::Client, base: &str, token: &str, id: &str) -> Vec<u8> {
    let r = http
        .get(format!("{base}/drive/v3/files/{id}?alt=media"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn media_and_multipart_uploads() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&emu, "carol@example.com", DRIVE).await;
    let r = http
        .post(format!(
            "{base}/upload/drive/v3/files?uploadType=media&fields=id,name,mimeType,size"
        ))
        .bearer_auth(&token)
        .header("Content-Type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["name"], "Untitled");
    assert_eq!(v["mimeType"], "text/plain");
    assert_eq!(v["size"], "5");
    assert_eq!(
        download(&http, &base, &token, v["id"].as_str().unwrap()).await,
        b"hello"
    );

    let body = "--b0und\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{\"name\":\"report.csv\"}\r\n--b0und\r\nContent-Type: text/csv\r\n\r\na,b\r\n1,2\r\n--b0und--\r\n";
    let r = http
        .post(format!(
            "{base}/upload/drive/v3/files?uploadType=multipart&fields=id,name,mimeType"
        ))
        .bearer_auth(&token)
        .header("Content-Type", "multipart/related; boundary=b0und")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["name"], "report.csv");
    assert_eq!(v["mimeType"], "text/csv");
    let id = v["id"].as_str().unwrap().to_owned();
    assert_eq!(download(&http, &base, &token, &id).await, b"a,b\r\n1,2");

    // Content update with uploadType=media on PATCH.
    let r = http
        .patch(format!(
            "{base}/upload/drive/v3/files/{id}?uploadType=media&fields=version,size"
        ))
        .bearer_auth(&token)
        .header("Content-Type", "text/csv")
        .body("x,y")
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v, json!({"version": "2", "size": "3"}));
    assert_eq!(download(&http, &base, &token, &id).await, b"x,y");

    // Errors: no uploadType, broken multipart.
    let r = http
        .post(format!("{base}/upload/drive/v3/files"))
        .bearer_auth(&token)
        .body("x")
        .send()
        .await
        .unwrap();
    google_error(r, 400, "invalid").await;
    let r = http
        .post(format!("{base}/upload/drive/v3/files?uploadType=multipart"))
        .bearer_auth(&token)
        .header("Content-Type", "multipart/related; boundary=zz")
        .body("--zz\r\nContent-Type: application/json\r\n\r\n{}")
        .send()
        .await
        .unwrap();
    google_error(r, 400, "badRequest").await;
}

async fn start_session(http: &reqwest::Client, base: &str, token: &str, total: usize) -> String {
    let r = http
        .post(format!(
            "{base}/upload/drive/v3/files?uploadType=resumable&fields=id,name,size"
        ))
        .bearer_auth(token)
        .header("X-Upload-Content-Type", "application/octet-stream")
        .header("X-Upload-Content-Length", total.to_string())
        .json(&json!({"name": "big.bin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.headers()["location"].to_str().unwrap().to_owned()
}

async fn put_chunk(
    http: &reqwest::Client,
    session: &str,
    data: &[u8],
    first: usize,
    total: usize,
) -> reqwest::Response {
    let last = first + data.len() - 1;
    http.put(session)
        .header("Content-Range", format!("bytes {first}-{last}/{total}"))
        .body(data.to_vec())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn resumable_upload_in_chunks_with_status_query() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&emu, "carol@example.com", DRIVE).await;
    let total = 2 * CHUNK + 1000;
    let data = payload(total);
    let session = start_session(&http, &base, &token, total).await;
    assert!(session.starts_with(&format!(
        "{base}/upload/drive/v3/files?uploadType=resumable&upload_id="
    )));

    let r = http
        .put(&session)
        .header("Content-Range", format!("bytes */{total}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 308);
    assert!(r.headers().get("range").is_none(), "nothing received yet");

    let r = put_chunk(&http, &session, &data[..CHUNK], 0, total).await;
    assert_eq!(r.status(), 308);
    assert_eq!(r.headers()["range"], format!("bytes=0-{}", CHUNK - 1));

    // A chunk that is not a multiple of 256 KiB (and not the last) is refused.
    let r = put_chunk(&http, &session, &data[CHUNK..CHUNK + 1000], CHUNK, total).await;
    google_error(r, 400, "badRequest").await;

    // X-GUploader-No-308 turns 308 into 200 + override header.
    let r = http
        .put(&session)
        .header(
            "Content-Range",
            format!("bytes {}-{}/{total}", CHUNK, 2 * CHUNK - 1),
        )
        .header("X-GUploader-No-308", "yes")
        .body(data[CHUNK..2 * CHUNK].to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-http-status-code-override"], "308");
    assert_eq!(r.headers()["range"], format!("bytes=0-{}", 2 * CHUNK - 1));

    let r = http
        .put(&session)
        .header("Content-Range", format!("bytes */{total}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 308);
    assert_eq!(r.headers()["range"], format!("bytes=0-{}", 2 * CHUNK - 1));

    let r = put_chunk(&http, &session, &data[2 * CHUNK..], 2 * CHUNK, total).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["name"], "big.bin");
    assert_eq!(v["size"], total.to_string());
    let id = v["id"].as_str().unwrap().to_owned();
    assert_eq!(download(&http, &base, &token, &id).await, data);

    // Asking again after completion returns the file (a lost final response is recoverable).
    let r = http
        .put(&session)
        .header("Content-Range", format!("bytes */{total}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let again: Value = r.json().await.unwrap();
    assert_eq!(again["id"], id.as_str());

    let r = http
        .put(format!(
            "{base}/upload/drive/v3/files?uploadType=resumable&upload_id=nope"
        ))
        .send()
        .await
        .unwrap();
    google_error(r, 404, "notFound").await;
}

#[tokio::test]
async fn resumable_upload_survives_a_dropped_connection() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&emu, "carol@example.com", DRIVE).await;
    let total = 3 * CHUNK;
    let data = payload(total);
    let session = start_session(&http, &base, &token, total).await;
    assert_eq!(
        put_chunk(&http, &session, &data[..CHUNK], 0, total)
            .await
            .status(),
        308
    );

    control(
        &base,
        "faults",
        json!({"match": {"method": "PUT", "path_prefix": "/upload/drive/v3/files"}, "times": 1, "action": {"drop_after_bytes": 1000}}),
    )
    .await;
    let dropped = http
        .put(&session)
        .header(
            "Content-Range",
            format!("bytes {}-{}/{total}", CHUNK, 2 * CHUNK - 1),
        )
        .body(data[CHUNK..2 * CHUNK].to_vec())
        .send()
        .await;
    assert!(
        dropped.is_err(),
        "the connection is closed without an answer: {dropped:?}"
    );

    let r = http
        .put(&session)
        .header("Content-Range", format!("bytes */{total}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 308);
    assert_eq!(
        r.headers()["range"],
        format!("bytes=0-{}", CHUNK - 1),
        "the interrupted chunk was not kept"
    );
    assert_eq!(
        put_chunk(&http, &session, &data[CHUNK..2 * CHUNK], CHUNK, total)
            .await
            .status(),
        308
    );
    let r = put_chunk(&http, &session, &data[2 * CHUNK..], 2 * CHUNK, total).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        download(&http, &base, &token, v["id"].as_str().unwrap()).await,
        data
    );
}

#[tokio::test]
async fn resumable_single_put_and_size_mismatch() {
    let emu = start(true).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&emu, "carol@example.com", DRIVE).await;
    let session = start_session(&http, &base, &token, 10).await;
    let r = http.put(&session).body("12345").send().await.unwrap();
    google_error(r, 400, "badRequest").await;
    let r = http.put(&session).body("0123456789").send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["size"], "10");
}
