//! The device authorization flow (RFC 8628): show a short code and a URL, poll the token
//! endpoint until the user approves elsewhere.

use std::time::Duration;

use super::InstalledFlow;
use crate::credentials::Credentials;
use crate::error::{Error, ErrorKind, Result};

/// What the user must be told: where to go and which code to enter.
#[derive(Debug, Clone)]
pub struct DevicePrompt {
    /// The page where the user enters the code.
    pub verification_url: String,
    /// The code to enter.
    pub user_code: String,
    /// A URL with the code filled in, when the server offers one.
    pub verification_url_complete: Option<String>,
    /// How long the code stays valid.
    pub expires_in: Duration,
}

/// A callback that shows the device prompt.
pub type PromptCallback = Box<dyn Fn(&DevicePrompt) + Send + Sync>;

/// Options of [`InstalledFlow::run_device`].
#[must_use = "builder methods return the changed value; use it"]
pub struct DeviceOptions {
    on_prompt: Option<PromptCallback>,
    default_interval: Duration,
    slow_down_step: Duration,
    timeout: Option<Duration>,
}

impl Default for DeviceOptions {
    fn default() -> Self {
        DeviceOptions {
            on_prompt: None,
            default_interval: Duration::from_secs(5),
            slow_down_step: Duration::from_secs(5),
            timeout: None,
        }
    }
}

impl std::fmt::Debug for DeviceOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceOptions")
            .field("default_interval", &self.default_interval)
            .field("slow_down_step", &self.slow_down_step)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl DeviceOptions {
    /// Defaults: print the prompt to stderr, poll every 5 s unless told otherwise.
    pub fn new() -> Self {
        Self::default()
    }

    /// Called once with the URL and user code to show.
    pub fn on_prompt(mut self, callback: PromptCallback) -> Self {
        self.on_prompt = Some(callback);
        self
    }

    /// Polling interval when the server does not send one (RFC 8628 default: 5 s).
    pub fn default_interval(mut self, interval: Duration) -> Self {
        self.default_interval = interval;
        self
    }

    /// How much `slow_down` adds to the interval (RFC 8628: 5 s).
    pub fn slow_down_step(mut self, step: Duration) -> Self {
        self.slow_down_step = step;
        self
    }

    /// Gives up after this long even if the code is still valid.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

/// The scopes Google's device flow grants (its "TVs and Limited Input devices" clients); any
/// other scope gets `invalid_scope` there.
pub(crate) const GOOGLE_DEVICE_SCOPES: &[&str] = &[
    "openid",
    "email",
    "profile",
    "https://www.googleapis.com/auth/userinfo.email",
    "https://www.googleapis.com/auth/userinfo.profile",
    "https://www.googleapis.com/auth/drive.appdata",
    "https://www.googleapis.com/auth/drive.file",
    "https://www.googleapis.com/auth/youtube",
    "https://www.googleapis.com/auth/youtube.readonly",
];

/// Whether `url` is one of Google's own OAuth hosts.
fn is_google_host(url: &url::Url) -> bool {
    url.host_str().is_some_and(|h| {
        let h = h.to_ascii_lowercase();
        h == "google.com"
            || h.ends_with(".google.com")
            || h == "googleapis.com"
            || h.ends_with(".googleapis.com")
    })
}

/// Refuses, before asking Google, scopes its device flow would refuse.
fn check_google_device_scopes(device_endpoint: &url::Url, scopes: &[String]) -> Result<()> {
    if !is_google_host(device_endpoint) {
        return Ok(());
    }
    let refused: Vec<&str> = scopes
        .iter()
        .map(String::as_str)
        .filter(|s| !GOOGLE_DEVICE_SCOPES.contains(s))
        .collect();
    if refused.is_empty() {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Config,
        format!(
            "Google's device flow does not allow {}; it grants only openid, email, profile, \
             drive.appdata, drive.file, youtube and youtube.readonly (and only to a \
             \"TVs and Limited Input devices\" client)",
            refused.join(", ")
        ),
    )
    .with_remedy(crate::error::Remedy::UseNoBrowserFlow))
}

