//! When to retry a failed request, and how long to wait first: the one retry policy of gapi.
//!
//! One [`RetryPolicy`] type and one decision ([`RetryPolicy::decide`]) serve every request
//! gapi sends: API calls, media transfers and batches (`gapi-client`'s retry engine) and the
//! OAuth token and credential requests (`gapi-auth`), so all of them behave the same way:
//! retry server errors (5xx), `429 Too Many Requests`, transport errors and `403` with the
//! reason `rateLimitExceeded` or `userRateLimitExceeded`; wait with exponential backoff and
//! full jitter, capped; honour `Retry-After`; and retry non-idempotent methods (POST,
//! PATCH) only when the caller opted in, because repeating them may create a second
//! resource. It sits in a crate of its own because `gapi-auth` and `gapi-client` both use
//! it and neither needs the other.
//!
//! ```
//! use std::time::Duration;
//! use gapi_retry::RetryPolicy;
//!
//! let policy = RetryPolicy::default();
//! // A 503 on the first attempt of an idempotent GET: wait, then retry.
//! assert!(policy.decide(1, Some(503), None, None, true).is_some());
//! // A 404 is final.
//! assert!(policy.decide(1, Some(404), None, None, true).is_none());
//! // A POST is not retried unless the policy allows it.
//! assert!(policy.decide(1, Some(503), None, None, false).is_none());
//! // Retry-After wins over the computed backoff.
//! let wait = policy.decide(1, Some(429), None, Some(Duration::from_secs(3)), true);
//! assert_eq!(wait, Some(Duration::from_secs(3)));
//! // Token requests: fewer, shorter waits (a person is waiting for the login).
//! assert_eq!(RetryPolicy::token_requests().max_attempts, 3);
//! ```
#![deny(missing_docs)]

pub mod atomic_file;
mod http_client;
pub use http_client::{DEFAULT_USER_AGENT, HttpClient, HttpClientBuilder, HttpClientError};

use std::time::{Duration, SystemTime};

use http::header::{HeaderMap, HeaderValue, RETRY_AFTER};

/// How many times to try a request and how long to wait between tries.
///
/// The defaults follow Google's client libraries: 5 attempts, a 1 s base
/// delay doubling on each retry, capped at 32 s, and at most 60 s taken
/// from a server's `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total number of attempts, the first one included (1 = never retry).
    pub max_attempts: u32,
    /// Upper bound of the random wait before the first retry; doubles for each further retry.
    pub base_delay: Duration,
    /// Cap of the computed backoff.
    pub max_delay: Duration,
    /// Cap of a wait requested by the server through `Retry-After`.
    pub max_retry_after: Duration,
    /// Retry methods that are not idempotent (POST, PATCH) too.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(32),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// The policy of OAuth token and credential requests (`gapi-auth`'s default): 3 attempts,
    /// 300 ms base delay capped at 5 s, at most 5 s from `Retry-After`. A person is usually
    /// waiting (a login, the first call of a command), so it gives up sooner than API calls.
    ///
    /// Token requests are POSTs, but `gapi-auth` sends them as safe to repeat (a grant
    /// creates nothing a second request could duplicate; a used authorization code answers
    /// `invalid_grant`, a clear error), so `retry_non_idempotent` does not apply to them.
    pub fn token_requests() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(300),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(5),
            retry_non_idempotent: false,
        }
    }

    /// A policy that never retries: the first failure is final.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets the total number of attempts (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the base and the cap of the exponential backoff.
    pub fn with_delays(mut self, base: Duration, max: Duration) -> Self {
        self.base_delay = base;
        self.max_delay = max.max(base);
        self
    }

    /// Sets the longest wait accepted from a `Retry-After` header.
    pub fn with_max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Allows (or forbids) retrying POST and PATCH requests.
    pub fn with_retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = allow;
        self
    }

    /// Decides whether attempt number `attempt` (1 = the first try), which
    /// failed with `status` (`None` = a transport error: connection refused
    /// or dropped, timeout), should be retried, and returns how long to
    /// wait first; `None` means the failure is final.
    ///
    /// `reason` is the API error's machine reason (`errors[0].reason`), used
    /// for 403 rate limits; `retry_after` is the server's `Retry-After`;
    /// `idempotent` is false for POST and PATCH.
    pub fn decide(
        &self,
        attempt: u32,
        status: Option<u16>,
        reason: Option<&str>,
        retry_after: Option<Duration>,
        idempotent: bool,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        if !idempotent && !self.retry_non_idempotent {
            return None;
        }
        if !is_retryable(status, reason) {
            return None;
        }
        match retry_after {
            Some(wait) => Some(wait.min(self.max_retry_after)),
            None => Some(self.backoff(attempt)),
        }
    }

    /// The randomised wait after attempt number `attempt` failed: uniform
    /// in `[0, min(max_delay, base_delay * 2^(attempt-1))]` ("full jitter").
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = attempt.saturating_sub(1).min(31);
        let ceiling = self
            .base_delay
            .checked_mul(1u32 << exp)
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(random_u64() % (nanos + 1).max(1))
    }
}

/// Whether a failure is worth retrying at all, whatever the method:
/// transport errors (`status == None`), 5xx, 429, and 403 whose reason is
/// `rateLimitExceeded` or `userRateLimitExceeded`.
pub fn is_retryable(status: Option<u16>, reason: Option<&str>) -> bool {
    match status {
        None => true,
        Some(429) => true,
        Some(s) if (500..600).contains(&s) => true,
        Some(403) => matches!(
            reason,
            Some("rateLimitExceeded") | Some("userRateLimitExceeded")
        ),
        Some(_) => false,
    }
}

