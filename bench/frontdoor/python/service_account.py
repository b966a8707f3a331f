# A service account.
import json

from google.oauth2 import service_account
from googleapiclient.discovery import build

creds = service_account.Credentials.from_service_account_file(
    "service_account.json", scopes=["https://www.googleapis.com/auth/drive.readonly"]
)
drive = build("drive", "v3", credentials=creds)
files = drive.files().list(pageSize=10).execute()
print(json.dumps(files, indent=2))
