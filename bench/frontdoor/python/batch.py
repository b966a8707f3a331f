# A batch of three folder creations.
from google.oauth2 import service_account
from googleapiclient.discovery import build

creds = service_account.Credentials.from_service_account_file(
    "service_account.json", scopes=["https://www.googleapis.com/auth/drive.file"]
)
drive = build("drive", "v3", credentials=creds)


def done(request_id, response, exception):
    if exception is not None:
        print(f"failed: {exception}")
    else:
        print(f"created {response['name']} ({response['id']})")


batch = drive.new_batch_http_request(callback=done)
for name in ["2024", "2025", "2026"]:
    folder = {"name": name, "mimeType": "application/vnd.google-apps.folder"}
    batch.add(drive.files().create(body=folder))
batch.execute()
