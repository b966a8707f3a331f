#!/usr/bin/env bash
# Every benchmark of BENCHMARKS.md, side by side in one run on this machine:
# gapi (the `dist` build packagers ship: fat LTO, one codegen unit) against the Python client,
# both against the same local emulator.
#
#     bench/run.sh            (needs scripts/setup-test-deps.sh for the Python client)
#     bench/run.sh cold       only the cold CLI calls (gapi, gws, Python), e.g. RUNS=30
#     PROFILE=release bench/run.sh cold   the same with the `release` build (`cargo run --release`'s)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/test-env.sh ] || bash scripts/setup-test-deps.sh
# shellcheck disable=SC1091
source target/test-env.sh
PY=${GAPI_TEST_PYTHON:?}
PROFILE=${PROFILE:-dist}
cargo build --profile "$PROFILE" -q -p gapi-cli
GAPI=$PWD/target/$PROFILE/gapi
export GAPI_BIN=$GAPI  # bench/cold_cli.py measures this build
work=$(mktemp -d)
trap 'kill $emu_pid 2>/dev/null || true; rm -rf "$work"' EXIT

"$GAPI" emulator --addr 127.0.0.1:0 >"$work/emu.out" 2>"$work/emu.err" &
emu_pid=$!
for _ in $(seq 100); do [ -s "$work/emu.out" ] && break; sleep 0.05; done
EMU=$(head -n1 "$work/emu.out")
TOKEN=$(curl -sf -X POST "$EMU/__emulator/tokens/issue" -H 'content-type: application/json' \
  -d '{"email":"alice@example.com","scopes":["https://www.googleapis.com/auth/drive"]}' |
  "$PY" -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
curl -sf "$EMU/discovery/v1/apis/drive/v3/rest" >"$work/drive.json"
# Stored credentials for the CLI rows: the issued token, valid for the whole run.
mkdir -p "$work/config/credentials"
"$PY" - "$work/config/credentials/default.json" "$TOKEN" "$EMU" <<'PYEOF'
import json, sys, datetime
path, token, emu = sys.argv[1:]
expiry = (datetime.datetime.utcnow() + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
json.dump({"type": "authorized_user", "client_id": "gapi-emulator.apps.googleusercontent.com",
           "client_secret": "emulator-client-secret", "refresh_token": "unused-in-this-benchmark",
           "token": token, "expiry": expiry, "token_uri": emu + "/token",
           "scopes": ["https://www.googleapis.com/auth/drive"], "account": "alice@example.com"},
          open(path, "w"))
PYEOF
chmod 600 "$work/config/credentials/default.json"
export EMU TOKEN PY DRIVE_DOC=$work/drive.json GAPI_CONFIG_DIR=$work/config
# The Rust peer, offline (../shared/peers/README.md), when it is there.
GWS_BIN=${GWS:-}
if [ -z "$GWS_BIN" ]; then  # beside the main checkout, or beside a worktree's parent folder
  for d in ../shared/peers ../../shared/peers; do
    [ -x "$d/gws-0.16.0" ] && GWS_BIN=$d/gws-0.16.0 && break
  done
fi
if [ -n "$GWS_BIN" ] && [ -x "$GWS_BIN" ]; then
  export GWS=$(realpath "$GWS_BIN") GWS_HOME=$work/gws-home
  mkdir -p "$GWS_HOME/.config/gws/cache"
  cp "$work/drive.json" "$GWS_HOME/.config/gws/cache/drive_v3.json"
fi

echo "## machine: $(nproc) cores, $(uname -srm), $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "## cold CLI calls"
"$PY" bench/cold_cli.py --runs "${RUNS:-40}"
[ "${1:-}" = cold ] && exit 0
echo
echo "## cold CLI calls by credential type (service-account key and impersonation beside a stored user token)"
"$PY" bench/cold_cli.py --credentials --runs "${RUNS:-40}"
echo
echo "## --page-all over 100,000 items (peak RSS must not grow with the item count)"
"$PY" bench/page_all.py "$GAPI"
echo
echo "## build a service"
cargo bench -q -p gapi-client --bench build 2>/dev/null
"$PY" bench/py_build.py
echo
echo "## files.list throughput over keep-alive"
cargo bench -q -p gapi --bench throughput 2>/dev/null
"$PY" bench/py_throughput.py 2000
echo
echo "## emulator start-up"
"$PY" bench/emulator_startup.py "$GAPI"
echo
echo "## large media through the CLI (checksummed)"
bash bench/big_media.sh 64
bash bench/big_media.sh "${BIG_MIB:-1024}"
