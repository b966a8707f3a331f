//! Downloads are never silently wrong: a leftover `.part` is resumed only when it is provably
//! of the object now served (its sidecar's version and checksums agree with the metadata, or
//! the server honours `If-Range`), and the bytes are checked against the server's checksum
//! (Drive-style metadata, Cloud Storage-style `x-goog-hash`). Against a small axum mock that
//! shares no code with the client.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use gapi_client::media::{DownloadOptions, MediaClient};
use gapi_client::{RetryPolicy, Transport};
use gapi_testkit::mock::MockGoogle;
use serde_json::json;
use sha2::Digest as _;

#[derive(Clone)]
struct Object {
    data: Vec<u8>,
    version: u64,
    /// State a checksum that does not match the bytes (a corrupt store or transfer).
    lie: bool,
}

#[derive(Default)]
struct Mock {
    objects: HashMap<String, Object>,
    /// Send a strong ETag and honour If-Range.
    etags: bool,
    /// Send `x-goog-hash: crc32c=...,md5=...` with media.
    goog_hash: bool,
    /// Drop the next media response after this many bytes.
    drop_after: Option<usize>,
    /// Media requests seen: (Range, If-Range).
    log: Vec<(Option<String>, Option<String>)>,
}

type Shared = Arc<Mutex<Mock>>;

fn sha256_hex(data: &[u8]) -> String {
    sha2::Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn etag_of(o: &Object) -> String {
    format!("\"v{}\"", o.version)
}

async fn object(
    State(state): State<Shared>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let mut m = state.lock().unwrap();
    let Some(o) = m.objects.get(&id).cloned() else {
        return (StatusCode::NOT_FOUND, "{}").into_response();
    };
    if q.get("alt").map(String::as_str) != Some("media") {
        let mut sum = sha256_hex(&o.data);
        if o.lie {
            sum = sha256_hex(b"something else");
        }
        let all = json!({"id": id, "size": o.data.len().to_string(), "version": o.version.to_string(),
            "sha256Checksum": sum});
        // Honour `fields` like Drive: only the named fields.
        let v = match q.get("fields") {
            Some(f) => {
                let mut out = serde_json::Map::new();
                for name in f.split(',') {
                    if let Some(x) = all.get(name) {
                        out.insert(name.to_string(), x.clone());
                    }
                }
                serde_json::Value::Object(out)
            }
            None => all,
        };
        return axum::Json(v).into_response();
    }
    let h = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (range, if_range) = (h("range"), h("if-range"));
    m.log.push((range.clone(), if_range.clone()));
    let drop_after = m.drop_after.take();
    let tag = etag_of(&o);
    let honour_range = match &if_range {
        Some(t) => m.etags && *t == tag,
        None => true,
    };
    let start = range
        .as_deref()
        .filter(|_| honour_range)
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|s| s.parse::<usize>().ok());
    let len = o.data.len();
    let (status, slice, content_range) = match start {
        Some(s) if s < len => (
            StatusCode::PARTIAL_CONTENT,
            o.data[s..].to_vec(),
            Some(format!("bytes {s}-{}/{len}", len - 1)),
        ),
        Some(_) => return (StatusCode::RANGE_NOT_SATISFIABLE, "").into_response(),
        None => (StatusCode::OK, o.data.clone(), None),
    };
    let n = slice.len();
    let body = match drop_after {
        Some(cut) => {
            use futures_util::StreamExt as _;
            // The first bytes go out (headers included) before the connection drops.
            let first = axum::body::Bytes::from(slice[..cut.min(n)].to_vec());
            let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(first) })
                .chain(futures_util::stream::once(async {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Err(std::io::Error::other("injected drop"))
                }));
            Body::from_stream(stream)
        }
        None => Body::from(slice),
    };
    let mut resp = Response::builder()
        .status(status)
        .header("content-length", n);
    if let Some(cr) = content_range {
        resp = resp.header("content-range", cr);
    }
    if m.etags {
        resp = resp.header("etag", tag);
    }
    if m.goog_hash {
        let stated: &[u8] = if o.lie { b"something else" } else { &o.data };
        let crc = crc32c_b64(stated);
        resp = resp.header("x-goog-hash", format!("crc32c={crc}"));
    }
    resp.body(body).unwrap()
}

/// CRC-32C, as Cloud Storage states it: base64 of the big-endian value (bitwise, the test's own).
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
    base64::engine::general_purpose::STANDARD.encode((!crc).to_be_bytes())
}

