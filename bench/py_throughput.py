"""Sequential files.list calls with the Python client over one keep-alive connection, the way
users write it: `service.files().list(...).execute()` in a loop. Prints requests/s.

    EMU=http://127.0.0.1:PORT TOKEN=... DRIVE_DOC=drive.json python py_throughput.py [N]
"""
import json, os, sys, time
import google.oauth2.credentials
from googleapiclient.discovery import build_from_document

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
doc = json.loads(open(os.environ["DRIVE_DOC"]).read())
doc["rootUrl"] = os.environ["EMU"] + "/"
service = build_from_document(doc, credentials=google.oauth2.credentials.Credentials(os.environ["TOKEN"]))
for _ in range(50):
    service.files().list(pageSize=5, orderBy="modifiedByMeTime desc").execute()
t0 = time.perf_counter()
for _ in range(n):
    service.files().list(pageSize=5, orderBy="modifiedByMeTime desc").execute()
dt = time.perf_counter() - t0
print(f"python sequential files.list: {n / dt:.0f} req/s ({n} calls in {dt:.2f} s)")