/// Whether an HTTP method is idempotent (safe to send twice), per RFC 9110:
/// everything except POST and PATCH for our purposes.
pub fn is_idempotent_method(method: &str) -> bool {
    !(method.eq_ignore_ascii_case("POST") || method.eq_ignore_ascii_case("PATCH"))
}

/// Parses a `Retry-After` header: either a number of seconds or an HTTP
/// date (a date in the past gives zero). Returns `None` when malformed.
pub fn parse_retry_after(value: &HeaderValue) -> Option<Duration> {
    let text = value.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = text.parse::<f64>() {
        if seconds.is_finite() && seconds >= 0.0 {
            return Duration::try_from_secs_f64(seconds).ok();
        }
        return None;
    }
    let when = httpdate::parse_http_date(text).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Reads and parses the `Retry-After` header of a response, if any.
pub fn retry_after_from_headers(headers: &HeaderMap) -> Option<Duration> {
    headers.get(RETRY_AFTER).and_then(parse_retry_after)
}

/// A random number from the OS; falls back to the clock if the OS source
/// fails (jitter does not need cryptographic quality).
fn random_u64() -> u64 {
    getrandom::u64().unwrap_or_else(|_| {
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.subsec_nanos() as u64 ^ d.as_secs())
            .unwrap_or(0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast() -> RetryPolicy {
        RetryPolicy::default().with_delays(Duration::from_millis(10), Duration::from_millis(40))
    }

    #[test]
    fn retries_server_errors_rate_limits_and_transport_errors() {
        let p = fast();
        for status in [500, 502, 503, 504, 429] {
            assert!(
                p.decide(1, Some(status), None, None, true).is_some(),
                "{status}"
            );
        }
        assert!(p.decide(1, None, None, None, true).is_some());
        assert!(
            p.decide(1, Some(403), Some("rateLimitExceeded"), None, true)
                .is_some()
        );
        assert!(
            p.decide(1, Some(403), Some("userRateLimitExceeded"), None, true)
                .is_some()
        );
    }

    #[test]
    fn does_not_retry_client_errors() {
        let p = fast();
        for status in [400, 401, 404, 409, 412] {
            assert!(
                p.decide(1, Some(status), None, None, true).is_none(),
                "{status}"
            );
        }
        assert!(
            p.decide(1, Some(403), Some("forbidden"), None, true)
                .is_none()
        );
        assert!(p.decide(1, Some(403), None, None, true).is_none());
    }

    #[test]
    fn non_idempotent_only_when_opted_in() {
        let p = fast();
        assert!(p.decide(1, Some(503), None, None, false).is_none());
        assert!(p.decide(1, None, None, None, false).is_none());
        let p = p.with_retry_non_idempotent(true);
        assert!(p.decide(1, Some(503), None, None, false).is_some());
    }

    #[test]
    fn stops_after_max_attempts() {
        let p = fast().with_max_attempts(3);
        assert!(p.decide(1, Some(503), None, None, true).is_some());
        assert!(p.decide(2, Some(503), None, None, true).is_some());
        assert!(p.decide(3, Some(503), None, None, true).is_none());
        assert!(
            RetryPolicy::never()
                .decide(1, Some(503), None, None, true)
                .is_none()
        );
    }

    #[test]
    fn backoff_is_capped_and_grows() {
        let p =
            RetryPolicy::default().with_delays(Duration::from_millis(100), Duration::from_secs(1));
        for attempt in 1..40 {
            let d = p.backoff(attempt);
            let ceiling = Duration::from_millis(100 * (1u64 << (attempt - 1).min(20)))
                .min(Duration::from_secs(1));
            assert!(d <= ceiling, "attempt {attempt}: {d:?} > {ceiling:?}");
        }
        // Full jitter: over many draws of attempt 4 (ceiling 800 ms) some exceed 100 ms.
        assert!((0..200).any(|_| p.backoff(4) > Duration::from_millis(100)));
        // ...and they are not all equal.
        let first = p.backoff(4);
        assert!((0..200).any(|_| p.backoff(4) != first));
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let p = fast();
        assert_eq!(
            p.decide(1, Some(429), None, Some(Duration::from_secs(2)), true),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            p.decide(1, Some(503), None, Some(Duration::from_secs(3600)), true),
            Some(Duration::from_secs(60))
        );
    }

    #[test]
    fn parses_retry_after_seconds_and_dates() {
        assert_eq!(
            parse_retry_after(&HeaderValue::from_static("7")),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after(&HeaderValue::from_static(" 0 ")),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after(&HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        let future = SystemTime::now() + Duration::from_secs(120);
        let header = HeaderValue::from_str(&httpdate::fmt_http_date(future)).unwrap();
        let d = parse_retry_after(&header).unwrap();
        assert!(
            d > Duration::from_secs(110) && d <= Duration::from_secs(120),
            "{d:?}"
        );
        assert_eq!(parse_retry_after(&HeaderValue::from_static("soon")), None);
        assert_eq!(parse_retry_after(&HeaderValue::from_static("-5")), None);
    }

    #[test]
    fn idempotent_methods() {
        assert!(is_idempotent_method("GET"));
        assert!(is_idempotent_method("PUT"));
        assert!(is_idempotent_method("DELETE"));
        assert!(!is_idempotent_method("POST"));
        assert!(!is_idempotent_method("patch"));
    }
}
