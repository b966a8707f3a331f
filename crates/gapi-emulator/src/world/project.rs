//! The seeded Cloud project and its one service account, the robot, with the IAM bindings on
//! it: alice holds Token Creator (so she may impersonate it), the robot may act for
//! `example.com`'s users (domain-wide delegation), and the `gapi-pool` principals hold
//! Workload Identity User (see [`super::federation`]). The metadata server runs as the robot.

use super::federation::is_workload_identity_user;

/// The project id (`GOOGLE_CLOUD_PROJECT`, the metadata server's `project-id`).
pub(crate) const PROJECT_ID: &str = "gapi-emulator";
/// The project number (the metadata server's `numeric-project-id`; STS resource names).
pub(crate) const PROJECT_NUMBER: &str = "123456789012";
/// The seeded service account.
pub(crate) const ROBOT: &str = "robot@gapi-emulator.iam.gserviceaccount.com";
/// Its numeric OAuth client id (the `sub` of its identity tokens; its Drive account id).
pub(crate) const ROBOT_CLIENT_ID: &str = "100000000000000000001";
/// The domain whose users the robot may act for (domain-wide delegation).
pub(crate) const DELEGATED_DOMAIN: &str = "example.com";

/// Who holds `roles/iam.serviceAccountTokenCreator` on the service account `target`.
pub(crate) fn token_creators(target: &str) -> &'static [&'static str] {
    if target.eq_ignore_ascii_case(ROBOT) {
        &["alice@example.com"]
    } else {
        &[]
    }
}

/// Whether `principal` may use `permission` on `target`: it holds the Token Creator role
/// there, or (a federated principal) Workload Identity User, which grants `getAccessToken`
/// and `getOpenIdToken` only.
pub(crate) fn may_act_as(principal: &str, target: &str, permission: &str) -> bool {
    token_creators(target)
        .iter()
        .any(|p| p.eq_ignore_ascii_case(principal))
        || (matches!(
            permission,
            "iam.serviceAccounts.getAccessToken" | "iam.serviceAccounts.getOpenIdToken"
        ) && is_workload_identity_user(principal, target))
}

/// Whether `email` is an existing service account.
pub(crate) fn is_service_account(email: &str) -> bool {
    email.eq_ignore_ascii_case(ROBOT)
}
