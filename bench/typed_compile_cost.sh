#!/usr/bin/env bash
# What a typed module costs to compile, by what it holds: a Drive module for
# files.list/get/create, one for every Drive method, and (GD3=1) google-drive3 itself, the crate
# a Rust developer would otherwise pick (it compiles every Drive method). Each figure is the
# time to compile that one crate once its dependencies are built (CARGO_INCREMENTAL=0, debug),
# median of RUNS (default 3), all measured in one run so the ratios hold on a noisy machine.
#
#   bash bench/typed_compile_cost.sh
#   GD3=1 bash bench/typed_compile_cost.sh   # also google-drive3 7 (downloads it; own target dir)
set -euo pipefail
set -f  # method patterns such as `*` are not file names
root=$(cd "$(dirname "$0")/.." && pwd)
gapi=${GAPI:-$root/target/debug/gapi}
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x "$gapi" ] || cargo build -q -p gapi-cli --manifest-path "$root/Cargo.toml"

# shellcheck source=bench/scratch_crate.sh
source "$root/bench/scratch_crate.sh"
scratch() { scratch_crate "$work" "$@"; } # name, dependency line

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

time_crate() { # dir, target dir, package: compile that package alone, median of runs
  for _ in $(seq "$runs"); do
    CARGO_TARGET_DIR="$2" cargo clean -q -p "$3" --manifest-path "$1/Cargo.toml"
    s=$(date +%s.%N)
    CARGO_INCREMENTAL=0 CARGO_TARGET_DIR="$2" cargo build -q --manifest-path "$1/Cargo.toml"
    e=$(date +%s.%N)
    echo "$e - $s" | bc
  done | median
}

for case in "three:files.list files.get files.create" "all:*"; do
  name=${case%%:*}
  methods=${case#*:}
  scratch "typed_$name" "gapi = { path = \"$root/crates/gapi\", default-features = false }"
  # shellcheck disable=SC2086
  "$gapi" codegen drive:v3 $methods -o "$work/typed_$name/src/drive.rs"
  echo "pub mod drive;" >"$work/typed_$name/src/lib.rs"
  cp "$root/Cargo.lock" "$work/typed_$name/Cargo.lock"
  CARGO_TARGET_DIR="$root/target" cargo build -q --manifest-path "$work/typed_$name/Cargo.toml"
  lines=$(wc -l <"$work/typed_$name/src/drive.rs")
  t=$(time_crate "$work/typed_$name" "$root/target" "typed_$name")
  printf 'gapi typed Drive module (%s): %s lines, compiles in %.1f s\n' "$methods" "$lines" "$t"
done

if [ -n "${GD3:-}" ]; then
  scratch gd3 'google-drive3 = "7"'
  echo "" >"$work/gd3/src/lib.rs"
  CARGO_TARGET_DIR="$work/gd3-target" cargo build -q --manifest-path "$work/gd3/Cargo.toml"
  t=$(time_crate "$work/gd3" "$work/gd3-target" google-drive3)
  printf 'google-drive3 7 (every Drive method): compiles in %.1f s\n' "$t"
fi
