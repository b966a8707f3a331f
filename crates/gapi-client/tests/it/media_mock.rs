//! Media uploads, downloads and retries against a small in-process mock of
//! Google's upload protocols (simple, multipart, resumable with 308/Range,
//! `X-GUploader-No-308`), with fault injection: connections dropped mid-body,
//! 503s, 429 + Retry-After. The mock shares no code with the client.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use futures_util::StreamExt;
use gapi_client::media::{
    DownloadOptions, MediaClient, MediaSource, Progress, ResumableSession, ResumableUpload,
    UploadOptions, UploadProtocol, UploadStatus,
};
use gapi_client::{RetryPolicy, Transport};
use gapi_testkit::data::tricky_data;
use gapi_testkit::mock::MockGoogle;
use serde_json::{Value, json};

const KIB: usize = 1024;

// ---------------------------------------------------------------- mock server

#[derive(Default)]
struct Mock {
    objects: HashMap<String, Vec<u8>>,
    metadata: HashMap<String, Value>,
    sessions: HashMap<String, Session>,
    next_id: u64,
    /// Faults consumed in order by matching requests.
    faults: Vec<Fault>,
    /// Answer chunk PUTs with 200 + X-HTTP-Status-Code-Override: 308 when the client asks.
    honour_no_308: bool,
    /// The next chunk: keep only this many of its bytes and answer 308 (a short commit).
    keep_only: Option<usize>,
    /// Requests seen: (method, path, upload type or range).
    log: Vec<(String, String, Instant)>,
}

struct Session {
    data: Vec<u8>,
    total: Option<u64>,
    content_type: String,
    metadata: Value,
    done: Option<String>,
}

#[derive(Clone, Debug)]
enum Fault {
    /// Next chunk PUT: store this many bytes of the body, then drop the connection.
    DropChunkAfter(usize),
    /// Next request to a matching path prefix: answer with this status (and Retry-After).
    Status {
        path_prefix: &'static str,
        status: u16,
        retry_after: Option<u64>,
    },
    /// Next download: send this many bytes, then drop the connection.
    DropDownloadAfter(usize),
}

type Shared = Arc<Mutex<Mock>>;

fn take_fault(mock: &mut Mock, f: impl Fn(&Fault) -> bool) -> Option<Fault> {
    let i = mock.faults.iter().position(f)?;
    Some(mock.faults.remove(i))
}

fn status_fault(state: &Shared, path: &str) -> Option<Response> {
    let mut m = state.lock().unwrap();
    let fault = take_fault(
        &mut m,
        |f| matches!(f, Fault::Status { path_prefix, .. } if path.starts_with(path_prefix)),
    )?;
    let Fault::Status {
        status,
        retry_after,
        ..
    } = fault
    else {
        return None;
    };
    let mut resp = (
        StatusCode::from_u16(status).unwrap(),
        [("content-type", "application/json")],
        json!({"error": {"code": status, "message": "injected", "errors": [{"reason": "backendError"}]}}).to_string(),
    )
        .into_response();
    if let Some(s) = retry_after {
        resp.headers_mut()
            .insert("retry-after", s.to_string().parse().unwrap());
    }
    Some(resp)
}

async fn start_mock(mock: Mock) -> (MockGoogle, Shared) {
    let state: Shared = Arc::new(Mutex::new(mock));
    let app = Router::new()
        .route("/upload/files", post(upload_start))
        .route("/upload/session/{id}", put(upload_chunk))
        .route("/files/{id}", get(download))
        .with_state(state.clone());
    (MockGoogle::start(app).await, state)
}

fn new_id(m: &mut Mock) -> String {
    m.next_id += 1;
    format!("f{}", m.next_id)
}

