//! `POST /batch/drive/v3` over plain HTTP.

use gapi_emulator::seeded_files;
use gapi_testkit::emulator::*;

#[tokio::test]
async fn batch_runs_parts_in_order_with_content_ids() {
    let emu = start(true).await;
    let http = http();
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    let file = &seeded_files("alice@example.com")[9];
    let body = format!(
        "--END\r\nContent-Type: application/http\r\nContent-ID: <item1>\r\n\r\nGET /drive/v3/files/{id}?fields=id,name HTTP/1.1\r\n\r\n\r\n\
         --END\r\nContent-Type: application/http\r\nContent-ID: <item2>\r\n\r\nGET /drive/v3/files/missing HTTP/1.1\r\n\r\n\r\n\
         --END\r\nContent-Type: application/http\r\nContent-ID: <item3>\r\n\r\nPATCH /drive/v3/files/{id}?fields=name HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{{\"name\":\"renamed.txt\"}}\r\n\
         --END--\r\n",
        id = file.id
    );
    let r = http
        .post(format!("{}/batch/drive/v3", emu.base_url()))
        .bearer_auth(&token)
        .header("Content-Type", "multipart/mixed; boundary=END")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let ct = r.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(ct.starts_with("multipart/mixed; boundary="), "{ct}");
    let text = r.text().await.unwrap();
    let p1 = text.find("Content-ID: <response-item1>").expect("part 1");
    let p2 = text.find("Content-ID: <response-item2>").expect("part 2");
    let p3 = text.find("Content-ID: <response-item3>").expect("part 3");
    assert!(p1 < p2 && p2 < p3);
    assert!(text[p1..p2].contains("HTTP/1.1 200 OK") && text[p1..p2].contains("notes.txt"));
    assert!(text[p2..p3].contains("HTTP/1.1 404 Not Found") && text[p2..p3].contains("notFound"));
    assert!(text[p3..].contains("renamed.txt"));

    // Without the outer token each part is unauthenticated.
    let r = http
        .post(format!("{}/batch/drive/v3", emu.base_url()))
        .header("Content-Type", "multipart/mixed; boundary=END")
        .body("--END\r\nContent-Type: application/http\r\n\r\nGET /drive/v3/files HTTP/1.1\r\n\r\n\r\n--END--\r\n")
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("HTTP/1.1 401"));
    let r = http
        .post(format!("{}/batch/drive/v3", emu.base_url()))
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    google_error(r, 400, "badRequest").await;
    let r = http
        .put(format!("{}/drive/v3/about", emu.base_url()))
        .send()
        .await
        .unwrap();
    google_error(r, 405, "httpMethodNotAllowed").await;
}
