//! Media, retries and batch through gapi-client against gapi's own Google
//! stand-in (`gapi-emulator`): Drive v3 uploads of each type with exact
//! bytes, downloads with ranges, and the emulator's fault injection
//! (dropped connections, 503, 429 + Retry-After).

use std::time::{Duration, Instant};

use gapi_client::batch::Batch;
use gapi_client::media::{
    DownloadOptions, MediaClient, MediaSource, ResumableSession, ResumableUpload, UploadOptions,
    UploadProtocol, UploadStatus,
};
use gapi_client::{RetryPolicy, Service, StaticToken};
use gapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use gapi_testkit::data::tricky_data;
use gapi_testkit::emulator::{DRIVE, issued_token};
use serde_json::{Value, json};

const KIB: usize = 1024;

struct Env {
    emu: RunningEmulator,
    http: reqwest::Client,
    drive: Service,
    /// The same, never retrying (to leave an interrupted download behind).
    drive_no_retry: Service,
}

async fn setup(policy: RetryPolicy) -> Env {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emu = Emulator::start(EmulatorConfig {
        auto_approve: true,
        ..Default::default()
    })
    .await
    .expect("emulator starts");
    let http = reqwest::Client::new();
    let base = emu.base_url();
    let access = issued_token(&emu, "alice@example.com", DRIVE).await;
    let root = if base.ends_with('/') {
        base.clone()
    } else {
        format!("{base}/")
    };
    let drive = Service::builder()
        .bundled("drive", "v3")
        .endpoint(root.clone())
        .auth(StaticToken(access.clone()))
        .retry_policy(policy)
        .build()
        .unwrap();
    let drive_no_retry = Service::builder()
        .bundled("drive", "v3")
        .endpoint(root)
        .auth(StaticToken(access))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    Env {
        emu,
        http,
        drive,
        drive_no_retry,
    }
}

fn fast() -> RetryPolicy {
    RetryPolicy::default().with_delays(Duration::from_millis(2), Duration::from_millis(50))
}

impl Env {
    async fn fault(&self, rule: Value) {
        let base = self.emu.base_url();
        self.http
            .post(format!("{}/__emulator/faults", base.trim_end_matches('/')))
            .json(&rule)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap_or_else(|e| panic!("fault rule {rule} refused: {e}"));
    }

    fn media(&self) -> MediaClient {
        MediaClient::new(self.drive.transport()).unwrap()
    }

    /// `files.create`'s upload URL, the same for every protocol (`rootUrl + upload/ + servicePath + path`).
    fn upload_url(&self) -> url::Url {
        let prepared = self
            .drive
            .method("files.create")
            .unwrap()
            .prepare()
            .unwrap();
        let target = prepared.media_upload.expect("files.create takes media");
        let url = target.simple_url.expect("simple protocol offered");
        assert!(url.path().ends_with("/upload/drive/v3/files"), "{url}");
        url
    }

    async fn upload(
        &self,
        protocol: UploadProtocol,
        meta: Option<Value>,
        source: MediaSource,
        opts: &UploadOptions,
    ) -> Result<Value, gapi_client::Error> {
        self.media()
            .upload(
                reqwest::Method::POST,
                self.upload_url(),
                protocol,
                meta.as_ref(),
                source,
                opts,
            )
            .await
    }