async fn upload_start(
    State(state): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let kind = q.get("uploadType").cloned().unwrap_or_default();
    state.lock().unwrap().log.push((
        "POST".into(),
        format!("/upload/files?uploadType={kind}"),
        Instant::now(),
    ));
    if let Some(r) = status_fault(&state, "/upload/files") {
        return r;
    }
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let mut m = state.lock().unwrap();
    match kind.as_str() {
        "media" => {
            let id = new_id(&mut m);
            let size = body.len();
            m.objects.insert(id.clone(), body.to_vec());
            m.metadata
                .insert(id.clone(), json!({"mimeType": header("content-type")}));
            axum::Json(
                json!({"id": id, "size": size.to_string(), "mimeType": header("content-type")}),
            )
            .into_response()
        }
        "multipart" => {
            let ct = header("content-type");
            let Some(boundary) = ct.strip_prefix("multipart/related; boundary=") else {
                return (StatusCode::BAD_REQUEST, "not multipart/related").into_response();
            };
            let open = format!("--{boundary}\r\n");
            let sep = format!("\r\n--{boundary}\r\n");
            let close = format!("\r\n--{boundary}--\r\n");
            let b = &body[..];
            if !b.starts_with(open.as_bytes()) || !b.ends_with(close.as_bytes()) {
                return (StatusCode::BAD_REQUEST, "bad framing").into_response();
            }
            let inner = &b[open.len()..b.len() - close.len()];
            let Some(split) = inner.windows(sep.len()).position(|w| w == sep.as_bytes()) else {
                return (StatusCode::BAD_REQUEST, "one part only").into_response();
            };
            let (meta_part, media_part) = (&inner[..split], &inner[split + sep.len()..]);
            let blank = |p: &[u8]| p.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4);
            let (Some(mb), Some(db)) = (blank(meta_part), blank(media_part)) else {
                return (StatusCode::BAD_REQUEST, "no part headers").into_response();
            };
            if !meta_part.starts_with(b"Content-Type: application/json") {
                return (StatusCode::BAD_REQUEST, "first part is not JSON").into_response();
            }
            let meta: Value = match serde_json::from_slice(&meta_part[mb..]) {
                Ok(v) => v,
                Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
            };
            let media_type = String::from_utf8_lossy(&media_part[..db])
                .trim()
                .to_string();
            let id = new_id(&mut m);
            m.objects.insert(id.clone(), media_part[db..].to_vec());
            m.metadata.insert(id.clone(), meta.clone());
            axum::Json(json!({"id": id, "name": meta["name"], "size": (media_part.len() - db).to_string(), "mediaHeaders": media_type}))
                .into_response()
        }
        "resumable" => {
            let total = headers
                .get("x-upload-content-length")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok());
            let meta: Value = if body.is_empty() {
                json!({})
            } else {
                serde_json::from_slice(&body).unwrap_or(json!({}))
            };
            let id = format!("s{}", m.next_id + 1000);
            m.next_id += 1;
            m.sessions.insert(
                id.clone(),
                Session {
                    data: Vec::new(),
                    total,
                    content_type: header("x-upload-content-type"),
                    metadata: meta,
                    done: None,
                },
            );
            let host = header("host");
            (
                StatusCode::OK,
                [(
                    "location",
                    format!("http://{host}/upload/session/{id}?upload_id=xyz"),
                )],
                "",
            )
                .into_response()
        }
        _ => (StatusCode::BAD_REQUEST, "unknown uploadType").into_response(),
    }
}

/// `(first, last)` byte positions of a chunk, `None` for a status query; then the total if known.
type ParsedRange = (Option<(u64, u64)>, Option<u64>);

fn parse_content_range(v: &str) -> Option<ParsedRange> {
    let spec = v.strip_prefix("bytes ")?;
    let (range, total) = spec.split_once('/')?;
    let total = if total == "*" {
        None
    } else {
        Some(total.parse().ok()?)
    };
    if range == "*" {
        return Some((None, total));
    }
    let (a, b) = range.split_once('-')?;
    Some((Some((a.parse().ok()?, b.parse().ok()?)), total))
}

