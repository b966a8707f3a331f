//! What gapi's test suites share, so no test file copies a helper again.
//!
//! Every crate has ONE integration-test binary (`tests/it/main.rs`, a module per area, as
//! ripgrep and uv do): 80 binaries each linking tokio, reqwest and rustls cost minutes on two
//! cores. What those modules used to copy lives here:
//!
//! | module | for | feature |
//! |---|---|---|
//! | [`data`] | bytes that trip naive multipart and boundary code | always |
//! | [`fuzz`] | replaying a committed fuzz corpus on stable Rust | always |
//! | [`process`] | running one test again in a child process with its own environment; examples' paths | always |
//! | [`timing`] | medians of repeated runs, for the benchmarks | always |
//! | `emulator` | starting the emulator, minting its tokens, the OAuth dance, Google's error shape, over plain reqwest | `emulator` |
//! | `mock` | one mock Google server: your routes, every request recorded, scripted faults in Google's shape | `mock` |
//! | `logs` | capturing one test's `tracing` output | `logs` |
//! | `peers` | running the pinned Python / Node peers (google-auth, googleapis...) | `peers` |
//! | `http` | a plain reqwest client (ring as rustls' provider) | `http` |
//!
//! Rules the helpers keep: a test that needs a server starts it (loopback only); a missing
//! peer FAILS the test with the command that installs it, never skips it; the emulator is
//! driven over plain HTTP, never through gapi's own client (it is what that client is tested
//! against).
//!
//! Not published (`publish = false`), only ever a dev-dependency; a crate's tests turn on the
//! features they use, so gapi-discovery's tests do not build the emulator.
#![deny(missing_docs)]

pub mod data;
#[cfg(feature = "emulator")]
pub mod emulator;
pub mod fuzz;
#[cfg(feature = "http")]
pub mod http;
#[cfg(feature = "logs")]
pub mod logs;
#[cfg(feature = "mock")]
pub mod mock;
#[cfg(feature = "peers")]
pub mod peers;
pub mod process;
pub mod timing;
