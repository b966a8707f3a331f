//! The Discovery service over plain HTTP.

use gapi_testkit::emulator::*;
use serde_json::Value;

#[tokio::test]
async fn directory_and_documents_point_at_the_emulator() {
    let emu = start(false).await;
    let http = http();
    let base = emu.base_url();
    let r = http
        .get(format!("{base}/discovery/v1/apis"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let dir: Value = r.json().await.unwrap();
    assert_eq!(dir["kind"], "discovery#directoryList");
    let items = dir["items"].as_array().unwrap();
    assert!(items.len() > 300, "{}", items.len());
    let drive = items
        .iter()
        .find(|i| i["id"] == "drive:v3")
        .expect("drive:v3 listed");
    assert_eq!(
        drive["discoveryRestUrl"],
        format!("{base}/discovery/v1/apis/drive/v3/rest")
    );

    let filtered: Value = http
        .get(format!(
            "{base}/discovery/v1/apis?name=drive&preferred=true"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = filtered["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["drive:v3"]);

    let r = http
        .get(format!("{base}/discovery/v1/apis/drive/v3/rest"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    let doc: Value = r.json().await.unwrap();
    // Each API has a base of its own (Cloud APIs share paths like /v1/projects/...).
    assert_eq!(doc["rootUrl"], format!("{base}/_/drive/"));
    assert_eq!(doc["servicePath"], "drive/v3/");
    assert_eq!(doc["baseUrl"], format!("{base}/_/drive/drive/v3/"));
    assert_eq!(doc["batchPath"], "batch/drive/v3");
    let r = http
        .get(format!("{base}/discovery/v1/apis/drive/v3/rest"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);

    let r = http
        .get(format!("{base}/discovery/v1/apis/nope/v9/rest"))
        .send()
        .await
        .unwrap();
    google_error(r, 404, "notFound").await;
    let r = http
        .get(format!("{base}/discovery/v1/apis?preferred=maybe"))
        .send()
        .await
        .unwrap();
    google_error(r, 400, "invalid").await;
}
