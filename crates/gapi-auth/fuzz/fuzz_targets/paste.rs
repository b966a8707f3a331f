//! Fuzzes what a user pastes into a login (line reading and the answer parser); the checks
//! live in `gapi_auth::flow::fuzzing::paste`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gapi_auth::flow::fuzzing::paste(data));
