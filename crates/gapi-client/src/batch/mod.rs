//! Batch requests: many calls in one `multipart/mixed` POST to `rootUrl + batchPath`
//! (e.g. `https://www.googleapis.com/batch/drive/v3`), that ride out quota.
//!
//! Each part is an `application/http` message; the answer's parts are mapped back
//! to request order. Parts answered `401` are sent again once, after a forced token refresh.
//! Parts that fail with 429, 5xx or a rate-limit 403 (`rateLimitExceeded`,
//! `userRateLimitExceeded`) are sent again, alone in later batches, after the retry policy's
//! backoff (or the part's `Retry-After`): never the parts that succeeded, and never a part
//! that is not safe to repeat (POST, PATCH) unless it carries an AIP-155 `requestId`
//! ([`fill_request_id`] sets one where the method takes it; [`Batch::execute_calls`] does it
//! for every call) or the caller opted in ([`Batch::retry_non_idempotent`]). An adaptive
//! throttle halves the parts per request and pauses when the server pushes back, and grows
//! back while it does not; [`Batch::max_concurrency`] and [`Batch::rate`] bound a job. Every
//! call ends exactly once, and the answers come in request order. Batches never carry media.
//!
//! ```no_run
//! # async fn demo(drive: gapi_client::Service) -> gapi_client::Result<()> {
//! use gapi_client::batch::Batch;
//! let calls = vec![
//!     drive.method("files.get")?.param("fileId", "a").prepare()?,
//!     drive.method("files.get")?.param("fileId", "b").prepare()?,
//! ];
//! let url = url::Url::parse(&drive.batch_url().unwrap()).unwrap();
//! let results = Batch::new(drive.transport(), url)
//!     .max_parts(100)
//!     .max_concurrency(2)
//!     .rate(50.0)
//!     .execute(&calls)
//!     .await?;
//! for r in results {
//!     match r {
//!         Ok(reply) => println!("{} {}", reply.status, reply.body),
//!         Err(e) => eprintln!("{e}"),
//!     }
//! }
//! # Ok(()) }
//! ```

mod for_service;
mod request_id;
mod throttle;
mod wire;

use std::collections::BTreeSet;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use http::Method;
use http::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde_json::Value;
use tokio::time::Instant;
use url::Url;

pub use request_id::{fill_request_id, has_request_id, new_request_id};
pub use throttle::{MAX_PAUSE, RateLimit, Throttle};

use crate::auth::Authorization;
use crate::error::Error;
use crate::method_call::{MethodCall, PreparedRequest, WireRequest};
use crate::retry::RetryPolicy;
use crate::transport::Transport;
use wire::{batch_error, encode_batch, random_id};
pub(crate) use wire::{boundary_of, map_responses, split_multipart};

/// One call's successful (2xx) answer inside a batch: its own status (200, 201 for a create
/// where the API says so, 204 for a delete), headers and JSON body (`{}` when empty).
#[derive(Debug, Clone)]
pub struct BatchReply {
    /// The part's HTTP status, as the API answered it (2xx).
    pub status: u16,
    /// The part's own response headers.
    pub headers: HeaderMap,
    /// The JSON body; `{}` when the part had none (a 204).
    pub body: Value,
}

/// What a batch answers for one call: its reply, or its own error.
pub type BatchResult = Result<BatchReply, Error>;

/// The most parts Google accepts in one batch.
pub const MAX_BATCH_PARTS: usize = 1000;

/// The most parts an API takes in one batch: Drive says 100, the others Google's 1000.
pub fn parts_limit(api: &str) -> usize {
    match api {
        "drive" => 100,
        _ => MAX_BATCH_PARTS,
    }
}

/// A batch endpoint, its limits and its pacing.
#[derive(Debug, Clone)]
#[must_use = "a batch does nothing until `.execute_calls(..).await`"]
pub struct Batch {
    transport: Transport,
    url: Url,
    max_parts: usize,
    max_concurrency: usize,
    rate: Option<f64>,
    retry: Option<RetryPolicy>,
    retry_non_idempotent: bool,
    adaptive: bool,
}

/// What happened to one sent group, for the scheduler.
struct Sent {
    parts: Vec<usize>,
    outcome: Result<Vec<BatchResult>, Error>,
}

impl Batch {
    /// A batch to `url` (`rootUrl + batchPath`) sent through `transport`.
    pub fn new(transport: &Transport, url: Url) -> Batch {
        Batch {
            transport: transport.clone(),
            url,
            max_parts: MAX_BATCH_PARTS,
            max_concurrency: 1,
            rate: None,
            retry: None,
            retry_non_idempotent: false,
            adaptive: true,
        }
    }

