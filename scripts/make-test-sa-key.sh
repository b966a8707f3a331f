#!/usr/bin/env bash
# Makes the fixed RSA test key used by gapi-auth's service-account tests (and the emulator's
# seeded robot@gapi-emulator.iam.gserviceaccount.com). A TEST key only: it is public, in git.
# Re-running it makes a different key; the committed one is what tests expect.
set -euo pipefail
out="${1:-crates/gapi-auth/tests/data/test-sa-key.pem}"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$out" 2>/dev/null
echo "wrote $out"
