#!/usr/bin/env bash
# Generates a typed module for EVERY method of many bundled APIs (`gapi codegen API '*'`) and
# `cargo check`s them together in a scratch crate that depends only on `gapi`: proof that the
# generator handles every schema shape Google uses (recursion, maps, arrays of enums, keywords
# as names, names starting with digits, schemas named like Rust's prelude...). Also checks each
# module is rustfmt-clean. Prints lines and check time.
#
#   bash bench/typed_codegen_check.sh            # the default set below
#   APIS="drive:v3 gmail:v1" bash bench/typed_codegen_check.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gapi=${GAPI:-$root/target/debug/gapi}
work=${WORK:-$root/target/typed-check}
apis=(${APIS:-drive:v3 gmail:v1 calendar:v3 sheets:v4 docs:v1 slides:v1 people:v1 youtube:v3
  storage:v1 bigquery:v2 pubsub:v1 iam:v1 cloudresourcemanager:v3 container:v1 run:v2
  firestore:v1 tasks:v1 forms:v1 chat:v1 classroom:v1})
[ -x "$gapi" ] || cargo build -p gapi-cli --manifest-path "$root/Cargo.toml"
rm -rf "$work/src" && mkdir -p "$work/src"
cat > "$work/Cargo.toml" <<TOML
[package]
name = "typed-check"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
gapi = { path = "$root/crates/gapi" }

[workspace]
TOML
: > "$work/src/lib.rs"
cp "$root/Cargo.lock" "$work/Cargo.lock"  # the workspace's versions, not the newest
lines=0
for api in "${apis[@]}"; do
  mod=$(echo "$api" | tr ':.-' '___')
  "$gapi" codegen "$api" '*' -o "$work/src/$mod.rs" 2>/dev/null
  rustfmt --edition 2024 --check "$work/src/$mod.rs" >/dev/null || { echo "$api: not rustfmt-clean"; exit 1; }
  n=$(wc -l < "$work/src/$mod.rs")
  lines=$((lines + n))
  echo "pub mod $mod;" >> "$work/src/lib.rs"
  printf '%-28s %8d lines\n' "$api" "$n"
done
echo "total: ${#apis[@]} APIs, $lines lines, all rustfmt-clean"
start=$(date +%s.%N)
CARGO_TARGET_DIR="$root/target" cargo check --quiet --manifest-path "$work/Cargo.toml"
# `cargo clippy` on the same crate (the modules' own lints, with warnings as errors).
if [ -n "${CLIPPY:-}" ]; then
  CARGO_TARGET_DIR="$root/target" cargo clippy --quiet --manifest-path "$work/Cargo.toml" -- -D warnings
fi
end=$(date +%s.%N)
printf 'cargo check: ok in %.1f s (dependencies built before)\n' "$(echo "$end - $start" | bc)"
