#!/usr/bin/env bash
# A large resumable upload and download through the gapi CLI against the emulator: throughput,
# gapi's peak RSS (which must not grow with the file), and a checksum of what came back.
#
#     bench/big_media.sh [SIZE_MIB]        (default 1024; bench/run.sh calls it)
# Needs EMU (a running emulator) and GAPI_CONFIG_DIR (credentials for it) as bench/run.sh sets.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
GAPI=$PWD/target/release/gapi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c "$((size_mib * 1024 * 1024))" /dev/urandom >"$work/big.bin"
want=$(sha256sum "$work/big.bin" | cut -d' ' -f1)

start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/up.rss" "$GAPI" drive files create --endpoint "$EMU/" \
  --upload "$work/big.bin" -p uploadType=resumable --json '{"name":"big.bin"}' >"$work/created.json"
up=$(echo "$(date +%s.%N) - $start" | bc)
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/created.json")

start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/down.rss" "$GAPI" drive files get --endpoint "$EMU/" \
  -p "fileId=$id" -p alt=media -o "$work/back.bin" 2>/dev/null
down=$(echo "$(date +%s.%N) - $start" | bc)
got=$(sha256sum "$work/back.bin" | cut -d' ' -f1)
[ "$want" = "$got" ] || { echo "checksum mismatch: $want vs $got"; exit 1; }

printf '| %d MiB resumable upload | %.2f s | %.0f MiB/s | peak RSS %.1f MiB |\n' \
  "$size_mib" "$up" "$(echo "$size_mib / $up" | bc -l)" "$(echo "$(cat "$work/up.rss") / 1024" | bc -l)"
printf '| %d MiB download (alt=media, streamed to disk) | %.2f s | %.0f MiB/s | peak RSS %.1f MiB |\n' \
  "$size_mib" "$down" "$(echo "$size_mib / $down" | bc -l)" "$(echo "$(cat "$work/down.rss") / 1024" | bc -l)"
echo "sha256 of the downloaded bytes matches the source ($want)"