async fn upload_chunk(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let range = headers
        .get("content-range")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    state
        .lock()
        .unwrap()
        .log
        .push(("PUT".into(), range.clone(), Instant::now()));
    if let Some(r) = status_fault(&state, "/upload/session") {
        return r;
    }
    let Some((span, total)) = parse_content_range(&range) else {
        return (
            StatusCode::BAD_REQUEST,
            format!("bad Content-Range {range:?}"),
        )
            .into_response();
    };
    let drop_after = {
        let mut m = state.lock().unwrap();
        if span.is_some() {
            take_fault(&mut m, |f| matches!(f, Fault::DropChunkAfter(_))).map(|f| match f {
                Fault::DropChunkAfter(n) => n,
                _ => unreachable!(),
            })
        } else {
            None
        }
    };
    // Read the body, storing bytes as they come (like Google, which keeps what arrived).
    let mut received = Vec::new();
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else { break };
        received.extend_from_slice(&chunk);
        if let Some(n) = drop_after
            && received.len() >= n
        {
            // Keep a 256 KiB-aligned prefix, as Google's servers do, and hang up.
            let keep = (n / (256 * KIB)) * (256 * KIB);
            let mut m = state.lock().unwrap();
            if let (Some(s), Some((a, _))) = (m.sessions.get_mut(&id), span) {
                let a = a as usize;
                if a == s.data.len() {
                    s.data
                        .extend_from_slice(&received[..keep.min(received.len())]);
                }
            }
            drop(m);
            std::panic::resume_unwind(Box::new("injected connection drop"));
        }
    }
    let mut m = state.lock().unwrap();
    let keep_only = if span.is_some() {
        m.keep_only.take()
    } else {
        None
    };
    let no308 = m.honour_no_308
        && headers
            .get("x-guploader-no-308")
            .is_some_and(|v| v == "yes");
    let Some(s) = m.sessions.get_mut(&id) else {
        return (StatusCode::NOT_FOUND, "no such session").into_response();
    };
    if let Some(done) = &s.done {
        let done = done.clone();
        return axum::Json(json!({"id": done})).into_response();
    }
    if let Some((a, b)) = span {
        if b + 1 - a != received.len() as u64 {
            return (
                StatusCode::BAD_REQUEST,
                "Content-Range does not match the body length",
            )
                .into_response();
        }
        let have = s.data.len() as u64;
        if a > have {
            return (
                StatusCode::BAD_REQUEST,
                format!("gap: have {have}, got chunk at {a}"),
            )
                .into_response();
        }
        let skip = (have - a) as usize;
        let mut fresh = received.get(skip..).unwrap_or(&[]);
        if let Some(n) = keep_only {
            fresh = &fresh[..n.min(fresh.len())];
        }
        s.data.extend_from_slice(fresh);
        let is_last = total.is_some_and(|t| b + 1 == t);
        if !is_last && received.len() % (256 * KIB) != 0 {
            return (
                StatusCode::BAD_REQUEST,
                "non-final chunk is not a multiple of 256 KiB",
            )
                .into_response();
        }
        if s.total.is_none() {
            s.total = total;
        }
    } else if s.total.is_none() {
        s.total = total;
    }
    if s.total.is_some_and(|t| t == s.data.len() as u64) {
        let data = std::mem::take(&mut s.data);
        let meta = s.metadata.clone();
        let ct = s.content_type.clone();
        let oid = format!("r{}", m.next_id + 1);
        m.next_id += 1;
        let size = data.len();
        m.objects.insert(oid.clone(), data);
        m.metadata
            .insert(oid.clone(), json!({"mimeType": ct, "name": meta["name"]}));
        m.sessions.get_mut(&id).unwrap().done = Some(oid.clone());
        return (
            StatusCode::OK,
            axum::Json(json!({"id": oid, "name": meta["name"], "size": size.to_string()})),
        )
            .into_response();
    }
    let status = if no308 {
        StatusCode::OK
    } else {
        StatusCode::PERMANENT_REDIRECT
    };
    let mut resp = (status, "").into_response();
    if no308 {
        resp.headers_mut()
            .insert("x-http-status-code-override", "308".parse().unwrap());
    }
    if !s.data.is_empty() {
        resp.headers_mut().insert(
            "range",
            format!("bytes=0-{}", s.data.len() - 1).parse().unwrap(),
        );
    }
    resp
}

