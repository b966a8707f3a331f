//! How a service gets its credentials: a small trait, so the client works with gapi's OAuth
//! credentials, an API key, a fixed token, or nothing at all.

use std::fmt;
use std::sync::Arc;

use futures_util::future::BoxFuture;

use crate::error::Error;

/// A string that must never be printed: `Debug` and `Display` show `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps a secret value.
    pub fn new(s: impl Into<String>) -> Self {
        SecretString(s.into())
    }
    /// The secret itself, for putting on the wire.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for SecretString {
    fn from(s: String) -> Self {
        SecretString(s)
    }
}

impl From<&str> for SecretString {
    fn from(s: &str) -> Self {
        SecretString(s.to_string())
    }
}

/// What to attach to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authorization {
    /// `Authorization: Bearer <token>`.
    Bearer(SecretString),
    /// An API key, sent as the `x-goog-api-key` header.
    ApiKey(SecretString),
    /// Nothing (public APIs, emulators, dry runs).
    None,
}

/// Anything that can authorize requests; implemented for gapi's credentials, [`ApiKey`],
/// [`StaticToken`] and [`NoAuth`].
pub trait Authenticator: Send + Sync + 'static {
    /// Returns what to add to a request; `force_refresh` is true after the server answered 401.
    fn authorize<'a>(&'a self, force_refresh: bool) -> BoxFuture<'a, Result<Authorization, Error>>;
    /// The project billed for quota (`x-goog-user-project`), if the credentials name one.
    fn quota_project(&self) -> Option<String> {
        None
    }
    /// The scopes the user granted, when known (used to pick or check scopes).
    fn granted_scopes(&self) -> Option<Vec<String>> {
        None
    }
}

/// No credentials at all.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAuth;

impl Authenticator for NoAuth {
    fn authorize<'a>(
        &'a self,
        _force_refresh: bool,
    ) -> BoxFuture<'a, Result<Authorization, Error>> {
        Box::pin(async { Ok(Authorization::None) })
    }
}

/// A developer API key, sent as the `x-goog-api-key` header (public data only).
#[derive(Clone)]
pub struct ApiKey(pub String);

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

impl Authenticator for ApiKey {
    fn authorize<'a>(
        &'a self,
        _force_refresh: bool,
    ) -> BoxFuture<'a, Result<Authorization, Error>> {
        let key = SecretString::new(self.0.clone());
        Box::pin(async move { Ok(Authorization::ApiKey(key)) })
    }
}

/// A fixed bearer token obtained elsewhere (e.g. `gcloud auth print-access-token`); never refreshed.
#[derive(Clone)]
pub struct StaticToken(pub String);

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken([redacted])")
    }
}

impl Authenticator for StaticToken {
    fn authorize<'a>(
        &'a self,
        _force_refresh: bool,
    ) -> BoxFuture<'a, Result<Authorization, Error>> {
        let tok = SecretString::new(self.0.clone());
        Box::pin(async move { Ok(Authorization::Bearer(tok)) })
    }
}

impl<A: Authenticator + ?Sized> Authenticator for Arc<A> {
    fn authorize<'a>(&'a self, force_refresh: bool) -> BoxFuture<'a, Result<Authorization, Error>> {
        (**self).authorize(force_refresh)
    }
    fn quota_project(&self) -> Option<String> {
        (**self).quota_project()
    }
    fn granted_scopes(&self) -> Option<Vec<String>> {
        (**self).granted_scopes()
    }
}

impl<A: Authenticator + ?Sized> Authenticator for Box<A> {
    fn authorize<'a>(&'a self, force_refresh: bool) -> BoxFuture<'a, Result<Authorization, Error>> {
        (**self).authorize(force_refresh)
    }
    fn quota_project(&self) -> Option<String> {
        (**self).quota_project()
    }
    fn granted_scopes(&self) -> Option<Vec<String>> {
        (**self).granted_scopes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_leak_through_debug() {
        let s = format!(
            "{:?} {:?} {:?}",
            ApiKey("AIzaSECRET".into()),
            StaticToken("ya29.SECRET".into()),
            Authorization::Bearer("ya29.X".into())
        );
        assert!(!s.contains("SECRET") && !s.contains("ya29"), "{s}");
    }
}
