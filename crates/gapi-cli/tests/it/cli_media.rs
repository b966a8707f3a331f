//! Uploads and downloads through the CLI against the emulator's Drive: every upload protocol
//! stores exactly the file's bytes, and `-o` streams the media back to disk.

use crate::common;

use common::{Setup, run};
use gapi_testkit::data::tricky_data;

#[tokio::test(flavor = "multi_thread")]
async fn every_upload_protocol_round_trips_exact_bytes() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    let endpoint = format!("{}/", setup.base());
    // Small files for media and multipart; a 3 MiB one for resumable (several 256 KiB chunks
    // would need a smaller chunk size; the CLI's default 8 MiB sends it in one chunk).
    for (protocol, size) in [
        ("media", 70_000usize),
        ("multipart", 300_000),
        ("resumable", 3 << 20),
    ] {
        let data = tricky_data(size, 12345);
        let src = setup.dir.path().join(format!("{protocol}.bin"));
        std::fs::write(&src, &data).unwrap();
        let mut cmd = setup.gapi();
        cmd.args([
            "drive",
            "files",
            "create",
            "--endpoint",
            &endpoint,
            "--upload",
        ])
        .arg(&src)
        .args(["-p", &format!("uploadType={protocol}")]);
        if protocol != "media" {
            cmd.args(["--json", &format!("{{\"name\": \"{protocol}.bin\"}}")]);
        }
        let out = run(cmd).await;
        assert_eq!(out.code, 0, "{protocol}: {}", out.stderr);
        let created: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let id = created["id"].as_str().expect("an id").to_string();
        if protocol != "media" {
            assert_eq!(created["name"], format!("{protocol}.bin"));
        }

        let dst = setup.dir.path().join(format!("{protocol}.out"));
        let mut cmd = setup.gapi();
        cmd.args([
            "drive",
            "files",
            "get",
            "--endpoint",
            &endpoint,
            "-p",
            &format!("fileId={id}"),
            "-p",
            "alt=media",
            "-o",
        ])
        .arg(&dst);
        let out = run(cmd).await;
        assert_eq!(out.code, 0, "{protocol} download: {}", out.stderr);
        let back = std::fs::read(&dst).unwrap();
        assert_eq!(back.len(), data.len(), "{protocol}: size");
        assert!(
            back == data,
            "{protocol}: the stored bytes are exactly the file's"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_upload_describes_the_media() {
    let setup = Setup::new(true).await;
    let src = setup.dir.path().join("notes.txt");
    std::fs::write(&src, b"hello").unwrap();
    let mut cmd = setup.gapi();
    cmd.args([
        "drive",
        "files",
        "create",
        "--dry-run",
        "--json",
        "{\"name\":\"notes.txt\"}",
        "--upload",
    ])
    .arg(&src);
    let out = run(cmd).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["method"], "POST");
    assert_eq!(v["body"]["media"]["size"], 5);
    assert_eq!(v["body"]["media"]["content_type"], "text/plain");
    assert_eq!(v["body"]["metadata"]["name"], "notes.txt");
    // The URL the upload really goes to: the /upload/ path, with the protocol chosen.
    assert_eq!(
        v["url"],
        "https://www.googleapis.com/upload/drive/v3/files?alt=json&prettyPrint=false&uploadType=multipart"
    );
    assert_eq!(v["upload_protocol"], "multipart");
    assert!(
        v["headers"]["content-type"]
            .as_str()
            .unwrap()
            .starts_with("multipart/related"),
        "{v}"
    );

    // Each protocol named: the URL and headers its first request carries.
    for (protocol, content_type) in [
        ("media", "text/plain"),
        ("resumable", "application/json; charset=UTF-8"),
    ] {
        let mut cmd = setup.gapi();
        cmd.args([
            "drive",
            "files",
            "update",
            "-p",
            "fileId=abc",
            "-p",
            &format!("uploadType={protocol}"),
            "--dry-run",
            "--upload",
        ])
        .arg(&src);
        if protocol == "resumable" {
            cmd.args(["--json", "{\"name\":\"n\"}"]);
        }
        let out = run(cmd).await;
        assert_eq!(out.code, 0, "{protocol}: {}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["method"], "PATCH", "{protocol}");
        assert_eq!(
            v["url"],
            format!(
                "https://www.googleapis.com/upload/drive/v3/files/abc?alt=json&prettyPrint=false&uploadType={protocol}"
            ),
            "{protocol}"
        );
        assert_eq!(v["headers"]["content-type"], content_type, "{protocol}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_upload_without_metadata_is_named_and_typed_from_its_file() {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    let src = setup.dir.path().join("report.pdf");
    std::fs::write(&src, b"%PDF-1.4 tiny").unwrap();
    let upload = src.to_str().unwrap();
    let out = setup
        .api(&[
            "drive",
            "files",
            "create",
            "--upload",
            upload,
            "-p",
            "fields=id,name,mimeType",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let created: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(created["name"], "report.pdf", "{created}");
    assert_eq!(created["mimeType"], "application/pdf", "{created}");

    // A given name and content type win.
    let out = setup
        .api(&[
            "drive",
            "files",
            "create",
            "--upload",
            upload,
            "--json",
            r#"{"name": "mine"}"#,
            "--upload-content-type",
            "text/plain",
            "-p",
            "fields=id,name,mimeType",
        ])
        .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let created: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(created["name"], "mine");
    assert_eq!(created["mimeType"], "text/plain");
}

/// A file whose name is not UTF-8 uploads like any other (as `-o` takes such a name), and
/// `--upload -` still reads stdin.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_non_utf8_upload_path_and_stdin_upload() {
    use std::os::unix::ffi::OsStrExt;
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, &["--scope", "drive"]).await;
    let endpoint = format!("{}/", setup.base());
    let src = setup
        .dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"r\xffport.bin"));
    std::fs::write(&src, b"bytes of a file with a Latin-1 name").unwrap();
    let mut cmd = setup.gapi();
    cmd.args([
        "drive",
        "files",
        "create",
        "--endpoint",
        &endpoint,
        "--upload",
    ])
    .arg(&src);
    let out = run(cmd).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let created: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let id = created["id"].as_str().expect("an id").to_string();
    let back = setup
        .dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"b\xffck.bin"));
    let mut cmd = setup.gapi();
    cmd.args([
        "drive",
        "files",
        "get",
        "--endpoint",
        &endpoint,
        "-p",
        &format!("fileId={id}"),
        "-o",
    ])
    .arg(&back);
    let out = run(cmd).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        std::fs::read(&back).unwrap(),
        b"bytes of a file with a Latin-1 name"
    );

    let mut cmd = setup.gapi();
    cmd.args([
        "drive",
        "files",
        "create",
        "--endpoint",
        &endpoint,
        "--upload",
        "-",
    ])
    .stdin(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    use tokio::io::AsyncWriteExt;
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"from stdin").await.unwrap();
    drop(stdin);
    let out = child.wait_with_output().await.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(created["id"].is_string(), "{created}");
}