async fn download(
    State(state): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let range = headers
        .get("range")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    state
        .lock()
        .unwrap()
        .log
        .push(("GET".into(), range.clone(), Instant::now()));
    if let Some(r) = status_fault(&state, "/files") {
        return r;
    }
    let mut m = state.lock().unwrap();
    let Some(data) = m.objects.get(&id).cloned() else {
        return (StatusCode::NOT_FOUND, "").into_response();
    };
    let drop_after =
        take_fault(&mut m, |f| matches!(f, Fault::DropDownloadAfter(_))).map(|f| match f {
            Fault::DropDownloadAfter(n) => n,
            _ => unreachable!(),
        });
    drop(m);
    let start = range
        .strip_prefix("bytes=")
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|s| s.parse::<usize>().ok());
    let (status, slice, content_range) = match start {
        Some(s) if s < data.len() => (
            StatusCode::PARTIAL_CONTENT,
            data[s..].to_vec(),
            Some(format!("bytes {s}-{}/{}", data.len() - 1, data.len())),
        ),
        Some(_) => return (StatusCode::RANGE_NOT_SATISFIABLE, "").into_response(),
        None => (StatusCode::OK, data.clone(), None),
    };
    let len = slice.len();
    let body = match drop_after {
        Some(n) => {
            let first = slice[..n.min(len)].to_vec();
            Body::from_stream(futures_util::stream::iter(vec![
                Ok::<_, std::io::Error>(axum::body::Bytes::from(first)),
                Err(std::io::Error::other("injected drop")),
            ]))
        }
        None => Body::from(slice),
    };
    // A strong ETag lets the client resume with `If-Range` (objects never change here).
    let mut resp = Response::builder()
        .status(status)
        .header("content-length", len)
        .header("etag", format!("\"{id}-{}\"", data.len()))
        .header("content-type", "application/octet-stream");
    if let Some(cr) = content_range {
        resp = resp.header("content-range", cr);
    }
    resp.body(body).unwrap()
}

// ---------------------------------------------------------------- helpers

fn media(policy: RetryPolicy) -> MediaClient {
    let transport = Transport::builder().retry_policy(policy).build().unwrap();
    MediaClient::new(&transport).unwrap()
}

fn fast_policy() -> RetryPolicy {
    RetryPolicy::default().with_delays(Duration::from_millis(1), Duration::from_millis(20))
}

fn upload_url(base: &str) -> url::Url {
    url::Url::parse(&format!("{base}/upload/files?fields=id")).unwrap()
}

fn stored(state: &Shared, id: &str) -> Vec<u8> {
    state
        .lock()
        .unwrap()
        .objects
        .get(id)
        .cloned()
        .unwrap_or_else(|| panic!("object {id} not stored"))
}

fn assert_same(got: &[u8], want: &[u8]) {
    assert_eq!(got.len(), want.len(), "length differs");
    if got != want {
        let at = got.iter().zip(want).position(|(a, b)| a != b).unwrap_or(0);
        panic!("contents differ first at byte {at}");
    }
}

fn temp_file(name: &str, data: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gapi-media-mock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p
}

fn id_of(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_string()
}

// ---------------------------------------------------------------- tests

#[tokio::test]
async fn simple_upload_stores_exact_bytes_from_file_and_memory() {
    let (mock, state) = start_mock(Mock::default()).await;
    let base = mock.base_url().to_owned();
    let client = media(fast_policy());
    let data = tricky_data(700 * KIB + 13, 1);
    let path = temp_file("simple.bin", &data);
    let seen = Arc::new(Mutex::new(0u64));
    let sink = seen.clone();
    let opts = UploadOptions::new("application/x-test")
        .progress(Progress::new(move |d, _| *sink.lock().unwrap() = d));
    let v = client
        .upload(
            http::Method::POST,
            upload_url(&base),
            UploadProtocol::Simple,
            None,
            MediaSource::path(&path),
            &opts,
        )
        .await
        .unwrap();
    assert_same(&stored(&state, &id_of(&v)), &data);
    assert_eq!(v["mimeType"], "application/x-test");
    assert_eq!(*seen.lock().unwrap(), data.len() as u64);

    let v = client
        .upload(
            http::Method::POST,
            upload_url(&base),
            UploadProtocol::Simple,
            None,
            MediaSource::bytes(data.clone()),
            &opts,
        )
        .await
        .unwrap();
    assert_same(&stored(&state, &id_of(&v)), &data);

    // Metadata cannot ride on a simple upload: a clear error, nothing sent.
    let err = client
        .upload(
            http::Method::POST,
            upload_url(&base),
            UploadProtocol::Simple,
            Some(&json!({"name": "x"})),
            MediaSource::bytes(vec![1]),
            &opts,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("multipart"), "{err}");
}

