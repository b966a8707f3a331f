//! Media and plain calls through gapi-client against a server no one here
//! wrote: `gcp-storage-emulator` (PyPI, pinned 2026.7.19), a Cloud Storage
//! JSON API server, driven with the bundled `storage` v1 Discovery document
//! and an endpoint override, without credentials.
//!
//! Set-up: `python3 -m venv /tmp/gcs-venv && /tmp/gcs-venv/bin/pip install gcp-storage-emulator==2026.7.19`
//! then `GAPI_TEST_GCS_EMULATOR=/tmp/gcs-venv/bin/gcp-storage-emulator cargo test -p gapi-client --test it -- storage_emulator::`
//! (or put `gcp-storage-emulator` on PATH). Without it these tests fail, saying so.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use gapi_client::media::{
    DownloadOptions, MediaClient, MediaSource, UploadOptions, UploadProtocol,
};
use gapi_client::{NoAuth, RetryPolicy, Service};
use gapi_testkit::data::tricky_data;
use serde_json::{Value, json};

/// The emulator process, killed when the test ends.
struct Emulator {
    child: tokio::process::Child,
    base: String,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

fn emulator_executable() -> PathBuf {
    if let Some(p) = std::env::var_os("GAPI_TEST_GCS_EMULATOR") {
        let p = PathBuf::from(p);
        assert!(
            p.is_file(),
            "GAPI_TEST_GCS_EMULATOR={} does not exist",
            p.display()
        );
        return p;
    }
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|d| d.join("gcp-storage-emulator"))
            .find(|p| p.is_file())
    });
    found.unwrap_or_else(|| {
        panic!(
            "gcp-storage-emulator not found: install it with \
             `python3 -m venv /tmp/gcs-venv && /tmp/gcs-venv/bin/pip install gcp-storage-emulator==2026.7.19` \
             and set GAPI_TEST_GCS_EMULATOR=/tmp/gcs-venv/bin/gcp-storage-emulator (or put it on PATH)"
        )
    })
}

async fn start_emulator() -> Emulator {
    let exe = emulator_executable();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let child = tokio::process::Command::new(&exe)
        .args([
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--in-memory",
            "-q",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()));
    let base = format!("http://127.0.0.1:{port}/");
    let emulator = Emulator { child, base };
    // Wait until it answers (it takes a moment to import and bind).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if http
            .get(format!("{}storage/v1/b?project=test", emulator.base))
            .send()
            .await
            .is_ok()
        {
            return emulator;
        }
        assert!(
            Instant::now() < deadline,
            "gcp-storage-emulator did not answer on port {port} within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn storage(base: &str) -> Service {
    Service::builder()
        .bundled("storage", "v1")
        .endpoint(base)
        .auth(NoAuth)
        .retry_policy(
            RetryPolicy::default().with_delays(Duration::from_millis(5), Duration::from_millis(50)),
        )
        .build()
        .expect("the bundled storage v1 document builds a service")
}

/// CRC-32C (Castagnoli), as Cloud Storage reports it: base64 of the big-endian value.
fn crc32c_b64(data: &[u8]) -> String {
    let mut crc: u32 = !0;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0x82F6_3B78
            } else {
                crc >> 1
            };
        }
    }
    let bytes = (!crc).to_be_bytes();
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let n = u32::from_be_bytes(bytes);
    // 4 bytes → 6 base64 characters + "==".
    let v = (n as u64) << 16;
    let mut s = String::new();
    for i in (0..6).rev() {
        s.push(ALPHABET[((v >> (i * 6 + 12)) & 63) as usize] as char);
    }
    s.push_str("==");
    s
}

fn assert_same(got: &[u8], want: &[u8], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length differs");
    assert!(got == want, "{what}: contents differ");
}

