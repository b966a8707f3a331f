//! Link options of the `gapi` executable, both for start-up cost:
//!
//! **No PIE**, so the dynamic loader has no relocations to apply at start-up. A PIE binary of
//! this size carries ~34k relative relocations (815 KB of `.rela.dyn`): on every start the
//! loader writes their targets, which dirties the pages of `.data.rel.ro` (576 KB) and costs
//! page faults and RSS before `main` runs. A fixed-address executable has none of them. The
//! objects stay position independent (rustc's default), so only the final link changes; tests
//! and build scripts are not affected. Only on Linux with GNU-like toolchains, where `-no-pie`
//! is understood by the C compiler driver rustc links with. The price: the executable's own
//! image loads at a fixed address (shared libraries keep ASLR). gapi is safe Rust, so this is
//! defence in depth given up for start-up time; a packager who wants PIE builds with
//! `GAPI_LINK_PIE=1`.
//!
//! **Start-up code laid out together** (`startup-order.txt`, made by
//! `scripts/make-startup-order.py`): the ~1,600 functions a cold call runs (1.5 MiB) are
//! scattered over a 20 MB `.text`, and every page fault maps a whole page-cache folio around
//! it (fault-around), so a dry run kept 7 MiB of code resident and a real call 9 MiB. Passed
//! to the linker as `--symbol-ordering-file`, they come first in `.text`. Only with LLD (the
//! linker rustc uses by default on x86_64 Linux since 1.90), which knows the option; other
//! linkers get nothing, and `GAPI_LINK_ORDER=0` turns it off. Names the file lists that no
//! longer exist are ignored (`--no-warn-symbol-ordering`): a stale file costs RSS, never a build.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=startup-order.txt");
    println!("cargo:rerun-if-env-changed=GAPI_LINK_PIE");
    println!("cargo:rerun-if-env-changed=GAPI_LINK_ORDER");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os != "linux" || env != "gnu" {
        return;
    }
    if !std::env::var("GAPI_LINK_PIE").is_ok_and(|v| v == "1") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    if !std::env::var("GAPI_LINK_ORDER").is_ok_and(|v| v == "0") && links_with_rust_lld() {
        let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
        let file = std::path::Path::new(&dir).join("startup-order.txt");
        if file.is_file() {
            println!(
                "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
                file.display()
            );
            println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
        }
    }
}

/// Whether the final link goes through rustc's own LLD: rustc 1.90 or later for
/// x86_64-unknown-linux-gnu with no linker chosen by the user (a chosen linker may be GNU ld,
/// which has no `--symbol-ordering-file`).
fn links_with_rust_lld() -> bool {
    println!("cargo:rerun-if-env-changed=CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER");
    if std::env::var("TARGET").ok().as_deref() != Some("x86_64-unknown-linux-gnu")
        || std::env::var_os("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER").is_some()
    {
        return false;
    }
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if flags.contains("linker") || flags.contains("link-self-contained") {
        return false;
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let Ok(out) = Command::new(rustc).arg("-V").output() else {
        return false;
    };
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let version = String::from_utf8_lossy(&out.stdout);
    let mut parts = version
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .split('.')
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    major > 1 || (major == 1 && minor >= 90)
}
