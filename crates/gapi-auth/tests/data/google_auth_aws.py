"""Peer side of the AWS workload identity federation test: Python google-auth's aws.Credentials
from an external_account file (AWS_* variables for credentials and region, no metadata).
`refresh FILE`: google.auth.default() through GOOGLE_APPLICATION_CREDENTIALS, refresh, print
JSON. `subject FILE UNIX_SECONDS`: the serialized signed GetCallerIdentity request google-auth
builds at that fixed time (for a byte-for-byte comparison)."""
import datetime
import json
import sys

import google.auth
import google.auth.transport.requests
from google.auth import _helpers, aws

mode, path = sys.argv[1], sys.argv[2]
if mode == "subject":
    at = datetime.datetime.fromtimestamp(int(sys.argv[3]), tz=datetime.timezone.utc).replace(tzinfo=None)
    _helpers.utcnow = lambda: at
    creds = aws.Credentials.from_file(path)
    print(creds.retrieve_subject_token(None))
else:
    creds, _ = google.auth.default(scopes=["https://www.googleapis.com/auth/cloud-platform"])
    assert isinstance(creds, aws.Credentials), type(creds)
    creds.refresh(google.auth.transport.requests.Request())
    print(json.dumps({
        "type": type(creds).__module__ + "." + type(creds).__name__,
        "service_account_email": creds.service_account_email,
        "token": creds.token,
    }))
