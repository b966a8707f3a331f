"""Peer side of the metadata-server test: Python google-auth's compute_engine credentials
against the gapi emulator (GCE_METADATA_HOST / GCE_METADATA_IP point at it). Prints JSON."""
import json

import google.auth
import google.auth.transport.requests
from google.auth import compute_engine
from google.auth.compute_engine import _metadata

request = google.auth.transport.requests.Request()
creds, project = google.auth.default()
creds.refresh(request)
idc = compute_engine.IDTokenCredentials(request, "https://svc.example", use_metadata_identity_endpoint=True)
idc.refresh(request)
print(json.dumps({
    "type": type(creds).__module__ + "." + type(creds).__name__,
    "project": project,
    "on_gce": _metadata.is_on_gce(request),
    "email": creds.service_account_email,
    "token_prefix": creds.token[:8],
    "id_token_aud": google.auth.jwt.decode(idc.token, verify=False)["aud"],
}))
