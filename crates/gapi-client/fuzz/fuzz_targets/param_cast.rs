//! Fuzzes parameter casting: arbitrary schema fields (type, format, pattern, enum, bounds) and values never panic; the checks live in `gapi_client::fuzzing::param_cast`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gapi_client::fuzzing::param_cast(data));