    async fn download(
        &self,
        id: &str,
        name: &str,
        opts: &DownloadOptions,
    ) -> (Vec<u8>, gapi_client::media::DownloadReport) {
        let prepared = self
            .drive
            .method("files.get")
            .unwrap()
            .param("fileId", id)
            .prepare()
            .unwrap();
        assert!(prepared.supports_media_download);
        // Like Python's client: the method's own URL with alt=media (the emulator does not serve
        // the `download/` service path that `useMediaDownloadService` points at); the metadata
        // URL asks for the size, version and checksum to check the bytes against.
        let url = prepared.download_url.clone().expect("a download URL");
        assert_eq!(url.path(), prepared.url.path());
        let meta = prepared.download_metadata_url.clone();
        assert!(
            meta.as_ref()
                .is_some_and(|u| u.query().unwrap().contains("sha256Checksum")),
            "{meta:?}"
        );
        let opts = opts.clone().metadata_url(meta);
        let target = tmp(name);
        let report = self
            .media()
            .download_to_file(url, &target, &opts)
            .await
            .unwrap();
        assert_eq!(
            report.verified,
            Some("sha256"),
            "checked against Drive's checksum"
        );
        let data = std::fs::read(&target).unwrap();
        std::fs::remove_file(&target).unwrap();
        (data, report)
    }
}

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gapi-media-emu-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn assert_same(got: &[u8], want: &[u8], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length differs");
    assert!(got == want, "{what}: contents differ");
}

fn id(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_string()
}

#[tokio::test]
async fn each_upload_type_stores_exact_bytes_and_downloads_with_ranges() {
    let env = setup(fast()).await;
    let cases = [
        (UploadProtocol::Simple, None, 200 * KIB + 1),
        (
            UploadProtocol::Multipart,
            Some(json!({"name": "multi.bin"})),
            300 * KIB + 2,
        ),
        (
            UploadProtocol::Resumable,
            Some(json!({"name": "resumable.bin"})),
            900 * KIB + 3,
        ),
    ];
    for (i, (protocol, meta, len)) in cases.into_iter().enumerate() {
        let data = tricky_data(len, 40 + i as u64);
        let path = tmp(&format!("up{i}.bin"));
        std::fs::write(&path, &data).unwrap();
        let opts = UploadOptions::new("application/octet-stream").chunk_size(256 * KIB);
        let file = env
            .upload(protocol, meta.clone(), MediaSource::path(&path), &opts)
            .await
            .unwrap_or_else(|e| panic!("{protocol:?}: {e}"));
        if let Some(m) = &meta {
            assert_eq!(file["name"], m["name"], "{protocol:?}: {file}");
        }
        let (got, _) = env
            .download(
                &id(&file),
                &format!("down{i}.bin"),
                &DownloadOptions::default(),
            )
            .await;
        assert_same(&got, &data, &format!("{protocol:?}"));

        // Range: continue a download a dropped connection left in `.part` (with its sidecar).
        let target = tmp(&format!("part{i}.bin"));
        env.fault(
            json!({"match": {"method": "GET", "query_contains": "alt=media"}, "times": 1,
            "action": {"drop_after_bytes": len / 3}}),
        )
        .await;
        let prepared = env
            .drive_no_retry
            .method("files.get")
            .unwrap()
            .param("fileId", id(&file))
            .prepare()
            .unwrap();
        let err = MediaClient::new(env.drive_no_retry.transport())
            .unwrap()
            .download_to_file(
                prepared.download_url.unwrap(),
                &target,
                &DownloadOptions::default().metadata_url(prepared.download_metadata_url),
            )
            .await
            .unwrap_err();
        assert!(err.is_retryable(), "{err}");
        let (got, report) = env
            .download(
                &id(&file),
                &format!("part{i}.bin"),
                &DownloadOptions::default(),
            )
            .await;
        assert_eq!(report.resumed_from, (len / 3) as u64);
        assert_same(&got, &data, &format!("{protocol:?} ranged"));
    }
}