async fn upload(
    svc: &Service,
    bucket: &str,
    name_param: Option<&str>,
    protocol: UploadProtocol,
    meta: Option<Value>,
    source: MediaSource,
    ct: &str,
) -> Value {
    let mut call = svc
        .method("objects.insert")
        .unwrap()
        .param("bucket", bucket);
    if let Some(n) = name_param {
        call = call.param("name", n);
    }
    let prepared = call.prepare().unwrap();
    let target = prepared.media_upload.expect("objects.insert takes media");
    // Like Python's client, every protocol goes to `rootUrl + "upload/" + servicePath + path`
    // (the document's `/resumable/upload/...` path is not served by every server).
    let url = target.simple_url.expect("simple offered");
    assert!(url.path().starts_with("/upload/storage/v1/b/"), "{url}");
    let media = MediaClient::new(svc.transport()).unwrap();
    media
        .upload(
            prepared.method,
            url,
            protocol,
            meta.as_ref(),
            source,
            &UploadOptions::new(ct).chunk_size(256 * 1024),
        )
        .await
        .unwrap_or_else(|e| panic!("{protocol:?} upload failed: {e}"))
}

async fn download(
    svc: &Service,
    bucket: &str,
    object: &str,
    target: &std::path::Path,
    opts: &DownloadOptions,
) -> gapi_client::media::DownloadReport {
    let prepared = svc
        .method("objects.get")
        .unwrap()
        .param("bucket", bucket)
        .param("object", object)
        .prepare()
        .unwrap();
    let url = prepared
        .download_url
        .expect("objects.get supports media download");
    assert_eq!(
        url.query_pairs()
            .find(|(k, _)| k == "alt")
            .map(|(_, v)| v.into_owned())
            .as_deref(),
        Some("media")
    );
    let meta = prepared.download_metadata_url;
    assert!(
        meta.as_ref().is_some_and(|u| {
            let q = u.query().unwrap();
            q.contains("crc32c") && q.contains("md5Hash") && q.contains("generation")
        }),
        "{meta:?}"
    );
    let report = MediaClient::new(svc.transport())
        .unwrap()
        .download_to_file(url, target, &opts.clone().metadata_url(meta))
        .await
        .unwrap();
    assert!(
        report.verified.is_some(),
        "checked against the server's md5Hash or crc32c"
    );
    report
}

