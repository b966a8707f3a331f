"""google-api-python-client against the gapi emulator's Workspace services (issue 18): Gmail,
Sheets and Calendar as a real Python app uses them. Driven by
crates/gapi-emulator/tests/it/real_clients_workspace.rs, which judges the output.

    python python_workspace_client.py SCENARIO   with GAPI_EMU = JSON {base, access_token, ...}

Prints ONE JSON line with what the client returned or raised. Scenarios: gmail, sheets,
calendar.
"""

import base64
import email
import email.policy
import email.utils
import io
import json
import os
import sys
from email.message import EmailMessage

import google.oauth2.credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaIoBaseUpload

CFG = json.loads(os.environ.get("GAPI_EMU", "{}"))
BASE = CFG.get("base", "")


def service(api, version, token):
    return build(
        api,
        version,
        credentials=google.oauth2.credentials.Credentials(token=token),
        discoveryServiceUrl=f"{BASE}/discovery/v1/apis/{{api}}/{{apiVersion}}/rest",
        static_discovery=False,
        cache_discovery=False,
    )


def attempt(fn):
    try:
        return {"raised": False, "value": fn()}
    except HttpError as e:
        return {
            "raised": True,
            "status": e.resp.status,
            "reason": e.reason,
            "content": json.loads(e.content.decode("utf-8") or "null"),
        }


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def gmail():
    svc = service("gmail", "v1", CFG["access_token"])
    msg = EmailMessage()
    msg["From"] = "Alice Example <alice@example.com>"
    msg["To"] = "Bob Example <bob@example.com>"
    msg["Subject"] = "Grüße aus Berlin 👋"
    msg["Date"] = email.utils.formatdate(1_790_000_000)
    msg["Message-ID"] = email.utils.make_msgid(domain="example.com")
    msg.set_content("Hallo Bob,\nsiehe Anhang.\n")
    msg.add_alternative("<p>Hallo <b>Bob</b></p>", subtype="html")
    attachment = bytes(range(256)) * 3
    msg.add_attachment(attachment, maintype="application", subtype="octet-stream", filename="bytes.bin")
    msg.add_attachment("a,b\n1,2\n", subtype="csv", filename="data.csv")
    raw = msg.as_bytes()
    sent = svc.users().messages().send(userId="me", body={"raw": base64.urlsafe_b64encode(raw).decode()}).execute()
    full = svc.users().messages().get(userId="me", id=sent["id"], format="full").execute()
    raw_back = svc.users().messages().get(userId="me", id=sent["id"], format="raw").execute()

    # Walk the payload as an app does: headers, text, attachments fetched by id.
    parts = []

    def walk(part):
        body = part.get("body", {})
        entry = {"partId": part.get("partId"), "mimeType": part.get("mimeType"), "filename": part.get("filename")}
        if "data" in body:
            entry["data"] = b64url_decode(body["data"]).decode("utf-8", "replace")
        if "attachmentId" in body:
            att = svc.users().messages().attachments().get(userId="me", messageId=sent["id"], id=body["attachmentId"]).execute()
            data = b64url_decode(att["data"])
            entry["attachment_size"] = att["size"]
            entry["attachment_matches"] = data == (attachment if part.get("filename") == "bytes.bin" else b"a,b\n1,2\n")
        parts.append(entry)
        for p in part.get("parts", []):
            walk(p)

    walk(full["payload"])
    headers = {h["name"]: h["value"] for h in full["payload"]["headers"]}
    # Python's email package reads the raw message Gmail gives back.
    parsed = email.message_from_bytes(b64url_decode(raw_back["raw"]), policy=email.policy.default)
    parsed_attachments = {a.get_filename(): a.get_content() for a in parsed.iter_attachments()}
    # The upload endpoint: a resumable message/rfc822 upload.
    media = MediaIoBaseUpload(io.BytesIO(raw), mimetype="message/rfc822", resumable=True)
    uploaded = svc.users().messages().send(userId="me", body={}, media_body=media).execute()
    readonly = service("gmail", "v1", CFG["readonly_token"])
    denied = attempt(lambda: readonly.users().messages().send(userId="me", body={"raw": base64.urlsafe_b64encode(raw).decode()}).execute())
    profile = svc.users().getProfile(userId="me").execute()
    history = svc.users().history().list(userId="me", startHistoryId=full["historyId"]).execute()
    return {
        "sent": sent,
        "subject": headers.get("Subject"),
        "payload_mime": full["payload"]["mimeType"],
        "parts": parts,
        "raw_equal": b64url_decode(raw_back["raw"]) == raw,
        "parsed_subject": str(parsed["subject"]),
        "parsed_text": parsed.get_body(preferencelist=("plain",)).get_content(),
        "parsed_attachment_ok": parsed_attachments.get("bytes.bin") == attachment,
        "uploaded": uploaded,
        "denied": denied,
        "profile_history": profile["historyId"],
        "history": history,
    }


