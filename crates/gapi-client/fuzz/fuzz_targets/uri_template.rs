//! Fuzzes the path template expander: any template and any values, never a panic, and a successful expansion never contains a raw space, `{` or `}`; the checks live in `gapi_client::fuzzing::uri_template`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gapi_client::fuzzing::uri_template(data));
