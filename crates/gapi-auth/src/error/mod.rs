//! The crate's single error type, with predicates callers can branch on, a [`Remedy`] saying
//! as data what the user should do, and a hint in words that name no program.
//!
//! An error prints once: `Display` is the message alone, whatever caused it included (an I/O
//! or network failure is said in the message, never also returned from `source()`), and the
//! hint is data ([`Error::hint`], [`Error::remedy`]) for the application to say in its own
//! words, after the causes.

mod diagnose;
mod remedy;

pub use diagnose::{Cause, Diagnosis, TESTING_MODE_LIFETIME};
pub(crate) use diagnose::{Refusal, diagnose_refresh_failure};
pub use remedy::Remedy;

use std::fmt;

/// The error of a credential kind this build leaves out: `kind` is the credential file type
/// (`service_account`, `impersonated_service_account`, ...), named with the feature to turn on.
#[cfg(not(feature = "service-accounts"))]
pub(crate) fn needs_service_accounts(kind: &str) -> Error {
    Error::new(
        ErrorKind::Config,
        format!(
            "{kind} credentials need gapi's `service-accounts` feature (gapi-auth's \
             `service-accounts`), which this program was built without; add it to the gapi \
             dependency's features in Cargo.toml"
        ),
    )
}

/// Broad category of an [`Error`]; use the predicates on `Error` for most decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Client secrets or options are missing or malformed.
    Config,
    /// Reading or writing a local file failed.
    Io,
    /// A stored credentials file is malformed or of an unsupported type.
    Store,
    /// The network request failed (connection, TLS, timeout while talking to a server).
    Transport,
    /// The authorization or token endpoint answered with an OAuth error.
    OAuth,
    /// The server answered with something that is not a valid OAuth response.
    InvalidResponse,
    /// An endpoint uses plain http on a non-loopback host without an explicit opt-in.
    InsecureTransport,
    /// The user (or an admin policy) refused consent.
    AccessDenied,
    /// The redirect carried a `state` that does not match the request (possible CSRF).
    StateMismatch,
    /// Waiting for the user took longer than allowed.
    Timeout,
    /// The server refused the out-of-band (`urn:ietf:wg:oauth:2.0:oob`) redirect.
    OobRefused,
    /// No usable refresh token: an interactive login is needed.
    LoginRequired,
    /// The device code expired before the user approved.
    DeviceCodeExpired,
    /// A login issued no refresh token and the stored one cannot be kept (another account or
    /// client, or no way to tell): ask again with `prompt=consent`.
    ConsentRequired,
}

/// OAuth error codes meaning the stored grant is unusable and the user must log in again.
const LOGIN_CODES: &[&str] = &["invalid_grant", "invalid_token", "unauthorized_client"];

