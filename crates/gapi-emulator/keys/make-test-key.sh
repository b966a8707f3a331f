#!/usr/bin/env bash
# Regenerates the emulator's ID-token signing key: a PUBLIC TEST KEY, committed on purpose.
#
# ring (the crypto crate gapi uses) can sign with RSA but cannot generate RSA keys, so the
# emulator ships one fixed key pair made by this script with openssl:
#   test-key.pk8     RSA 2048 private key, PKCS#8 DER (what ring's RsaKeyPair::from_pkcs8 reads)
#   test-cert.pem    a self-signed X.509 certificate for it (served at /oauth2/v1/certs, which
#                    Python's google.oauth2.id_token and Node's google-auth-library read)
#
# Anyone can read this private key: tokens signed with it prove nothing outside tests. Never
# trust this certificate for anything real. Run from anywhere: `bash make-test-key.sh`.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/key.pem"
openssl pkcs8 -topk8 -nocrypt -in "$tmp/key.pem" -outform DER -out test-key.pk8
openssl req -new -x509 -key "$tmp/key.pem" -sha256 -days 36500 \
  -subj "/CN=gapi-emulator public TEST key (not secret, never trust it)" \
  -out test-cert.pem
openssl x509 -in test-cert.pem -noout -subject -enddate
