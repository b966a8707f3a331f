#!/bin/sh
# The full authorization-code + PKCE (S256) flow against `gapi emulator --auto-approve`, with
# nothing but curl (plus openssl/base64 for the challenge), then the signed-in user's five most
# recently modified files, newest first.
#
# Usage: curl-flow.sh [BASE_URL]   (default $GAPI_EMULATOR_URL, else http://127.0.0.1:8080)
set -eu

BASE=${1:-${GAPI_EMULATOR_URL:-http://127.0.0.1:8080}}
CLIENT_ID=gapi-emulator.apps.googleusercontent.com
CLIENT_SECRET=emulator-client-secret
REDIRECT_URI=http://127.0.0.1:8765/callback
SCOPE=https://www.googleapis.com/auth/drive.metadata.readonly

b64url() { base64 | tr '+/' '-_' | tr -d '=\n'; }

# PKCE: a 43-character verifier from 32 random bytes, challenge = BASE64URL(SHA256(verifier)).
VERIFIER=$(head -c 32 /dev/urandom | b64url)
CHALLENGE=$(printf '%s' "$VERIFIER" | openssl dgst -sha256 -binary | b64url)
STATE=$(head -c 16 /dev/urandom | b64url)

# 1. Authorization request: with --auto-approve the emulator answers with a redirect at once.
LOCATION=$(curl -sS -o /dev/null -w '%{redirect_url}' -G "$BASE/o/oauth2/v2/auth" \
  --data-urlencode "client_id=$CLIENT_ID" \
  --data-urlencode "redirect_uri=$REDIRECT_URI" \
  --data-urlencode "response_type=code" \
  --data-urlencode "scope=$SCOPE" \
  --data-urlencode "code_challenge=$CHALLENGE" \
  --data-urlencode "code_challenge_method=S256" \
  --data-urlencode "state=$STATE" \
  --data-urlencode "access_type=offline")
case "$LOCATION" in
  "$REDIRECT_URI"?*) ;;
  *) echo "error: expected a redirect to $REDIRECT_URI, got '$LOCATION' (is the emulator running with --auto-approve?)" >&2; exit 1 ;;
esac
query_param() { printf '%s' "$LOCATION" | sed -n "s/.*[?&]$1=\([^&]*\).*/\1/p"; }
if [ "$(query_param state)" != "$STATE" ]; then
  echo "error: the state in the redirect does not match the one sent" >&2; exit 1
fi
CODE=$(query_param code)  # still percent-encoded, which is what the form body needs
if [ -z "$CODE" ]; then
  echo "error: no code in the redirect: $LOCATION" >&2; exit 1
fi

# 2. Token request with the PKCE verifier.
TOKENS=$(curl -sS -X POST "$BASE/token" \
  --data "grant_type=authorization_code" \
  --data "code=$CODE" \
  --data-urlencode "redirect_uri=$REDIRECT_URI" \
  --data-urlencode "client_id=$CLIENT_ID" \
  --data-urlencode "client_secret=$CLIENT_SECRET" \
  --data-urlencode "code_verifier=$VERIFIER")
ACCESS_TOKEN=$(printf '%s' "$TOKENS" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
if [ -z "$ACCESS_TOKEN" ]; then
  echo "error: the token endpoint did not return an access token: $TOKENS" >&2; exit 1
fi
echo "signed in; access token received (not shown)" >&2

# 3. The five most recently modified files, newest first.
curl -sS --fail-with-body -G "$BASE/drive/v3/files" \
  -H "Authorization: Bearer $ACCESS_TOKEN" \
  --data-urlencode "pageSize=5" \
  --data-urlencode "orderBy=modifiedByMeTime desc" \
  --data-urlencode "fields=files(id,name,modifiedByMeTime)"
echo
