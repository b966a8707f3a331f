# The response into the program's own type (a dataclass), the counterpart of
# examples/typed_drive.rs.
import sys
from dataclasses import dataclass

from google_auth_oauthlib.flow import InstalledAppFlow
from googleapiclient.discovery import build


@dataclass
class File:
    id: str
    name: str


secrets = sys.argv[1] if len(sys.argv) > 1 else "client_secret.json"
flow = InstalledAppFlow.from_client_secrets_file(
    secrets, ["https://www.googleapis.com/auth/drive.metadata.readonly"]
)
creds = flow.run_local_server(port=0)
drive = build("drive", "v3", credentials=creds)
page = drive.files().list(pageSize=5, orderBy="modifiedByMeTime desc").execute()
for file in [File(f["id"], f["name"]) for f in page.get("files", [])]:
    print(f"{file.id}  {file.name}")
