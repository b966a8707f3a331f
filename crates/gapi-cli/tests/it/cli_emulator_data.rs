//! `gapi emulator --data DIR` when the disk fails it: a write the journal cannot keep (here a
//! real kernel refusal, the file-size limit `ulimit -f` sets, which fails writes as a full disk
//! does) is answered 503 and undone, and no acknowledged create is lost across a restart; a
//! damaged journal stops the start with the repair command, and `--repair-journal` keeps every
//! good record. The emulator is driven with plain reqwest.

#![cfg(unix)]

use crate::common;

use std::collections::HashSet;
use std::path::Path;
use std::process::Stdio;

use common::{gapi_in, run};
use gapi_testkit::emulator::issued_token;
use serde_json::{Value, json};
use tokio::io::AsyncBufReadExt;
use tokio::process::{Child, Command};

const DRIVE: &str = "https://www.googleapis.com/auth/drive";

/// Reads the emulator's address, the first line it prints on stdout.
async fn base_of(child: &mut Child) -> String {
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let base = tokio::time::timeout(std::time::Duration::from_secs(30), lines.next_line())
        .await
        .expect("the emulator prints its URL")
        .unwrap()
        .expect("a line");
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    base
}

/// `gapi emulator --data DIR` on a free port.
fn emulator(config: &Path, data: &Path) -> Command {
    let mut cmd = gapi_in(config);
    cmd.args(["emulator", "--addr", "127.0.0.1:0", "--data"])
        .arg(data);
    cmd
}

/// The same, with files limited to `blocks` (`ulimit -f`, SIGXFSZ ignored so that a write
/// over the limit fails with EFBIG instead of killing the process).
fn emulator_with_small_files(config: &Path, data: &Path, blocks: u32) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" emulator --addr 127.0.0.1:0 --data \"$1\""
        ))
        .arg(env!("CARGO_BIN_EXE_gapi"))
        .arg(data)
        .env("GAPI_CONFIG_DIR", config)
        .env("NO_COLOR", "1")
        .kill_on_drop(true)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    cmd
}

/// Creates a file: `Ok` when acknowledged (200), `Err` when refused with Google's 503.
async fn create(http: &reqwest::Client, base: &str, token: &str, name: &str) -> Result<(), ()> {
    let r = http
        .post(format!("{base}/drive/v3/files"))
        .bearer_auth(token)
        .json(&json!({ "name": name }))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    match status {
        200 => Ok(()),
        503 => {
            assert_eq!(body["error"]["code"], 503, "{body}");
            assert_eq!(body["error"]["status"], "UNAVAILABLE", "{body}");
            Err(())
        }
        other => panic!("create {name}: HTTP {other}: {body}"),
    }
}

async fn names(http: &reqwest::Client, base: &str, token: &str) -> HashSet<String> {
    let mut names = HashSet::new();
    let mut page: Option<String> = None;
    loop {
        let mut query = vec![
            ("pageSize", "1000".to_string()),
            ("fields", "files(name),nextPageToken".to_string()),
        ];
        if let Some(p) = &page {
            query.push(("pageToken", p.clone()));
        }
        let v: Value = http
            .get(format!("{base}/drive/v3/files"))
            .bearer_auth(token)
            .query(&query)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for f in v["files"].as_array().expect("a file list") {
            names.insert(f["name"].as_str().unwrap().to_owned());
        }
        match v["nextPageToken"].as_str() {
            Some(p) => page = Some(p.to_owned()),
            None => return names,
        }
    }
}

fn check(present: &HashSet<String>, acked: &[String], refused: &[String], when: &str) {
    let lost: Vec<_> = acked.iter().filter(|n| !present.contains(*n)).collect();
    assert!(
        lost.is_empty(),
        "{when}: {} of {} acknowledged creates lost",
        lost.len(),
        acked.len()
    );
    let kept: Vec<_> = refused.iter().filter(|n| present.contains(*n)).collect();
    assert!(
        kept.is_empty(),
        "{when}: refused creates were kept: {kept:?}"
    );
}