#[tokio::test]
async fn multipart_upload_stores_exact_bytes_with_boundary_like_content() {
    let (mock, state) = start_mock(Mock::default()).await;
    let base = mock.base_url().to_owned();
    let client = media(fast_policy());
    let data = tricky_data(300 * KIB + 7, 2);
    let path = temp_file("multi.bin", &data);
    let meta = json!({"name": "report \"q\".bin", "parents": ["root"]});
    for source in [
        MediaSource::path(&path),
        MediaSource::bytes(data.clone()),
        MediaSource::reader(std::io::Cursor::new(data.clone()), None),
    ] {
        let v = client
            .upload(
                http::Method::POST,
                upload_url(&base),
                UploadProtocol::Multipart,
                Some(&meta),
                source,
                &UploadOptions::new("image/png"),
            )
            .await
            .unwrap();
        let id = id_of(&v);
        assert_same(&stored(&state, &id), &data);
        assert_eq!(v["name"], "report \"q\".bin");
        assert_eq!(v["mediaHeaders"], "Content-Type: image/png");
        assert_eq!(state.lock().unwrap().metadata[&id]["parents"][0], "root");
    }
    // Empty media is fine too.
    let v = client
        .upload(
            http::Method::POST,
            upload_url(&base),
            UploadProtocol::Multipart,
            None,
            MediaSource::bytes(Vec::new()),
            &UploadOptions::default(),
        )
        .await
        .unwrap();
    assert!(stored(&state, &id_of(&v)).is_empty());
}

#[tokio::test]
async fn resumable_upload_in_chunks_with_308_and_with_no_308_override() {
    for honour in [false, true] {
        let (mock, state) = start_mock(Mock {
            honour_no_308: honour,
            ..Default::default()
        })
        .await;
        let base = mock.base_url().to_owned();
        let client = media(fast_policy());
        let data = tricky_data(1024 * KIB + 5, 3);
        let path = temp_file("resumable.bin", &data);
        let progress = Arc::new(Mutex::new(Vec::new()));
        let sink = progress.clone();
        let opts = UploadOptions::new("text/plain")
            .chunk_size(256 * KIB)
            .progress(Progress::new(move |d, t| sink.lock().unwrap().push((d, t))));
        let v = client
            .upload(
                http::Method::POST,
                upload_url(&base),
                UploadProtocol::Resumable,
                Some(&json!({"name": "r"})),
                MediaSource::path(&path),
                &opts,
            )
            .await
            .unwrap();
        assert_same(&stored(&state, &id_of(&v)), &data);
        assert_eq!(v["name"], "r");
        let puts: Vec<String> = state
            .lock()
            .unwrap()
            .log
            .iter()
            .filter(|l| l.0 == "PUT")
            .map(|l| l.1.clone())
            .collect();
        assert_eq!(
            puts,
            vec![
                "bytes 0-262143/1048581",
                "bytes 262144-524287/1048581",
                "bytes 524288-786431/1048581",
                "bytes 786432-1048575/1048581",
                "bytes 1048576-1048580/1048581"
            ],
            "honour_no_308={honour}"
        );
        let p = progress.lock().unwrap();
        assert_eq!(p.last(), Some(&(1048581, Some(1048581))));
        assert!(
            p.windows(2).all(|w| w[0].0 <= w[1].0),
            "progress never goes back"
        );
    }
}

#[tokio::test]
async fn resumable_stream_of_unknown_length_sends_star_then_total() {
    let (mock, state) = start_mock(Mock::default()).await;
    let base = mock.base_url().to_owned();
    let client = media(fast_policy());
    // Exactly two chunks: the end must be detected without an empty extra chunk.
    let data = tricky_data(512 * KIB, 4);
    let v = client
        .upload(
            http::Method::POST,
            upload_url(&base),
            UploadProtocol::Resumable,
            None,
            MediaSource::reader(std::io::Cursor::new(data.clone()), None),
            &UploadOptions::default().chunk_size(256 * KIB),
        )
        .await
        .unwrap();
    assert_same(&stored(&state, &id_of(&v)), &data);
    let puts: Vec<String> = state
        .lock()
        .unwrap()
        .log
        .iter()
        .filter(|l| l.0 == "PUT")
        .map(|l| l.1.clone())
        .collect();
    assert_eq!(puts, vec!["bytes 0-262143/*", "bytes 262144-524287/524288"]);

    // An empty stream finishes with a bare `bytes */0`.
    let v = client
        .upload(
            http::Method::POST,
            upload_url(&base),
            UploadProtocol::Resumable,
            None,
            MediaSource::reader(tokio::io::empty(), None),
            &UploadOptions::default(),
        )
        .await
        .unwrap();
    assert!(stored(&state, &id_of(&v)).is_empty());
}

