"""One real files.list call with the Python client against the emulator ($EMU, token $TOKEN)."""
import json, os, urllib.request
import google.oauth2.credentials
from googleapiclient.discovery import build_from_document

emu, token = os.environ["EMU"], os.environ["TOKEN"]
doc = json.loads(open(os.environ["DRIVE_DOC"]).read())
doc["rootUrl"] = emu + "/"
creds = google.oauth2.credentials.Credentials(token)
service = build_from_document(doc, credentials=creds)
service.files().list(pageSize=5, orderBy="modifiedByMeTime desc").execute()
