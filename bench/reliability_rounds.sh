#!/bin/bash
# Figures for RELIABILITY.md (calls, downloads): N rounds each of cut-off GETs, --page-all under
# drops, and downloads whose partial file is of an older version. Needs a debug build (cargo build) and
# curl; talks only to an emulator it starts on 127.0.0.1. Usage: N=20 bench/reliability_rounds.sh
set -u
G=${G:-$(cd "$(dirname "$0")/.." && pwd)/target/debug/gapi}
D=$(mktemp -d)
export GAPI_CONFIG_DIR=$D/config
PORT=${PORT:-18743}
B=http://127.0.0.1:$PORT
$G emulator --addr 127.0.0.1:$PORT --auto-approve --write-client-secrets $D/cs.json >$D/emu.log 2>&1 &
EMU=$!
trap 'kill $EMU 2>/dev/null' EXIT
for i in $(seq 50); do curl -s $B/__emulator/status >/dev/null && break; sleep 0.1; done
$G auth login --no-browser --client-secrets $D/cs.json --scope drive >$D/login.out 2>&1 &
LP=$!
for i in $(seq 50); do URL=$(grep -o 'http://[^ ]*/o/oauth2/auth?[^ ]*' $D/login.out | head -1); [ -n "$URL" ] && break; sleep 0.1; done
curl -s -L "$URL" >/dev/null; wait $LP || { echo login failed; cat $D/login.out; exit 1; }
fault() { curl -s -X POST $B/__emulator/faults -H 'content-type: application/json' -d "$1" >/dev/null; }
N=${N:-30}
ok=0
for r in $(seq $N); do
  cut=$(( (RANDOM % 400) + 1 ))
  fault "{\"match\":{\"method\":\"GET\",\"path_prefix\":\"/drive/v3/files\"},\"times\":$(( (r % 3) + 1 )),\"action\":{\"drop_after_bytes\":$cut}}"
  if $G drive files list -p pageSize=20 --endpoint $B/ >$D/out.json 2>$D/err && python3 -m json.tool $D/out.json >/dev/null; then ok=$((ok+1)); fi
  curl -s -X DELETE $B/__emulator/faults >/dev/null
done
echo "cut-off GET (1-3 drops each, budget 5 attempts): $ok/$N recovered, exit 0 with whole JSON"
half=0; clean=0
for r in $(seq $N); do
  fault "{\"match\":{\"method\":\"GET\",\"path_prefix\":\"/drive/v3/files\",\"query_contains\":\"pageToken\"},\"times\":1000,\"action\":{\"drop_after_bytes\":$(( (RANDOM % 200) + 1 ))}}"
  fmt=json; [ $((r % 2)) = 0 ] && fmt=ndjson
  $G drive files list -p pageSize=5 --page-all --format $fmt --endpoint $B/ >$D/pages.out 2>$D/err; rc=$?
  if [ $rc -ne 0 ]; then
    if [ $fmt = json ]; then [ -s $D/pages.out ] && half=$((half+1)) || clean=$((clean+1));
    else python3 -c "import json,sys; [json.loads(l) for l in open('$D/pages.out')]; sys.exit(0 if open('$D/pages.out').read().endswith('\n') else 1)" && clean=$((clean+1)) || half=$((half+1)); fi
  fi
  curl -s -X DELETE $B/__emulator/faults >/dev/null
done
echo "--page-all with every later page cut off: $clean/$N failed cleanly (non-zero exit, no half document/line), $half left partial output"
spliced=0; right=0
for r in $(seq $N); do
  head -c 300000 /dev/urandom > $D/v1.bin; head -c 300000 /dev/urandom > $D/v2.bin
  id=$($G drive files create --upload $D/v1.bin --endpoint $B/ | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  rm -f $D/dl.bin $D/dl.bin.*.part $D/dl.bin.part.meta
  fault "{\"match\":{\"method\":\"GET\",\"query_contains\":\"alt=media\"},\"times\":5,\"action\":{\"drop_after_bytes\":$(( (RANDOM % 200000) + 1000 ))}}"
  $G drive files get -p fileId=$id -o $D/dl.bin --endpoint $B/ >/dev/null 2>&1
  curl -s -X DELETE $B/__emulator/faults >/dev/null
  $G drive files update -p fileId=$id --upload $D/v2.bin --endpoint $B/ >/dev/null 2>&1 || echo update failed
  $G drive files get -p fileId=$id -o $D/dl.bin --force --endpoint $B/ >/dev/null 2>$D/err
  if cmp -s $D/dl.bin $D/v2.bin; then right=$((right+1)); else spliced=$((spliced+1)); fi
done
echo "interrupted download, then the file changed: $right/$N byte-identical to the new version, $spliced wrong"
