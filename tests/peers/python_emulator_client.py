"""Google's own Python clients (google-auth, google-auth-oauthlib, google-api-python-client,
pinned in requirements.txt) against the gapi emulator: what a real Python app sees. Driven by
crates/gapi-emulator/tests/real_clients.rs, which asserts on the output.

    python python_emulator_client.py SCENARIO   with GAPI_EMU = JSON {base, client_id,
                                                 client_secret, ...scenario inputs}

Prints ONE JSON line: what the clients returned (or the errors they raised). It does not judge;
the Rust test does. Scenarios: identity, errors, refresh, scope.
"""

import json
import os
import sys

import google.auth.transport.requests
import google.oauth2.credentials
import requests
from google.auth import exceptions
from google.oauth2 import id_token
from google_auth_oauthlib.flow import Flow
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

CFG = json.loads(os.environ.get("GAPI_EMU", "{}"))
BASE = CFG.get("base", "")
GOOGLE_CERTS = "https://www.googleapis.com/oauth2/v1/certs"


def credentials(token=None, refresh_token=None):
    return google.oauth2.credentials.Credentials(
        token=token,
        refresh_token=refresh_token,
        token_uri=f"{BASE}/token",
        client_id=CFG.get("client_id"),
        client_secret=CFG.get("client_secret"),
    )


def service(api, version, creds):
    return build(
        api,
        version,
        credentials=creds,
        discoveryServiceUrl=f"{BASE}/discovery/v1/apis/{{api}}/{{apiVersion}}/rest",
        static_discovery=False,
        cache_discovery=False,
    )


def attempt(fn):
    """Runs fn; returns {"value": ...} or what the raised error says."""
    try:
        return {"raised": False, "value": fn()}
    except HttpError as e:
        return {
            "raised": True,
            "type": "HttpError",
            "status": e.resp.status,
            "reason": e.reason,
            "error_details": e.error_details,
            "content": json.loads(e.content.decode("utf-8") or "null"),
            "www_authenticate": e.resp.get("www-authenticate"),
        }
    except Exception as e:  # noqa: BLE001 - the test reports every failure class
        return {"raised": True, "type": type(e).__name__, "message": str(e), "args": [str(a) for a in e.args]}


class ToEmulator(google.auth.transport.requests.Request):
    """A transport that sends Google's certificate URL to the emulator (as a test points any
    client at a stand-in); every other URL goes out unchanged."""

    def __call__(self, url, method="GET", **kwargs):
        if url == GOOGLE_CERTS:
            url = f"{BASE}/oauth2/v1/certs"
        return super().__call__(url, method=method, **kwargs)


def identity():
    creds = credentials(token=CFG["access_token"])
    oauth2 = service("oauth2", "v2", creds)
    request = google.auth.transport.requests.Request()
    out = {
        "userinfo_v2": attempt(lambda: oauth2.userinfo().get().execute()),
        "userinfo_v2_me": attempt(lambda: oauth2.userinfo().v2().me().get().execute()),
        "tokeninfo_method": attempt(lambda: oauth2.tokeninfo(access_token=CFG["access_token"]).execute()),
        # verify_token is what verify_oauth2_token runs, with the certificate URL as a parameter.
        "verify_token_pem": attempt(
            lambda: id_token.verify_token(
                CFG["id_token"], request, audience=CFG["client_id"], certs_url=f"{BASE}/oauth2/v1/certs"
            )
        ),
        "verify_token_jwks": attempt(
            lambda: id_token.verify_token(
                CFG["id_token"], request, audience=CFG["client_id"], certs_url=f"{BASE}/oauth2/v3/certs"
            )
        ),
        "verify_wrong_audience": attempt(
            lambda: id_token.verify_token(
                CFG["id_token"], request, audience="someone-else", certs_url=f"{BASE}/oauth2/v1/certs"
            )
        ),
        # verify_oauth2_token itself: Google's certificate URL (sent to the emulator) and Google's
        # issuers, so it accepts only a token whose iss is accounts.google.com.
        "verify_oauth2_token": attempt(
            lambda: id_token.verify_oauth2_token(CFG["id_token"], ToEmulator(), audience=CFG["client_id"])
        ),
    }
    if CFG.get("google_issuer_id_token"):
        out["verify_oauth2_token_google_issuer"] = attempt(
            lambda: id_token.verify_oauth2_token(
                CFG["google_issuer_id_token"], ToEmulator(), audience=CFG["client_id"]
            )
        )
    return out


def errors():
    def files_list(creds):
        return lambda: service("drive", "v3", creds).files().list().execute()

    class NoCredentials(google.oauth2.credentials.Credentials):
        """Sends no Authorization header at all."""

        def apply(self, headers, token=None):
            pass

        def before_request(self, request, method, url, headers):
            pass

    return {
        "no_token": attempt(files_list(NoCredentials(token=None))),
        "bad_token": attempt(files_list(credentials(token="ya29.not-a-token"))),
        "narrow_scope": attempt(files_list(credentials(token=CFG["narrow_token"]))),
    }


def refresh():
    creds = credentials(refresh_token=CFG["refresh_token"])

    def go():
        creds.refresh(google.auth.transport.requests.Request())
        return {"token": bool(creds.token), "expiry": str(creds.expiry)}

    return {"refresh": attempt(go)}


def scope():
    """google-auth-oauthlib builds the authorization URL; the emulator's answer to it (a redirect
    to the app) goes back through Flow.fetch_token, as run_local_server does."""
    config = {
        "installed": {
            "client_id": CFG["client_id"],
            "client_secret": CFG["client_secret"],
            "auth_uri": f"{BASE}/o/oauth2/v2/auth",
            "token_uri": f"{BASE}/token",
            "redirect_uris": ["http://127.0.0.1"],
        }
    }
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"  # the loopback redirect is plain http
    out = {}
    for label, scopes in CFG["scope_sets"].items():
        flow = Flow.from_client_config(config, scopes=scopes, redirect_uri="http://127.0.0.1:9/")
        url, _state = flow.authorization_url(access_type="offline")
        answer = requests.get(url, allow_redirects=False, timeout=30)
        location = answer.headers.get("location", "")
        out[label] = {
            "status": answer.status_code,
            "location": location,
            "fetch_token": attempt(lambda: bool(flow.fetch_token(authorization_response=location))),
        }
    return out


SCENARIOS = {"identity": identity, "errors": errors, "refresh": refresh, "scope": scope}

if __name__ == "__main__":
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    if name not in SCENARIOS:
        print(f"unknown scenario {name!r}; one of {', '.join(SCENARIOS)}", file=sys.stderr)
        sys.exit(2)
    print(json.dumps(SCENARIOS[name](), default=str))
