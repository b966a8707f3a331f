#!/usr/bin/env bash
# Installs the real third-party peers that gapi's tests run against, pinned, from the package
# registries only (no tool downloads a browser or anything else of its own):
#   Debian:  chromium (the real browser), xvfb + x11-utils (window-title flow under X),
#            dbus + gnome-keyring + libsecret-tools (a real Secret Service for the keyring store)
#   npm:     tests/peers/package-lock.json (oidc-provider, playwright-core, googleapis,
#            google-auth-library) -> tests/peers/node_modules
#   PyPI:    tests/peers/requirements.lock (google-api-python-client, google-auth,
#            google-auth-oauthlib, gcp-storage-emulator, mcp and every dependency) -> .venv-test/
# Idempotent and fast when nothing changed (each part keeps a stamp of the file it installed from).
# Works on a fresh Debian machine as root (CI). Set GAPI_SETUP_SKIP_APT=1 to skip the Debian part
# (e.g. not root and the packages are installed another way).
#
# At the end it writes target/test-env.sh (source it) and prints the same `export` lines:
#   GAPI_TEST_PYTHON, GAPI_TEST_GCS_EMULATOR, GAPI_TEST_NODE, GAPI_TEST_PEERS_DIR, GAPI_TEST_CHROMIUM
set -euo pipefail

repo=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
peers="$repo/tests/peers"
venv="$repo/.venv-test"
env_file="$repo/target/test-env.sh"

say() { printf 'setup-test-deps: %s\n' "$*" >&2; }
die() { printf 'setup-test-deps: error: %s\n' "$*" >&2; exit 1; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

start_ns=$(date +%s%N)

# ---------------------------------------------------------------- Debian packages
apt_packages=(chromium xvfb x11-utils dbus dbus-bin gnome-keyring libsecret-tools)
if [[ "${GAPI_SETUP_SKIP_APT:-}" == 1 ]]; then
    say "skipping Debian packages (GAPI_SETUP_SKIP_APT=1)"
else
    missing=()
    for p in "${apt_packages[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        [[ "$status" == "install ok installed" ]] || missing+=("$p")
    done
    if ((${#missing[@]})); then
        command -v apt-get >/dev/null || die "Debian packages missing (${missing[*]}) and no apt-get: install them, or set GAPI_SETUP_SKIP_APT=1"
        [[ $(id -u) == 0 ]] || die "Debian packages missing (${missing[*]}): run this script as root, or install them and set GAPI_SETUP_SKIP_APT=1"
        say "installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        say "Debian packages present: ${apt_packages[*]}"
    fi
    [[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is missing after installing Debian's chromium"
fi

# ---------------------------------------------------------------- npm (oidc-provider, playwright-core, googleapis, google-auth-library)
node_bin=$(command -v node || true)
[[ -n "$node_bin" ]] || die "node not found: install Node.js >= 20 (oidc-provider 9 needs it)"
node_major=$("$node_bin" -p 'process.versions.node.split(".")[0]')
((node_major >= 20)) || die "node $("$node_bin" --version) is too old: oidc-provider 9 needs Node.js >= 20"
command -v npm >/dev/null || die "npm not found (it comes with Node.js)"

npm_stamp="$peers/node_modules/.gapi-setup-stamp"
npm_want="$(sha "$peers/package-lock.json") node-$node_major"
if [[ -f "$npm_stamp" && "$(cat "$npm_stamp")" == "$npm_want" ]]; then
    say "npm peers up to date (tests/peers/node_modules)"
else
    say "installing npm peers: npm ci --prefix tests/peers"
    # playwright-core never downloads browsers itself; this is belt and braces.
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$peers" --no-audit --no-fund --loglevel=error >&2
    printf '%s\n' "$npm_want" >"$npm_stamp"
fi

# ---------------------------------------------------------------- Python venv (google-auth, mcp & co)
base_python=${GAPI_TEST_BASE_PYTHON:-$(command -v python3 || true)}
[[ -n "$base_python" ]] || die "python3 not found: install Python >= 3.9 (or set GAPI_TEST_BASE_PYTHON)"
py_stamp="$venv/.gapi-setup-stamp"
py_want="$(sha "$peers/requirements.lock") $("$base_python" -c 'import sys; print("py%d.%d" % sys.version_info[:2])')"
if [[ -x "$venv/bin/python" && -f "$py_stamp" && "$(cat "$py_stamp")" == "$py_want" ]]; then
    say "Python peers up to date (.venv-test)"
else
    say "installing Python peers into .venv-test from tests/peers/requirements.lock"
    rm -rf "$venv"
    "$base_python" -m venv "$venv"
    # The lock pins every package (pip freeze output), so --no-deps installs exactly that set;
    # pip check then proves the set is complete and consistent.
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$peers/requirements.lock" >&2
    "$venv/bin/python" -m pip check >&2 || die "the pinned Python set is inconsistent (pip check): regenerate tests/peers/requirements.lock"
    printf '%s\n' "$py_want" >"$py_stamp"
fi
[[ -x "$venv/bin/gcp-storage-emulator" ]] || die ".venv-test/bin/gcp-storage-emulator is missing: delete .venv-test and rerun"

# ---------------------------------------------------------------- environment for the tests
mkdir -p "$(dirname "$env_file")"
exports=$(cat <<EOF
export GAPI_TEST_PYTHON='$venv/bin/python'
export GAPI_TEST_GCS_EMULATOR='$venv/bin/gcp-storage-emulator'
export GAPI_TEST_NODE='$node_bin'
export GAPI_TEST_PEERS_DIR='$peers'
export GAPI_TEST_CHROMIUM='/usr/bin/chromium'
EOF
)
printf '# Written by scripts/setup-test-deps.sh; source it before running the peer tests.\n%s\n' "$exports" >"$env_file"
printf '%s\n' "$exports"
elapsed_ms=$((($(date +%s%N) - start_ns) / 1000000))
say "done in $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000))) s; environment written to target/test-env.sh"