/// The error type of every fallible operation in `gapi-auth`.
///
/// Messages never contain secrets (codes, tokens, client secrets, verifiers).
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    message: String,
    hint: Option<String>,
    remedy: Option<Remedy>,
    oauth_code: Option<String>,
    status: Option<u16>,
    retryable: bool,
    oauth_subtype: Option<String>,
    diagnosis: Option<Diagnosis>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                hint: None,
                remedy: None,
                oauth_code: None,
                status: None,
                retryable: false,
                oauth_subtype: None,
                diagnosis: None,
            }),
        }
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.inner.hint = Some(hint.into());
        self
    }

    /// Says, as data, what fixes this error (the application words it).
    pub(crate) fn with_remedy(mut self, remedy: Remedy) -> Self {
        self.inner.remedy = Some(remedy);
        self
    }

    /// The same error with another message (keeping kind, hint and remedy; for adding the file
    /// name).
    pub(crate) fn with_message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = message.into();
        self
    }

    pub(crate) fn with_oauth_code(mut self, code: impl Into<String>) -> Self {
        self.inner.oauth_code = Some(code.into());
        self
    }

    pub(crate) fn with_oauth_subtype(mut self, subtype: impl Into<String>) -> Self {
        self.inner.oauth_subtype = Some(subtype.into());
        self
    }

    /// Attaches what a failed refresh most likely means; its explanation becomes the hint.
    pub(crate) fn with_diagnosis(mut self, diagnosis: Diagnosis) -> Self {
        self.inner.hint = Some(diagnosis.explanation());
        self.inner.diagnosis = Some(diagnosis);
        self
    }

    pub(crate) fn with_status(mut self, status: u16) -> Self {
        self.inner.status = Some(status);
        self
    }

    pub(crate) fn retryable(mut self, retryable: bool) -> Self {
        self.inner.retryable = retryable;
        self
    }

    /// When this error means a new login is needed, says so as the remedy, replacing the
    /// hint (a diagnosis keeps its explanation as the hint's context).
    pub(crate) fn with_login_remedy(mut self, profile: Option<String>) -> Self {
        let diagnosed = self.inner.diagnosis.is_some();
        if diagnosed || self.needs_login() {
            if !diagnosed {
                self.inner.hint = None;
            }
            self.inner.remedy = Some(Remedy::LogInAgain {
                profile,
                client_secrets_needed: false,
                prompt_consent: false,
            });
        }
        self
    }

    /// An I/O failure, said in the message (`context: the reason`).
    pub(crate) fn io(context: impl Into<String>, err: std::io::Error) -> Self {
        let message = format!("{}: {err}", context.into());
        Error::new(ErrorKind::Io, message)
    }

    /// The broad category of this error.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The human-readable message, without the hint (what `Display` prints).
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// What the user should do next, if we know, in words that name no program: the
    /// [`Error::hint_context`] and the [`Error::remedy`] together (the text after `hint:`).
    pub fn hint(&self) -> Option<String> {
        match (&self.inner.hint, &self.inner.remedy) {
            (Some(h), Some(r)) => Some(format!("{h}; {r}")),
            (Some(h), None) => Some(h.clone()),
            (None, Some(r)) => Some(r.to_string()),
            (None, None) => None,
        }
    }

    /// The part of the hint that is not the remedy: why it happened or what to check.
    pub fn hint_context(&self) -> Option<&str> {
        self.inner.hint.as_deref()
    }

    /// What fixes this error, as data, for the application to word in its own commands
    /// (`None` when no action of the user is known to help).
    pub fn remedy(&self) -> Option<&Remedy> {
        self.inner.remedy.as_ref()
    }

    /// True when the stored grant is unusable (expired or revoked refresh token, no refresh
    /// token): the user must log in again.
    pub fn needs_login(&self) -> bool {
        self.inner.kind == ErrorKind::LoginRequired
            || self
                .oauth_error_code()
                .is_some_and(|code| LOGIN_CODES.contains(&code))
    }

    /// True when a login must be asked again with `prompt=consent` to get a refresh token.
    pub fn needs_consent(&self) -> bool {
        self.inner.kind == ErrorKind::ConsentRequired
    }

    /// True when a local file could not be read or written (not an authorization problem).
    pub fn is_io(&self) -> bool {
        self.inner.kind == ErrorKind::Io
    }

    /// True when the user or an admin policy refused consent.
    pub fn is_access_denied(&self) -> bool {
        self.inner.kind == ErrorKind::AccessDenied
            || matches!(
                self.oauth_error_code(),
                Some("access_denied" | "admin_policy_enforced")
            )
    }

    /// True when waiting for the user or the server took too long.
    pub fn is_timeout(&self) -> bool {
        self.inner.kind == ErrorKind::Timeout || self.inner.kind == ErrorKind::DeviceCodeExpired
    }

    /// True when the same request may succeed later (5xx, 429, transport failures).
    pub fn is_retryable(&self) -> bool {
        self.inner.retryable
    }

    /// The OAuth `error` code returned by the server (`invalid_grant`, `access_denied`, ...).
    pub fn oauth_error_code(&self) -> Option<&str> {
        self.inner.oauth_code.as_deref()
    }

    /// The OAuth `error_subtype` Google adds to some errors (`invalid_rapt`: the organisation
    /// requires signing in again).
    pub fn oauth_error_subtype(&self) -> Option<&str> {
        self.inner.oauth_subtype.as_deref()
    }

    /// Why a refresh failed, when it could be told (see [`Diagnosis`]).
    pub fn diagnosis(&self) -> Option<&Diagnosis> {
        self.inner.diagnosis.as_ref()
    }

    /// The HTTP status of the server response that caused this error, if any.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }
}