#[tokio::test]
async fn resumable_resumes_after_a_dropped_connection_for_files_and_streams() {
    for from_stream in [false, true] {
        let mock = Mock {
            faults: vec![Fault::DropChunkAfter(300 * KIB)],
            ..Default::default()
        };
        let (mock, state) = start_mock(mock).await;
        let base = mock.base_url().to_owned();
        let client = media(fast_policy());
        let data = tricky_data(1100 * KIB + 1, 5);
        let source = if from_stream {
            MediaSource::reader(std::io::Cursor::new(data.clone()), Some(data.len() as u64))
        } else {
            MediaSource::path(temp_file("drop.bin", &data))
        };
        let v = client
            .upload(
                http::Method::POST,
                upload_url(&base),
                UploadProtocol::Resumable,
                None,
                source,
                &UploadOptions::default().chunk_size(512 * KIB),
            )
            .await
            .unwrap();
        assert_same(&stored(&state, &id_of(&v)), &data);
        let puts: Vec<String> = state
            .lock()
            .unwrap()
            .log
            .iter()
            .filter(|l| l.0 == "PUT")
            .map(|l| l.1.clone())
            .collect();
        // The first chunk broke after 256 KiB were kept; the client asked and went on from there.
        assert_eq!(puts[0], "bytes 0-524287/1126401");
        assert_eq!(puts[1], "bytes */1126401");
        assert_eq!(
            puts[2], "bytes 262144-786431/1126401",
            "from_stream={from_stream}: {puts:?}"
        );
        assert!(state.lock().unwrap().faults.is_empty(), "the fault fired");
    }
}

#[tokio::test]
async fn resumable_continues_after_a_503_mid_way() {
    let mock = Mock {
        faults: vec![Fault::Status {
            path_prefix: "/upload/session",
            status: 503,
            retry_after: None,
        }],
        ..Default::default()
    };
    let (mock, state) = start_mock(mock).await;
    let base = mock.base_url().to_owned();
    let client = media(fast_policy());
    let data = tricky_data(600 * KIB, 6);
    let v = client
        .upload(
            http::Method::POST,
            upload_url(&base),
            UploadProtocol::Resumable,
            None,
            MediaSource::bytes(data.clone()),
            &UploadOptions::default().chunk_size(256 * KIB),
        )
        .await
        .unwrap();
    assert_same(&stored(&state, &id_of(&v)), &data);
    let puts: Vec<String> = state
        .lock()
        .unwrap()
        .log
        .iter()
        .filter(|l| l.0 == "PUT")
        .map(|l| l.1.clone())
        .collect();
    assert_eq!(puts[0], "bytes 0-262143/614400");
    assert_eq!(puts[1], "bytes */614400");
    assert_eq!(puts[2], "bytes 0-262143/614400");
}

