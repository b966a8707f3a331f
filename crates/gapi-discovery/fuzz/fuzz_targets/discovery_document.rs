//! Fuzzes Discovery documents (and the APIs directory); the checks live in
//! `gapi_discovery::fuzzing::discovery_document`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gapi_discovery::fuzzing::discovery_document(data));
