//! Fuzzes client_secret.json parsing; the checks live in `gapi_auth::flow::fuzzing::client_secrets`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gapi_auth::flow::fuzzing::client_secrets(data));