    /// Sets the per-API limit of parts in one batch (e.g. 100 for Drive); at most 1000.
    pub fn max_parts(mut self, n: usize) -> Batch {
        self.max_parts = n.clamp(1, MAX_BATCH_PARTS);
        self
    }

    /// At most `n` batch requests in flight at once (default 1).
    pub fn max_concurrency(mut self, n: usize) -> Batch {
        self.max_concurrency = n.max(1);
        self
    }

    /// At most `per_second` parts per second (retries included); ignored unless positive.
    pub fn rate(mut self, per_second: f64) -> Batch {
        self.rate = (per_second.is_finite() && per_second > 0.0).then_some(per_second);
        self
    }

    /// Retries failed parts as this policy says (default: the transport's).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Batch {
        self.retry = Some(policy);
        self
    }

    /// Also sends failed POST and PATCH parts again when they carry no request id: the
    /// caller knows a repeat creates nothing twice.
    pub fn retry_non_idempotent(mut self, yes: bool) -> Batch {
        self.retry_non_idempotent = yes;
        self
    }

    /// Turns the adaptive throttle on or off (default on).
    pub fn adaptive(mut self, yes: bool) -> Batch {
        self.adaptive = yes;
        self
    }

    /// Fills request ids ([`fill_request_id`]), prepares the calls and runs them as
    /// [`Batch::execute`] does; a call that does not prepare is an error before sending.
    pub async fn execute_calls(&self, calls: Vec<MethodCall>) -> Result<Vec<BatchResult>, Error> {
        let prepared = calls
            .into_iter()
            .map(|c| fill_request_id(c).prepare())
            .collect::<Result<Vec<_>, _>>()?;
        self.execute(&prepared).await
    }

    /// Sends the requests and returns one result per request, in request order, each
    /// after its retries. The outer `Err` is for the job as a whole (a batch request the
    /// server refused outright: not a batch endpoint, bad credentials); each inner `Err`
    /// is that call's own final error, each `Ok` its [`BatchReply`].
    pub async fn execute(&self, requests: &[PreparedRequest]) -> Result<Vec<BatchResult>, Error> {
        let n = requests.len();
        let policy = self.retry.unwrap_or(*self.transport.retry_policy());
        let safe: Vec<bool> = requests
            .iter()
            .map(|r| r.idempotent || self.retry_non_idempotent || has_request_id(r))
            .collect();
        let mut results: Vec<Option<BatchResult>> = (0..n).map(|_| None).collect();
        let mut attempts = vec![0u32; n];
        let mut ready: BTreeSet<usize> = (0..n).collect();
        let mut waiting: Vec<(Instant, usize)> = Vec::new();
        let mut throttle = Throttle::new(self.max_parts, self.adaptive);
        let mut rate = self.rate.map(RateLimit::new);
        let mut next_send = Instant::now();
        let mut in_flight = FuturesUnordered::new();
        loop {
            let now = Instant::now();
            waiting.retain(|(due, i)| {
                if *due <= now {
                    ready.insert(*i);
                    false
                } else {
                    true
                }
            });
            while in_flight.len() < self.max_concurrency && !ready.is_empty() {
                let group: Vec<usize> = ready.iter().take(throttle.size()).copied().collect();
                for i in &group {
                    ready.remove(i);
                    attempts[*i] += 1;
                }
                let mut start = next_send.max(Instant::now());
                if let Some(r) = rate.as_mut() {
                    start = start.max(r.reserve(group.len(), start));
                }
                next_send = start + throttle.pause();
                let reqs: Vec<PreparedRequest> =
                    group.iter().map(|&i| requests[i].clone()).collect();
                in_flight.push(async move {
                    tokio::time::sleep_until(start).await;
                    Sent {
                        outcome: self.send_group(&reqs).await,
                        parts: group,
                    }
                });
            }
            let next_due = waiting.iter().map(|(d, _)| *d).min();
            let sent = match (in_flight.is_empty(), next_due) {
                (true, None) => break,
                (true, Some(due)) => {
                    tokio::time::sleep_until(due).await;
                    continue;
                }
                (false, Some(due)) if in_flight.len() < self.max_concurrency => {
                    tokio::select! {
                        s = in_flight.next() => s,
                        () = tokio::time::sleep_until(due) => continue,
                    }
                }
                (false, _) => in_flight.next().await,
            };
            let Some(Sent { parts, outcome }) = sent else {
                continue;
            };
            let mut pushback = false;
            match outcome {
                Ok(answers) => {
                    for (i, answer) in parts.into_iter().zip(answers) {
                        match answer {
                            Err(e) => match retry_wait(&policy, &e, attempts[i], safe[i]) {
                                Some(wait) => {
                                    pushback = true;
                                    waiting.push((Instant::now() + wait, i));
                                }
                                None => results[i] = Some(Err(e)),
                            },
                            ok => results[i] = Some(ok),
                        }
                    }
                }
                Err(e) if !e.is_retryable() => return Err(e),
                Err(e) => {
                    // The batch request itself failed. A 429 refused it before any part ran:
                    // every part may go again; otherwise only the parts safe to repeat.
                    pushback = true;
                    let refused_whole = e.http_status() == Some(429);
                    for i in parts {
                        match retry_wait(&policy, &e, attempts[i], safe[i] || refused_whole) {
                            Some(wait) => waiting.push((Instant::now() + wait, i)),
                            None => results[i] = Some(Err(copy_error(&e))),
                        }
                    }
                }
            }
            throttle.record(pushback);
        }
        Ok(results
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                r.unwrap_or_else(|| Err(batch_error(format!("request {i} was never answered"))))
            })
            .collect())
    }

    /// One batch request, and its 401 parts once more after a forced refresh.
    async fn send_group(&self, requests: &[PreparedRequest]) -> Result<Vec<BatchResult>, Error> {
        let mut results = self.send_once(requests).await?;
        let unauthorized: Vec<usize> = results
            .iter()
            .enumerate()
            .filter(|(_, r)| matches!(r, Err(e) if e.http_status() == Some(401)))
            .map(|(i, _)| i)
            .collect();
        if !unauthorized.is_empty()
            && matches!(
                self.transport.authorize(false).await,
                Ok(Authorization::Bearer(_))
            )
        {
            // A 401 part was not run: it goes once more in a new batch.
            self.transport.authorize(true).await?;
            let retry: Vec<PreparedRequest> =
                unauthorized.iter().map(|&i| requests[i].clone()).collect();
            let again = self.send_once(&retry).await?;
            for (i, r) in unauthorized.into_iter().zip(again) {
                results[i] = r;
            }
        }
        Ok(results)
    }

    async fn send_once(&self, requests: &[PreparedRequest]) -> Result<Vec<BatchResult>, Error> {
        let id_base = random_id();
        let boundary = format!("batch_{}", random_id());
        let body = encode_batch(requests, &boundary, &id_base)?;
        let content_type = HeaderValue::from_str(&format!("multipart/mixed; boundary={boundary}"))
            .map_err(|_| Error::invalid_argument("invalid batch boundary"))?;
        let idempotent = requests.iter().all(|r| r.idempotent);
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, content_type);
        let wire = WireRequest {
            method: Method::POST,
            url: self.url.clone(),
            headers,
            body: Some(bytes::Bytes::from(body)),
        };
        let resp = self.transport.send_read(&wire, idempotent).await?;
        let content_type = resp
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let resp_boundary = boundary_of(&content_type).ok_or_else(|| {
            Error::invalid_argument(format!(
                "the batch response is not multipart/mixed (Content-Type {content_type:?}); does this API support batch at {}?",
                self.url
            ))
        })?;
        let parts = split_multipart(&resp.body, &resp_boundary)?;
        Ok(map_responses(parts, requests.len(), &id_base))
    }
}

/// How long to wait before sending a failed part again, or `None` when its error is final:
/// the policy's decision for this attempt (429, 5xx, rate-limit 403s; `safe` parts only),
/// the part's `Retry-After` winning over the backoff.
fn retry_wait(policy: &RetryPolicy, e: &Error, attempt: u32, safe: bool) -> Option<Duration> {
    let api = e.api();
    let status = e.http_status();
    if status.is_none() && !e.is_network() {
        return None;
    }
    policy.decide(
        attempt,
        status,
        api.and_then(|a| a.reason.as_deref()),
        api.and_then(|a| a.retry_after),
        safe,
    )
}

/// The same error for another part (errors are not `Clone`).
fn copy_error(e: &Error) -> Error {
    match e.api() {
        Some(api) => Error::from_api(api.clone()),
        None => Error::from(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            format!("the batch request failed: {e}"),
        )),
    }
}
