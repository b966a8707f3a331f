//! gapi with `default-features = false`: no Discovery document is compiled in, `gapi::build`
//! says which feature would embed one, and `gapi::discover` / `build_async` fetch the document
//! from a Discovery service on first use, cache it on disk and revalidate it by ETag. The
//! Discovery service here is a local server serving the real Drive v3 document (read from the
//! bundle's files, with its rootUrl pointed at the server), which also answers `files.list`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gapi::client::{DiscoveryFetcher, NoAuth, Service};

const ETAG: &str = "\"drive-v3-test\"";

#[derive(Default)]
struct Hits {
    documents: AtomicUsize,
    not_modified: AtomicUsize,
    files_list: AtomicUsize,
}

struct Server {
    base: String,
    hits: Arc<Hits>,
}

/// The Drive v3 document of the bundle's files (the lean build cannot decompress it: it embeds
/// neither the document nor the dictionary), its rootUrl set to `base`.
pub(crate) fn drive_document(base: &str) -> String {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../crates/gapi-discovery/bundle"
    );
    let dictionary = std::fs::read(format!("{dir}/dictionary.zdict")).unwrap();
    let frame = std::fs::read(format!("{dir}/apis/drive.v3.json.zst")).unwrap();
    let mut d = ruzstd::decoding::FrameDecoder::new();
    d.add_dict(ruzstd::decoding::Dictionary::decode_dict(&dictionary).unwrap())
        .unwrap();
    let mut json = Vec::with_capacity(1 << 20);
    d.decode_all_to_vec(&frame, &mut json).unwrap();
    let mut doc: serde_json::Value = serde_json::from_slice(&json).unwrap();
    doc["rootUrl"] = format!("{base}/").into();
    doc.to_string()
}

async fn start() -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let doc: Arc<str> = drive_document(&base).into();
    let hits = Arc::new(Hits::default());
    let state = (doc, hits.clone());
    type S = (Arc<str>, Arc<Hits>);
    let app = Router::new()
        .route(
            "/discovery/v1/apis/drive/v3/rest",
            get(
                |State((doc, hits)): State<S>, headers: HeaderMap| async move {
                    if headers
                        .get(header::IF_NONE_MATCH)
                        .is_some_and(|v| v == ETAG)
                    {
                        hits.not_modified.fetch_add(1, Ordering::SeqCst);
                        return StatusCode::NOT_MODIFIED.into_response();
                    }
                    hits.documents.fetch_add(1, Ordering::SeqCst);
                    ([(header::ETAG, ETAG)], doc.to_string()).into_response()
                },
            ),
        )
        .route(
            "/drive/v3/files",
            get(|State((_, hits)): State<S>| async move {
                hits.files_list.fetch_add(1, Ordering::SeqCst);
                let body = r#"{"kind":"drive#fileList","files":[{"id":"f1","name":"lean.txt"}]}"#;
                Response::builder()
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(axum::body::Body::from(body))
                    .unwrap()
            }),
        )
        .with_state(state);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server { base, hits }
}

#[test]
fn nothing_is_compiled_in() {
    let entries = gapi_discovery::bundle::entries();
    assert_eq!(entries.len(), 610, "every document is still known by name");
    assert!(
        entries.iter().all(|e| !e.embedded()),
        "no document embedded"
    );
    assert_eq!(
        gapi_discovery::bundle::preferred_version("drive"),
        Some("v3")
    );
    assert!(
        gapi_discovery::bundle::document_json("drive", "v3")
            .unwrap()
            .is_none()
    );
}

#[test]
fn build_names_the_feature_that_would_embed_the_document() {
    let err = gapi::build("drive", "v3", NoAuth).unwrap_err().to_string();
    assert!(err.contains("not compiled into this build"), "{err}");
    assert!(err.contains("`drive` cargo feature"), "{err}");
    let err = gapi::build("dataflow", "", NoAuth).unwrap_err().to_string();
    assert!(err.contains("`all-apis` cargo feature"), "{err}");
    let err = gapi::build("drvie", "v3", NoAuth).unwrap_err().to_string();
    assert!(err.contains("did you mean drive"), "{err}");
}

#[tokio::test]
async fn discover_fetches_on_first_use_then_revalidates_the_cached_copy() {
    let server = start().await;
    let cache = tempfile::tempdir().unwrap();
    let fetcher = || {
        DiscoveryFetcher::new()
            .base_url(&server.base)
            .cache_dir(Some(cache.path().to_path_buf()))
    };

    // First use: fetched (the version is the preferred one, known without the document).
    let drive = Service::builder()
        .bundled("drive", "")
        .discovery(fetcher())
        .build_async()
        .await
        .expect("fetched on first use");
    assert_eq!(drive.document().version, "v3");
    assert_eq!(server.hits.documents.load(Ordering::SeqCst), 1);
    let files = drive
        .method("files.list")
        .unwrap()
        .param("pageSize", 5)
        .execute()
        .await
        .unwrap();
    assert_eq!(files["files"][0]["name"], "lean.txt");
    assert_eq!(server.hits.files_list.load(Ordering::SeqCst), 1);
    let cached: Vec<_> = walk(cache.path());
    assert!(
        cached.iter().any(|p| p.ends_with("drive.v3.json")),
        "cached on disk: {cached:?}"
    );

    // Again, as a new process would: the cached copy, revalidated by its ETag (304).
    let again = Service::builder()
        .bundled("drive", "v3")
        .discovery(fetcher())
        .build_async()
        .await
        .unwrap();
    assert_eq!(server.hits.documents.load(Ordering::SeqCst), 1);
    assert_eq!(server.hits.not_modified.load(Ordering::SeqCst), 1);
    assert!(again.method("files.get").is_ok());

    // A document you hold always works.
    let text = std::fs::read_to_string(
        cached
            .iter()
            .find(|p| p.ends_with("drive.v3.json"))
            .unwrap(),
    )
    .unwrap();
    let held = gapi::build_from_document(text, NoAuth).unwrap();
    assert!(held.method("files.list").is_ok());
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
