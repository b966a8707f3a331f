//! Fuzzes batch (multipart/mixed) responses: every request gets exactly one answer or error; the checks live in `gapi_client::fuzzing::batch_response`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gapi_client::fuzzing::batch_response(data));
