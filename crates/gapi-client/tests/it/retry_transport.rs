//! The retry policy as plain calls see it, through [`gapi_client::Transport::send`]:
//! which failures are retried, how many times, `Retry-After`, and POST.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use gapi_client::{RetryPolicy, Transport, WireRequest};
use serde_json::json;

/// A scripted failure: status, error reason, Retry-After seconds.
type Answer = (u16, Option<&'static str>, Option<u64>);

/// Per scenario: the answers still to give (then 200), and when each request came.
#[derive(Default)]
struct Script {
    answers: HashMap<String, Vec<Answer>>,
    hits: HashMap<String, Vec<Instant>>,
}

type Shared = Arc<Mutex<Script>>;

async fn handle(State(s): State<Shared>, Path(name): Path<String>) -> Response {
    let mut s = s.lock().unwrap();
    s.hits.entry(name.clone()).or_default().push(Instant::now());
    let next = s.answers.get_mut(&name).and_then(|a| {
        if a.is_empty() {
            None
        } else {
            Some(a.remove(0))
        }
    });
    match next {
        None => axum::Json(json!({"ok": name})).into_response(),
        Some((status, reason, retry_after)) => {
            let body = json!({"error": {"code": status, "message": "scripted", "errors": [{"reason": reason.unwrap_or("backendError")}]}});
            let mut resp =
                (StatusCode::from_u16(status).unwrap(), axum::Json(body)).into_response();
            if let Some(secs) = retry_after {
                resp.headers_mut()
                    .insert("retry-after", secs.to_string().parse().unwrap());
            }
            resp
        }
    }
}

async fn start(script: Script) -> (String, Shared) {
    let state: Shared = Arc::new(Mutex::new(script));
    let app = Router::new()
        .route("/{name}", any(handle))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), state)
}

fn transport(policy: RetryPolicy) -> Transport {
    Transport::builder().retry_policy(policy).build().unwrap()
}

fn fast() -> RetryPolicy {
    RetryPolicy::default().with_delays(Duration::from_millis(1), Duration::from_millis(10))
}

async fn call(
    t: &Transport,
    base: &str,
    method: http::Method,
    name: &str,
    idempotent: bool,
) -> Result<gapi_client::Response, gapi_client::Error> {
    let request = WireRequest {
        method,
        url: url::Url::parse(&format!("{base}/{name}")).unwrap(),
        headers: http::HeaderMap::new(),
        body: None,
    };
    t.send(&request, idempotent).await
}

fn hits(s: &Shared, name: &str) -> usize {
    s.lock().unwrap().hits.get(name).map(Vec::len).unwrap_or(0)
}

#[tokio::test]
async fn retryable_failures_are_retried_and_others_are_not() {
    let mut script = Script::default();
    script.answers.insert(
        "flaky".into(),
        vec![(503, None, None), (500, None, None), (429, None, None)],
    );
    script.answers.insert(
        "ratelimited".into(),
        vec![(403, Some("userRateLimitExceeded"), None)],
    );
    script
        .answers
        .insert("forbidden".into(), vec![(403, Some("forbidden"), None)]);
    script
        .answers
        .insert("missing".into(), vec![(404, Some("notFound"), None)]);
    script
        .answers
        .insert("down".into(), vec![(503, None, None); 10]);
    let (base, s) = start(script).await;
    let t = transport(fast());

    assert!(
        call(&t, &base, http::Method::GET, "flaky", true)
            .await
            .is_ok()
    );
    assert_eq!(hits(&s, "flaky"), 4);
    assert!(
        call(&t, &base, http::Method::GET, "ratelimited", true)
            .await
            .is_ok()
    );
    assert_eq!(hits(&s, "ratelimited"), 2);

    let err = call(&t, &base, http::Method::GET, "forbidden", true)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(403));
    assert_eq!(hits(&s, "forbidden"), 1);
    let err = call(&t, &base, http::Method::GET, "missing", true)
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(hits(&s, "missing"), 1);

    // The policy gives up after max_attempts (5 by default).
    let err = call(&t, &base, http::Method::GET, "down", true)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(503));
    assert_eq!(hits(&s, "down"), 5);
}

#[tokio::test]
async fn post_is_retried_only_when_opted_in() {
    let mut script = Script::default();
    script
        .answers
        .insert("create".into(), vec![(503, None, None)]);
    script
        .answers
        .insert("create2".into(), vec![(503, None, None)]);
    let (base, s) = start(script).await;

    let err = call(
        &transport(fast()),
        &base,
        http::Method::POST,
        "create",
        false,
    )
    .await
    .unwrap_err();
    assert_eq!(err.http_status(), Some(503));
    assert_eq!(hits(&s, "create"), 1);

    let t = transport(fast().with_retry_non_idempotent(true));
    assert!(
        call(&t, &base, http::Method::POST, "create2", false)
            .await
            .is_ok()
    );
    assert_eq!(hits(&s, "create2"), 2);
}

#[tokio::test]
async fn retry_after_is_waited_for() {
    let mut script = Script::default();
    script.answers.insert(
        "busy".into(),
        vec![(429, Some("rateLimitExceeded"), Some(1))],
    );
    let (base, s) = start(script).await;
    assert!(
        call(&transport(fast()), &base, http::Method::GET, "busy", true)
            .await
            .is_ok()
    );
    let times = s.lock().unwrap().hits["busy"].clone();
    assert_eq!(times.len(), 2);
    assert!(
        times[1] - times[0] >= Duration::from_secs(1),
        "waited only {:?}",
        times[1] - times[0]
    );
}

#[tokio::test]
async fn dropped_connections_are_retried_for_idempotent_calls_only() {
    // A server that accepts and hangs up at once: every attempt is a transport error.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(Mutex::new(0usize));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            *count.lock().unwrap() += 1;
            drop(sock);
        }
    });
    let t = transport(fast().with_max_attempts(3));
    let err = call(&t, &base, http::Method::GET, "x", true)
        .await
        .unwrap_err();
    assert!(err.is_network(), "{err}");
    assert_eq!(*accepted.lock().unwrap(), 3);

    *accepted.lock().unwrap() = 0;
    let err = call(&t, &base, http::Method::POST, "x", false)
        .await
        .unwrap_err();
    assert!(err.is_network(), "{err}");
    assert_eq!(*accepted.lock().unwrap(), 1);
}
