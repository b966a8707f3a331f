//! Fault injection: rules set through the control API make the next N matching requests fail
//! with a status (and `Retry-After`), stall, or lose their connection part-way through a body.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::framework::api_error::ApiError;
use crate::framework::conn::ConnInfo;

use super::Shared;

/// Which requests a rule applies to; every given field must match.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Matcher {
    /// HTTP method, case-insensitive.
    #[serde(default)]
    pub method: Option<String>,
    /// Prefix of the path (`/drive/v3/files`).
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// Substring of the raw query (`uploadType=resumable`).
    #[serde(default)]
    pub query_contains: Option<String>,
    /// `true`: only the parts of batch requests; `false`: only requests that are not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_part: Option<bool>,
}

/// What happens to a matching request. `stall_ms` may be combined with one of the others.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Action {
    /// Answer with this status and a Google error body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `Retry-After` seconds sent with `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// Wait this long before handling (or failing) the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stall_ms: Option<u64>,
    /// Requests with a body: read this many bytes of it, then close the connection without an
    /// answer. Requests without a body: send this many bytes of the response body, then close.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_after_bytes: Option<u64>,
    /// With `status`: Google's reason to answer (`rateLimitExceeded`, `userRateLimitExceeded`,
    /// `quotaExceeded`, `dailyLimitExceeded`, `backendError`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Only this share (1-100) of the matching requests is affected, chosen by a
    /// deterministic draw from `seed` and the request's position among the matching ones;
    /// `times` then counts affected requests only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<u8>,
    /// Seed of the `percent` draw (default 0): the same seed and order, the same requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// A rule as posted to `POST /__emulator/faults`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaultSpec {
    #[serde(rename = "match", default)]
    pub matcher: Matcher,
    /// How many matching requests are affected (default 1).
    #[serde(default = "one")]
    pub times: u32,
    pub action: Action,
}

fn one() -> u32 {
    1
}

/// The active rules.
#[derive(Debug)]
pub(crate) struct Faults {
    pub rules: Vec<FaultRule>,
    pub next_id: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            rules: Vec::new(),
            next_id: 1,
        }
    }
}

/// An active rule.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FaultRule {
    pub id: u64,
    #[serde(flatten)]
    pub spec: FaultSpec,
    /// Matching requests still to affect.
    pub remaining: u32,
    /// Matching requests seen so far (the position used by `percent`).
    pub seen: u64,
}

impl FaultSpec {
    /// Rejects rules that would do nothing or cannot be honoured.
    pub(crate) fn validate(&self) -> Result<(), String> {
        let a = &self.action;
        if self.times == 0 {
            return Err("times must be at least 1".into());
        }
        if a.status.is_some() && a.drop_after_bytes.is_some() {
            return Err("choose either status or drop_after_bytes, not both".into());
        }
        if a.status.is_none() && a.stall_ms.is_none() && a.drop_after_bytes.is_none() {
            return Err("the action needs status, stall_ms or drop_after_bytes".into());
        }
        if let Some(s) = a.status
            && !(400..=599).contains(&s)
        {
            return Err(format!("status {s} is not an error status (use 400-599)"));
        }
        if a.retry_after.is_some() && a.status.is_none() {
            return Err("retry_after only goes with status".into());
        }
        if a.stall_ms.is_some_and(|ms| ms > 600_000) {
            return Err("stall_ms is limited to 600000 (10 minutes)".into());
        }
        if a.percent.is_some_and(|p| !(1..=100).contains(&p)) {
            return Err("percent is a share of requests from 1 to 100".into());
        }
        if a.seed.is_some() && a.percent.is_none() {
            return Err("seed only goes with percent".into());
        }
        if let Some(r) = &a.reason {
            if a.status.is_none() {
                return Err("reason only goes with status".into());
            }
            const REASONS: &[&str] = &[
                "rateLimitExceeded",
                "userRateLimitExceeded",
                "quotaExceeded",
                "dailyLimitExceeded",
                "backendError",
            ];
            if !REASONS.contains(&r.as_str()) {
                return Err(format!("reason must be one of {}", REASONS.join(", ")));
            }
        }
        Ok(())
    }

