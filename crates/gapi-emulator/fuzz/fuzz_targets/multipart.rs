//! Fuzzes the emulator's multipart parser (uploads and batches), and reads back the client's
//! own upload framing; the checks live in `gapi_emulator::fuzzing::multipart`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gapi_emulator::fuzzing::multipart(
    data,
    gapi_client::fuzzing::multipart_upload_body
));
