#!/usr/bin/env bash
# The README's first command from a fresh clone: how long until `cargo run --release -- demo`
# has built gapi and finished the demo, with the crates already downloaded.
#
#     bench/fresh_build.sh [REV]        (REV: a commit of this repository, default HEAD)
#
# Clones this repository at REV into a temporary folder ($FRESH_BUILD_DIR, default $TMPDIR),
# runs `cargo fetch --locked` there (not timed: crates are downloaded once per machine), then
# times `cargo run --release --locked --timings -- demo --headless` (--headless: this machine
# has no browser; the emulator approves the consent by itself). Prints the wall time, the
# machine's load average before and after (2 cores: other builds slow this one down) and the
# ten slowest units of cargo's --timings report, then deletes the clone and its target folder.
# KEEP=1 keeps them (the timings report is in target/cargo-timings/).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
rev=${1:-HEAD}
sha=$(git -C "$repo" rev-parse --verify "$rev^{commit}")
work=$(mktemp -d "${FRESH_BUILD_DIR:-${TMPDIR:-/tmp}}/gapi-fresh.XXXXXX")
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$work"' EXIT; fi
git clone --quiet --no-checkout "$repo" "$work/gapi"
git -C "$work/gapi" checkout --quiet "$sha"
cd "$work/gapi"
# Only what a newcomer's shell has: no target folder, flags or wrappers from this one.
unset CARGO_TARGET_DIR RUSTFLAGS CARGO_BUILD_RUSTFLAGS RUSTC_WRAPPER CARGO_INCREMENTAL
cargo fetch --locked --quiet
echo "commit $sha, $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# GNU time also gives the CPU time (user + system) of the whole build, which other work on the
# machine disturbs far less than the wall time: on an idle 2-core machine the wall time is
# about half of it, or the longest chain of units if that is longer.
/usr/bin/time -f '%e %U %S' -o "$work/time" \
  cargo run --release --locked --timings -- demo --headless >"$work/demo.out" 2>"$work/build.err" || {
  tail -n 30 "$work/build.err" "$work/demo.out"
  exit 1
}
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -q . "$work/demo.out" || { echo "the demo printed nothing" >&2; exit 1; }
read -r secs user sys <"$work/time"
whole=${secs%.*}
printf 'fresh clone -> demo done: %s s wall (%d min %02d s), %s s CPU (user %s + sys %s)\n' \
  "$secs" $((whole / 60)) $((whole % 60)) "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$user" "$sys"
# The slowest units, from the data cargo embeds in its --timings report.
python3 - target/cargo-timings/cargo-timing.html <<'PYEOF'
import json, re, sys
html = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
print(f"{len(units)} units; the ten slowest:")
for u in sorted(units, key=lambda u: -u["duration"])[:10]:
    target = u["target"].strip() or " (lib)"
    print(f"  {u['duration']:6.1f} s  {u['name']} {u['version']}{target}")
PYEOF
if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; fi