/// The message alone: the hint is data ([`Error::hint`]), said by the application after the
/// causes, so an error wrapped by another is never followed by its hint in the middle of a
/// report.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.inner.kind)
            .field("message", &self.inner.message);
        if let Some(code) = &self.inner.oauth_code {
            d.field("oauth_code", code);
        }
        if let Some(status) = self.inner.status {
            d.field("status", &status);
        }
        if let Some(hint) = &self.inner.hint {
            d.field("hint", hint);
        }
        if let Some(remedy) = &self.inner.remedy {
            d.field("remedy", remedy);
        }
        d.finish()
    }
}

/// No `source()`: what caused the error is already in its message.
impl std::error::Error for Error {}

/// Shorthand used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predicates_follow_oauth_code() {
        let e = Error::new(ErrorKind::OAuth, "refused").with_oauth_code("invalid_grant");
        assert!(e.needs_login());
        assert!(!e.is_access_denied());
        let e = Error::new(ErrorKind::OAuth, "refused").with_oauth_code("access_denied");
        assert!(e.is_access_denied());
        assert!(!e.needs_login());
    }

    #[test]
    fn display_is_the_message_and_the_hint_is_data_naming_no_program() {
        let e = Error::new(ErrorKind::LoginRequired, "no refresh token")
            .with_login_remedy(Some("work".into()));
        assert_eq!(
            e.remedy(),
            Some(&Remedy::LogInAgain {
                profile: Some("work".into()),
                client_secrets_needed: false,
                prompt_consent: false,
            })
        );
        assert_eq!(e.to_string(), "no refresh token", "no hint in Display");
        assert_eq!(e.hint().as_deref(), Some("log in again to profile `work`"));
        assert!(std::error::Error::source(&e).is_none());
        // The remedy replaces an older hint; a hint with a remedy says both.
        let e = Error::new(ErrorKind::OAuth, "refused")
            .with_oauth_code("invalid_grant")
            .with_hint("check the clock")
            .with_login_remedy(None);
        assert_eq!(e.hint_context(), None);
        assert_eq!(e.hint().as_deref(), Some("log in again"));
        let e = e.with_hint("the grant was revoked");
        assert_eq!(e.hint_context(), Some("the grant was revoked"));
        assert_eq!(
            e.hint().as_deref(),
            Some("the grant was revoked; log in again")
        );
        // Not a login problem: no login remedy is added.
        let e = Error::new(ErrorKind::Transport, "down").with_login_remedy(None);
        assert!(e.remedy().is_none() && e.hint().is_none());
    }

    /// Every remedy's library wording names no program (the application words its commands).
    #[test]
    fn no_remedy_names_a_program() {
        let all = [
            Remedy::LogIn {
                profile: Some("p".into()),
                client_secrets_needed: true,
            },
            Remedy::LogInAgain {
                profile: Some("p".into()),
                client_secrets_needed: true,
                prompt_consent: true,
            },
            Remedy::ReplaceByLogIn {
                profile: None,
                client_secrets_needed: true,
            },
            Remedy::RemoveAndLogIn {
                path: "/x/y.json".into(),
                profile: None,
                client_secrets_needed: false,
            },
            Remedy::LogInOrCreateAdc {
                client_secrets_needed: true,
            },
            Remedy::ProvideCredentials,
            Remedy::UseNoBrowserFlow,
            Remedy::ChooseAnotherPort,
            Remedy::FinishConsentSooner,
            Remedy::UseLoopbackFlow,
        ];
        for r in all {
            let e = Error::new(ErrorKind::LoginRequired, "m").with_remedy(r.clone());
            let text = e.hint().unwrap();
            assert!(!text.contains("gapi"), "{r:?}: {text}");
            assert_eq!(text, r.to_string());
            assert_eq!(e.to_string(), "m");
        }
    }

    /// An I/O failure is said once, in the message; nothing else is returned as its source.
    #[test]
    fn io_errors_say_their_cause_once() {
        let e = Error::io(
            "cannot read /x",
            std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied"),
        );
        assert_eq!(e.to_string(), "cannot read /x: denied");
        assert!(std::error::Error::source(&e).is_none());
    }
}
