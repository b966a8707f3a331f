//! Fuzzes expiry timestamps of credentials files; the checks live in `gapi_auth::flow::fuzzing::expiry`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gapi_auth::flow::fuzzing::expiry(data));
