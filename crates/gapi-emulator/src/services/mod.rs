//! The emulated services, one folder each, and THE list that registers them.
//!
//! Adding an emulated API: write `services/<name>/mod.rs` with a
//! `pub(crate) fn service(core: &Ctx) -> Service` (its state from `core.persistent(...)` /
//! `core.volatile(...)`, its routes with that state applied), then add one `mod` line and one
//! line to [`all`]. See the crate README ("Adding a service").

pub(crate) mod calendar;
pub(crate) mod control;
pub(crate) mod discovery;
pub(crate) mod docs;
pub(crate) mod drive;
pub(crate) mod generic;
pub(crate) mod gmail;
pub(crate) mod iam;
pub(crate) mod metadata;
pub(crate) mod oauth;
pub(crate) mod people;
pub(crate) mod sheets;
pub(crate) mod sts;

use crate::framework::Ctx;
use crate::framework::service::Service;

/// Every emulated service, in the order their routes are merged. The control service comes
/// last so that its wrapper (request log, fault injection) sees every request.
pub(crate) fn all(core: &Ctx) -> Vec<Service> {
    vec![
        oauth::service(core),
        discovery::service(core),
        drive::service(core),
        gmail::service(core),
        calendar::service(core),
        sheets::service(core),
        people::service(core),
        docs::service(core),
        metadata::service(core),
        iam::service(core),
        sts::service(core),
        generic::service(core),
        control::service(core),
    ]
}
