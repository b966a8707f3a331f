//! What an emulated service hands the framework: its name, its routes (with its own state
//! applied) and, rarely, a wrapper around the whole router (the control service's fault
//! injection and request log). The list of services is `crate::services::all`.

use axum::Router;

/// One emulated service, ready to be merged into the emulator's router.
pub(crate) struct Service {
    /// Short name, for logs and the README (`oauth`, `drive`, ...).
    pub name: &'static str,
    /// The service's routes, state already applied.
    pub routes: Router,
    /// Wraps the finished router (all services' routes), for middleware that sees every
    /// request. Applied in list order, so a later service's wrapper is further out.
    pub wrap: Option<Box<dyn FnOnce(Router) -> Router + Send>>,
}

impl Service {
    /// A service that only adds routes.
    pub(crate) fn new(name: &'static str, routes: Router) -> Self {
        Self {
            name,
            routes,
            wrap: None,
        }
    }
}
