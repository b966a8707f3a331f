#!/usr/bin/env python3
"""Builds (never sends) requests with google-api-python-client, for gapi's differential test.

Usage: build_requests.py DOC_DIR CASES_JSON
  DOC_DIR     holds {api}.{version}.json Discovery documents (gapi's bundle, written by the test)
  CASES_JSON  a list of {"api", "version", "method", "params", "body", "media"}
Prints one JSON list: for each case {"method", "uri", "body"} or {"error": "..."}.
"""
import json
import os
import sys

try:
    from googleapiclient.discovery import build_from_document, fix_method_name, key2param
    from googleapiclient.http import MediaInMemoryUpload
except ImportError as e:  # the Rust test turns this into a clear failure
    print(f"googleapiclient is not installed for {sys.executable}: {e}", file=sys.stderr)
    sys.exit(3)


def main():
    doc_dir, cases_path = sys.argv[1], sys.argv[2]
    with open(cases_path) as f:
        cases = json.load(f)
    services = {}
    out = []
    for case in cases:
        try:
            key = (case["api"], case["version"])
            if key not in services:
                with open(os.path.join(doc_dir, f"{case['api']}.{case['version']}.json")) as f:
                    services[key] = build_from_document(f.read(), developerKey="test-key")
            obj = services[key]
            *resources, method = case["method"].split(".")
            for r in resources:
                obj = getattr(obj, fix_method_name(r))()
            kwargs = {key2param(k): v for k, v in case.get("params", {}).items()}
            if case.get("body") is not None:
                kwargs["body"] = case["body"]
            if case.get("media"):
                kwargs["media_body"] = MediaInMemoryUpload(b"hello", mimetype="text/plain", resumable=False)
            req = getattr(obj, fix_method_name(method))(**kwargs)
            body = None
            if req.body and not case.get("media"):
                body = json.loads(req.body)
            out.append({"method": req.method, "uri": req.uri, "body": body})
        except Exception as e:  # report per case, keep going
            out.append({"error": f"{type(e).__name__}: {e}"})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
