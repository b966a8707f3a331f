//! Fuzzes token endpoint answers and OAuth error bodies; the checks live in `gapi_auth::flow::fuzzing::token_response`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gapi_auth::flow::fuzzing::token_response(data));