/// 4 writers create 600 files while the journal runs into the file-size limit: the creates
/// the disk could not keep are 503, the rest 200; in memory and after a kill and a restart
/// without the limit, every acknowledged create is there and no refused one.
#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_never_loses_an_acknowledged_create() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    common::init();
    let http = reqwest::Client::new();
    // Two ordinary starts first: the seeded state (with blobs of up to 400 KB) is written,
    // then compacted into state.json, so the limited start writes nothing but the journal.
    let mut child = emulator(dir.path(), &data).spawn().unwrap();
    let base = base_of(&mut child).await;
    let token = issued_token(base.as_str(), "alice@example.com", DRIVE).await;
    child.kill().await.unwrap();
    let _ = child.wait().await;
    let mut child = emulator(dir.path(), &data).spawn().unwrap();
    base_of(&mut child).await;
    child.kill().await.unwrap();
    let _ = child.wait().await;
    assert_eq!(
        std::fs::metadata(data.join("journal.jsonl")).unwrap().len(),
        0
    );

    // Files of at most 64 blocks (32 or 64 KiB, as the shell counts): the journal fills up.
    let mut child = emulator_with_small_files(dir.path(), &data, 64)
        .spawn()
        .unwrap();
    let base = base_of(&mut child).await;
    let mut writers = Vec::new();
    for w in 0..4 {
        let (http, base, token) = (http.clone(), base.clone(), token.clone());
        writers.push(tokio::spawn(async move {
            let (mut acked, mut refused) = (Vec::new(), Vec::new());
            for i in 0..150 {
                let name = format!("w{w}-{i}");
                match create(&http, &base, &token, &name).await {
                    Ok(()) => acked.push(name),
                    Err(()) => refused.push(name),
                }
            }
            (acked, refused)
        }));
    }
    let (mut acked, mut refused) = (Vec::new(), Vec::new());
    for w in writers {
        let (a, r) = w.await.unwrap();
        acked.extend(a);
        refused.extend(r);
    }
    check(
        &names(&http, &base, &token).await,
        &acked,
        &refused,
        "in memory",
    );
    child.kill().await.unwrap();

    let mut child = emulator(dir.path(), &data).spawn().unwrap();
    let base = base_of(&mut child).await;
    check(
        &names(&http, &base, &token).await,
        &acked,
        &refused,
        "after a restart",
    );
    child.kill().await.unwrap();
    assert!(!acked.is_empty(), "some creates fit");
    assert!(!refused.is_empty(), "the limit was reached");
    eprintln!(
        "{} acknowledged creates, 0 lost; {} refused with 503, none kept",
        acked.len(),
        refused.len()
    );
}

/// A record missing mid-journal: the start fails naming `--repair-journal`; the repair keeps
/// the records before it, says what it dropped, and the emulator starts again with them.
#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_journal_names_the_repair_that_keeps_the_good_records() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    common::init();
    let http = reqwest::Client::new();
    let mut child = emulator(dir.path(), &data).spawn().unwrap();
    let base = base_of(&mut child).await;
    let token = issued_token(base.as_str(), "alice@example.com", DRIVE).await;
    for name in ["kept", "missing", "dropped"] {
        assert_eq!(create(&http, &base, &token, name).await, Ok(()));
    }
    child.kill().await.unwrap();
    let _ = child.wait().await;

    let journal = data.join("journal.jsonl");
    let bytes = std::fs::read(&journal).unwrap();
    let mut lines: Vec<&[u8]> = bytes.split_inclusive(|b| *b == b'\n').collect();
    let n = lines.len();
    lines.remove(n - 2); // the create of "missing"
    std::fs::write(&journal, lines.concat()).unwrap();

    let out = run(emulator(dir.path(), &data)).await;
    assert_ne!(out.code, 0, "{}", out.stderr);
    let repair = format!("gapi emulator --data {} --repair-journal", data.display());
    assert!(out.stderr.contains(&repair), "{}", out.stderr);
    assert!(out.stderr.contains("records are missing"), "{}", out.stderr);

    let mut cmd = gapi_in(dir.path());
    cmd.args(["emulator", "--repair-journal", "--data"])
        .arg(&data);
    let out = run(cmd).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains(&format!("kept {} record(s), dropped 1 line(s)", n - 2)),
        "{}",
        out.stderr
    );

    let mut child = emulator(dir.path(), &data).spawn().unwrap();
    let base = base_of(&mut child).await;
    let present = names(&http, &base, &token).await;
    assert!(present.contains("kept"), "{present:?}");
    assert!(!present.contains("missing") && !present.contains("dropped"));
    child.kill().await.unwrap();

    let mut cmd = gapi_in(dir.path());
    cmd.args(["emulator", "--repair-journal"]);
    assert_eq!(run(cmd).await.code, 2, "--repair-journal needs --data");
}
