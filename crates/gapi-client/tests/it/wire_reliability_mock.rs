//! Plain calls off the happy path, against raw-TCP and axum mocks that share no code with the
//! client: a response cut off mid-body is retried for a GET (and only then), never decoded
//! half; a GET whose URL would pass 2 KB goes as `POST` + `X-HTTP-Method-Override: GET` with
//! the query in a form body; an anonymous 401 does not talk about refreshing credentials; a
//! huge URL is never echoed whole in an error.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::IntoResponse;
use axum::routing::any;
use gapi_client::{NoAuth, RetryPolicy, Service};
use gapi_testkit::mock::{MockGoogle, google_error};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn fast() -> RetryPolicy {
    RetryPolicy::default().with_delays(Duration::from_millis(1), Duration::from_millis(10))
}

fn drive(base: &str, policy: RetryPolicy) -> Service {
    Service::builder()
        .bundled("drive", "v3")
        .endpoint(format!("{base}/"))
        .auth(NoAuth)
        .retry_policy(policy)
        .build()
        .unwrap()
}

/// A raw HTTP/1.1 server: the first `cut` connections get the headers of `body` (full
/// Content-Length) and only its first half, then the connection closes; later ones get it all.
async fn cutting_server(body: &'static str, cut: usize) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        loop {
            let (mut sock, _) = listener.accept().await.unwrap();
            let n = counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                // Read the request head (and a small body, if any).
                let mut buf = vec![0u8; 65536];
                let mut got = 0;
                loop {
                    let r = sock.read(&mut buf[got..]).await.unwrap_or(0);
                    if r == 0 {
                        return;
                    }
                    got += r;
                    if buf[..got].windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let send = if n < cut {
                    &body[..body.len() / 2]
                } else {
                    body
                };
                let _ = sock.write_all(send.as_bytes()).await;
                let _ = sock.flush().await;
                // Dropping the socket closes the connection, mid-body for a cut answer.
            });
        }
    });
    (format!("http://{addr}"), hits)
}

const PAGE: &str = r#"{"kind":"drive#fileList","files":[{"id":"a","name":"first file"},{"id":"b","name":"second file"}]}"#;

#[tokio::test]
async fn a_get_cut_off_mid_body_is_retried_and_decoded_whole() {
    let (base, hits) = cutting_server(PAGE, 2).await;
    let svc = drive(&base, fast());
    let v = svc
        .method("files.list")
        .unwrap()
        .execute()
        .await
        .expect("the third attempt gets the whole body");
    assert_eq!(v["files"][1]["name"], "second file");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        3,
        "two cut answers, then one whole"
    );
}

#[tokio::test]
async fn a_cut_off_body_uses_the_same_budget_and_then_fails_as_a_transport_error() {
    let (base, hits) = cutting_server(PAGE, 100).await;
    let svc = drive(&base, fast().with_max_attempts(3));
    let err = svc
        .method("files.list")
        .unwrap()
        .execute()
        .await
        .unwrap_err();
    assert!(
        err.is_network(),
        "a cut-off body is a transport error, not a JSON error: {err}"
    );
    assert!(err.is_retryable());
    assert_eq!(
        hits.load(Ordering::SeqCst),
        3,
        "max_attempts bounds body retries too"
    );
}

#[tokio::test]
async fn a_post_cut_off_mid_body_is_not_sent_again() {
    let (base, hits) = cutting_server(r#"{"id":"new","name":"created"}"#, 1).await;
    let svc = drive(&base, fast());
    let err = svc
        .method("files.create")
        .unwrap()
        .body(json!({"name": "x"}))
        .execute()
        .await
        .unwrap_err();
    assert!(err.is_network(), "{err}");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "a POST may have created the file: no resend"
    );
}

#[tokio::test]
async fn pages_survive_a_cut_off_page() {
    let (base, hits) = cutting_server(PAGE, 1).await;
    let svc = drive(&base, fast());
    let pages: Vec<_> =
        futures_util::StreamExt::collect::<Vec<_>>(svc.method("files.list").unwrap().pages()).await;
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].as_ref().unwrap()["files"][0]["id"], "a");
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

/// What the axum mock saw: method, path, query, override header, content type, body.
#[derive(Debug, Clone, Default)]
struct Seen {
    method: String,
    path: String,
    query: Option<String>,
    method_override: Option<String>,
    content_type: Option<String>,
    body: String,
}

