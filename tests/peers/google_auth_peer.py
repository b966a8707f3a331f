#!/usr/bin/env python3
"""The Python reference side of gapi's token-file interoperability tests.

Run with the pinned venv: $GAPI_TEST_PYTHON tests/peers/google_auth_peer.py COMMAND ...

  refresh FILE [--write-back]
      Load an authorized_user file with google.oauth2.credentials.Credentials
      .from_authorized_user_file (exactly as apps and gcloud-based tools do), refresh it with
      google.auth.transport.requests.Request against the file's token_uri, and print one JSON line:
      {"loaded_token_uri", "token_uri", "token", "refresh_token", "expiry", "scopes", "valid",
       "account"}.
      google-auth 2.63 IGNORES the file's token_uri when loading ("always overrides" with
      https://oauth2.googleapis.com/token); so that a local server can be used, this script then
      applies the file's token_uri with Credentials.with_token_uri and reports both
      ("loaded_token_uri" is what google-auth chose). With --write-back the refreshed credentials
      are written back to FILE as to_json() plus "type": "authorized_user".

  login CLIENT_SECRETS OUT_FILE --scope SCOPE [--scope SCOPE ...] [--timeout SECS]
      google-auth-oauthlib's InstalledAppFlow.run_local_server (port 0, opens $BROWSER, e.g.
      tests/peers/browser-open.sh), then writes Credentials.to_json() plus "type":
      "authorized_user" to OUT_FILE (mode 0600), as the seed's Python app would save it. Prints one
      JSON line {"file", "token_uri", "scopes", "has_refresh_token"}. A local http token_uri needs
      OAUTHLIB_INSECURE_TRANSPORT=1 (oauthlib refuses http otherwise); this command sets it.

Exit status: 0 on success; 1 with a message on stderr when google-auth raised (the message names
the exception and the server's answer).
"""

import argparse
import json
import os
import sys


def _summary(creds, loaded_token_uri):
    return {
        "loaded_token_uri": loaded_token_uri,
        "token_uri": creds.token_uri,
        "token": creds.token,
        "refresh_token": creds.refresh_token,
        "expiry": creds.expiry.isoformat() + "Z" if creds.expiry else None,
        "scopes": list(creds.scopes) if creds.scopes else None,
        "valid": creds.valid,
        "account": creds.account,
    }


def _write_authorized_user(creds, path):
    info = json.loads(creds.to_json())
    info["type"] = "authorized_user"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")


def cmd_refresh(args):
    from google.auth.transport.requests import Request
    from google.oauth2.credentials import Credentials

    with open(args.file) as f:
        info = json.load(f)
    creds = Credentials.from_authorized_user_file(args.file)
    loaded_token_uri = creds.token_uri
    if info.get("token_uri"):
        creds = creds.with_token_uri(info["token_uri"])
    creds.refresh(Request())
    if args.write_back:
        _write_authorized_user(creds, args.file)
    print(json.dumps(_summary(creds, loaded_token_uri)))


def cmd_login(args):
    os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")
    from google_auth_oauthlib.flow import InstalledAppFlow

    flow = InstalledAppFlow.from_client_secrets_file(args.client_secrets, scopes=args.scope)
    creds = flow.run_local_server(
        host="localhost",
        port=0,
        open_browser=True,
        timeout_seconds=args.timeout,
        authorization_prompt_message="",
        success_message="The authentication flow has completed. You may close this window.",
    )
    if creds is None:
        raise RuntimeError("run_local_server returned no credentials (timed out?)")
    _write_authorized_user(creds, args.out_file)
    print(
        json.dumps(
            {
                "file": args.out_file,
                "token_uri": creds.token_uri,
                "scopes": list(creds.scopes) if creds.scopes else None,
                "has_refresh_token": bool(creds.refresh_token),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("refresh")
    p.add_argument("file")
    p.add_argument("--write-back", action="store_true")
    p.set_defaults(func=cmd_refresh)
    p = sub.add_parser("login")
    p.add_argument("client_secrets")
    p.add_argument("out_file")
    p.add_argument("--scope", action="append", required=True)
    p.add_argument("--timeout", type=int, default=60)
    p.set_defaults(func=cmd_login)
    args = parser.parse_args()
    try:
        args.func(args)
    except Exception as exc:  # report google-auth's own words, not a traceback
        print(f"google_auth_peer.py {args.command}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