    fn matches(&self, request: &Request) -> bool {
        let m = &self.matcher;
        m.method
            .as_deref()
            .is_none_or(|x| x.eq_ignore_ascii_case(request.method().as_str()))
            && m.path_prefix
                .as_deref()
                .is_none_or(|p| request.uri().path().starts_with(p))
            && m.query_contains
                .as_deref()
                .is_none_or(|q| request.uri().query().unwrap_or("").contains(q))
            && m.batch_part.is_none_or(|want| {
                want == request
                    .extensions()
                    .get::<crate::framework::batch::BatchPart>()
                    .is_some()
            })
    }
}

/// Whether the `position`-th matching request falls in the `percent` share for `seed`
/// (splitmix64, so a test can predict it).
pub(crate) fn drawn(seed: u64, position: u64, percent: u8) -> bool {
    let mut z = seed ^ position.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    z % 100 < u64::from(percent)
}

/// Takes the first matching rule's action (a `percent` rule only for its share), counting
/// it down.
fn take_action(state: &Shared, request: &Request) -> Option<Action> {
    let mut faults = state.faults.write();
    let mut index = None;
    for (i, rule) in faults.rules.iter_mut().enumerate() {
        if !rule.spec.matches(request) {
            continue;
        }
        let position = rule.seen;
        rule.seen += 1;
        if let Some(percent) = rule.spec.action.percent
            && !drawn(rule.spec.action.seed.unwrap_or(0), position, percent)
        {
            continue;
        }
        index = Some(i);
        break;
    }
    let index = index?;
    let rule = &mut faults.rules[index];
    let action = rule.spec.action.clone();
    rule.remaining = rule.remaining.saturating_sub(1);
    if rule.remaining == 0 {
        faults.rules.remove(index);
    }
    Some(action)
}

/// Middleware applying the rules to everything except the control API.
pub(crate) async fn inject(State(state): State<Shared>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/__emulator/") {
        return next.run(request).await;
    }
    let Some(action) = take_action(&state, &request) else {
        return next.run(request).await;
    };
    if let Some(ms) = action.stall_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    if let Some(status) = action.status {
        return ApiError::injected_with(status, action.retry_after, action.reason.as_deref())
            .into_response();
    }
    let Some(limit) = action.drop_after_bytes else {
        return next.run(request).await;
    };
    let Some(conn) = request.extensions().get::<ConnInfo>().cloned() else {
        return next.run(request).await;
    };
    if has_body(&request) {
        drop_request_body(request.into_body(), limit, &conn).await
    } else {
        truncate_response(next.run(request).await, limit, conn).await
    }
}

fn has_body(request: &Request) -> bool {
    let headers = request.headers();
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .is_some_and(|n| n > 0)
}

/// Reads `limit` bytes of the body (discarding them), then aborts the connection.
async fn drop_request_body(body: Body, limit: u64, conn: &ConnInfo) -> Response {
    use http_body_util::BodyExt;
    let mut body = body;
    let mut seen: u64 = 0;
    while seen < limit {
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Some(data) = frame.data_ref() {
                    seen += data.len() as u64;
                }
            }
            _ => break,
        }
    }
    conn.abort.notify_one();
    std::future::pending::<Response>().await
}

/// Sends the first `limit` bytes of the response body, then aborts the connection.
async fn truncate_response(response: Response, limit: u64, conn: ConnInfo) -> Response {
    let (mut parts, body) = response.into_parts();
    let full: Bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let cut = usize::try_from(limit).unwrap_or(usize::MAX).min(full.len());
    let head = full.slice(..cut);
    parts.headers.insert(
        header::CONTENT_LENGTH,
        header::HeaderValue::from(full.len()),
    );
    let first = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(head) });
    let then_abort = futures_util::stream::once(async move {
        // Give hyper a moment to flush the bytes already sent, then cut the connection.
        tokio::time::sleep(Duration::from_millis(50)).await;
        conn.abort.notify_one();
        std::future::pending::<Result<Bytes, std::io::Error>>().await
    });
    use futures_util::StreamExt;
    Response::from_parts(parts, Body::from_stream(first.chain(then_abort)))
}
