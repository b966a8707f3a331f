//! Links the `gapi` executable without PIE, so the dynamic loader has no relocations to
//! apply at start-up.
//!
//! A PIE binary of this size carries ~34k relative relocations (815 KB of `.rela.dyn`): on
//! every start the loader writes their targets, which dirties the pages of `.data.rel.ro`
//! (576 KB) and costs page faults and RSS before `main` runs. A fixed-address executable has
//! none of them. The objects stay position independent (rustc's default), so only the final
//! link changes; tests and build scripts are not affected. Only on Linux with GNU-like
//! toolchains, where `-no-pie` is understood by the C compiler driver rustc links with.
//!
//! The price: the executable's own image loads at a fixed address (shared libraries keep
//! ASLR). gapi is safe Rust, so this is defence in depth given up for start-up time; a
//! packager who wants PIE builds with `GAPI_LINK_PIE=1`.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=GAPI_LINK_PIE");
    if std::env::var("GAPI_LINK_PIE").is_ok_and(|v| v == "1") {
        return;
    }
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
