//! What an emulated service hands the framework: its name, its routes (with its own state
//! applied) and, rarely, a wrapper around the whole router (the control service's fault
//! injection and request log) or a verifier of its own bearer tokens (IAM's self-signed JWTs). The list of services is `crate::services::all`.

use axum::Router;

use super::caller::TokenVerifier;

/// One emulated service, ready to be merged into the emulator's router.
pub(crate) struct Service {
    /// Short name, for logs and the README (`oauth`, `drive`, ...).
    pub name: &'static str,
    /// The service's routes, state already applied.
    pub routes: Router,
    /// Wraps the finished router (all services' routes), for middleware that sees every
    /// request. Applied in list order, so a later service's wrapper is further out.
    pub wrap: Option<Box<dyn FnOnce(Router) -> Router + Send>>,
    /// Answers what no route matched (the generic store). At most one service sets it.
    pub fallback: Option<Router>,
    /// Discovery names of the APIs this service owns (default: its own name): the generic
    /// store answers their unimplemented methods with 501 instead of serving them.
    pub apis: Vec<&'static str>,
    /// Bearer tokens of the service's own kind that every API accepts (see
    /// [`super::caller::TokenVerifier`]).
    pub token_verifiers: Vec<TokenVerifier>,
}

impl Service {
    /// A service that only adds routes.
    pub(crate) fn new(name: &'static str, routes: Router) -> Self {
        Self {
            name,
            routes,
            wrap: None,
            fallback: None,
            apis: vec![name],
            token_verifiers: Vec::new(),
        }
    }

    /// Sets the router's fallback.
    pub(crate) fn with_fallback(mut self, fallback: Router) -> Self {
        self.fallback = Some(fallback);
        self.apis.clear();
        self
    }

    /// Wraps the finished router (see [`Service::wrap`]).
    pub(crate) fn with_wrap(
        mut self,
        wrap: impl FnOnce(Router) -> Router + Send + 'static,
    ) -> Self {
        self.wrap = Some(Box::new(wrap));
        self
    }

    /// Lets every API accept this service's own kind of bearer token.
    pub(crate) fn with_token_verifier(mut self, verify: TokenVerifier) -> Self {
        self.token_verifiers.push(verify);
        self
    }

    /// Also owns the API `api` (e.g. the OAuth service owns `oauth2`).
    pub(crate) fn owning_api(mut self, api: &'static str) -> Self {
        self.apis.push(api);
        self
    }
}
