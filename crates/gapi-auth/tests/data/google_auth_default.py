"""Peer side of the ADC parity test: runs google.auth.default() in this process's environment
and prints what it picked as JSON: {"kind", "project_id", "quota_project_id", "account"} or
{"error": message}."""
import json
import sys
import warnings

warnings.simplefilter("ignore")

import google.auth
from google.auth import exceptions

KINDS = {
    "google.oauth2.credentials.Credentials": "authorized_user",
    "google.oauth2.service_account.Credentials": "service_account",
    "google.auth.impersonated_credentials.Credentials": "impersonated_service_account",
    "google.auth.compute_engine.credentials.Credentials": "compute_metadata",
    "google.auth.identity_pool.Credentials": "external_account",
    "google.auth.pluggable.Credentials": "external_account",
    "google.auth.external_account_authorized_user.Credentials": "external_account_authorized_user",
}

try:
    creds, project = google.auth.default()
except Exception as e:  # google-auth raises more than DefaultCredentialsError on bad files
    print(json.dumps({"error": str(e)}))
    sys.exit(0)
name = type(creds).__module__ + "." + type(creds).__name__
kind = KINDS.get(name, name)
account = None
if kind == "service_account":
    account = creds.service_account_email
elif kind == "impersonated_service_account":
    account = creds._target_principal
print(json.dumps({
    "kind": kind,
    "project_id": project,
    "quota_project_id": getattr(creds, "quota_project_id", None),
    "account": account,
}))
