#!/usr/bin/env bash
# The README's test command: installs the pinned test peers (Debian, npm, PyPI), then runs
# formatting, lint and every test of the workspace. Works on a fresh machine as root.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n==> %s (%ss)\n' "$1" "$(( $(date +%s) - start ))"; }

# Waits for a job started in the background, prints its output whole, and fails (returns
# the job's exit status, saying which job) when the job failed: PID LOG WHAT.
finish() {
  local job_status=0
  wait "$1" || job_status=$?
  cat "$2"
  if [[ $job_status -ne 0 ]]; then
    echo "$3 failed (exit $job_status): see the lines above" >&2
    return "$job_status"
  fi
}

# The peers are downloaded and installed (network and disk bound) while cargo compiles (CPU
# bound) on a clean machine: the install runs in the background beside fmt and clippy, and the
# tests wait for it. Its output is printed whole when it ends; if it fails, the run stops there.
step "installing test peers in the background (chromium, xvfb, oidc-provider, playwright-core, google-auth, gcp-storage-emulator)"
mkdir -p target
bash scripts/setup-test-deps.sh >target/setup-test-deps.log 2>&1 &
setup_pid=$!

step "cargo fmt --check"
cargo fmt --all -- --check

# Clippy runs inside the one build of the tests, not as a build of its own: `cargo clippy` is
# `cargo check` with clippy-driver as the workspace crates' compiler, so it would compile every
# dependency a second time (metadata only) and every gapi crate twice. With clippy-driver as the
# workspace wrapper for every cargo command below, each gapi crate is linted while it is compiled
# for the tests, in every feature combination the tests build (the lean runs too), with
# `-D warnings` (clippy's own way to receive it). Dependencies are compiled by plain rustc.
export RUSTC_WORKSPACE_WRAPPER
RUSTC_WORKSPACE_WRAPPER=$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver)
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

step "lint wiring self-test (a crate with a clippy warning must fail to build)"
lint_probe=$(mktemp -d)
mkdir -p "$lint_probe/src"
printf '[package]\nname = "lint-probe"\nversion = "0.0.0"\nedition = "2024"\n[workspace]\n' >"$lint_probe/Cargo.toml"
# clippy::useless_vec is a warning (not an error) by default: this fails only under -D warnings.
printf 'fn main() {\n    let v = vec![1];\n    println!("{}", v.len());\n}\n' >"$lint_probe/src/main.rs"
if cargo build --quiet --manifest-path "$lint_probe/Cargo.toml" --target-dir "$lint_probe/target" 2>/dev/null; then
  echo "clippy-driver as RUSTC_WORKSPACE_WRAPPER did not deny a clippy warning: the lints below would not run" >&2
  exit 1
fi
rm -rf "$lint_probe"

step "clippy -D warnings, and every test built (libraries, tests, examples, benches) while the peers install"
# What `cargo test` builds, examples as the programs their tests run (not --all-targets: that
# would build them only as test harnesses, and the tests would find no program), then the
# benches, which are linted too. The JSON on stdout names every test binary for the runner
# below; diagnostics go to stderr.
cargo test --workspace --exclude gapi-lean-test --locked --no-run \
  --message-format=json-render-diagnostics >target/test-build.json
cargo test --workspace --exclude gapi-lean-test --locked --no-run --benches --quiet

step "waiting for the test peers"
finish "$setup_pid" target/setup-test-deps.log "installing the test peers" || exit
# shellcheck disable=SC1091
source target/test-env.sh

step "self-test of the peers (no gapi involved: if this fails, the peers are broken)"
"$GAPI_TEST_NODE" --test tests/peers/

step "cargo test's binaries, two at a time, then the doc tests; beside them, the lean builds and the packages"
# What `cargo test --workspace --exclude gapi-lean-test --no-fail-fast` runs, but two test
# binaries side by side (cargo runs one at a time, and each one's last slow tests leave a core
# idle): scripts/run-test-binaries.py says how. No cargo command holds the build directory while
# the test binaries run, so the cargo jobs below run beside them (cargo queues them one after
# another on its lock); each one's output is printed in its own step below:
# - gapi with no Discovery document compiled in, and with only Drive's: on their own, since in
#   one workspace build cargo unifies features, and the CLI's all-apis would compile every
#   Discovery document into them too;
# - scripts/check-features.sh: each of the facade's capability features compiles (and is
#   linted) on its own, as a program that picks one builds it (~1 min of compiling);
# - cargo package (compressing the crates, ~20 s on one core), without verification (it would
#   build every crate again from its .crate, minutes on 2 cores): scripts/check-packages.py
#   checks instead that each file a crate's sources include_bytes! is in its package, and the
#   size, licenses and README of each.
status=0
(
  lean_status=0
  for args in "-p gapi-lean-test" "-p gapi-discovery --lib" "-p gapi-discovery --lib --features drive"; do
    # shellcheck disable=SC2086
    cargo test $args --locked --no-fail-fast || lean_status=1
  done
  exit "$lean_status"
) >target/lean-output.txt 2>&1 &
lean_pid=$!
bash scripts/check-features.sh >target/features.log 2>&1 &
features_pid=$!
rm -rf target/package
(cargo package --workspace --no-verify --locked --allow-dirty --quiet &&
  python3 scripts/check-packages.py target/package) >target/package.log 2>&1 &
package_pid=$!
python3 scripts/run-test-binaries.py target/test-build.json target/test-output.txt \
  --workspace --exclude gapi-lean-test || status=1

step "cargo test: gapi with no Discovery document compiled in, and with only Drive's"
finish "$lean_pid" target/lean-output.txt "a lean build's tests" || status=1
cat target/lean-output.txt >>target/test-output.txt

step "the facade's features, each on its own (scripts/check-features.sh)"
finish "$features_pid" target/features.log "building a feature combination" || status=1

step "cargo package: every published crate under 8 MiB, with its licenses, README and data"
finish "$package_pid" target/package.log "cargo package or its check" || status=1

step "summary"
# One closing line for the whole run, summed over every test binary.
awk '/^test result:/ { p += $4; f += $6; i += $8 } END { printf "%d passed, %d failed, %d skipped\n", p, f, i }' \
  target/test-output.txt
exit "$status"
