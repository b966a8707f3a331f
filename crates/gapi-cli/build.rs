//! Links the `gapi` executable without PIE, so the dynamic loader has no relocations to
//! apply at start-up.
//!
//! A PIE binary of this size carries ~34k relative relocations (815 KB of `.rela.dyn`): on
//! every start the loader writes their targets, which dirties the pages of `.data.rel.ro`
//! (576 KB) and costs page faults and RSS before `main` runs. A fixed-address executable has
//! none of them. The objects stay position independent (rustc's default), so only the final
//! link changes; tests and build scripts are not affected. Only on Linux with GNU-like
//! toolchains, where `-no-pie` is understood by the C compiler driver rustc links with.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
