# The seed's example in Python (google-auth-oauthlib + google-api-python-client), with the
# same arguments as examples/list_drive_files.rs (run_console is gone from
# google-auth-oauthlib 1.x; the flag is kept as a second local-server call for the count).
import json
import sys

from google_auth_oauthlib.flow import InstalledAppFlow
from googleapiclient.discovery import build

args = sys.argv[1:]
secrets = args[0] if args and args[0] != "--console" else "client_secret.json"
flow = InstalledAppFlow.from_client_secrets_file(
    secrets, ["https://www.googleapis.com/auth/drive.metadata.readonly"]
)
if "--console" in args:
    creds = flow.run_local_server(port=0, open_browser=False)
else:
    creds = flow.run_local_server(port=0)

drive = build("drive", "v3", credentials=creds)
files = drive.files().list(pageSize=5, orderBy="modifiedByMeTime desc").execute()
print(json.dumps(files, indent=2))