#[tokio::test]
async fn resumable_upload_survives_a_dropped_connection_and_a_503() {
    let env = setup(fast()).await;
    env.fault(json!({"match": {"method": "PUT", "path_prefix": "/upload/"}, "times": 1, "action": {"drop_after_bytes": 100_000}}))
        .await;
    env.fault(json!({"match": {"method": "PUT", "path_prefix": "/upload/"}, "times": 1, "action": {"status": 503}}))
        .await;
    let data = tricky_data(1300 * KIB + 5, 50);
    let file = env
        .upload(
            UploadProtocol::Resumable,
            Some(json!({"name": "faulty.bin"})),
            MediaSource::reader(std::io::Cursor::new(data.clone()), Some(data.len() as u64)),
            &UploadOptions::default().chunk_size(512 * KIB),
        )
        .await
        .unwrap();
    let (got, _) = env
        .download(&id(&file), "faulty.bin", &DownloadOptions::default())
        .await;
    assert_same(&got, &data, "after faults");
    let faults: Value = env
        .http
        .get(format!(
            "{}/__emulator/faults",
            env.emu.base_url().trim_end_matches('/')
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let left = faults["faults"]
        .as_array()
        .unwrap_or_else(|| panic!("unexpected fault list {faults}"));
    assert!(left.is_empty(), "both faults fired: {faults}");
}

#[tokio::test]
async fn resumable_upload_is_resumed_from_a_saved_session() {
    let env = setup(fast()).await;
    let data = tricky_data(800 * KIB, 60);
    let path = tmp("later.bin");
    std::fs::write(&path, &data).unwrap();
    let session_file = tmp("later.session.json");
    let opts = UploadOptions::new("text/plain")
        .chunk_size(256 * KIB)
        .session_file(&session_file);
    // First "process": the session is opened and saved, nothing is sent yet.
    let started = ResumableUpload::start(
        &env.media(),
        reqwest::Method::POST,
        gapi_client::media::with_upload_type(env.upload_url(), UploadProtocol::Resumable),
        Some(&json!({"name": "later.bin"})),
        Some(data.len() as u64),
        &opts,
    )
    .await
    .unwrap();
    drop(started);
    // Second "process": only the file on disk links it to the first.
    let session = ResumableSession::load(&session_file).unwrap();
    let upload = ResumableUpload::resume(&env.media(), session);
    assert_eq!(
        upload.status().await.unwrap(),
        UploadStatus::InProgress { committed: 0 }
    );
    let file = upload
        .upload(
            MediaSource::path(&path),
            &UploadOptions::default().chunk_size(256 * KIB),
        )
        .await
        .unwrap();
    assert_eq!(file["name"], "later.bin");
    let (got, _) = env
        .download(&id(&file), "later.out", &DownloadOptions::default())
        .await;
    assert_same(&got, &data, "resumed later");
}

#[tokio::test]
async fn retry_after_is_honoured_and_post_is_not_retried() {
    let env = setup(fast()).await;
    let data = tricky_data(20 * KIB, 70);
    let file = env
        .upload(
            UploadProtocol::Simple,
            None,
            MediaSource::bytes(data.clone()),
            &UploadOptions::default(),
        )
        .await
        .unwrap();
    let fid = id(&file);

    env.fault(json!({"match": {"method": "GET", "path_prefix": format!("/drive/v3/files/{fid}")}, "times": 1, "action": {"status": 429, "retry_after": 1}}))
        .await;
    let t0 = Instant::now();
    let (got, _) = env
        .download(&fid, "ra.bin", &DownloadOptions::default())
        .await;
    assert!(
        t0.elapsed() >= Duration::from_secs(1),
        "waited only {:?}",
        t0.elapsed()
    );
    assert_same(&got, &data, "after 429");

    // A POST upload hit by a 503 fails: it is not sent twice unless the caller opts in.
    env.fault(json!({"match": {"method": "POST", "path_prefix": "/upload/"}, "times": 1, "action": {"status": 503}}))
        .await;
    let err = env
        .upload(
            UploadProtocol::Simple,
            None,
            MediaSource::bytes(vec![1, 2, 3]),
            &UploadOptions::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(503), "{err}");
}

#[tokio::test]
async fn batch_returns_mixed_success_and_not_found() {
    let env = setup(fast()).await;
    let a = env
        .upload(
            UploadProtocol::Multipart,
            Some(json!({"name": "a.txt"})),
            MediaSource::bytes(&b"aaa"[..]),
            &UploadOptions::new("text/plain"),
        )
        .await
        .unwrap();
    let reqs = vec![
        env.drive
            .method("files.get")
            .unwrap()
            .param("fileId", id(&a))
            .prepare()
            .unwrap(),
        env.drive
            .method("files.get")
            .unwrap()
            .param("fileId", "does-not-exist")
            .prepare()
            .unwrap(),
        env.drive
            .method("files.create")
            .unwrap()
            .body(json!({"name": "made-in-batch"}))
            .prepare()
            .unwrap(),
        env.drive
            .method("files.delete")
            .unwrap()
            .param("fileId", id(&a))
            .prepare()
            .unwrap(),
    ];
    let url = url::Url::parse(&env.drive.batch_url().expect("drive has batchPath")).unwrap();
    let results = Batch::new(env.drive.transport(), url)
        .max_parts(100)
        .execute(&reqs)
        .await
        .unwrap();
    assert_eq!(results.len(), 4);
    assert_eq!(results[0].as_ref().unwrap().body["name"], "a.txt");
    assert_eq!(results[0].as_ref().unwrap().status, 200);
    let deleted = results[3].as_ref().unwrap();
    assert_eq!(
        (deleted.status, &deleted.body),
        (204, &json!({})),
        "a batched delete reports its 204"
    );
    assert!(
        results[1].as_ref().unwrap_err().is_not_found(),
        "{:?}",
        results[1]
    );
    assert_eq!(results[2].as_ref().unwrap().body["name"], "made-in-batch");
}

#[tokio::test]
async fn method_call_upload_and_download_builders_choose_and_check() {
    let env = setup(fast()).await;
    let data = tricky_data(6 * 1024 * KIB + 11, 77);
    let path = tmp("builder-up.bin");
    std::fs::write(&path, &data).unwrap();
    let upload = env
        .drive
        .method("files.create")
        .unwrap()
        .body(json!({"name": "builder.bin"}))
        .upload(MediaSource::path(&path))
        .content_type("application/octet-stream")
        .chunk_size(2 * 1024 * KIB);
    let (protocol, url) = upload.plan().unwrap();
    assert_eq!(protocol, UploadProtocol::Resumable, "over 5 MiB: resumable");
    assert_eq!(url.path(), "/upload/drive/v3/files");
    let file = upload.send().await.unwrap();
    assert_eq!(file["name"], "builder.bin");
    // A small one with metadata goes multipart; `uploadType` on the call names a protocol.
    let small = env
        .drive
        .method("files.create")
        .unwrap()
        .body(json!({"name": "small.bin"}))
        .upload(MediaSource::bytes(b"tiny".to_vec()));
    assert_eq!(small.plan().unwrap().0, UploadProtocol::Multipart);
    let named = env
        .drive
        .method("files.create")
        .unwrap()
        .param("uploadType", "media")
        .upload(MediaSource::bytes(b"tiny".to_vec()));
    assert_eq!(named.plan().unwrap().0, UploadProtocol::Simple);

    let target = tmp("builder-down.bin");
    let _ = std::fs::remove_file(&target);
    let report = env
        .drive
        .method("files.get")
        .unwrap()
        .param("fileId", id(&file))
        .download()
        .to_file(&target)
        .await
        .unwrap();
    assert_eq!(report.verified, Some("sha256"));
    assert_same(&std::fs::read(&target).unwrap(), &data, "builder download");
    let mut out = Vec::new();
    env.drive
        .method("files.get")
        .unwrap()
        .param("fileId", id(&file))
        .download()
        .to_writer(&mut out)
        .await
        .unwrap();
    assert_same(&out, &data, "builder download to a writer");
    let err = env
        .drive
        .method("files.list")
        .unwrap()
        .download()
        .plan()
        .unwrap_err();
    assert!(err.to_string().contains("does not return media"), "{err}");
}
