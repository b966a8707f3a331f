//! Fuzzes the emulator's `fields` partial-response parser; the checks live in `gapi_emulator::fuzzing::drive_fields`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gapi_emulator::fuzzing::drive_fields(data));
