#!/usr/bin/env bash
# Every capability the `gapi` facade offers as a cargo feature (its `full` list: media, batch,
# gzip, ...) compiles on its own, with Drive's document as program (a) builds it, and with none
# of them. The test build turns every feature on at once, so a `#[cfg(feature = ...)]` slip that
# breaks one lean combination would otherwise reach users first. scripts/test.sh runs this with
# clippy-driver as the workspace crates' compiler, so each combination is linted too.
#
#     scripts/check-features.sh
set -euo pipefail
cd "$(dirname "$0")/.."
features=$(python3 -c 'import tomllib; print(" ".join(tomllib.load(open("crates/gapi/Cargo.toml", "rb"))["features"]["full"]))')
for feature in "" $features; do
  echo "gapi, default-features = false, features = drive${feature:+,$feature}"
  cargo build -p gapi --no-default-features --features "drive${feature:+,$feature}" --lib --locked --quiet
done
