# Application Default Credentials.
import json

import google.auth
from googleapiclient.discovery import build

creds, _ = google.auth.default(scopes=["https://www.googleapis.com/auth/drive.readonly"])
drive = build("drive", "v3", credentials=creds)
about = drive.about().get(fields="user").execute()
print(json.dumps(about, indent=2))
