//! gapi-workspace against the emulator (started in-process, one per test) and the independent
//! peers: Python's `email` decodes the messages built here, Python's `csv` reads the CSV
//! written here (`$GAPI_TEST_PYTHON`, else `python3`; a missing Python fails, never skips).

mod calendar;
mod common;
mod docs;
mod drive;
mod mail;
mod sheets;
