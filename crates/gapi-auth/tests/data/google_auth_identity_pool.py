"""Peer side of the workload identity federation test: Python google-auth's
identity_pool.Credentials (or pluggable.Credentials for an executable source), found by
google.auth.default() through GOOGLE_APPLICATION_CREDENTIALS
(an external_account file whose token_url and service_account_impersonation_url point at the gapi
emulator). Refreshes once and prints JSON: the class, the impersonated account and the token."""
import json

import google.auth
import google.auth.transport.requests
from google.auth import external_account

creds, project = google.auth.default(scopes=["https://www.googleapis.com/auth/cloud-platform"])
assert isinstance(creds, external_account.Credentials), type(creds)
creds.refresh(google.auth.transport.requests.Request())
print(json.dumps({
    "type": type(creds).__module__ + "." + type(creds).__name__,
    "service_account_email": creds.service_account_email,
    "token": creds.token,
    "has_expiry": creds.expiry is not None,
}))
