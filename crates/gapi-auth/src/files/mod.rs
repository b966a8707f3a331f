//! The JSON formats gapi reads: `client_secret.json` and the credential files google-auth reads.

pub(crate) mod authorized_user;
pub(crate) mod client_secrets;
pub(crate) mod credential_file;
