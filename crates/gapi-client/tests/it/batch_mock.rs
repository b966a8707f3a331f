//! Batch requests against an in-process mock of Google's batch endpoint:
//! mixed statuses (200, 201, 204, 404) each reported as answered, answers out of order, splitting at the part
//! limit, and parts answered 401 retried once after a forced refresh.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use futures_util::future::BoxFuture;
use gapi_client::batch::Batch;
use gapi_client::{Authenticator, Authorization, Error, Service};
use gapi_testkit::mock::MockGoogle;
use serde_json::{Value, json};

#[derive(Default)]
struct Seen {
    /// Per batch: the inner request lines and the outer Authorization header.
    batches: Vec<(Vec<String>, String)>,
    /// Bodies of inner requests, in order.
    bodies: Vec<String>,
}

type Shared = Arc<Mutex<Seen>>;

/// Splits a multipart/mixed body into parts (header block, inner message).
fn parts(body: &str, boundary: &str) -> Vec<(String, String)> {
    let delim = format!("--{boundary}");
    body.split(&delim)
        .skip(1)
        .take_while(|p| !p.starts_with("--"))
        .map(|p| {
            let p = p.strip_prefix("\r\n").unwrap_or(p);
            let p = p.strip_suffix("\r\n").unwrap_or(p);
            let (head, rest) = p.split_once("\r\n\r\n").unwrap_or((p, ""));
            (head.to_string(), rest.to_string())
        })
        .collect()
}

async fn batch(State(seen): State<Shared>, headers: HeaderMap, body: String) -> Response {
    let ct = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let Some(boundary) = ct.strip_prefix("multipart/mixed; boundary=") else {
        return (
            axum::http::StatusCode::BAD_REQUEST,
            "expected multipart/mixed",
        )
            .into_response();
    };
    let mut lines = Vec::new();
    let mut answers = Vec::new();
    for (head, inner) in parts(&body, boundary) {
        assert!(head.contains("Content-Type: application/http"), "{head}");
        let id = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-ID: "))
            .expect("every part has a Content-ID")
            .trim_matches(['<', '>'])
            .to_string();
        let (request_line, rest) = inner.split_once("\r\n").unwrap_or((&inner, ""));
        let (_, inner_body) = rest.split_once("\r\n\r\n").unwrap_or(("", rest));
        lines.push(request_line.to_string());
        seen.lock()
            .unwrap()
            .bodies
            .push(inner_body.trim_end().to_string());
        let path = request_line.split(' ').nth(1).unwrap_or("");
        let answer = if auth != "Bearer fresh" && path.contains("/private") {
            (
                "401 Unauthorized",
                json!({"error": {"code": 401, "message": "Invalid Credentials", "errors": [{"reason": "authError"}]}}),
            )
        } else if request_line.starts_with("GET /drive/v3/files/missing") {
            (
                "404 Not Found",
                json!({"error": {"code": 404, "message": "File not found: missing.", "errors": [{"reason": "notFound"}]}}),
            )
        } else if request_line.starts_with("POST /drive/v3/files") {
            let sent: Value = serde_json::from_str(inner_body.trim_end()).unwrap_or(Value::Null);
            ("201 Created", json!({"id": "new", "name": sent["name"]}))
        } else if request_line.starts_with("DELETE ") {
            ("204 No Content", Value::Null)
        } else {
            let id = path
                .trim_start_matches("/drive/v3/files/")
                .split('?')
                .next()
                .unwrap_or("")
                .to_string();
            ("200 OK", json!({"id": id}))
        };
        answers.push((id, answer));
    }
    seen.lock().unwrap().batches.push((lines, auth));
    // Answer in reverse order, as servers may.
    let mut out = String::new();
    for (id, (status, json)) in answers.into_iter().rev() {
        let body = if json.is_null() {
            "\r\n".to_string()
        } else {
            format!("Content-Type: application/json; charset=UTF-8\r\n\r\n{json}\r\n")
        };
        out.push_str(&format!(
            "--batch_resp\r\nContent-Type: application/http\r\nContent-ID: <response-{id}>\r\n\r\nHTTP/1.1 {status}\r\n{body}"
        ));
    }
    out.push_str("--batch_resp--\r\n");
    (
        [("content-type", "multipart/mixed; boundary=batch_resp")],
        out,
    )
        .into_response()
}

async fn start() -> (MockGoogle, Shared) {
    let seen: Shared = Arc::default();
    let app = Router::new()
        .route("/batch/drive/v3", post(batch))
        .with_state(seen.clone());
    (MockGoogle::start(app).await, seen)
}

/// Gives "stale" until a forced refresh, then "fresh"; counts refreshes.
#[derive(Default)]
struct Rotating {
    refreshes: AtomicU32,
}

impl Authenticator for Rotating {
    fn authorize<'a>(&'a self, force_refresh: bool) -> BoxFuture<'a, Result<Authorization, Error>> {
        if force_refresh {
            self.refreshes.fetch_add(1, Ordering::SeqCst);
        }
        let token = if self.refreshes.load(Ordering::SeqCst) > 0 {
            "fresh"
        } else {
            "stale"
        };
        Box::pin(async move { Ok(Authorization::Bearer(token.into())) })
    }
}

