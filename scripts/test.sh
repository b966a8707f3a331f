#!/usr/bin/env bash
# The README's test command: installs the pinned test peers (Debian, npm, PyPI), then runs
# formatting, lint and every test of the workspace. Works on a fresh machine as root.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n==> %s (%ss)\n' "$1" "$(( $(date +%s) - start ))"; }

# The peers are downloaded and installed (network and disk bound) while cargo compiles (CPU
# bound) on a clean machine: the install runs in the background beside fmt and clippy, and the
# tests wait for it. Its output is printed whole when it ends; if it fails, the run stops there.
step "installing test peers in the background (chromium, xvfb, oidc-provider, playwright-core, google-auth, gcp-storage-emulator)"
mkdir -p target
bash scripts/setup-test-deps.sh >target/setup-test-deps.log 2>&1 &
setup_pid=$!

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test --no-run (building every test while the peers install)"
cargo test --workspace --exclude gapi-lean-test --locked --no-run

step "waiting for the test peers"
setup_status=0
wait "$setup_pid" || setup_status=$?
cat target/setup-test-deps.log
if [[ $setup_status -ne 0 ]]; then
  echo "installing the test peers failed (exit $setup_status): see the lines above" >&2
  exit "$setup_status"
fi
# shellcheck disable=SC1091
source target/test-env.sh

step "self-test of the peers (no gapi involved: if this fails, the peers are broken)"
"$GAPI_TEST_NODE" --test tests/peers/

step "cargo test"
# gapi-lean-test runs on its own below: in one workspace build cargo unifies features, and the
# CLI's all-apis would compile every Discovery document into it too.
cargo test --workspace --exclude gapi-lean-test --locked --no-fail-fast 2>&1 | tee target/test-output.txt
status=${PIPESTATUS[0]}

step "cargo test: gapi with no Discovery document compiled in, and with only Drive's"
for args in "-p gapi-lean-test" "-p gapi-discovery --lib" "-p gapi-discovery --lib --features drive"; do
  # shellcheck disable=SC2086
  cargo test $args --locked --no-fail-fast 2>&1 | tee -a target/test-output.txt || status=1
done

step "cargo package: every published crate under 8 MiB, with its licenses, README and data"
# Without verification (it would build every crate again from its .crate, minutes on 2 cores):
# scripts/check-packages.py checks instead that each file a crate's sources include_bytes! is in
# its package, and the size, licenses and README of each.
rm -rf target/package
cargo package --workspace --no-verify --locked --allow-dirty --quiet || status=1
python3 scripts/check-packages.py target/package || status=1

step "summary"
# One closing line for the whole run, summed over every test binary.
awk '/^test result:/ { p += $4; f += $6; i += $8 } END { printf "%d passed, %d failed, %d skipped\n", p, f, i }' \
  target/test-output.txt
exit "$status"
