#!/usr/bin/env bash
# Program (a), the seed's example (crates/gapi/examples/list_drive_files.rs), built the way a
# Rust developer adds gapi -- `gapi = { path, default-features = false, features = ["drive"] }`
# -- beside the same program on google-drive3 7 + yup-oauth2 12 (default features, ring), both
# with tokio `macros, rt-multi-thread` (README's line: `#[tokio::main]`) and serde_json, in
# fresh crates outside the workspace (issue 17 §1).
#
#     bench/program_a_build.sh [REV...]      (default: HEAD; e.g. `main HEAD` for before/after)
#
# For each profile (PROFILES, default "debug release") and each of RUNS rounds (default 1),
# every build starts from an empty target folder of its own, and all of them (one per REV,
# plus google-drive3) run at the same time, so they share the machine's load. Crates are
# downloaded before (not timed). Prints per build: the CPU time (user + system, from GNU time:
# what other work on a shared machine disturbs least), the wall time, the number of units, the
# stripped binary size and the five slowest units of cargo's --timings report; then the
# medians over the rounds. Deletes everything it made (KEEP=1 keeps it, to read the reports).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || set -- HEAD
profiles=${PROFILES:-debug release}
runs=${RUNS:-1}
work=$(mktemp -d "${PROGRAM_A_DIR:-${TMPDIR:-/tmp}}/program-a.XXXXXX")
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$work"' EXIT; fi
unset CARGO_TARGET_DIR RUSTFLAGS CARGO_BUILD_RUSTFLAGS RUSTC_WRAPPER CARGO_INCREMENTAL

# shellcheck source=bench/scratch_crate.sh
source "$repo/bench/scratch_crate.sh"
manifest() { # name, dependency lines: plus what both programs use (the README's tokio line)
  scratch_crate "$work" "$1" "$2
tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }
serde_json = \"1\""
}

names=()
for rev in "$@"; do
  sha=$(git -C "$repo" rev-parse --verify "$rev^{commit}")
  name="gapi-${rev//[^A-Za-z0-9]/-}"
  git clone --quiet --no-checkout "$repo" "$work/src-$name"
  git -C "$work/src-$name" checkout --quiet "$sha"
  manifest "$name" "gapi = { path = \"$work/src-$name/crates/gapi\", default-features = false, features = [\"drive\"] }"
  cp "$work/src-$name/crates/gapi/examples/list_drive_files.rs" "$work/$name/src/main.rs"
  # The versions gapi is tested with (a new user's resolver could pick newer ones).
  cp "$work/src-$name/Cargo.lock" "$work/$name/Cargo.lock"
  echo "$name = $rev ($sha)"
  names+=("$name")
done

manifest gd3 'google-drive3 = "7"
yup-oauth2 = "12"'
cat >"$work/gd3/src/main.rs" <<'RUST'
//! Program (a) on google-drive3 + yup-oauth2: authorize read-only Drive access, print the five
//! files the user modified most recently.
use google_drive3::api::Scope;
use google_drive3::{DriveHub, hyper_rustls, hyper_util, yup_oauth2};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or("client_secret.json".into());
    let secret = yup_oauth2::read_application_secret(path).await?;
    let auth = yup_oauth2::InstalledFlowAuthenticator::builder(
        secret,
        yup_oauth2::InstalledFlowReturnMethod::HTTPRedirect,
    )
    .build()
    .await?;
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_native_roots()?
        .https_or_http()
        .enable_http1()
        .enable_http2()
        .build();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build(connector);
    let hub = DriveHub::new(client, auth);
    let (_, files) = hub
        .files()
        .list()
        .page_size(5)
        .order_by("modifiedByMeTime desc")
        .add_scope(Scope::MetadataReadonly)
        .doit()
        .await?;
    println!("{}", serde_json::to_string_pretty(&files)?);
    Ok(())
}
RUST
names+=(gd3)

for n in "${names[@]}"; do cargo fetch --quiet --manifest-path "$work/$n/Cargo.toml"; done
echo "$(nproc) cores; rustc $(rustc --version | cut -d' ' -f2)"

report() { # name, profile, round
  local dir=$work/$1 out=$work/$1/out-$2-$3
  read -r wall user sys <"$out.time"
  local bin=$dir/target/$([ "$2" = debug ] && echo debug || echo release)/$1
  strip -o "$out.stripped" "$bin"
  python3 - "$dir/target/cargo-timings/cargo-timing.html" "$1" "$2" "$wall" "$user" "$sys" \
    "$(stat -c %s "$bin")" "$(stat -c %s "$out.stripped")" >>"$work/results" <<'PY'
import json, re, sys
html, name, profile, wall, user, sys_, size, stripped = sys.argv[1:]
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", open(html).read(), re.S).group(1))
slow = sorted(units, key=lambda u: -u["duration"])[:5]
slow = ", ".join(f"{u['name']}{(' ' + u['target'].strip()) if u['target'].strip() else ''} {u['duration']:.1f}" for u in slow)
print(json.dumps(dict(name=name, profile=profile, cpu=float(user) + float(sys_), wall=float(wall),
                      units=len(units), size=int(size), stripped=int(stripped), slowest=slow)))
PY
  rm -f "$out.stripped"
}

for round in $(seq "$runs"); do
  for profile in $profiles; do
    flag=$([ "$profile" = release ] && echo --release || true)
    echo "round $round, $profile: load before $(cut -d' ' -f1-3 /proc/loadavg)"
    pids=()
    for n in "${names[@]}"; do
      rm -rf "$work/$n/target"
      ( cd "$work/$n" && /usr/bin/time -f '%e %U %S' -o "out-$profile-$round.time" \
          cargo build --quiet --timings $flag >"out-$profile-$round.log" 2>&1 ) &
      pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
    echo "  load after $(cut -d' ' -f1-3 /proc/loadavg)"
    for n in "${names[@]}"; do report "$n" "$profile" "$round"; rm -rf "$work/$n/target"; done
  done
done

python3 - "$work/results" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
mib = lambda b: b / 1048576
for r in rows:
    print(f"{r['profile']:7} {r['name']:16} CPU {r['cpu']:7.1f} s  wall {r['wall']:7.1f} s  "
          f"{r['units']} units  binary {mib(r['size']):6.2f} MiB (stripped {mib(r['stripped']):5.2f})")
    print(f"        slowest: {r['slowest']}")
print("medians:")
keys = sorted({(r['profile'], r['name']) for r in rows})
for p, n in keys:
    rs = [r for r in rows if (r['profile'], r['name']) == (p, n)]
    print(f"{p:7} {n:16} CPU {statistics.median(r['cpu'] for r in rs):7.1f} s  "
          f"stripped {mib(statistics.median(r['stripped'] for r in rs)):5.2f} MiB  (n={len(rs)})")
PY
if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; fi