fn drive(base: &str, auth: Arc<Rotating>) -> Service {
    Service::builder()
        .bundled("drive", "v3")
        .endpoint(base)
        .auth_arc(auth)
        .build()
        .unwrap()
}

fn batch_for(svc: &Service) -> Batch {
    let url = url::Url::parse(&svc.batch_url().expect("drive has a batchPath")).unwrap();
    Batch::new(svc.transport(), url)
}

#[tokio::test]
async fn batch_maps_mixed_results_back_in_request_order() {
    let (mock, seen) = start().await;
    let base = format!("{}/", mock.base_url());
    let auth = Arc::new(Rotating::default());
    let svc = drive(&base, auth.clone());
    assert_eq!(svc.batch_url().unwrap(), format!("{base}batch/drive/v3"));
    let reqs = vec![
        svc.method("files.get")
            .unwrap()
            .param("fileId", "a")
            .prepare()
            .unwrap(),
        svc.method("files.get")
            .unwrap()
            .param("fileId", "missing")
            .prepare()
            .unwrap(),
        svc.method("files.create")
            .unwrap()
            .body(json!({"name": "n\r\n--x"}))
            .prepare()
            .unwrap(),
        svc.method("files.get")
            .unwrap()
            .param("fileId", "b")
            .param("fields", "id,name")
            .prepare()
            .unwrap(),
        svc.method("files.delete")
            .unwrap()
            .param("fileId", "gone")
            .prepare()
            .unwrap(),
    ];
    let results = batch_for(&svc).execute(&reqs).await.unwrap();
    assert_eq!(results.len(), 5);
    let ok = |i: usize| results[i].as_ref().unwrap();
    assert_eq!((ok(0).status, &ok(0).body["id"]), (200, &json!("a")));
    let err = results[1].as_ref().unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(err.api().unwrap().reason.as_deref(), Some("notFound"));
    assert_eq!(ok(2).status, 201, "a create answered 201 says so");
    assert_eq!(ok(2).body["name"], "n\r\n--x");
    assert_eq!(ok(3).body["id"], "b");
    assert_eq!(
        (ok(4).status, &ok(4).body),
        (204, &json!({})),
        "a delete answered 204 has an empty body"
    );

    let s = seen.lock().unwrap();
    assert_eq!(s.batches.len(), 1);
    let (lines, outer_auth) = &s.batches[0];
    assert_eq!(
        outer_auth, "Bearer stale",
        "credentials ride on the outer request"
    );
    assert!(lines[0].starts_with("GET /drive/v3/files/a?"), "{lines:?}");
    assert!(lines[0].ends_with(" HTTP/1.1"));
    assert!(lines[3].contains("fields=id%2Cname"), "{lines:?}");
    assert_eq!(s.bodies[2], r#"{"name":"n\r\n--x"}"#);
    assert_eq!(auth.refreshes.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn batch_splits_at_the_part_limit() {
    let (mock, seen) = start().await;
    let base = format!("{}/", mock.base_url());
    let svc = drive(&base, Arc::default());
    let reqs: Vec<_> = (0..5)
        .map(|i| {
            svc.method("files.get")
                .unwrap()
                .param("fileId", format!("f{i}"))
                .prepare()
                .unwrap()
        })
        .collect();
    let results = batch_for(&svc).max_parts(2).execute(&reqs).await.unwrap();
    let ids: Vec<String> = results
        .iter()
        .map(|r| r.as_ref().unwrap().body["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["f0", "f1", "f2", "f3", "f4"]);
    let sizes: Vec<usize> = seen
        .lock()
        .unwrap()
        .batches
        .iter()
        .map(|b| b.0.len())
        .collect();
    assert_eq!(sizes, [2, 2, 1]);
}

#[tokio::test]
async fn parts_answered_401_are_retried_once_after_a_refresh() {
    let (mock, seen) = start().await;
    let base = format!("{}/", mock.base_url());
    let auth = Arc::new(Rotating::default());
    let svc = drive(&base, auth.clone());
    let reqs = vec![
        svc.method("files.get")
            .unwrap()
            .param("fileId", "public")
            .prepare()
            .unwrap(),
        svc.method("files.get")
            .unwrap()
            .param("fileId", "private1")
            .prepare()
            .unwrap(),
        svc.method("files.get")
            .unwrap()
            .param("fileId", "private2")
            .prepare()
            .unwrap(),
    ];
    let results = batch_for(&svc).execute(&reqs).await.unwrap();
    for (r, want) in results.iter().zip(["public", "private1", "private2"]) {
        assert_eq!(r.as_ref().unwrap().body["id"], want);
    }
    assert_eq!(
        auth.refreshes.load(Ordering::SeqCst),
        1,
        "exactly one forced refresh"
    );
    let s = seen.lock().unwrap();
    assert_eq!(s.batches.len(), 2);
    assert_eq!(
        s.batches[1].0.len(),
        2,
        "only the refused parts are sent again"
    );
    assert_eq!(s.batches[1].1, "Bearer fresh");
}
