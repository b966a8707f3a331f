#!/bin/sh
# Makes robot-test-key.pem: the emulator's seeded service account's (robot@gapi-emulator.iam.gserviceaccount.com)
# FIXED PUBLIC TEST KEY. It is committed on purpose and is worth nothing: it signs only for the local
# emulator, never for Google. Rerunning this script makes a different key (the tests read whatever is here).
set -eu
cd "$(dirname "$0")"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out robot-test-key.pem
