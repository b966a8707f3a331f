//! Fuzzes Google API error bodies and Retry-After headers; the checks live in `gapi_client::fuzzing::api_error`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gapi_client::fuzzing::api_error(data));