async fn recording_server(status: u16) -> (MockGoogle, Arc<Mutex<Vec<Seen>>>) {
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    async fn handle(
        State((seen, status)): State<(Arc<Mutex<Vec<Seen>>>, u16)>,
        method: Method,
        uri: Uri,
        headers: HeaderMap,
        body: Bytes,
    ) -> axum::response::Response {
        let h = |n: &str| {
            headers
                .get(n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        seen.lock().unwrap().push(Seen {
            method: method.to_string(),
            path: uri.path().to_string(),
            query: uri.query().map(str::to_string),
            method_override: h("x-http-method-override"),
            content_type: h("content-type"),
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        if status == 200 {
            axum::Json(json!({"files": []})).into_response()
        } else {
            google_error(status, "required", "Login Required.")
        }
    }
    let app = Router::new()
        .fallback(any(handle))
        .with_state((seen.clone(), status));
    (MockGoogle::start(app).await, seen)
}

#[tokio::test]
async fn a_get_longer_than_2kb_goes_as_post_with_the_method_override() {
    let (mock, seen) = recording_server(200).await;
    let base = mock.base_url().to_owned();
    let svc = drive(&base, fast());
    let q = format!("name contains '{}'", "x&y=z ".repeat(20_000)); // ~120 KB
    let v = svc
        .method("files.list")
        .unwrap()
        .param("q", q.clone())
        .param("pageSize", 7)
        .execute()
        .await
        .unwrap();
    assert_eq!(v, json!({"files": []}));
    let s = seen.lock().unwrap()[0].clone();
    assert_eq!(s.method, "POST");
    assert_eq!(s.path, "/drive/v3/files");
    assert_eq!(s.query, None, "the query moves to the body");
    assert_eq!(s.method_override.as_deref(), Some("GET"));
    assert_eq!(
        s.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    let form: Vec<(String, String)> = url::form_urlencoded::parse(s.body.as_bytes())
        .into_owned()
        .collect();
    assert!(form.contains(&("q".to_string(), q)), "q travels whole");
    assert!(form.contains(&("pageSize".to_string(), "7".to_string())));
    assert!(form.contains(&("alt".to_string(), "json".to_string())));

    // A short GET stays a GET with its query.
    svc.method("files.list")
        .unwrap()
        .param("q", "name = 'a'")
        .execute()
        .await
        .unwrap();
    let s = seen.lock().unwrap()[1].clone();
    assert_eq!(s.method, "GET");
    assert!(s.query.unwrap().contains("q=name"));
    assert_eq!(s.method_override, None);

    // The dry run shows the request as sent.
    let dry = svc
        .method("files.list")
        .unwrap()
        .param("q", "z".repeat(3000))
        .prepare()
        .unwrap()
        .to_dry_run_json(&svc);
    assert_eq!(dry["method"], "POST");
    assert_eq!(dry["headers"]["x-http-method-override"], "GET");
    assert!(dry["body"].as_str().unwrap().contains("zzz"));
}

#[tokio::test]
async fn an_anonymous_401_asks_for_credentials_without_talking_of_refresh() {
    let (mock, _seen) = recording_server(401).await;
    let base = mock.base_url().to_owned();
    let svc = drive(&base, fast());
    let err = svc
        .method("files.list")
        .unwrap()
        .execute()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert_eq!(err.http_status(), Some(401));
    assert_eq!(
        err.hint(),
        Some(gapi_client::Hint::SendCredentials),
        "{text}"
    );
    assert!(err.hint().unwrap().text().contains("without credentials"));
    assert!(!err.hint().unwrap().text().contains("refresh"));
    assert!(!text.contains("refresh"), "{text}");
    assert!(!text.contains("log in again"), "{text}");
}

#[tokio::test]
async fn errors_never_echo_a_huge_url() {
    // Nothing listens on this port: a connection error whose URL is 100 KB long (a POST, so
    // the long-GET override does not apply).
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let svc = drive(&format!("http://127.0.0.1:{port}"), RetryPolicy::never());
    let err = svc
        .method("files.create")
        .unwrap()
        .param("ocrLanguage", "e".repeat(100_000))
        .execute()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.len() < 2000, "{} bytes of error text", text.len());
    assert!(text.contains("bytes left out"), "{text}");
    let _: Value = json!(text);
}
