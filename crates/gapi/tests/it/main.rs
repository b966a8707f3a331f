//! gapi's integration tests, ONE test binary with a module per area (the layout of every crate
//! here: a test binary links tokio, reqwest and rustls, so each new file would cost a link on
//! two cores). Run one area with a module filter: `cargo test -p gapi --test it -- seed_example::`.

mod discover_emulator;
mod endpoint_env;
mod examples_emulator;
mod persist_to;
mod seed_example;
mod typed_drive;
