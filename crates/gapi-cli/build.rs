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
//! it (fault-around), so a dry run kept 7 MiB of code resident and a real call 9 MiB. A linker
//! script made here from that list puts their sections (rustc emits one section per function)
//! in an output section `.text.gapi_startup` placed before `.text`. Symbol names carry a hash
//! of their crate's build metadata, which differs between profiles (`release`, `dist`) and
//! changes with `Cargo.lock`: the file names a function with `*` for its hash where that still
//! names one function, so it serves every profile and survives dependency bumps (a generic
//! function's instantiations differ only by hash; they are listed exactly). Only with LLD (the linker rustc
//! uses by default on x86_64 Linux since 1.90), whose `INSERT BEFORE` keeps its default layout
//! for everything else; other linkers get nothing, and `GAPI_LINK_ORDER=0` turns it off.
//! Patterns that match nothing are harmless: a stale file costs RSS, never a build.

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
        let out = std::env::var("OUT_DIR").unwrap_or_default();
        let list = std::path::Path::new(&dir).join("startup-order.txt");
        let script = std::path::Path::new(&out).join("startup-order.ld");
        if let Ok(names) = std::fs::read_to_string(&list)
            && std::fs::write(&script, linker_script(&names)).is_ok()
        {
            println!("cargo:rustc-link-arg-bins=-Wl,-T,{}", script.display());
        }
    }
}

/// A linker script fragment placing the sections of the functions `patterns` name (one a
/// line, in order, `*` a wildcard for a build-dependent hash) first, before `.text`.
fn linker_script(patterns: &str) -> String {
    let mut script = String::from("SECTIONS\n{\n  .text.gapi_startup : {\n");
    for pattern in patterns.lines().map(str::trim).filter(|n| !n.is_empty()) {
        // Only characters a mangled name has; anything else would be read as script syntax.
        if pattern
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_$.*".contains(c))
        {
            // `#[cold]` functions are emitted in `.text.unlikely.<name>`.
            script.push_str(&format!(
                "    *(.text.{pattern} .text.unlikely.{pattern} .text.hot.{pattern})\n"
            ));
        }
    }
    script.push_str("  }\n}\nINSERT BEFORE .text;\n");
    script
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
