"""Peer side of gapi-auth's service-account differential tests, run with the pinned google-auth.

usage: google_auth_sa.py KEY_FILE IAT MODE [ARG] < gapi_jwt
  MODE grant SCOPES [SUBJECT]  -> prints google-auth's grant assertion for the same claims
  MODE selfsigned AUDIENCE     -> prints google-auth's self-signed JWT (aud)
  MODE idtoken AUDIENCE        -> prints google-auth's ID-token grant assertion
  MODE verify AUDIENCE         -> decodes gapi's JWT (stdin) with google.auth.jwt.decode, prints claims
"""
import datetime
import json
import sys

from cryptography.hazmat.primitives import serialization
from google.auth import _helpers, jwt
from google.oauth2 import service_account

key_file, iat, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
args = sys.argv[4:]
fixed = datetime.datetime.fromtimestamp(iat, tz=datetime.timezone.utc).replace(tzinfo=None)
_helpers.utcnow = lambda: fixed

info = json.load(open(key_file))
if mode == "grant":
    scopes = args[0].split(" ") if args[0] else None
    subject = args[1] if len(args) > 1 else None
    creds = service_account.Credentials.from_service_account_info(info, scopes=scopes, subject=subject)
    print(creds._make_authorization_grant_assertion().decode())
elif mode == "selfsigned":
    creds = service_account.Credentials.from_service_account_info(info)
    token, _ = jwt.Credentials.from_signing_credentials(creds, args[0])._make_jwt()
    print(token.decode())
elif mode == "idtoken":
    creds = service_account.IDTokenCredentials.from_service_account_info(info, target_audience=args[0])
    print(creds._make_authorization_grant_assertion().decode())
elif mode == "verify":
    private = serialization.load_pem_private_key(info["private_key"].encode(), password=None)
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _helpers.utcnow = datetime.datetime.utcnow  # check exp/iat against the real clock
    claims = jwt.decode(sys.stdin.read().strip(), certs=public, audience=args[0])
    print(json.dumps(claims))
else:
    sys.exit("unknown mode " + mode)
