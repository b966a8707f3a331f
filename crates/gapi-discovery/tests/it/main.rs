//! gapi-discovery's integration tests, ONE test binary with a module per area (ripgrep's and
//! uv's layout). Shared helpers (the fuzz corpus replayer) are in `gapi-testkit`.
//!
//! Run one area with a module filter: `cargo test -p gapi-discovery --test it -- method_index::`.

mod bundled_documents_parse;
mod fuzz_corpus;
mod method_index;
mod method_resource_clashes;
