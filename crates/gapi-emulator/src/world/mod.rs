//! The emulator's seeded world, in one place: who exists and what they start with. Every
//! service reads its cast and starting data from here, so a test (or a reader) finds the
//! whole world in one folder, and a change to it (a fourth user, a new pool) is one edit.
//!
//! | file | what it seeds |
//! |---|---|
//! | [`users`] | alice, bob and carol (the consent page's accounts), and the robot as a Drive account |
//! | [`clients`] | the OAuth clients: the installed (desktop) one and the web one, with their redirect rules |
//! | [`project`] | project `gapi-emulator` (number `123456789012`), its service account `robot@…` and the IAM bindings on it |
//! | [`robot_key`] | the robot's FIXED PUBLIC TEST key and the JSON key file the Cloud console would write |
//! | [`federation`] | workload identity pools and providers (OIDC and AWS), the AWS account and its keys |
//! | [`drives`] | the files alice and bob start with (carol's Drive is empty) |
//! | [`mailboxes`] | the messages in alice's and bob's mailboxes (carol's is empty) |
//! | [`calendars`] | each user's primary calendar zone (none of them UTC) |
//!
//! The world is data: it imports no service and no framework part beyond small helpers
//! (time formatting, key parsing). Services turn it into their state when they seed a store.

pub(crate) mod calendars;
pub(crate) mod clients;
pub(crate) mod drives;
pub(crate) mod federation;
pub(crate) mod mailboxes;
pub(crate) mod project;
pub(crate) mod robot_key;
pub(crate) mod users;
