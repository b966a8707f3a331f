//! Fuzzes the emulator's Drive `q` parser; the checks live in `gapi_emulator::fuzzing::drive_query`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gapi_emulator::fuzzing::drive_query(data));
