#!/bin/sh
# A `$BROWSER` for tests: `webbrowser` (and Python's webbrowser module) run `$BROWSER <url>`.
# It hands the URL to browser.mjs (headless Chromium driven by playwright-core) in the background
# and returns at once, as a real browser launcher does, so the app under test keeps waiting for
# its redirect.
#
# Options come from the environment:
#   GAPI_TEST_BROWSER_ACTION       allow (default) | deny
#   GAPI_TEST_BROWSER_USER         the emulator test user to pick / oidc-provider login name
#   GAPI_TEST_BROWSER_USER_CODE    device flow user code, when the page asks for one
#   GAPI_TEST_SCREENSHOTS          directory for consent.png / final.png / ...
#   GAPI_TEST_BROWSER_LOG          file to which browser.mjs's JSON line is appended (one line per
#                                  run; its stderr goes to FILE.err)
#   GAPI_TEST_NODE                 node binary (default: node on PATH)
set -eu
if [ "$#" -lt 1 ] || [ -z "$1" ]; then
    echo "browser-open.sh: usage: browser-open.sh URL" >&2
    exit 2
fi
url=$1
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
node=${GAPI_TEST_NODE:-node}
log=${GAPI_TEST_BROWSER_LOG:-/dev/null}
err=/dev/null
[ "$log" != /dev/null ] && err="$log.err"

set -- "$here/browser.mjs" "$url" --action "${GAPI_TEST_BROWSER_ACTION:-allow}"
[ -n "${GAPI_TEST_BROWSER_USER:-}" ] && set -- "$@" --user "$GAPI_TEST_BROWSER_USER"
[ -n "${GAPI_TEST_BROWSER_USER_CODE:-}" ] && set -- "$@" --user-code "$GAPI_TEST_BROWSER_USER_CODE"
[ -n "${GAPI_TEST_SCREENSHOTS:-}" ] && set -- "$@" --screenshots "$GAPI_TEST_SCREENSHOTS"

# Detach: no stdin, output appended to the log, and return at once. browser.mjs writes its JSON
# line with one write() to a file opened with O_APPEND, so concurrent runs sharing one log do
# not interleave their lines.
nohup "$node" "$@" </dev/null >>"$log" 2>>"$err" &
exit 0
