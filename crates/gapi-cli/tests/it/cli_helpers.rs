//! The `+helper` commands through the real binary against the emulator (issue 18): Gmail
//! messages decoded by Python's `email` package, CSV read back by Python's `csv`, Calendar,
//! Docs and Drive round trips, `--dry-run` sending nothing, `--read-only` / `--allow`
//! refusing write helpers wherever the flag stands, and helpers under `--profile`.

use crate::common;

use base64::Engine;
use common::Setup;
use serde_json::{Value, json};

const SCOPES: &[&str] = &[
    "--scope",
    "gmail.modify",
    "--scope",
    "calendar",
    "--scope",
    "spreadsheets",
    "--scope",
    "documents",
    "--scope",
    "drive",
];

/// An emulator with alice logged in as the default profile.
async fn setup() -> Setup {
    let setup = Setup::new(true).await;
    common::login_loopback(&setup, SCOPES).await;
    setup
}

/// Logs bob in as the profile `bob`.
async fn login_bob(setup: &Setup) {
    let mut extra = vec!["--profile", "bob", "--login-hint", "bob@example.com"];
    extra.extend_from_slice(SCOPES);
    common::login_loopback(setup, &extra).await;
}

fn ok(out: &common::Output) -> &str {
    assert_eq!(
        out.code, 0,
        "stdout: {}\nstderr: {}",
        out.stdout, out.stderr
    );
    &out.stdout
}

fn json_of(out: &common::Output) -> Value {
    serde_json::from_str(ok(out)).unwrap_or_else(|e| panic!("{e}: JSON on stdout: {}", out.stdout))
}

fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// Runs Python with `script` on `input`; its stdout as JSON.
fn python(script: &str, input: &[u8]) -> Value {
    use std::io::Write;
    let python = std::env::var("GAPI_TEST_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "python3".into());
    let mut child = std::process::Command::new(&python)
        .arg("-c")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{python}: {e}; source target/test-env.sh"));
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{python} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the Python peer prints JSON")
}

/// Python's `email` package reading a raw message given as Gmail's base64url `raw`.
const PY_EMAIL: &str = r#"
import sys, json, base64, email
from email import policy
raw = sys.stdin.read().strip()
raw += "=" * (-len(raw) % 4)
msg = email.message_from_bytes(base64.urlsafe_b64decode(raw), policy=policy.default)
def addrs(name):
    h = msg[name]
    if h is None: return []
    return [a.addr_spec for a in h.addresses]
body = msg.get_body(preferencelist=("plain",))
print(json.dumps({
  "subject": str(msg["subject"]),
  "from": addrs("from"), "to": addrs("to"), "cc": addrs("cc"),
  "message_id": str(msg["message-id"]), "in_reply_to": str(msg["in-reply-to"]),
  "references": str(msg["references"]),
  "text": body.get_content() if body is not None else None,
  "defects": [str(d) for p in msg.walk() for d in p.defects],
  "attachments": [{"filename": p.get_filename(), "type": p.get_content_type(),
                   "data": base64.b64encode(p.get_payload(decode=True)).decode()}
                  for p in msg.iter_attachments()],
}))
"#;

/// The raw message `id` of the profile's mailbox, as Python's `email` reads it.
async fn python_reads(setup: &Setup, profile: &str, id: &str) -> Value {
    let id = format!("id={id}");
    let out = setup
        .api(&[
            "gmail",
            "users",
            "messages",
            "get",
            "-p",
            "userId=me",
            "-p",
            &id,
            "-p",
            "format=raw",
            "--jq",
            ".raw",
            "--profile",
            profile,
        ])
        .await;
    python(PY_EMAIL, ok(&out).as_bytes())
}

/// The id of the newest message matching `q` in the profile's mailbox.
async fn find(setup: &Setup, profile: &str, q: &str) -> String {
    let q = format!("q={q}");
    let out = setup
        .api(&[
            "gmail",
            "users",
            "messages",
            "list",
            "-p",
            "userId=me",
            "-p",
            &q,
            "--profile",
            profile,
        ])
        .await;
    let list = json_of(&out);
    list["messages"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no message for {q}: {list}"))
        .to_string()
}

/// The requests the emulator has seen: (method, path).
async fn seen(setup: &Setup) -> Vec<(String, String)> {
    let url = format!("{}/__emulator/requests", setup.base());
    let log: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    log.as_array()
        .or_else(|| log["requests"].as_array())
        .expect("request log")
        .iter()
        .map(|r| {
            (
                r["method"].as_str().unwrap_or("").to_string(),
                r["path"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn write(dir: &std::path::Path, name: &str, data: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p.display().to_string()
}

#[tokio::test]
async fn gmail_send_is_read_by_python_email_and_by_read() {
    let setup = setup().await;
    let dir = tempfile::tempdir().unwrap();
    let binary: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let bin = write(dir.path(), "all-bytes.bin", &binary);
    let notes_data = "name,city\n\"Zoë, K.\",Köln\n".as_bytes();
    let notes = write(dir.path(), "Übersicht März.csv", notes_data);
    let sent = json_of(
        &setup
            .api(&[
                "gmail",
                "+send",
                "--to",
                "Bob <bob@example.com>",
                "--cc",
                "carol@example.com",
                "--subject",
                "Zahlen für März ✓",
                "--body",
                "Hi Bob,\nsee attached.",
                "--attach",
                &bin,
                "--attach",
                &notes,
            ])
            .await,
    );
    let id = sent["id"].as_str().expect("the sent message's id");
    assert!(sent["threadId"].is_string(), "{sent}");

    // The message as stored, read by Python's email package.
    let py = python_reads(&setup, "default", id).await;
    assert_eq!(py["subject"], "Zahlen für März ✓");
    assert_eq!(py["to"], json!(["bob@example.com"]));
    assert_eq!(py["cc"], json!(["carol@example.com"]));
    assert_eq!(py["defects"], json!([]));
    assert_eq!(
        py["text"]
            .as_str()
            .unwrap()
            .replace("\r\n", "\n")
            .trim_end(),
        "Hi Bob,\nsee attached."
    );
    assert!(py["message_id"].as_str().unwrap().starts_with('<'), "{py}");
    let atts = py["attachments"].as_array().unwrap();
    assert_eq!(atts.len(), 2, "{py}");
    assert_eq!(atts[0]["filename"], "all-bytes.bin");
    assert_eq!(atts[0]["data"], b64(&binary));
    assert_eq!(atts[1]["filename"], "Übersicht März.csv");
    assert_eq!(atts[1]["type"], "text/csv");
    assert_eq!(atts[1]["data"], b64(notes_data));

    // +read: readable text, JSON through --format/--jq, attachments saved byte for byte.
    let text = setup.api(&["gmail", "+read", "--message-id", id]).await;
    let text = ok(&text);
    assert!(text.contains("Subject: Zahlen für März ✓"), "{text}");
    assert!(text.contains("see attached."), "{text}");
    assert!(text.contains("Übersicht März.csv (text/csv"), "{text}");
    let out = setup
        .api(&[
            "gmail",
            "+read",
            "--message-id",
            id,
            "--format",
            "json",
            "--jq",
            ".subject",
        ])
        .await;
    assert_eq!(ok(&out).trim(), "Zahlen für März ✓");
    let saved = dir.path().join("saved");
    let saved_s = saved.display().to_string();
    let out = setup
        .api(&[
            "gmail",
            "+read",
            "--message-id",
            id,
            "--save-attachments",
            &saved_s,
        ])
        .await;
    ok(&out);
    assert_eq!(std::fs::read(saved.join("all-bytes.bin")).unwrap(), binary);
    assert_eq!(
        std::fs::read(saved.join("Übersicht März.csv")).unwrap(),
        notes_data
    );

    // The body from stdin (`-`), and +draft.
    let mut cmd = setup.gapi();
    cmd.args([
        "gmail",
        "+draft",
        "--to",
        "bob@example.com",
        "--subject",
        "From stdin",
        "-",
        "--endpoint",
    ])
    .arg(format!("{}/", setup.base()))
    .stdin(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut stdin, "piped body ✓\n".as_bytes())
        .await
        .unwrap();
    drop(stdin);
    let out = child.wait_with_output().await.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let draft: Value = serde_json::from_slice(&out.stdout).unwrap();
    let draft_msg = draft["message"]["id"]
        .as_str()
        .expect("the draft's message");
    assert!(draft["id"].is_string(), "{draft}");
    let py = python_reads(&setup, "default", draft_msg).await;
    assert_eq!(py["subject"], "From stdin");
    assert_eq!(py["text"].as_str().unwrap().trim_end(), "piped body ✓");
}

#[tokio::test]
async fn gmail_reply_and_forward_under_profiles_keep_the_thread() {
    let setup = setup().await;
    login_bob(&setup).await;
    let dir = tempfile::tempdir().unwrap();
    let plan = write(dir.path(), "plan.txt", b"step 1\nstep 2\n");
    // Bob (profile `bob`, given before the API name) writes to alice.
    let sent = json_of(
        &setup
            .api(&[
                "--profile",
                "bob",
                "gmail",
                "+send",
                "--to",
                "alice@example.com",
                "--subject",
                "Plan for Q3",
                "--body",
                "See the plan.",
                "--attach",
                &plan,
            ])
            .await,
    );
    let bob_thread = sent["threadId"].as_str().unwrap().to_string();
    let original = python_reads(&setup, "bob", sent["id"].as_str().unwrap()).await;

    // Alice answers her copy (default profile).
    let alice_copy = find(&setup, "default", "subject:Q3").await;
    let reply = json_of(
        &setup
            .api(&[
                "gmail",
                "+reply",
                "--message-id",
                &alice_copy,
                "--body",
                "Looks good.",
            ])
            .await,
    );
    let alice_thread = find_thread(&setup, "default", &alice_copy).await;
    assert_eq!(reply["threadId"], json!(alice_thread), "{reply}");
    let py = python_reads(&setup, "default", reply["id"].as_str().unwrap()).await;
    assert_eq!(py["subject"], "Re: Plan for Q3");
    assert_eq!(py["to"], json!(["bob@example.com"]));
    assert_eq!(py["in_reply_to"], original["message_id"]);
    assert!(
        py["references"]
            .as_str()
            .unwrap()
            .contains(original["message_id"].as_str().unwrap()),
        "{py}"
    );
    assert!(
        py["text"].as_str().unwrap().starts_with("Looks good."),
        "{py}"
    );

    // Bob gets the reply in his thread (profile given after the helper's words).
    let bob_reply = find(&setup, "bob", "subject:Re").await;
    assert_eq!(find_thread(&setup, "bob", &bob_reply).await, bob_thread);
    let read = setup
        .api(&[
            "gmail",
            "+read",
            "--message-id",
            &bob_reply,
            "--profile",
            "bob",
        ])
        .await;
    assert!(
        ok(&read).contains("Subject: Re: Plan for Q3"),
        "{}",
        read.stdout
    );
    // GAPI_PROFILE picks bob too; without it the call runs as alice, who has no such message.
    let mut cmd = setup.gapi();
    cmd.args(["gmail", "+read", "--message-id", &bob_reply, "--endpoint"])
        .arg(format!("{}/", setup.base()))
        .env("GAPI_PROFILE", "bob");
    let read = common::run(cmd).await;
    assert!(
        ok(&read).contains("Subject: Re: Plan for Q3"),
        "{}",
        read.stdout
    );
    let as_alice = setup
        .api(&["gmail", "+read", "--message-id", &bob_reply])
        .await;
    assert_eq!(
        as_alice.code, 4,
        "alice cannot read bob's message: {}",
        as_alice.stderr
    );

    // Alice forwards bob's mail to carol: the attachment goes along.
    let fwd = json_of(
        &setup
            .api(&[
                "gmail",
                "+forward",
                "--message-id",
                &alice_copy,
                "--to",
                "carol@example.com",
                "--body",
                "FYI",
            ])
            .await,
    );
    let py = python_reads(&setup, "default", fwd["id"].as_str().unwrap()).await;
    assert_eq!(py["subject"], "Fwd: Plan for Q3");
    assert_eq!(py["to"], json!(["carol@example.com"]));
    let atts = py["attachments"].as_array().unwrap();
    assert!(
        atts.iter()
            .any(|a| a["filename"] == "plan.txt" && a["data"] == b64(b"step 1\nstep 2\n")),
        "{py}"
    );
}

async fn find_thread(setup: &Setup, profile: &str, id: &str) -> String {
    let id = format!("id={id}");
    let out = setup
        .api(&[
            "gmail",
            "users",
            "messages",
            "get",
            "-p",
            "userId=me",
            "-p",
            &id,
            "-p",
            "format=minimal",
            "--jq",
            ".threadId",
            "--profile",
            profile,
        ])
        .await;
    ok(&out).trim().to_string()
}

#[tokio::test]
async fn dry_run_shows_the_request_and_sends_nothing() {
    // No login at all: a dry run needs no credentials.
    let setup = Setup::new(true).await;
    let out = setup
        .api(&[
            "gmail",
            "+send",
            "--dry-run",
            "--to",
            "bob@example.com",
            "--subject",
            "Grüße",
            "--body",
            "hello",
        ])
        .await;
    let plan = json_of(&out);
    let req = &plan["requests"][0];
    assert_eq!(req["method"], "POST");
    assert!(
        req["url"]
            .as_str()
            .unwrap()
            .contains("/gmail/v1/users/me/messages/send?"),
        "{plan}"
    );
    let py = python(
        PY_EMAIL,
        req["body"]["raw"]
            .as_str()
            .expect("the raw message")
            .as_bytes(),
    );
    assert_eq!(py["subject"], "Grüße");
    assert_eq!(py["to"], json!(["bob@example.com"]));

    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), "rows.csv", b"a,b\n1,2\n");
    let out = setup
        .api(&[
            "sheets",
            "+append",
            "--dry-run",
            "--spreadsheet",
            "S1",
            "--range",
            "Sheet1",
            "--csv",
            &csv,
        ])
        .await;
    let plan = json_of(&out);
    let req = &plan["requests"][0];
    assert_eq!(req["method"], "POST");
    assert!(
        req["url"]
            .as_str()
            .unwrap()
            .contains("valueInputOption=USER_ENTERED"),
        "{plan}"
    );
    assert_eq!(req["body"]["values"], json!([["a", "b"], ["1", "2"]]));
    let out = setup
        .api(&[
            "calendar",
            "+insert",
            "--dry-run",
            "--summary",
            "x",
            "--start",
            "2026-03-10T09:00",
        ])
        .await;
    assert!(
        json_of(&out)["then"]
            .as_str()
            .unwrap()
            .contains("events.insert")
    );
    let up = write(dir.path(), "up.txt", b"x");
    let out = setup
        .api(&["drive", "+upload", "--dry-run", &up, "--to", "A/B"])
        .await;
    assert_eq!(json_of(&out)["files"][0]["name"], "up.txt");
    let out = setup
        .api(&["docs", "+create", "--dry-run", "--title", "T"])
        .await;
    assert_eq!(json_of(&out)["requests"][0]["body"]["title"], "T");

    let api_calls: Vec<_> = seen(&setup)
        .await
        .into_iter()
        .filter(|(_, p)| !p.starts_with("/__emulator"))
        .collect();
    assert!(api_calls.is_empty(), "a dry run sent {api_calls:?}");
}

#[tokio::test]
async fn read_only_and_allow_refuse_write_helpers_before_sending() {
    let setup = setup().await;
    let send = [
        "gmail",
        "+send",
        "--to",
        "bob@example.com",
        "--subject",
        "no",
        "--body",
        "no",
    ];
    let mut cases: Vec<Vec<&str>> = vec![
        [&send[..], &["--read-only"][..]].concat(),
        [&send[..], &["--allow", "gmail.users.messages.get"][..]].concat(),
        [&send[..], &["--read-only", "--dry-run"][..]].concat(),
        vec![
            "sheets",
            "+append",
            "--spreadsheet",
            "S",
            "--range",
            "A",
            "--csv",
            "-",
            "--read-only",
        ],
        vec!["docs", "+create", "--title", "T", "--read-only"],
        vec![
            "calendar",
            "+insert",
            "--summary",
            "s",
            "--start",
            "2026-03-10",
            "--read-only",
        ],
        vec![
            "drive",
            "+upload",
            "/nonexistent-but-refused-first",
            "--read-only",
        ],
    ];
    for args in cases.drain(..) {
        let out = setup.api(&args).await;
        assert_eq!(out.code, 2, "{args:?}: {}\n{}", out.stdout, out.stderr);
        assert!(out.stderr.contains("refused"), "{args:?}: {}", out.stderr);
    }
    // The environment too.
    let mut cmd = setup.gapi();
    cmd.args(send)
        .args(["--endpoint", &format!("{}/", setup.base())])
        .env("GAPI_READ_ONLY", "1");
    let out = common::run(cmd).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    let writes: Vec<_> = seen(&setup)
        .await
        .into_iter()
        .filter(|(m, p)| m != "GET" && !p.starts_with("/__emulator") && !p.contains("/token"))
        .collect();
    assert!(writes.is_empty(), "refused helpers sent {writes:?}");
    // A reading helper runs under --read-only.
    let out = setup
        .api(&["calendar", "+agenda", "--days", "2", "--read-only"])
        .await;
    ok(&out);
}

#[tokio::test]
async fn sheets_csv_round_trips_through_python_csv() {
    let setup = setup().await;
    let created = json_of(
        &setup
            .api(&[
                "sheets",
                "spreadsheets",
                "create",
                "--json",
                r#"{"properties": {"title": "Ledger"}}"#,
            ])
            .await,
    );
    let id = created["spreadsheetId"].as_str().unwrap().to_string();
    let rows = json!([
        ["name", "note", "amount"],
        ["Doe, Ann", "said \"hi\"", "007"],
        ["Zoë", "two\nlines", "=1+1"],
        ["李雷", "", "3.50"],
    ]);
    // The CSV as Python writes it (quotes, commas, newlines, Unicode).
    let csv_text = python(
        "import csv, io, json, sys\nrows = json.load(sys.stdin)\nb = io.StringIO()\ncsv.writer(b).writerows(rows)\nprint(json.dumps(b.getvalue()))",
        rows.to_string().as_bytes(),
    );
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "in.csv", csv_text.as_str().unwrap().as_bytes());
    let out = setup
        .api(&[
            "sheets",
            "+append",
            "--spreadsheet",
            &id,
            "--range",
            "Sheet1",
            "--csv",
            &file,
            "--raw",
        ])
        .await;
    let report = json_of(&out);
    assert_eq!(report["updatedRows"], 4, "{report}");

    let out_file = dir.path().join("out.csv");
    let out_s = out_file.display().to_string();
    let out = setup
        .api(&[
            "sheets",
            "+read",
            "--spreadsheet",
            &id,
            "--range",
            "Sheet1",
            "-o",
            &out_s,
        ])
        .await;
    ok(&out);
    let back = python(
        "import csv, json, sys\nprint(json.dumps(list(csv.reader(sys.stdin, strict=True))))",
        &std::fs::read(&out_file).unwrap(),
    );
    assert_eq!(back, rows);
    // -o refuses to replace a file without --force.
    let again = setup
        .api(&[
            "sheets",
            "+read",
            "--spreadsheet",
            &id,
            "--range",
            "Sheet1",
            "-o",
            &out_s,
        ])
        .await;
    assert_eq!(again.code, 2, "{}", again.stderr);
    // JSON rows and --jq.
    let out = setup
        .api(&[
            "sheets",
            "+read",
            "--spreadsheet",
            &id,
            "--range",
            "Sheet1",
            "--jq",
            ".[2][1]",
        ])
        .await;
    assert_eq!(ok(&out), "two\nlines\n");
}

#[tokio::test]
async fn calendar_insert_then_agenda() {
    let setup = setup().await;
    let ev = json_of(
        &setup
            .api(&[
                "calendar",
                "+insert",
                "--summary",
                "Design review",
                "--start",
                "2026-03-10T14:00",
                "--end",
                "2026-03-10T15:00",
                "--attendee",
                "bob@example.com",
                "--location",
                "Room 1",
            ])
            .await,
    );
    assert_eq!(ev["summary"], "Design review");
    assert_eq!(ev["attendees"][0]["email"], "bob@example.com");
    let out = setup
        .api(&[
            "calendar",
            "+agenda",
            "--from",
            "2026-03-10",
            "--to",
            "2026-03-10",
        ])
        .await;
    let text = ok(&out);
    assert!(
        text.contains("2026-03-10 14:00-15:00  Design review  @ Room 1"),
        "{text}"
    );
    let out = setup
        .api(&[
            "calendar",
            "+agenda",
            "--from",
            "2026-03-10",
            "--to",
            "2026-03-10",
            "--format",
            "json",
        ])
        .await;
    let agenda = json_of(&out);
    assert_eq!(agenda["items"][0]["summary"], "Design review");
    assert_eq!(agenda["items"][0]["id"], ev["id"]);
    let out = setup
        .api(&[
            "calendar",
            "+agenda",
            "--from",
            "2026-03-11",
            "--to",
            "2026-03-12",
        ])
        .await;
    assert!(ok(&out).starts_with("No events"), "{}", out.stdout);
}

#[tokio::test]
async fn docs_create_write_and_read_markdown() {
    let setup = setup().await;
    let dir = tempfile::tempdir().unwrap();
    let md = write(
        dir.path(),
        "notes.md",
        b"# Weekly notes\n\nSome **bold** and *italic* text with a [link](https://example.com).\n\n- one\n- two\n",
    );
    let created = json_of(
        &setup
            .api(&["docs", "+create", "--title", "Notes", "--markdown", &md])
            .await,
    );
    let id = created["documentId"].as_str().unwrap().to_string();
    let more = write(dir.path(), "more.md", b"## Next\n\n1. first\n2. second\n");
    ok(&setup
        .api(&["docs", "+write", "--document", &id, "--markdown", &more])
        .await);
    let out = setup.api(&["docs", "+read", "--document", &id]).await;
    let text = ok(&out);
    for want in [
        "# Weekly notes",
        "**bold**",
        "*italic*",
        "[link](https://example.com)",
        "- one",
        "## Next",
        "1. first",
    ] {
        assert!(text.contains(want), "{want:?} missing from:\n{text}");
    }
    let out = setup
        .api(&["docs", "+read", "--document", &id, "--format", "text"])
        .await;
    let text = ok(&out);
    assert!(
        text.contains("Weekly notes") && !text.contains("**"),
        "{text}"
    );
}

#[tokio::test]
async fn drive_upload_tree_then_download_it_back() {
    let setup = setup().await;
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("photos");
    std::fs::create_dir_all(tree.join("2026")).unwrap();
    let big: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(tree.join("a.txt"), b"alpha").unwrap();
    std::fs::write(tree.join("2026").join("big.bin"), &big).unwrap();
    let tree_s = tree.display().to_string();
    let out = setup
        .api(&["drive", "+upload", &tree_s, "--to", "Backups/2026"])
        .await;
    let summary = json_of(&out);
    assert_eq!(summary["files"].as_array().unwrap().len(), 2, "{summary}");
    assert_eq!(summary["failed"], json!([]));
    assert!(out.stderr.contains("[2/2]"), "{}", out.stderr);

    let target = dir.path().join("back");
    let target_s = target.display().to_string();
    let out = setup
        .api(&["drive", "+download", "Backups/2026/photos", "-o", &target_s])
        .await;
    ok(&out);
    assert_eq!(
        std::fs::read(target.join("photos").join("a.txt")).unwrap(),
        b"alpha"
    );
    assert_eq!(
        std::fs::read(target.join("photos").join("2026").join("big.bin")).unwrap(),
        big
    );
}

#[tokio::test]
async fn every_helper_has_help_with_an_example() {
    let setup = Setup::new(true).await;
    for (api, helper) in [
        ("gmail", "+send"),
        ("gmail", "+draft"),
        ("gmail", "+reply"),
        ("gmail", "+forward"),
        ("gmail", "+read"),
        ("calendar", "+agenda"),
        ("calendar", "+insert"),
        ("sheets", "+read"),
        ("sheets", "+append"),
        ("docs", "+write"),
        ("docs", "+create"),
        ("docs", "+read"),
        ("drive", "+upload"),
        ("drive", "+download"),
    ] {
        let out = setup.run(&[api, helper, "--help"]).await;
        assert_eq!(out.code, 0, "{api} {helper}: {}", out.stderr);
        assert!(
            out.stdout
                .contains(&format!("Example:\n  gapi {api} {helper} ")),
            "{api} {helper}:\n{}",
            out.stdout
        );
    }
    let out = setup.run(&["gmail", "+sned"]).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("+send"), "a suggestion: {}", out.stderr);
    // Shell completion knows the helpers and their flags.
    let out = setup.run(&["__complete", "gmail", "+re"]).await;
    assert_eq!(ok(&out), "+reply\n+read\n");
    let out = setup.run(&["__complete", "sheets", "+append", "--"]).await;
    assert!(ok(&out).lines().any(|l| l == "--csv"), "{}", out.stdout);
    assert!(
        out.stdout.lines().any(|l| l == "--profile"),
        "{}",
        out.stdout
    );
    let out = setup.run(&["__complete", "gmail", "us"]).await;
    assert!(ok(&out).lines().any(|l| l == "users"), "{}", out.stdout);
    let out = setup.run(&["tasks", "+nothing"]).await;
    assert_eq!(out.code, 2, "{}", out.stderr);
}

/// Reads the next stdout line of a following gapi (a guard of 30 s against a hang).
async fn next_line(
    lines: &mut tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>,
) -> String {
    tokio::time::timeout(std::time::Duration::from_secs(30), lines.next_line())
        .await
        .expect("a line within 30 s")
        .expect("stdout readable")
        .expect("gapi still following")
}

fn follow_cmd(setup: &Setup, state: &str) -> tokio::process::Command {
    let mut cmd = setup.gapi();
    cmd.args([
        "calendar",
        "events",
        "list",
        "-p",
        "calendarId=primary",
        "--follow",
        "--state",
        state,
        "--follow-interval",
        "100ms",
        "--jq",
        ".summary",
        "--endpoint",
    ])
    .arg(format!("{}/", setup.base()));
    cmd
}

async fn add_event(setup: &Setup, summary: &str) {
    ok(&setup
        .api(&[
            "calendar",
            "+insert",
            "--summary",
            summary,
            "--start",
            "2026-05-01T10:00",
        ])
        .await);
}

/// SIGTERM, then the exit status (0: a clean stop).
async fn terminate(child: &mut tokio::process::Child) -> i32 {
    let pid = child.id().expect("running").to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    let status = tokio::time::timeout(std::time::Duration::from_secs(30), child.wait())
        .await
        .expect("gapi stops on SIGTERM")
        .unwrap();
    status.code().unwrap_or(-1)
}

#[tokio::test]
async fn follow_calendar_events_through_a_restart_and_a_410() {
    use tokio::io::AsyncBufReadExt;
    let setup = setup().await;
    add_event(&setup, "A").await;
    let state = setup.dir.path().join("follow.json");
    let state_s = state.display().to_string();

    let mut child = follow_cmd(&setup, &state_s).spawn().unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    assert_eq!(next_line(&mut lines).await, "A");
    add_event(&setup, "B").await;
    assert_eq!(next_line(&mut lines).await, "B");
    assert_eq!(terminate(&mut child).await, 0, "SIGTERM stops cleanly");
    assert!(state.exists(), "the state file is written");

    // A restart resumes after B: C comes first, nothing is repeated.
    add_event(&setup, "C").await;
    let mut child = follow_cmd(&setup, &state_s).spawn().unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    assert_eq!(next_line(&mut lines).await, "C");

    // Every sync token expires (410 fullSyncRequired): a full sync starts again.
    setup.control("calendar/sync/expire", json!({})).await;
    add_event(&setup, "D").await;
    let mut seen_again = Vec::new();
    while !seen_again.contains(&"D".to_string()) {
        seen_again.push(next_line(&mut lines).await);
    }
    seen_again.sort();
    assert_eq!(
        seen_again,
        ["A", "B", "C", "D"],
        "the full sync lists every event"
    );
    assert_eq!(terminate(&mut child).await, 0);

    // A method without a sync mechanism is refused before anything is sent.
    let out = setup
        .api(&["calendar", "calendarList", "list", "--follow"])
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("no sync mechanism"), "{}", out.stderr);
}

#[tokio::test]
async fn batch_with_max_concurrency_and_rate_rides_out_a_quota() {
    let setup = setup().await;
    // The quota rejects 30% of the parts (a deterministic draw).
    setup
        .control(
            "faults",
            json!({"match": {"batch_part": true}, "times": 100000, "action": {"status": 403, "reason": "rateLimitExceeded", "percent": 30, "seed": 7}}),
        )
        .await;
    let calls: Vec<String> = (0..40)
        .map(|i| {
            format!(
                r#"{{"method": "files.list", "params": {{"pageSize": 1, "q": "name = 'n{i}'"}}}}"#
            )
        })
        .collect();
    let file = setup.dir.path().join("calls.ndjson");
    std::fs::write(&file, calls.join("\n")).unwrap();
    let out = setup
        .api(&[
            "drive",
            "--batch",
            file.to_str().unwrap(),
            "--max-concurrency",
            "2",
            "--rate",
            "400/s",
        ])
        .await;
    let got: Vec<Value> = ok(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got.len(), 40, "every call ends once: {}", out.stdout);
    for (i, line) in got.iter().enumerate() {
        assert_eq!(line["status"], 200, "call {i}: {line}");
    }
    // The 40 calls fit one batch: the refused parts went again in later ones.
    let batches = seen(&setup)
        .await
        .into_iter()
        .filter(|(_, p)| p.starts_with("/batch/"))
        .count();
    assert!(
        batches > 1,
        "the refused parts were sent again: {batches} batches"
    );
    // Bad values are refused before anything is sent.
    for bad in [
        ["--max-concurrency", "0"],
        ["--rate", "0"],
        ["--rate", "fast"],
    ] {
        let out = setup
            .api(&["drive", "--batch", file.to_str().unwrap(), bad[0], bad[1]])
            .await;
        assert_eq!(out.code, 2, "{bad:?}: {}", out.stderr);
    }
    let out = setup.api(&["drive", "files", "list", "--rate", "5"]).await;
    assert_eq!(out.code, 2, "--rate needs --batch: {}", out.stderr);
}

#[tokio::test]
async fn gmail_large_mail_is_uploaded_and_oversize_is_refused_before_sending() {
    let setup = setup().await;
    let dir = tempfile::tempdir().unwrap();
    let big: Vec<u8> = (0..6 * 1024 * 1024u32).map(|i| (i % 253) as u8).collect();
    let big_path = write(dir.path(), "big.bin", &big);
    let sent = json_of(
        &setup
            .api(&[
                "gmail",
                "+send",
                "--to",
                "bob@example.com",
                "--subject",
                "Big",
                "--body",
                "six MB",
                "--attach",
                &big_path,
            ])
            .await,
    );
    let uploads = seen(&setup)
        .await
        .into_iter()
        .filter(|(m, p)| m == "POST" && p.starts_with("/upload/gmail/v1/users/me/messages/send"))
        .count();
    assert!(uploads >= 1, "over 5 MB goes through the upload endpoint");
    let py = python_reads(&setup, "default", sent["id"].as_str().unwrap()).await;
    assert_eq!(py["attachments"][0]["data"], b64(&big));

    // Over Gmail's 35 MB (after base64): refused, nothing sent.
    let huge = dir.path().join("huge.bin");
    std::fs::write(&huge, vec![7u8; 27 * 1024 * 1024]).unwrap();
    let before = seen(&setup).await.len();
    let out = setup
        .api(&[
            "gmail",
            "+send",
            "--to",
            "bob@example.com",
            "--subject",
            "Huge",
            "--body",
            "x",
            "--attach",
            huge.to_str().unwrap(),
        ])
        .await;
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("35 MiB"), "{}", out.stderr);
    let after: Vec<_> = seen(&setup).await.into_iter().skip(before).collect();
    assert!(
        after.iter().all(|(_, p)| !p.contains("/gmail/")),
        "nothing sent: {after:?}"
    );
}

/// `--read-only` and `--allow` before the API name (global options since i20-cli) refuse a
/// write helper as they do after its words.
#[tokio::test]
async fn read_only_and_allow_before_the_api_name_refuse_a_write_helper() {
    let setup = setup().await;
    let send = [
        "gmail",
        "+send",
        "--to",
        "bob@example.com",
        "--subject",
        "no",
        "--body",
        "no",
    ];
    for lead in [
        &["--read-only"][..],
        &["--allow", "gmail.users.messages.get"][..],
    ] {
        let args = [lead, &send[..]].concat();
        let out = setup.api(&args).await;
        assert_eq!(out.code, 2, "{args:?}: {}\n{}", out.stdout, out.stderr);
        assert!(out.stderr.contains("refused"), "{args:?}: {}", out.stderr);
    }
    let writes: Vec<_> = seen(&setup)
        .await
        .into_iter()
        .filter(|(m, p)| m != "GET" && !p.starts_with("/__emulator") && !p.contains("/token"))
        .collect();
    assert!(writes.is_empty(), "refused helpers sent {writes:?}");
}