#[tokio::test]
async fn resumable_session_is_resumed_by_a_later_process() {
    let (mock, state) = start_mock(Mock::default()).await;
    let base = mock.base_url().to_owned();
    let data = tricky_data(900 * KIB + 3, 7);
    let path = temp_file("later.bin", &data);
    let session_file = temp_file("later.session.json", b"");
    // "Process" one: the source fails after 600 KiB (e.g. the process is killed).
    {
        let client = media(fast_policy());
        let failing = tokio::io::AsyncReadExt::chain(
            std::io::Cursor::new(data[..600 * KIB].to_vec()),
            FailingReader,
        );
        let err = client
            .upload(
                http::Method::POST,
                upload_url(&base),
                UploadProtocol::Resumable,
                Some(&json!({"name": "later"})),
                MediaSource::reader(failing, Some(data.len() as u64)),
                &UploadOptions::new("application/zip")
                    .chunk_size(256 * KIB)
                    .session_file(&session_file),
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("simulated crash"), "{err}");
    }
    // "Process" two: only the saved file connects it to the first.
    let session = ResumableSession::load(&session_file).unwrap();
    assert_eq!(session.total, Some(data.len() as u64));
    assert_eq!(session.content_type, "application/zip");
    let client = media(fast_policy());
    let upload = ResumableUpload::resume(&client, session);
    assert_eq!(
        upload.status().await.unwrap(),
        UploadStatus::InProgress {
            committed: 512 * KIB as u64
        }
    );
    let v = upload
        .upload(
            MediaSource::path(&path),
            &UploadOptions::default().chunk_size(256 * KIB),
        )
        .await
        .unwrap();
    assert_same(&stored(&state, &id_of(&v)), &data);
    assert_eq!(v["name"], "later");
    let puts: Vec<String> = state
        .lock()
        .unwrap()
        .log
        .iter()
        .filter(|l| l.0 == "PUT")
        .map(|l| l.1.clone())
        .collect();
    assert!(
        puts.contains(&format!("bytes 524288-786431/{}", data.len())),
        "resumed at 512 KiB: {puts:?}"
    );
    assert_eq!(
        puts.iter().filter(|p| p.starts_with("bytes 0-")).count(),
        1,
        "nothing re-sent: {puts:?}"
    );
    // Once complete, asking again reports the finished resource.
    assert!(matches!(
        upload.status().await.unwrap(),
        UploadStatus::Complete(_)
    ));
}

struct FailingReader;

impl tokio::io::AsyncRead for FailingReader {
    fn poll_read(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        _buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Err(std::io::Error::other("simulated crash")))
    }
}

