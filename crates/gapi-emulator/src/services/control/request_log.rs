//! A log of recent requests for clients' tests (`GET /__emulator/requests`). Secrets never
//! appear in it: tokens, codes and client secrets are replaced by a short SHA-256 fingerprint.

use std::collections::{BTreeMap, VecDeque};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;

use crate::framework::conn::ConnInfo;
use crate::framework::random::fingerprint;

use super::Shared;
use crate::framework::time::{now_ms, rfc3339};

/// How many requests the log keeps.
const CAPACITY: usize = 1000;

/// Headers worth recording (lower-case).
const RECORDED_HEADERS: &[&str] = &[
    "authorization",
    "content-type",
    "content-length",
    "content-range",
    "range",
    "user-agent",
    "accept",
    "accept-encoding",
    "if-none-match",
    "x-goog-api-client",
    "x-goog-user-project",
    "x-goog-api-version",
    "x-upload-content-type",
    "x-upload-content-length",
    "x-guploader-no-308",
];

/// Query parameters and form-like values that must not be logged in clear.
const SECRET_PARAMS: &[&str] = &[
    "access_token",
    "token",
    "refresh_token",
    "code",
    "client_secret",
    "code_verifier",
    "device_code",
    "key",
    "upload_id",
];

/// The recent requests, oldest first.
#[derive(Debug)]
pub(crate) struct RequestLog {
    pub entries: VecDeque<LoggedRequest>,
    pub next_id: u64,
}

impl Default for RequestLog {
    fn default() -> Self {
        Self {
            entries: VecDeque::new(),
            next_id: 1,
        }
    }
}

/// One logged request.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LoggedRequest {
    pub id: u64,
    pub time: String,
    pub method: String,
    pub path: String,
    /// Decoded query parameters in order, secrets fingerprinted.
    pub query: Vec<(String, String)>,
    pub headers: BTreeMap<String, String>,
    /// Response status; `null` if the connection was dropped before answering.
    pub status: Option<u16>,
    pub peer: Option<String>,
}

fn redact_query(raw: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.as_bytes())
        .map(|(k, v)| {
            let v = if SECRET_PARAMS.contains(&k.as_ref()) {
                fingerprint(&v)
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect()
}

fn redact_header(name: &str, value: &str) -> String {
    if name != "authorization" {
        return value.to_owned();
    }
    match value.split_once(' ') {
        Some((scheme, secret)) => format!("{scheme} {}", fingerprint(secret.trim())),
        None => fingerprint(value),
    }
}

/// Middleware: records the request, runs it, records the status.
pub(crate) async fn record(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let control = request.uri().path().starts_with("/__emulator/");
    let id = if control {
        None
    } else {
        let headers = request
            .headers()
            .iter()
            .filter(|(name, _)| RECORDED_HEADERS.contains(&name.as_str()))
            .map(|(name, value)| {
                let text = String::from_utf8_lossy(value.as_bytes());
                (
                    name.as_str().to_owned(),
                    redact_header(name.as_str(), &text),
                )
            })
            .collect();
        let entry = LoggedRequest {
            id: 0,
            time: rfc3339(now_ms()),
            method: request.method().as_str().to_owned(),
            path: request.uri().path().to_owned(),
            query: redact_query(request.uri().query().unwrap_or("")),
            headers,
            status: None,
            peer: request
                .extensions()
                .get::<ConnInfo>()
                .map(|c| c.peer.to_string()),
        };
        let mut log = state.log.write();
        let id = log.next_id;
        log.next_id += 1;
        log.entries.push_back(LoggedRequest { id, ..entry });
        while log.entries.len() > CAPACITY {
            log.entries.pop_front();
        }
        Some(id)
    };
    let response = next.run(request).await;
    if let Some(id) = id {
        let mut log = state.log.write();
        if let Some(entry) = log.entries.iter_mut().rev().find(|e| e.id == id) {
            entry.status = Some(response.status().as_u16());
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_fingerprinted() {
        let q = redact_query("access_token=ya29.secret&pageSize=5");
        assert_eq!(q[1], ("pageSize".to_owned(), "5".to_owned()));
        assert!(q[0].1.starts_with("sha256:"));
        assert!(!q[0].1.contains("secret"));
        let h = redact_header("authorization", "Bearer ya29.secret");
        assert!(h.starts_with("Bearer sha256:"), "{h}");
        assert!(!h.contains("secret"));
    }
}