def sheets():
    svc = service("sheets", "v4", CFG["access_token"])
    book = svc.spreadsheets().create(body={"properties": {"title": "Python"}, "sheets": [{"properties": {"title": "Q1 data"}}]}).execute()
    sid = book["spreadsheetId"]
    rows = [["name", "qty", "note"], ["apple", "3", 'a, "quoted"\nline'], ["pear", "1,5", "Grüße"]]
    first = svc.spreadsheets().values().append(
        spreadsheetId=sid, range="'Q1 data'!A1", valueInputOption="USER_ENTERED", body={"values": rows[:2]}
    ).execute()
    second = svc.spreadsheets().values().append(
        spreadsheetId=sid, range="'Q1 data'!A1", valueInputOption="RAW", insertDataOption="INSERT_ROWS", body={"values": rows[2:]}
    ).execute()
    got = svc.spreadsheets().values().get(spreadsheetId=sid, range="'Q1 data'!A1:C10").execute()
    unformatted = svc.spreadsheets().values().get(
        spreadsheetId=sid, range="'Q1 data'!B2:B3", valueRenderOption="UNFORMATTED_VALUE"
    ).execute()
    missing_option = attempt(
        lambda: svc.spreadsheets().values().update(spreadsheetId=sid, range="A1", body={"values": [["x"]]}).execute()
    )
    meta = svc.spreadsheets().get(spreadsheetId=sid).execute()
    return {
        "book": book,
        "first": first,
        "second": second,
        "got": got,
        "unformatted": unformatted,
        "missing_option": missing_option,
        "sheet_titles": [s["properties"]["title"] for s in meta["sheets"]],
    }


def calendar():
    svc = service("calendar", "v3", CFG["access_token"])
    cal = svc.calendars().get(calendarId="primary").execute()
    svc.events().insert(calendarId="primary", body={"summary": "one", "start": {"dateTime": "2026-09-01T10:00:00Z"}, "end": {"dateTime": "2026-09-01T11:00:00Z"}}).execute()
    # Full sync through the client's pages (list_next), keeping nextSyncToken.
    items, request, page = [], svc.events().list(calendarId="primary", maxResults=1), None
    while request is not None:
        page = request.execute()
        items.extend(page.get("items", []))
        request = svc.events().list_next(request, page)
    token = page["nextSyncToken"]
    two = svc.events().insert(
        calendarId="primary",
        body={
            "summary": "two",
            "start": {"date": "2026-09-02"},
            "end": {"date": "2026-09-03"},
            "conferenceData": {"createRequest": {"requestId": "py-1", "conferenceSolutionKey": {"type": "hangoutsMeet"}}},
        },
        conferenceDataVersion=1,
    ).execute()
    svc.events().delete(calendarId="primary", eventId=items[0]["id"]).execute()
    changes = svc.events().list(calendarId="primary", syncToken=token).execute()
    expire = __import__("urllib.request").request.urlopen(
        __import__("urllib.request").request.Request(f"{BASE}/__emulator/calendar/sync/expire", data=b"{}", method="POST")
    ).status
    gone = attempt(lambda: svc.events().list(calendarId="primary", syncToken=changes["nextSyncToken"]).execute())
    return {
        "time_zone": cal["timeZone"],
        "full": [e["summary"] for e in items],
        "two": two,
        "changes": [{"id": e["id"], "status": e.get("status"), "summary": e.get("summary")} for e in changes.get("items", [])],
        "deleted_id": items[0]["id"],
        "expire_status": expire,
        "gone": gone,
    }


if __name__ == "__main__":
    scenario = sys.argv[1]
    out = {"gmail": gmail, "sheets": sheets, "calendar": calendar}[scenario]()
    print(json.dumps(out))