impl InstalledFlow {
    /// Runs the device flow: requests a code, shows it, polls until approved, denied or expired.
    /// Against Google, scopes outside [`GOOGLE_DEVICE_SCOPES`] are refused before any request.
    /// A repeat consent that issued no refresh token is asked once more with `prompt=consent`
    /// ([`InstalledFlow::consent_retry`]).
    pub fn run_device(
        &self,
        options: DeviceOptions,
    ) -> crate::credentials::BoxFuture<'_, Result<Credentials>> {
        Box::pin(self.device(options))
    }

    async fn device(&self, options: DeviceOptions) -> Result<Credentials> {
        match self.device_once(&options).await {
            Err(e) => match self.consent_retry(&e) {
                Some(again) => again.device_once(&options).await,
                None => Err(e),
            },
            done => done,
        }
    }

    async fn device_once(&self, options: &DeviceOptions) -> Result<Credentials> {
        check_google_device_scopes(&self.resolved_endpoints()?.device, self.scopes())?;
        let client = self.token_client()?;
        let auth = client.device_authorization(self.scopes()).await?;
        let prompt = DevicePrompt {
            verification_url: auth.verification_url.clone(),
            user_code: auth.user_code.clone(),
            verification_url_complete: auth.verification_url_complete.clone(),
            expires_in: auth.expires_in,
        };
        match &options.on_prompt {
            Some(cb) => cb(&prompt),
            None => eprintln!(
                "To authorize this application, visit {} and enter the code {}",
                prompt.verification_url, prompt.user_code
            ),
        }
        let mut interval = auth.interval.unwrap_or(options.default_interval);
        let limit = options
            .timeout
            .map_or(auth.expires_in, |t| t.min(auth.expires_in));
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            if tokio::time::Instant::now() + interval > deadline {
                return Err(Error::new(
                    ErrorKind::DeviceCodeExpired,
                    "the device code expired before the login was approved",
                )
                .with_hint("start the login again and enter the code sooner"));
            }
            tokio::time::sleep(interval).await;
            match client.poll_device_token(&auth.device_code).await {
                Ok(response) => return self.finish(client, response).await,
                Err(e) => match e.oauth_error_code() {
                    Some("authorization_pending") => {
                        tracing::trace!("device flow: authorization pending");
                    }
                    Some("slow_down") => {
                        interval += options.slow_down_step;
                        tracing::debug!(
                            interval_s = interval.as_secs(),
                            "device flow: slowing down"
                        );
                    }
                    Some("expired_token") => {
                        return Err(Error::new(
                            ErrorKind::DeviceCodeExpired,
                            "the device code expired before the login was approved",
                        )
                        .with_oauth_code("expired_token")
                        .with_hint("start the login again and enter the code sooner"));
                    }
                    _ => return Err(e),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn google_device_scopes_are_checked_only_at_google() {
        let google = url::Url::parse(crate::protocol::endpoints::GOOGLE_DEVICE_URI).unwrap();
        let ok =
            crate::protocol::scopes::expand_scopes(["openid", "drive.file", "youtube.readonly"]);
        assert!(check_google_device_scopes(&google, &ok).is_ok());
        let bad = crate::protocol::scopes::expand_scopes(["email", "drive.readonly"]);
        let e = check_google_device_scopes(&google, &bad).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
        assert!(e.message().contains("drive.readonly"), "{}", e.message());
        assert!(e.message().contains("youtube.readonly"), "{}", e.message());
        assert_eq!(e.remedy(), Some(&crate::error::Remedy::UseNoBrowserFlow));
        assert!(e.hint().unwrap_or_default().contains("no-browser flow"));
        let other = url::Url::parse("http://127.0.0.1:8642/device/code").unwrap();
        assert!(check_google_device_scopes(&other, &bad).is_ok());
    }
}
