//! Fuzzes download Content-Range and resumable-upload Range headers; the checks live in `gapi_client::fuzzing::content_range`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gapi_client::fuzzing::content_range(data));