#[tokio::test]
async fn post_is_not_retried_by_default_but_is_when_opted_in() {
    let fault = || Fault::Status {
        path_prefix: "/upload/files",
        status: 503,
        retry_after: None,
    };
    let (mock, state) = start_mock(Mock {
        faults: vec![fault()],
        ..Default::default()
    })
    .await;
    let base = mock.base_url().to_owned();
    let client = media(fast_policy());
    let err = client
        .upload(
            http::Method::POST,
            upload_url(&base),
            UploadProtocol::Simple,
            None,
            MediaSource::bytes(vec![1, 2, 3]),
            &UploadOptions::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(503));
    assert_eq!(
        state.lock().unwrap().log.len(),
        1,
        "a POST upload must not be repeated"
    );

    let (mock, state) = start_mock(Mock {
        faults: vec![fault()],
        ..Default::default()
    })
    .await;
    let base = mock.base_url().to_owned();
    let client = media(fast_policy().with_retry_non_idempotent(true));
    let v = client
        .upload(
            http::Method::POST,
            upload_url(&base),
            UploadProtocol::Simple,
            None,
            MediaSource::bytes(vec![1, 2, 3]),
            &UploadOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(stored(&state, &id_of(&v)), vec![1, 2, 3]);
    assert_eq!(state.lock().unwrap().log.len(), 2);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let (mock, state) = start_mock(Mock::default()).await;
    let base = mock.base_url().to_owned();
    let client = media(fast_policy());
    let data = tricky_data(10 * KIB, 8);
    let v = client
        .upload(
            http::Method::POST,
            upload_url(&base),
            UploadProtocol::Simple,
            None,
            MediaSource::bytes(data.clone()),
            &UploadOptions::default(),
        )
        .await
        .unwrap();
    let id = id_of(&v);
    state.lock().unwrap().faults.push(Fault::Status {
        path_prefix: "/files",
        status: 429,
        retry_after: Some(1),
    });
    let target = std::env::temp_dir().join(format!("gapi-retry-after-{}.bin", std::process::id()));
    let _ = std::fs::remove_file(&target);
    let url = url::Url::parse(&format!("{base}/files/{id}?alt=media")).unwrap();
    let started = Instant::now();
    client
        .download_to_file(url, &target, &DownloadOptions::default())
        .await
        .unwrap();
    let log = state.lock().unwrap().log.clone();
    let gets: Vec<Instant> = log.iter().filter(|l| l.0 == "GET").map(|l| l.2).collect();
    assert_eq!(gets.len(), 2);
    assert!(
        gets[1] - gets[0] >= Duration::from_secs(1),
        "waited only {:?}",
        gets[1] - gets[0]
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_same(&std::fs::read(&target).unwrap(), &data);
    std::fs::remove_file(&target).unwrap();
}

#[tokio::test]
async fn download_streams_resumes_part_files_and_dropped_connections() {
    let (mock, state) = start_mock(Mock::default()).await;
    let base = mock.base_url().to_owned();
    let client = media(fast_policy());
    let data = tricky_data(2 * 1024 * KIB + 17, 9);
    let v = client
        .upload(
            http::Method::POST,
            upload_url(&base),
            UploadProtocol::Simple,
            None,
            MediaSource::bytes(data.clone()),
            &UploadOptions::default(),
        )
        .await
        .unwrap();
    let url = url::Url::parse(&format!("{base}/files/{}?alt=media", id_of(&v))).unwrap();
    let dir = std::env::temp_dir().join(format!("gapi-dl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    // 1. A connection dropped mid-body resumes with a Range request.
    let target = dir.join("a.bin");
    let _ = std::fs::remove_file(&target);
    state
        .lock()
        .unwrap()
        .faults
        .push(Fault::DropDownloadAfter(700 * KIB));
    let report = client
        .download_to_file(url.clone(), &target, &DownloadOptions::default())
        .await
        .unwrap();
    assert_same(&std::fs::read(&target).unwrap(), &data);
    assert_eq!(report.bytes, data.len() as u64);
    let ranges: Vec<String> = state
        .lock()
        .unwrap()
        .log
        .iter()
        .filter(|l| l.0 == "GET")
        .map(|l| l.1.clone())
        .collect();
    assert_eq!(ranges[0], "");
    assert!(
        ranges[1].starts_with("bytes=") && ranges[1] != "bytes=0-",
        "{ranges:?}"
    );

    // 2. The target exists: refused unless overwriting is allowed.
    let err = client
        .download_to_file(url.clone(), &target, &DownloadOptions::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    client
        .download_to_file(
            url.clone(),
            &target,
            &DownloadOptions::default().overwrite(true),
        )
        .await
        .unwrap();

    // 3. A leftover .part with nothing tying it to this object (no sidecar) is not trusted nor
    //    touched: the download starts over (download_integrity_mock.rs covers proven resumes).
    let target = dir.join("b.bin");
    let _ = std::fs::remove_file(&target);
    std::fs::write(dir.join("b.bin.part"), &data[..123_456]).unwrap();
    state.lock().unwrap().log.clear();
    let report = client
        .download_to_file(url.clone(), &target, &DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(report.resumed_from, 0);
    assert_same(&std::fs::read(&target).unwrap(), &data);
    assert_eq!(state.lock().unwrap().log[0].1, "");
    assert!(
        std::fs::read(dir.join("b.bin.part")).unwrap() == data[..123_456],
        "a file gapi did not make is left as it was"
    );

    // 4. To a writer.
    let mut out = Vec::new();
    let n = client
        .download_to_writer(url.clone(), &mut out, &Progress::none())
        .await
        .unwrap();
    assert_eq!(n, data.len() as u64);
    assert_same(&out, &data);

    // 5. Not found is an API error, and no file is left behind.
    let missing = url::Url::parse(&format!("{base}/files/nope?alt=media")).unwrap();
    let err = client
        .download_to_file(missing, &dir.join("c.bin"), &DownloadOptions::default())
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(!dir.join("c.bin").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn resumable_resends_the_part_of_a_chunk_the_server_did_not_keep() {
    let mock = Mock {
        keep_only: Some(100 * KIB),
        ..Default::default()
    };
    let (mock, state) = start_mock(mock).await;
    let base = mock.base_url().to_owned();
    let client = media(fast_policy());
    let data = tricky_data(700 * KIB, 15);
    // A stream: the unkept bytes can only come from the chunk buffer.
    let v = client
        .upload(
            http::Method::POST,
            upload_url(&base),
            UploadProtocol::Resumable,
            None,
            MediaSource::reader(std::io::Cursor::new(data.clone()), None),
            &UploadOptions::default().chunk_size(256 * KIB),
        )
        .await
        .unwrap();
    assert_same(&stored(&state, &id_of(&v)), &data);
    let puts: Vec<String> = state
        .lock()
        .unwrap()
        .log
        .iter()
        .filter(|l| l.0 == "PUT")
        .map(|l| l.1.clone())
        .collect();
    assert_eq!(puts[0], "bytes 0-262143/*");
    assert_eq!(puts[1], "bytes 102400-364543/*", "{puts:?}");
}
