//! Fuzzes authorized_user credentials files (parse, write back, parse again); the checks live in `gapi_auth::flow::fuzzing::credentials_file`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gapi_auth::flow::fuzzing::credentials_file(data));
