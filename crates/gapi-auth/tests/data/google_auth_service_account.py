"""Peer side of the service-account test: Python google-auth against the gapi emulator, with
the emulator's JSON key (service_account.Credentials, with and without a subject; an ID token
through the JWT-bearer grant) and impersonated_credentials from alice's (and bob's) user
credentials through the emulator's IAM Credentials API. Prints JSON."""
import json
import os

import google.auth.jwt
import google.auth.transport.requests
from google.auth import exceptions, impersonated_credentials
from google.oauth2 import credentials as user_credentials
from google.oauth2 import id_token, service_account

BASE = os.environ["EMU_BASE"]
KEY = os.environ["EMU_KEY_FILE"]
DRIVE = "https://www.googleapis.com/auth/drive"
ROBOT = "robot@gapi-emulator.iam.gserviceaccount.com"
request = google.auth.transport.requests.Request()
session = google.auth.transport.requests.requests.Session()


def file_count(token):
    r = session.get(BASE + "/drive/v3/files?pageSize=100", headers={"Authorization": "Bearer " + token})
    r.raise_for_status()
    return len(r.json()["files"])


def user(refresh_token):
    return user_credentials.Credentials(
        token=None,
        refresh_token=refresh_token,
        client_id=os.environ["EMU_CLIENT_ID"],
        client_secret=os.environ["EMU_CLIENT_SECRET"],
        token_uri=BASE + "/token",
    )


def impersonate(source):
    return impersonated_credentials.Credentials(
        source_credentials=source,
        target_principal=ROBOT,
        target_scopes=[DRIVE],
        lifetime=600,
        iam_endpoint_override=BASE + "/_/iamcredentials/v1/projects/-/serviceAccounts/" + ROBOT + ":generateAccessToken",
    )


out = {}
sa = service_account.Credentials.from_service_account_file(KEY, scopes=[DRIVE])
sa.refresh(request)
out["sa_email"] = sa.service_account_email
out["sa_files"] = file_count(sa.token)
alice_sa = sa.with_subject("alice@example.com")
alice_sa.refresh(request)
out["subject_files"] = file_count(alice_sa.token)
jwt_access = service_account.Credentials.from_service_account_file(KEY, scopes=[DRIVE], always_use_jwt_access=True)
jwt_access.refresh(request)
out["jwt_access_is_jwt"] = jwt_access.token.count(".") == 2
out["jwt_access_files"] = file_count(jwt_access.token)
idc = service_account.IDTokenCredentials.from_service_account_file(KEY, target_audience="https://svc.example")
idc.refresh(request)
out["id_token_aud"] = google.auth.jwt.decode(idc.token, verify=False)["aud"]
# Verified as Google's: against the emulator's certificates.
out["id_token_verified_email"] = id_token.verify_token(
    idc.token, request, audience="https://svc.example", certs_url=BASE + "/oauth2/v1/certs"
)["email"]

alice = impersonate(user(os.environ["EMU_ALICE_REFRESH"]))
alice.refresh(request)
out["impersonated_files"] = file_count(alice.token)
out["impersonated_expiry_set"] = alice.expiry is not None
try:
    impersonate(user(os.environ["EMU_BOB_REFRESH"])).refresh(request)
    out["bob"] = "allowed"
except exceptions.RefreshError as e:
    body = json.loads(e.args[1])["error"]
    out["bob"] = body["message"]
    out["bob_reason"] = body["details"][0]["reason"]
print(json.dumps(out))
