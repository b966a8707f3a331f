//! Fuzzes the emulator's download `Range` and upload `Content-Range` parsers; the checks live in `gapi_emulator::fuzzing::range`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gapi_emulator::fuzzing::range(data));
