//! gapi-codegen's integration tests, one test binary with a module per area (the layout of
//! every crate here). Run one area with a module filter:
//! `cargo test -p gapi-codegen --test it -- checked_in::`.

mod checked_in;
mod rustfmt_clean;
