//! `TokenCache`: the refresh behaviour every credential type shares. It keeps the last token
//! of a [`Provider`], hands it out until [`REFRESH_MARGIN`] before its expiry, and runs at most
//! one refresh at a time however many tasks ask (an async mutex plus a generation counter, so a
//! forced refresh after a 401 is satisfied by any refresh that finished after it was asked for).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use crate::credentials::provider::{Provider, Token};
use crate::error::Result;
use crate::secret::AccessToken;

/// How long before expiry a token counts as stale (Python google-auth's `REFRESH_THRESHOLD`).
pub const REFRESH_MARGIN: Duration = Duration::from_secs(3 * 60 + 45);

/// A provider plus its current token. Share it behind an `Arc`.
pub(crate) struct TokenCache {
    provider: Arc<dyn Provider>,
    token: RwLock<Option<Token>>,
    refresh_lock: tokio::sync::Mutex<()>,
    generation: AtomicU64,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCache")
            .field("kind", &self.provider.kind())
            .field("account", &self.provider.account())
            .finish_non_exhaustive()
    }
}

fn fresh(token: &Token, now: SystemTime) -> bool {
    match token.expires_at {
        None => true,
        Some(expiry) => expiry > now + REFRESH_MARGIN,
    }
}

impl TokenCache {
    /// Wraps `provider`; the first [`TokenCache::access_token`] call fetches a token.
    pub(crate) fn new(provider: Arc<dyn Provider>) -> Self {
        TokenCache {
            provider,
            token: RwLock::new(None),
            refresh_lock: tokio::sync::Mutex::new(()),
            generation: AtomicU64::new(0),
        }
    }

    /// Starts from a token obtained elsewhere (for example one stored on disk).
    pub(crate) fn with_token(self, token: Token) -> Self {
        self.set(Some(token));
        self
    }

    /// The wrapped provider.
    pub(crate) fn provider(&self) -> &Arc<dyn Provider> {
        &self.provider
    }

    fn current(&self) -> Option<Token> {
        match self.token.read() {
            Ok(t) => t.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    fn set(&self, token: Option<Token>) {
        match self.token.write() {
            Ok(mut t) => *t = token,
            Err(p) => *p.into_inner() = token,
        }
    }

    /// The last token, fresh or not, without fetching.
    pub(crate) fn cached(&self) -> Option<Token> {
        self.current()
    }

    /// A valid access token; fetched first when missing or within [`REFRESH_MARGIN`] of expiry.
    pub(crate) async fn access_token(&self) -> Result<AccessToken> {
        if let Some(t) = self.current().filter(|t| fresh(t, SystemTime::now())) {
            return Ok(t.access_token);
        }
        self.refresh(None).await
    }

    /// The generation to pass to [`TokenCache::force_refresh_from`]: read it when the token is
    /// found bad, before awaiting anything.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Fetches a new token even if the current one looks valid (after a 401), unless a refresh
    /// finished since `seen` (from [`TokenCache::generation`]).
    pub(crate) async fn force_refresh_from(&self, seen: u64) -> Result<AccessToken> {
        self.refresh(Some(seen)).await
    }

    async fn refresh(&self, forced_at: Option<u64>) -> Result<AccessToken> {
        let _guard = self.refresh_lock.lock().await;
        match forced_at {
            Some(seen) if self.generation() != seen => {
                if let Some(t) = self.current() {
                    return Ok(t.access_token);
                }
            }
            Some(_) => {}
            None => {
                if let Some(t) = self.current().filter(|t| fresh(t, SystemTime::now())) {
                    return Ok(t.access_token);
                }
            }
        }
        tracing::debug!(kind = %self.provider.kind(), "fetching a new access token");
        let token = self.provider.fetch_token().await?;
        let access = token.access_token.clone();
        self.set(Some(token));
        self.generation.fetch_add(1, Ordering::SeqCst);
        Ok(access)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::provider::{BoxFuture, CredentialKind};
    use std::sync::atomic::AtomicUsize;

    struct Counting {
        calls: AtomicUsize,
        lifetime: u64,
    }

    impl Provider for Counting {
        fn kind(&self) -> CredentialKind {
            CredentialKind::AccessToken
        }
        fn fetch_token(&self) -> BoxFuture<'_, Result<Token>> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok(Token::expiring_in(
                    AccessToken::new(format!("t{n}")),
                    Some(self.lifetime),
                ))
            })
        }
    }

    #[tokio::test]
    async fn one_fetch_for_many_callers_and_forced_refresh_is_shared() {
        let p = Arc::new(Counting {
            calls: AtomicUsize::new(0),
            lifetime: 3600,
        });
        let cache = Arc::new(TokenCache::new(p.clone()));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let c = cache.clone();
            tasks.push(tokio::spawn(async move { c.access_token().await.unwrap() }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().secret(), "t1");
        }
        assert_eq!(p.calls.load(Ordering::SeqCst), 1);
        let seen = cache.generation();
        let (a, b) = tokio::join!(
            cache.force_refresh_from(seen),
            cache.force_refresh_from(seen)
        );
        assert_eq!(a.unwrap().secret(), "t2");
        assert_eq!(b.unwrap().secret(), "t2");
        assert_eq!(p.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn stale_token_is_refetched() {
        let p = Arc::new(Counting {
            calls: AtomicUsize::new(0),
            lifetime: 100, // inside the margin: never fresh
        });
        let cache = TokenCache::new(p.clone());
        assert_eq!(cache.access_token().await.unwrap().secret(), "t1");
        assert_eq!(cache.access_token().await.unwrap().secret(), "t2");
    }
}