async fn start(mock: Mock) -> (MockGoogle, Shared) {
    let state: Shared = Arc::new(Mutex::new(mock));
    let app = Router::new()
        .route("/o/{id}", get(object))
        .with_state(state.clone());
    (MockGoogle::start(app).await, state)
}

fn client(policy: RetryPolicy) -> MediaClient {
    let t = Transport::builder().retry_policy(policy).build().unwrap();
    MediaClient::new(&t).unwrap()
}

fn fast() -> RetryPolicy {
    RetryPolicy::default().with_delays(Duration::from_millis(1), Duration::from_millis(10))
}

fn data(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn put(state: &Shared, id: &str, bytes: Vec<u8>, version: u64) {
    state.lock().unwrap().objects.insert(
        id.into(),
        Object {
            data: bytes,
            version,
            lie: false,
        },
    );
}

fn urls(base: &str, id: &str) -> (url::Url, DownloadOptions) {
    let media = url::Url::parse(&format!("{base}/o/{id}?alt=media")).unwrap();
    let meta = url::Url::parse(&format!(
        "{base}/o/{id}?alt=json&fields=size,sha256Checksum,version"
    ))
    .unwrap();
    (media, DownloadOptions::default().metadata_url(Some(meta)))
}

/// Leaves a partial file (and its sidecar) of the object as it is now: the first attempt is cut
/// after `cut` bytes and the policy allows no retry. Returns the partial file's path.
async fn interrupted(
    state: &Shared,
    url: &url::Url,
    opts: &DownloadOptions,
    target: &std::path::Path,
    cut: usize,
) -> std::path::PathBuf {
    state.lock().unwrap().drop_after = Some(cut);
    let err = client(RetryPolicy::never())
        .download_to_file(url.clone(), target, opts)
        .await
        .unwrap_err();
    assert!(err.is_retryable(), "{err}");
    assert!(!target.exists());
    let part = gapi_client::media::partial_download(target)
        .await
        .expect("the sidecar names the partial file");
    assert_eq!(std::fs::metadata(&part).unwrap().len(), cut as u64);
    part
}

#[tokio::test]
async fn a_part_of_an_older_version_is_not_spliced_with_the_new_one() {
    let (mock, state) = start(Mock::default()).await;
    let base = mock.base_url().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.bin");
    let (url, opts) = urls(&base, "f1");
    let v1 = data(300_000, 1);
    put(&state, "f1", v1.clone(), 1);
    interrupted(&state, &url, &opts, &target, 100_000).await;

    // The file changes on the server (same size: nothing but the version tells).
    let v2 = data(300_000, 2);
    put(&state, "f1", v2.clone(), 2);
    state.lock().unwrap().log.clear();
    let report = client(fast())
        .download_to_file(url.clone(), &target, &opts)
        .await
        .unwrap();
    assert_eq!(report.resumed_from, 0, "another version: started over");
    assert!(
        std::fs::read(&target).unwrap() == v2,
        "exactly the new version"
    );
    assert_eq!(report.verified, Some("sha256"));
    assert_eq!(
        state.lock().unwrap().log[0].0,
        None,
        "no Range for a new start"
    );
    assert!(parts_in(dir.path()).is_empty());
}

#[tokio::test]
async fn a_part_of_the_same_version_is_resumed_and_checked() {
    let (mock, state) = start(Mock {
        etags: true,
        ..Mock::default()
    })
    .await;
    let base = mock.base_url().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("same.bin");
    let (url, opts) = urls(&base, "f1");
    let v1 = data(300_000, 3);
    put(&state, "f1", v1.clone(), 1);
    interrupted(&state, &url, &opts, &target, 123_456).await;
    state.lock().unwrap().log.clear();
    let report = client(fast())
        .download_to_file(url.clone(), &target, &opts)
        .await
        .unwrap();
    assert_eq!(report.resumed_from, 123_456);
    assert_eq!(
        report.verified,
        Some("sha256"),
        "the spliced whole is checked"
    );
    assert!(std::fs::read(&target).unwrap() == v1);
    let log = state.lock().unwrap().log.clone();
    assert_eq!(log[0].0.as_deref(), Some("bytes=123456-"));
    assert_eq!(
        log[0].1.as_deref(),
        Some("\"v1\""),
        "If-Range with the recorded ETag"
    );
    let meta = std::path::PathBuf::from(format!("{}.part.meta", target.display()));
    assert!(!meta.exists(), "the sidecar goes with the partial file");
    assert!(parts_in(dir.path()).is_empty());
}

#[tokio::test]
async fn without_metadata_the_etag_decides_through_if_range() {
    let (mock, state) = start(Mock {
        etags: true,
        ..Mock::default()
    })
    .await;
    let base = mock.base_url().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("etag.bin");
    let url = url::Url::parse(&format!("{base}/o/f1?alt=media")).unwrap();
    let opts = DownloadOptions::default();
    put(&state, "f1", data(200_000, 4), 1);
    interrupted(&state, &url, &opts, &target, 50_000).await;
    let v2 = data(200_000, 5);
    put(&state, "f1", v2.clone(), 2);
    state.lock().unwrap().log.clear();
    let report = client(fast())
        .download_to_file(url.clone(), &target, &opts)
        .await
        .unwrap();
    let log = state.lock().unwrap().log.clone();
    assert_eq!(log[0].1.as_deref(), Some("\"v1\""), "{log:?}");
    assert_eq!(
        report.resumed_from, 50_000,
        "the .part was offered for resuming"
    );
    assert!(
        std::fs::read(&target).unwrap() == v2,
        "the server's 200 to a stale If-Range started it over"
    );
}

#[tokio::test]
async fn a_part_without_proof_or_of_another_file_starts_over() {
    let (mock, state) = start(Mock::default()).await;
    let base = mock.base_url().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let (url_a, opts_a) = urls(&base, "a");
    let (url_b, opts_b) = urls(&base, "b");
    put(&state, "a", data(100_000, 6), 1);
    let b = data(100_000, 7);
    put(&state, "b", b.clone(), 1);

    // A .part left by something else, with no sidecar.
    let target = dir.path().join("x.bin");
    std::fs::write(dir.path().join("x.bin.part"), data(40_000, 9)).unwrap();
    let report = client(fast())
        .download_to_file(url_b.clone(), &target, &opts_b)
        .await
        .unwrap();
    assert_eq!(report.resumed_from, 0);
    assert!(std::fs::read(&target).unwrap() == b);

    // A .part (with its sidecar) of file a, then downloading file b to the same name.
    std::fs::remove_file(&target).unwrap();
    interrupted(&state, &url_a, &opts_a, &target, 30_000).await;
    let report = client(fast())
        .download_to_file(url_b, &target, &opts_b)
        .await
        .unwrap();
    assert_eq!(report.resumed_from, 0);
    assert!(std::fs::read(&target).unwrap() == b);
}

#[tokio::test]
async fn a_checksum_mismatch_is_an_error_and_leaves_no_complete_looking_file() {
    let (mock, state) = start(Mock::default()).await;
    let base = mock.base_url().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("bad.bin");
    let (url, opts) = urls(&base, "f1");
    state.lock().unwrap().objects.insert(
        "f1".into(),
        Object {
            data: data(70_000, 8),
            version: 1,
            lie: true,
        },
    );
    let err = client(fast())
        .download_to_file(url.clone(), &target, &opts)
        .await
        .unwrap_err();
    assert!(err.is_integrity(), "{err}");
    assert!(err.to_string().contains("sha256"), "{err}");
    assert!(!target.exists());
    assert!(parts_in(dir.path()).is_empty(), "bad bytes are not kept");

    // The same through a writer: an error, whatever was written.
    let mut out = Vec::new();
    let err = client(fast())
        .download_to_writer_with(url, &mut out, &opts)
        .await
        .unwrap_err();
    assert!(err.is_integrity(), "{err}");
}

#[tokio::test]
async fn x_goog_hash_is_checked_without_metadata() {
    let (mock, state) = start(Mock {
        goog_hash: true,
        ..Mock::default()
    })
    .await;
    let base = mock.base_url().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let url = url::Url::parse(&format!("{base}/o/f1?alt=media")).unwrap();
    let good = data(90_000, 10);
    put(&state, "f1", good.clone(), 1);
    let report = client(fast())
        .download_to_file(
            url.clone(),
            &dir.path().join("ok.bin"),
            &DownloadOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(report.verified, Some("crc32c"));
    let mut out = Vec::new();
    let r = client(fast())
        .download_to_writer_with(url.clone(), &mut out, &DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(r.verified, Some("crc32c"));
    assert!(out == good);

    state.lock().unwrap().objects.get_mut("f1").unwrap().lie = true;
    let err = client(fast())
        .download_to_file(
            url,
            &dir.path().join("bad.bin"),
            &DownloadOptions::default(),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("crc32c"), "{err}");
    assert!(!dir.path().join("bad.bin").exists());
}

/// Every `*.part` file in `dir` (partial downloads left behind).
fn parts_in(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect()
}

/// Links planted where a download keeps its partial file and sidecar (`x.bin.part`,
/// `x.bin.part.meta`, as earlier versions named them) are never opened, written through or
/// truncated: what they point at is untouched and the download lands in a regular file.
#[cfg(unix)]
#[tokio::test]
async fn links_planted_at_the_partial_names_are_never_written_through() {
    let (mock, state) = start(Mock {
        etags: true,
        ..Mock::default()
    })
    .await;
    let base = mock.base_url().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim-bashrc");
    let victim_meta = dir.path().join("victim-profile");
    std::fs::write(&victim, "precious\n").unwrap();
    std::fs::write(&victim_meta, "also precious\n").unwrap();
    let target = dir.path().join("x.bin");
    let mut part = target.as_os_str().to_owned();
    part.push(".part");
    std::os::unix::fs::symlink(&victim, &part).unwrap();
    let mut meta = target.as_os_str().to_owned();
    meta.push(".part.meta");
    std::os::unix::fs::symlink(&victim_meta, &meta).unwrap();
    let (url, opts) = urls(&base, "f1");
    let v1 = data(100_000, 11);
    put(&state, "f1", v1.clone(), 1);
    let report = client(fast())
        .download_to_file(url, &target, &opts)
        .await
        .unwrap();
    assert_eq!(report.resumed_from, 0);
    assert!(
        std::fs::read(&victim).unwrap() == b"precious\n",
        "the link's target was written"
    );
    assert!(
        std::fs::read(&victim_meta).unwrap() == b"also precious\n",
        "the sidecar link's target was written"
    );
    let kind = std::fs::symlink_metadata(&target).unwrap().file_type();
    assert!(
        kind.is_file(),
        "the download is a file of its own: {kind:?}"
    );
    assert!(std::fs::read(&target).unwrap() == v1);
}

/// A dangling link at the target counts as an existing file: refused without overwriting, and
/// with overwriting the link itself is replaced (nothing is created where it points).
#[cfg(unix)]
#[tokio::test]
async fn a_dangling_link_at_the_target_is_never_followed() {
    let (mock, state) = start(Mock::default()).await;
    let base = mock.base_url().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    let target = dir.path().join("y.bin");
    std::os::unix::fs::symlink(&elsewhere, &target).unwrap();
    let (url, opts) = urls(&base, "f1");
    let v1 = data(10_000, 12);
    put(&state, "f1", v1.clone(), 1);
    let err = client(fast())
        .download_to_file(url.clone(), &target, &opts)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert!(
        state.lock().unwrap().log.is_empty(),
        "refused before any request"
    );
    client(fast())
        .download_to_file(url, &target, &opts.clone().overwrite(true))
        .await
        .unwrap();
    assert!(!elsewhere.exists(), "nothing created through the link");
    assert!(std::fs::read(&target).unwrap() == v1);
    assert!(parts_in(dir.path()).is_empty());
}

/// The partial file a sidecar names is continued only when it is still this user's own regular
/// file with one link: swapped for a link, a FIFO or a hard link to another file, it is not
/// opened (no write through it, no hang) and the download starts over in a new file.
#[cfg(unix)]
#[tokio::test]
async fn a_partial_file_swapped_for_a_link_fifo_or_hard_link_is_not_continued() {
    let (mock, state) = start(Mock {
        etags: true,
        ..Mock::default()
    })
    .await;
    let base = mock.base_url().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "precious\n").unwrap();
    let (url, opts) = urls(&base, "f1");
    let v1 = data(200_000, 13);
    put(&state, "f1", v1.clone(), 1);
    for swap in ["symlink", "fifo", "hard link"] {
        let target = dir.path().join(format!("z-{}.bin", swap.replace(' ', "-")));
        let part = interrupted(&state, &url, &opts, &target, 70_000).await;
        std::fs::remove_file(&part).unwrap();
        match swap {
            "symlink" => std::os::unix::fs::symlink(&victim, &part).unwrap(),
            "fifo" => assert!(
                std::process::Command::new("mkfifo")
                    .arg(&part)
                    .status()
                    .unwrap()
                    .success()
            ),
            _ => std::fs::hard_link(&victim, &part).unwrap(),
        }
        let report = client(fast())
            .download_to_file(url.clone(), &target, &opts)
            .await
            .unwrap();
        assert_eq!(report.resumed_from, 0, "{swap}: not continued");
        assert!(std::fs::read(&target).unwrap() == v1, "{swap}");
        assert!(
            std::fs::read(&victim).unwrap() == b"precious\n",
            "{swap}: written through"
        );
        assert!(
            std::fs::symlink_metadata(&part).is_ok(),
            "{swap}: what was planted is left alone"
        );
        std::fs::remove_file(&part).unwrap();
    }
}
