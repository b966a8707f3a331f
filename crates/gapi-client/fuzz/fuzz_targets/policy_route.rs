//! Fuzzes the policy check: a bundled method under an allow-list or read-only policy with any path values; what it lets through reaches only allowed methods and holds no steering value; the checks live in `gapi_client::fuzzing::policy_route`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gapi_client::fuzzing::policy_route(data));
