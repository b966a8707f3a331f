//! Fuzzes the loopback redirect server's request head, Host check and redirect query; the checks live in `gapi_auth::flow::fuzzing::loopback_request`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gapi_auth::flow::fuzzing::loopback_request(data));