#[tokio::test]
async fn storage_emulator_uploads_downloads_and_deletes_exact_bytes() {
    assert_eq!(crc32c_b64(b"hello"), "mnG7TA==", "the test's own CRC-32C");
    let emu = start_emulator().await;
    let svc = storage(&emu.base);
    let bucket = "gapi-media-test";

    let created = svc
        .method("buckets.insert")
        .unwrap()
        .param("project", "test")
        .body(json!({"name": bucket}))
        .execute()
        .await
        .unwrap();
    assert_eq!(created["name"], bucket);

    let dir = std::env::temp_dir().join(format!("gapi-gcs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    // One object per protocol (and source kind), each with its own bytes.
    let cases: Vec<(&str, UploadProtocol, Vec<u8>)> = vec![
        (
            "simple.bin",
            UploadProtocol::Simple,
            tricky_data(300 * 1024 + 3, 11),
        ),
        (
            "multi part.bin",
            UploadProtocol::Multipart,
            tricky_data(200 * 1024 + 9, 12),
        ),
        (
            "dir/resumable.bin",
            UploadProtocol::Resumable,
            tricky_data(1024 * 1024 + 77, 13),
        ),
    ];
    for (name, protocol, data) in &cases {
        let path = dir.join(name.replace('/', "_"));
        std::fs::write(&path, data).unwrap();
        let obj = match protocol {
            UploadProtocol::Simple => {
                upload(
                    &svc,
                    bucket,
                    Some(name),
                    *protocol,
                    None,
                    MediaSource::path(&path),
                    "application/octet-stream",
                )
                .await
            }
            _ => {
                let meta = json!({"name": name, "contentType": "application/x-gapi", "metadata": {"k": "v"}});
                upload(
                    &svc,
                    bucket,
                    None,
                    *protocol,
                    Some(meta),
                    MediaSource::path(&path),
                    "application/x-gapi",
                )
                .await
            }
        };
        assert_eq!(obj["name"], *name, "{protocol:?}: {obj}");
        assert_eq!(obj["size"], data.len().to_string(), "{protocol:?}: {obj}");
        let crc = obj["crc32c"]
            .as_str()
            .unwrap_or_else(|| panic!("no crc32c in {obj}"));
        assert_eq!(
            crc,
            crc32c_b64(data),
            "{protocol:?}: server-side checksum of the stored bytes"
        );
        if *protocol != UploadProtocol::Simple {
            assert_eq!(obj["metadata"]["k"], "v", "{protocol:?}: {obj}");
        }

        // Read it back whole...
        let out = dir.join(format!("{}.out", name.replace('/', "_")));
        let _ = std::fs::remove_file(&out);
        let report = download(&svc, bucket, name, &out, &DownloadOptions::default()).await;
        assert_same(&std::fs::read(&out).unwrap(), data, name);
        assert_eq!(report.resumed_from, 0);

        // ...and over a leftover `.part` that nothing ties to this object (no sidecar): it is
        // not trusted, the download starts over (proven resumes: media_emulator.rs).
        let out2 = dir.join(format!("{}.out2", name.replace('/', "_")));
        let _ = std::fs::remove_file(&out2);
        let half = data.len() / 2;
        let mut part = out2.as_os_str().to_owned();
        part.push(".part");
        std::fs::write(&part, tricky_data(half, 99)).unwrap();
        let report = download(&svc, bucket, name, &out2, &DownloadOptions::default()).await;
        assert_eq!(report.resumed_from, 0, "{name}: started over");
        assert_same(&std::fs::read(&out2).unwrap(), data, name);
    }

    // A stream of unknown length through the resumable protocol.
    let data = tricky_data(600 * 1024 + 1, 14);
    let obj = upload(
        &svc,
        bucket,
        None,
        UploadProtocol::Resumable,
        Some(json!({"name": "stream.bin"})),
        MediaSource::reader(std::io::Cursor::new(data.clone()), None),
        "application/octet-stream",
    )
    .await;
    assert_eq!(obj["size"], data.len().to_string(), "{obj}");
    assert_eq!(
        obj["crc32c"].as_str(),
        Some(crc32c_b64(&data).as_str()),
        "{obj}"
    );
    let out = dir.join("stream.out");
    let _ = std::fs::remove_file(&out);
    download(
        &svc,
        bucket,
        "stream.bin",
        &out,
        &DownloadOptions::default(),
    )
    .await;
    assert_same(&std::fs::read(&out).unwrap(), &data, "stream.bin");

    // A batch (its parts carry no Content-ID here, so answers are matched by position; it
    // serves PATCH, DELETE and copy only).
    let reqs = vec![
        svc.method("objects.patch")
            .unwrap()
            .param("bucket", bucket)
            .param("object", "stream.bin")
            .body(json!({"metadata": {"batched": "yes"}}))
            .prepare()
            .unwrap(),
        svc.method("objects.delete")
            .unwrap()
            .param("bucket", bucket)
            .param("object", "no-such-object")
            .prepare()
            .unwrap(),
    ];
    let batch_url = url::Url::parse(&svc.batch_url().expect("storage has a batchPath")).unwrap();
    let results = gapi_client::batch::Batch::new(svc.transport(), batch_url)
        .execute(&reqs)
        .await
        .unwrap();
    assert_eq!(results.len(), 2);
    let patched = &results[0].as_ref().unwrap().body;
    assert_eq!(patched["name"], "stream.bin", "{patched}");
    assert_eq!(patched["metadata"]["batched"], "yes", "{patched}");
    assert!(
        results[1].as_ref().unwrap_err().is_not_found(),
        "{:?}",
        results[1]
    );
    let got = svc
        .method("objects.get")
        .unwrap()
        .param("bucket", bucket)
        .param("object", "stream.bin")
        .execute()
        .await
        .unwrap();
    assert_eq!(
        got["metadata"]["batched"], "yes",
        "the batched patch was applied: {got}"
    );

    // Delete, then it is gone.
    svc.method("objects.delete")
        .unwrap()
        .param("bucket", bucket)
        .param("object", "simple.bin")
        .execute()
        .await
        .unwrap();
    let err = svc
        .method("objects.get")
        .unwrap()
        .param("bucket", bucket)
        .param("object", "simple.bin")
        .execute()
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
