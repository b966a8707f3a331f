//! The seeded test users that the consent page offers, and the robot service account as a
//! Drive account.

use super::project::{ROBOT, ROBOT_CLIENT_ID};

/// A user the emulator can sign in as; each starts with its own seeded Drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestUser {
    /// Email address, used as `login_hint` and shown on the consent page.
    pub email: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Stable subject id (`sub` in tokeninfo), like Google's numeric account ids.
    pub id: &'static str,
    /// Drive permission id of the user (appears in `owners[].permissionId`).
    pub permission_id: &'static str,
}

static USERS: [TestUser; 3] = [
    TestUser {
        email: "alice@example.com",
        name: "Alice Example",
        id: "104857600000000000001",
        permission_id: "01234567890123456781",
    },
    TestUser {
        email: "bob@example.com",
        name: "Bob Example",
        id: "104857600000000000002",
        permission_id: "01234567890123456782",
    },
    TestUser {
        email: "carol@example.com",
        name: "Carol Example",
        id: "104857600000000000003",
        permission_id: "01234567890123456783",
    },
];

/// The seeded service account as a Drive user (its own empty Drive); not offered on the
/// consent page.
static ROBOT_ACCOUNT: TestUser = TestUser {
    email: ROBOT,
    name: "robot",
    id: ROBOT_CLIENT_ID,
    permission_id: "01234567890123456789",
};

/// The test users, in the order the consent page lists them (alice first). Alice and Bob have
/// seeded Drives (see [`crate::seeded_files`]) and mailboxes; Carol's Drive starts empty.
pub fn test_users() -> &'static [TestUser] {
    &USERS
}

/// Looks a test user up by email (case-insensitive, as Google does).
pub(crate) fn find_user(email: &str) -> Option<&'static TestUser> {
    USERS
        .iter()
        .find(|u| u.email.eq_ignore_ascii_case(email.trim()))
}

/// Looks up a Drive user: a test user or the seeded service account (which a JWT-bearer or IAM
/// token acts as).
pub(crate) fn find_account(email: &str) -> Option<&'static TestUser> {
    find_user(email).or_else(|| {
        ROBOT
            .eq_ignore_ascii_case(email.trim())
            .then_some(&ROBOT_ACCOUNT)
    })
}
