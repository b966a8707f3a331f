# Pages, an upload and a download.
import json

from google_auth_oauthlib.flow import InstalledAppFlow
from googleapiclient.discovery import build
from googleapiclient.http import MediaFileUpload, MediaIoBaseDownload

SCOPES = [
    "https://www.googleapis.com/auth/drive.file",
    "https://www.googleapis.com/auth/drive.readonly",
]
flow = InstalledAppFlow.from_client_secrets_file("client_secret.json", SCOPES)
creds = flow.run_local_server(port=0)
drive = build("drive", "v3", credentials=creds)

# Every file, 10 per request, following nextPageToken.
request = drive.files().list(pageSize=10, fields="nextPageToken, files(id, name)")
while request is not None:
    page = request.execute()
    for file in page.get("files", []):
        print(json.dumps(file["name"]))
    request = drive.files().list_next(request, page)

media = MediaFileUpload("report.csv", mimetype="text/csv", resumable=True)
created = drive.files().create(body={"name": "report.csv"}, media_body=media).execute()
print(f"uploaded report.csv as {created['id']}")

with open("copy.csv", "wb") as out:
    downloader = MediaIoBaseDownload(out, drive.files().get_media(fileId=created["id"]))
    done = False
    while not done:
        _, done = downloader.next_chunk()
print("downloaded it again as copy.csv")
