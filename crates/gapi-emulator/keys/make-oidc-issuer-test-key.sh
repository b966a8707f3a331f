#!/bin/sh
# Makes oidc-issuer-test-key.pem: the key of the OIDC issuer the emulator runs itself (the identity
# provider its workload identity pools trust, src/services/sts/issuer.rs). A FIXED PUBLIC TEST KEY,
# committed on purpose and worth nothing: it signs subject tokens for the local emulator only.
# Rerunning this script makes a different key (the tests read whatever is here).
set -eu
cd "$(dirname "$0")"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out oidc-issuer-test-key.pem
