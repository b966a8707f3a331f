//! The retry policy as plain calls see it, through [`gapi_client::Transport::send`]:
//! which failures are retried, how many times, `Retry-After`, and POST.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Path;
use axum::routing::any;
use gapi_client::{RetryPolicy, Transport, WireRequest};
use gapi_testkit::mock::{Fault, MockGoogle};
use serde_json::json;

/// A mock where every `/<name>` answers `{"ok": "<name>"}` once its queued faults (Google
/// errors: status, reason, Retry-After) are used up.
async fn start(faults: impl IntoIterator<Item = Fault>) -> MockGoogle {
    let ok = Router::new().route(
        "/{name}",
        any(|Path(name): Path<String>| async move { axum::Json(json!({ "ok": name })) }),
    );
    let mock = MockGoogle::start(ok).await;
    for fault in faults {
        mock.fail_next(fault);
    }
    mock
}

/// `n` times the same fault.
fn times(n: usize, fault: Fault) -> impl Iterator<Item = Fault> {
    std::iter::repeat_n(fault, n)
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

#[tokio::test]
async fn retryable_failures_are_retried_and_others_are_not() {
    let mock = start(
        [
            Fault::status("/flaky", 503),
            Fault::status("/flaky", 500),
            Fault::status("/flaky", 429),
            Fault::status("/ratelimited", 403).reason("userRateLimitExceeded"),
            Fault::status("/forbidden", 403).reason("forbidden"),
            Fault::status("/missing", 404).reason("notFound"),
        ]
        .into_iter()
        .chain(times(10, Fault::status("/down", 503))),
    )
    .await;
    let base = mock.base_url().to_owned();
    let t = transport(fast());

    assert!(
        call(&t, &base, http::Method::GET, "flaky", true)
            .await
            .is_ok()
    );
    assert_eq!(mock.hits("/flaky"), 4);
    assert!(
        call(&t, &base, http::Method::GET, "ratelimited", true)
            .await
            .is_ok()
    );
    assert_eq!(mock.hits("/ratelimited"), 2);

    let err = call(&t, &base, http::Method::GET, "forbidden", true)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(403));
    assert_eq!(mock.hits("/forbidden"), 1);
    let err = call(&t, &base, http::Method::GET, "missing", true)
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(mock.hits("/missing"), 1);

    // The policy gives up after max_attempts (5 by default).
    let err = call(&t, &base, http::Method::GET, "down", true)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(503));
    assert_eq!(mock.hits("/down"), 5);
}

#[tokio::test]
async fn post_is_retried_only_when_opted_in() {
    // Faults are taken in order by path prefix: `/create`'s goes to the first call.
    let mock = start([
        Fault::status("/create", 503),
        Fault::status("/create2", 503),
    ])
    .await;
    let base = mock.base_url().to_owned();

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
    assert_eq!(mock.hits("/create"), 1);

    let t = transport(fast().with_retry_non_idempotent(true));
    assert!(
        call(&t, &base, http::Method::POST, "create2", false)
            .await
            .is_ok()
    );
    assert_eq!(mock.hits("/create2"), 2);
}

#[tokio::test]
async fn retry_after_is_waited_for() {
    let mock = start([Fault::status("/busy", 429)
        .reason("rateLimitExceeded")
        .retry_after(1)])
    .await;
    let base = mock.base_url().to_owned();
    assert!(
        call(&transport(fast()), &base, http::Method::GET, "busy", true)
            .await
            .is_ok()
    );
    let times: Vec<Instant> = mock
        .requests()
        .iter()
        .filter(|r| r.path == "/busy")
        .map(|r| r.at)
        .collect();
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
