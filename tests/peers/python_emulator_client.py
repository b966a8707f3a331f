"""Google's own Python clients (google-auth, google-auth-oauthlib, google-api-python-client,
pinned in requirements.txt) against the gapi emulator: what a real Python app sees. Driven by
crates/gapi-emulator/tests/it/real_clients.rs, which asserts on the output.

    python python_emulator_client.py SCENARIO   with GAPI_EMU = JSON {base, client_id,
                                                 client_secret, ...scenario inputs}

Prints ONE JSON line: what the clients returned (or the errors they raised). It does not judge;
the Rust test does. Scenarios: identity, errors, drive, refresh, scope.
"""

import json
import os
import sys

import google.auth.transport.requests
import httplib2
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

    def plain_list(authorization=None):
        # A plain httplib2.Http instead of credentials: no Authorization header at all, or the
        # one given (with credentials, google-auth would answer a 401 by refreshing instead).
        drive = build(
            "drive",
            "v3",
            http=httplib2.Http(),
            discoveryServiceUrl=f"{BASE}/discovery/v1/apis/{{api}}/{{apiVersion}}/rest",
            static_discovery=False,
            cache_discovery=False,
        )
        request = drive.files().list()
        if authorization:
            request.headers["authorization"] = authorization
        return request.execute()

    return {
        "no_token": attempt(plain_list),
        "bad_token": attempt(lambda: plain_list("Bearer ya29.not-a-token")),
        "bad_token_with_credentials": attempt(files_list(credentials(token="ya29.not-a-token"))),
        "narrow_scope": attempt(files_list(credentials(token=CFG["narrow_token"]))),
    }


def drive():
    """Drive through google-api-python-client: md5Checksum, a chunked download (Range requests),
    export, generateIds, permissions, changes and emptyTrash."""
    import hashlib
    import io

    from googleapiclient.http import MediaInMemoryUpload, MediaIoBaseDownload

    d = service("drive", "v3", credentials(token=CFG["access_token"]))
    out = {}
    content = b"hello from google-api-python-client\n" * 20000  # 720,000 bytes
    start = d.changes().getStartPageToken().execute()
    created = d.files().create(
        body={"name": "python-md5.txt"},
        media_body=MediaInMemoryUpload(content, mimetype="text/plain", resumable=True),
        fields="id,md5Checksum,size",
    ).execute()
    out["created"] = created
    out["expected_md5"] = hashlib.md5(content).hexdigest()
    buffer = io.BytesIO()
    download = MediaIoBaseDownload(buffer, d.files().get_media(fileId=created["id"]), chunksize=256 * 1024)
    chunks = 0
    done = False
    while not done:
        _status, done = download.next_chunk()
        chunks += 1
    out["download"] = {"chunks": chunks, "md5": hashlib.md5(buffer.getvalue()).hexdigest()}
    docs = d.files().list(q="mimeType = 'application/vnd.google-apps.document'", fields="files(id,name)").execute()
    doc = docs["files"][0]
    out["doc"] = doc
    out["export_csv_of_a_doc"] = attempt(lambda: d.files().export(fileId=doc["id"], mimeType="text/csv").execute())
    exported = d.files().export(fileId=doc["id"], mimeType="text/plain").execute()
    out["export_text"] = exported.decode("utf-8-sig")
    ids = d.files().generateIds(count=2).execute()
    out["generated"] = ids
    out["create_with_id"] = d.files().create(body={"id": ids["ids"][1], "name": "with id"}, fields="id").execute()
    out["reuse_id"] = attempt(lambda: d.files().create(body={"id": ids["ids"][1], "name": "again"}).execute())
    perm = d.permissions().create(
        fileId=created["id"], body={"type": "anyone", "role": "reader"}, fields="id,type,role"
    ).execute()
    out["permission"] = perm
    out["permissions"] = d.permissions().list(fileId=created["id"], fields="permissions(id,role,type)").execute()
    d.permissions().delete(fileId=created["id"], permissionId=perm["id"]).execute()
    out["permissions_after_delete"] = d.permissions().list(fileId=created["id"]).execute()
    d.files().update(fileId=created["id"], body={"trashed": True}).execute()
    d.files().emptyTrash().execute()
    out["get_after_empty"] = attempt(lambda: d.files().get(fileId=created["id"]).execute())
    changes = []
    token = start["startPageToken"]
    pages = 0
    while True:
        page = d.changes().list(pageToken=token, pageSize=1, fields="*").execute()
        pages += 1
        changes.extend(page["changes"])
        if "nextPageToken" in page:
            token = page["nextPageToken"]
        else:
            out["new_start_page_token"] = page["newStartPageToken"]
            break
    out["changes"] = changes
    out["change_pages"] = pages
    return out


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


SCENARIOS = {"identity": identity, "errors": errors, "drive": drive, "refresh": refresh, "scope": scope}

if __name__ == "__main__":
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    if name not in SCENARIOS:
        print(f"unknown scenario {name!r}; one of {', '.join(SCENARIOS)}", file=sys.stderr)
        sys.exit(2)
    print(json.dumps(SCENARIOS[name](), default=str))
