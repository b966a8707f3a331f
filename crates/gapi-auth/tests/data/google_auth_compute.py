"""Peer side of the metadata-server test: Python google-auth's compute_engine credentials
against the gapi emulator (GCE_METADATA_HOST / GCE_METADATA_IP point at it), and google-auth's
ID-token verifier on the metadata server's and IAM generateIdToken's tokens, against the
emulator's certificates (EMU_BASE; EMU_ALICE_TOKEN may call IAM as alice). Prints JSON."""
import base64
import json
import os

import google.auth
import google.auth.transport.requests
from google.auth import compute_engine
from google.auth.compute_engine import _metadata
from google.oauth2 import id_token

BASE = os.environ["EMU_BASE"]
AUD = "https://svc.example"
ROBOT = "robot@gapi-emulator.iam.gserviceaccount.com"

request = google.auth.transport.requests.Request()
creds, project = google.auth.default()
creds.refresh(request)
idc = compute_engine.IDTokenCredentials(request, AUD, use_metadata_identity_endpoint=True)
idc.refresh(request)
r = google.auth.transport.requests.requests.post(
    BASE + "/_/iamcredentials/v1/projects/-/serviceAccounts/" + ROBOT + ":generateIdToken",
    headers={"Authorization": "Bearer " + os.environ["EMU_ALICE_TOKEN"]},
    json={"audience": AUD, "includeEmail": True},
)
r.raise_for_status()
iam_token = r.json()["token"]


def verified(token, certs):
    claims = id_token.verify_token(token, request, audience=AUD, certs_url=BASE + "/oauth2/" + certs + "/certs")
    return {k: claims.get(k) for k in ("aud", "email", "email_verified", "iss")}


head, body, sig = idc.token.split(".")
forged = dict(google.auth.jwt.decode(idc.token, verify=False), email="mallory@example.com")
forged_body = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
try:
    verified(head + "." + forged_body + "." + sig, "v1")
    tampered = "accepted"
except Exception:  # google-auth raises ValueError / exceptions.InvalidValue
    tampered = "rejected"
print(json.dumps({
    "type": type(creds).__module__ + "." + type(creds).__name__,
    "project": project,
    "on_gce": _metadata.is_on_gce(request),
    "email": creds.service_account_email,
    "token_prefix": creds.token[:8],
    "id_token_aud": google.auth.jwt.decode(idc.token, verify=False)["aud"],
    "metadata_verified_v3": verified(idc.token, "v3"),
    "metadata_verified_v1": verified(idc.token, "v1"),
    "iam_verified_v3": verified(iam_token, "v3"),
    "iam_verified_v1": verified(iam_token, "v1"),
    "tampered": tampered,
}))
