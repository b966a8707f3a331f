#!/usr/bin/env bash
# The README's test command: installs the pinned test peers (Debian, npm, PyPI), then runs
# formatting, lint and every test of the workspace. Works on a fresh machine as root.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n==> %s (%ss)\n' "$1" "$(( $(date +%s) - start ))"; }

step "installing test peers (chromium, xvfb, oidc-provider, playwright-core, google-auth, gcp-storage-emulator)"
bash scripts/setup-test-deps.sh
# shellcheck disable=SC1091
source target/test-env.sh

step "self-test of the peers (no gapi involved: if this fails, the peers are broken)"
"$GAPI_TEST_NODE" --test tests/peers/

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
cargo test --workspace --locked --no-fail-fast 2>&1 | tee target/test-output.txt
status=${PIPESTATUS[0]}

step "summary"
# One closing line for the whole run, summed over every test binary.
awk '/^test result:/ { p += $4; f += $6; i += $8 } END { printf "%d passed, %d failed, %d skipped\n", p, f, i }' \
  target/test-output.txt
exit "$status"
