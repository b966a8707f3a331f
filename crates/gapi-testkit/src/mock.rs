//! One mock Google server for client tests: you give it routes (an axum [`Router`] with your
//! state), it serves them on a free loopback port, records every request, and answers scripted
//! faults in Google's error shape before your routes see the request. What is left to each
//! test is only what is special about it: its handlers.
//!
//! ```no_run
//! # async fn demo() {
//! use axum::routing::get;
//! use gapi_testkit::mock::{Fault, MockGoogle};
//!
//! let mock = MockGoogle::start(axum::Router::new().route("/v1/things", get(|| async { "{}" }))).await;
//! mock.fail_next(Fault::status("/v1/things", 503).retry_after(1));
//! // ... point the client under test at mock.base_url() ...
//! assert_eq!(mock.hits("/v1/things"), 2); // the 503, then the retry
//! # }
//! ```

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Request bodies up to this size reach the routes (uploads in tests are a few MiB).
const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// A running mock; stops when dropped.
pub struct MockGoogle {
    base_url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

/// One request the mock received (before any fault or route answered it).
#[derive(Debug, Clone)]
pub struct Seen {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// The request's headers.
    pub headers: HeaderMap,
    /// When it arrived (for tests that check back-off between attempts).
    pub at: Instant,
}

/// A scripted failure: the next request whose path starts with `path_prefix` gets this
/// answer (a Google error body) instead of reaching the routes. Faults are used in order.
#[derive(Debug, Clone)]
pub struct Fault {
    path_prefix: String,
    status: u16,
    reason: String,
    message: String,
    retry_after: Option<u64>,
}

impl Fault {
    /// Answer `status` (reason `backendError`) to the next request under `path_prefix`.
    pub fn status(path_prefix: &str, status: u16) -> Self {
        Self {
            path_prefix: path_prefix.to_owned(),
            status,
            reason: "backendError".to_owned(),
            message: "injected".to_owned(),
            retry_after: None,
        }
    }

    /// With this `errors[0].reason` (`rateLimitExceeded`, `authError`, ...).
    pub fn reason(mut self, reason: &str) -> Self {
        self.reason = reason.to_owned();
        self
    }

    /// With this message.
    pub fn message(mut self, message: &str) -> Self {
        self.message = message.to_owned();
        self
    }

    /// With a `Retry-After: <secs>` header.
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }

    fn answer(&self) -> Response {
        let mut response = google_error(self.status, &self.reason, &self.message);
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert("retry-after", HeaderValue::from(secs));
        }
        response
    }
}

#[derive(Default)]
struct Shared {
    seen: Mutex<Vec<Seen>>,
    faults: Mutex<Vec<Fault>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl MockGoogle {
    /// Serves `routes` on `127.0.0.1:<free port>`.
    pub async fn start(routes: Router) -> Self {
        crate::http::install_crypto();
        let shared = Arc::new(Shared::default());
        let state = shared.clone();
        let app = routes
            .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
            .layer(axum::middleware::from_fn(
                move |request: Request, next: Next| {
                    let shared = state.clone();
                    async move { record_then_fault(&shared, request, next).await }
                },
            ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free loopback port");
        let addr = listener.local_addr().expect("bound address");
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("the mock serves");
        });
        Self {
            base_url: format!("http://{addr}"),
            shared,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The absolute URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Queues `fault` after the ones already queued.
    pub fn fail_next(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Seen> {
        lock(&self.shared.seen).clone()
    }

    /// How many requests had exactly this path.
    pub fn hits(&self, path: &str) -> usize {
        lock(&self.shared.seen)
            .iter()
            .filter(|s| s.path == path)
            .count()
    }
}

impl Drop for MockGoogle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn record_then_fault(shared: &Shared, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    lock(&shared.seen).push(Seen {
        method: request.method().to_string(),
        path: path.clone(),
        query: request.uri().query().map(str::to_owned),
        headers: request.headers().clone(),
        at: Instant::now(),
    });
    let fault = {
        let mut faults = lock(&shared.faults);
        faults
            .iter()
            .position(|f| path.starts_with(&f.path_prefix))
            .map(|i| faults.remove(i))
    };
    match fault {
        Some(f) => f.answer(),
        None => next.run(request).await,
    }
}

/// Google's JSON error body (`{"error": {"code", "message", "status", "errors": [...]}}`) with
/// `status` as the HTTP status.
pub fn google_error(status: u16, reason: &str, message: &str) -> Response {
    let body = json!({"error": {
        "code": status,
        "message": message,
        "status": canonical_status(status),
        "errors": [{"domain": "global", "reason": reason, "message": message}],
    }});
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (code, axum::Json(body)).into_response()
}

/// The `google.rpc.Code` name Google sends beside an HTTP status.
fn canonical_status(status: u16) -> &'static str {
    match status {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        412 => "FAILED_PRECONDITION",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        500 => "INTERNAL",
        501 => "UNIMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "UNKNOWN",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;

    #[tokio::test]
    async fn records_requests_and_answers_faults_before_the_routes() {
        let mock = MockGoogle::start(Router::new().route("/v1/x", get(|| async { "ok" }))).await;
        mock.fail_next(
            Fault::status("/v1/", 429)
                .reason("rateLimitExceeded")
                .retry_after(2),
        );
        let http = crate::http::http();
        let first = http.get(mock.url("/v1/x?a=1")).send().await.unwrap();
        assert_eq!(first.status(), 429);
        assert_eq!(first.headers()["retry-after"], "2");
        let body: serde_json::Value = first.json().await.unwrap();
        assert_eq!(body["error"]["errors"][0]["reason"], "rateLimitExceeded");
        assert_eq!(body["error"]["status"], "RESOURCE_EXHAUSTED");
        let second = http.get(mock.url("/v1/x")).send().await.unwrap();
        assert_eq!(second.status(), 200);
        assert_eq!(second.text().await.unwrap(), "ok");
        assert_eq!(mock.hits("/v1/x"), 2);
        assert_eq!(mock.requests()[0].query.as_deref(), Some("a=1"));
    }
}
