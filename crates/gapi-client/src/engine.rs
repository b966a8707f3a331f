//! The one retry engine: every request gapi-client sends with retries (plain calls, batches,
//! media transfers) goes through [`execute`], so they all follow one
//! [`crate::RetryPolicy`]: credentials on every attempt, one token refresh after a 401 (not
//! counted as a retry), waits from the policy or the server's `Retry-After`, and a body cut
//! off mid-way counted as a failed attempt like a dropped connection.
//!
//! The resumable upload and the download resume loops build on it: each of their requests
//! goes through here, and they decide only how to continue (from which byte) after a failure.

use reqwest::{RequestBuilder, Response};

use crate::auth::Authorization;
use crate::error::{ApiError, Error, redact_url};
use crate::retry::{RetryPolicy, retry_after_from_headers};

/// What the engine needs of the one who sends (the transport): credentials for each attempt,
/// the standard headers, and the retry policy. A trait, so the engine knows nothing else of
/// the transport and the transport alone calls the engine.
pub(crate) trait Sender: Sync {
    /// What to attach to one attempt (`force` after a 401: a refreshed token).
    fn authorize(
        &self,
        force: bool,
    ) -> impl std::future::Future<Output = Result<Authorization, Error>> + Send;
    /// The request with the standard headers and `auth` added.
    fn decorate(&self, rb: RequestBuilder, auth: &Authorization) -> RequestBuilder;
    /// When to try again.
    fn retry_policy(&self) -> &RetryPolicy;
}

/// The one retry engine: every request gapi-client sends with retries (plain calls,
/// batches, media) goes through here, so they all follow one [`RetryPolicy`].
///
/// `build` makes the request for each attempt (on `http`); `finish` turns a successful
/// (< 400) response into the result, typically by reading its body. An
/// network error ([`Error::is_network`]) from `finish` (the connection dropped mid-body) counts as a
/// failed attempt, like a connection refused; any other error from it is final.
pub(crate) async fn execute<S, T, B, F, Fut>(
    transport: &S,
    http: &reqwest::Client,
    build: B,
    idempotent: bool,
    finish: F,
) -> Result<T, Error>
where
    S: Sender,
    B: Fn(&reqwest::Client) -> Result<RequestBuilder, Error>,
    F: Fn(Response) -> Fut,
    Fut: std::future::Future<Output = Result<T, Error>>,
{
    let mut attempt: u32 = 0;
    let mut refreshed = false;
    let mut force = false;
    loop {
        attempt += 1;
        let auth = transport.authorize(force).await?;
        force = false;
        let rb = transport.decorate(build(http)?, &auth);
        let (err, status, reason, retry_after) = match rb.send().await {
            Err(e) => {
                let err = Error::from(e);
                if !err.is_retryable() {
                    return Err(err);
                }
                (err, None, None, None)
            }
            Ok(resp) if resp.status().as_u16() < 400 => match finish(resp).await {
                Ok(v) => return Ok(v),
                Err(err) if err.is_network() => (err, None, None, None),
                Err(err) => return Err(err),
            },
            Ok(resp) => {
                let status = resp.status().as_u16();
                if status == 401 && !refreshed && matches!(auth, Authorization::Bearer(_)) {
                    refreshed = true;
                    force = true;
                    attempt -= 1; // a refresh is not a retry
                    tracing::debug!("401: refreshing the access token once");
                    continue;
                }
                let mut api = api_error(resp).await;
                api.credentials_sent = !matches!(auth, Authorization::None);
                let reason = api.reason.clone();
                let retry_after = api.retry_after;
                (Error::from_api(api), Some(status), reason, retry_after)
            }
        };
        match transport.retry_policy().decide(
            attempt,
            status,
            reason.as_deref(),
            retry_after,
            idempotent,
        ) {
            Some(wait) => {
                tracing::debug!(attempt, ?status, ?wait, "request failed, retrying: {err}");
                tokio::time::sleep(wait).await;
            }
            None => return Err(err),
        }
    }
}

/// Reads an error response into Google's error model (with `Retry-After`).
pub(crate) async fn api_error(resp: Response) -> ApiError {
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let url = redact_url(resp.url());
    let body = resp.bytes().await.unwrap_or_default();
    let mut api = ApiError::from_parts(status, &headers, Some(url), &body);
    if api.retry_after.is_none() {
        api.retry_after = retry_after_from_headers(&headers);
    }
    api
}
