//! The JSON formats gapi reads: `client_secret.json` and the credential files google-auth reads.

pub mod client_secrets;
pub mod credential_file;
