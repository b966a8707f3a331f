//! `data_dir`: state survives a restart; one emulator per directory; loopback-only binding.

use gapi_emulator::{Emulator, EmulatorConfig, EmulatorError};
use gapi_testkit::emulator::*;
use serde_json::{Value, json};

#[tokio::test]
async fn files_and_tokens_survive_a_restart() {
    let data = DataDir::new();
    let config = data.config();
    let emu = start_with(config.clone()).await;
    let http = http();
    let t = tokens(&emu, &http, DRIVE, &[("access_type", "offline")]).await;
    let token = t["access_token"].as_str().unwrap().to_owned();
    let created: Value = http
        .post(format!(
            "{}/upload/drive/v3/files?uploadType=media",
            emu.base_url()
        ))
        .bearer_auth(&token)
        .body("persisted bytes")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();

    // A second emulator cannot use the same directory while the first runs.
    let err = Emulator::start(config.clone()).await.unwrap_err();
    assert!(matches!(err, EmulatorError::Data { .. }), "{err}");
    emu.shutdown().await;

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("state.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let leftovers: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| !["state.json", "journal.jsonl", "blobs", ".lock"].contains(&n.as_str()))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temp files left behind: {leftovers:?}"
    );

    let emu = start_with(config).await;
    let r = http
        .get(format!("{}/drive/v3/files/{id}?alt=media", emu.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        200,
        "the old token and the file are still there"
    );
    assert_eq!(r.text().await.unwrap(), "persisted bytes");
    let r = http
        .post(format!("{}/token", emu.base_url()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", t["refresh_token"].as_str().unwrap()),
            ("client_id", gapi_emulator::DEFAULT_CLIENT_ID),
            ("client_secret", gapi_emulator::DEFAULT_CLIENT_SECRET),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    emu.shutdown().await;
}

#[tokio::test]
async fn corrupt_state_is_reported_not_overwritten() {
    let data = DataDir::new();
    std::fs::write(data.join("state.json"), b"{ half written").unwrap();
    let err = Emulator::start(EmulatorConfig {
        data_dir: Some(data.to_path_buf()),
        ..Default::default()
    })
    .await
    .unwrap_err();
    assert!(err.to_string().contains("not valid"), "{err}");
    assert_eq!(
        std::fs::read(data.join("state.json")).unwrap(),
        b"{ half written"
    );
}

#[tokio::test]
async fn non_loopback_addresses_need_allow_remote() {
    let err = Emulator::start(EmulatorConfig {
        addr: "0.0.0.0:0".parse().unwrap(),
        ..Default::default()
    })
    .await
    .unwrap_err();
    assert!(matches!(err, EmulatorError::NonLoopback(_)), "{err}");
    let emu = Emulator::start(EmulatorConfig {
        addr: "0.0.0.0:0".parse().unwrap(),
        allow_remote: true,
        ..Default::default()
    })
    .await
    .unwrap();
    emu.shutdown().await;
}

#[tokio::test]
async fn client_secrets_file_points_at_the_emulator() {
    let emu = start(false).await;
    let secrets = emu.client_secrets_json();
    let base = emu.base_url();
    assert_eq!(secrets["installed"]["client_id"], emu.client_id());
    assert_eq!(
        secrets["installed"]["auth_uri"],
        format!("{base}/o/oauth2/auth")
    );
    assert_eq!(secrets["installed"]["token_uri"], format!("{base}/token"));
    assert_eq!(
        secrets["installed"]["redirect_uris"],
        json!(["http://localhost", "urn:ietf:wg:oauth:2.0:oob"])
    );
    let dir = DataDir::new();
    let path = dir.join("client_secret.json");
    emu.write_client_secrets(&path).unwrap();
    let written: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(written, secrets);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let _ = std::fs::remove_file(&path);
}

/// Uploads `bytes` as a new file and returns its id.
async fn upload(http: &reqwest::Client, base: &str, token: &str, bytes: Vec<u8>) -> String {
    let created: Value = http
        .post(format!("{base}/upload/drive/v3/files?uploadType=media"))
        .bearer_auth(token)
        .body(bytes)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    created["id"].as_str().unwrap().to_owned()
}

async fn rename(http: &reqwest::Client, base: &str, token: &str, id: &str, name: &str) {
    let r = http
        .patch(format!("{base}/drive/v3/files/{id}"))
        .bearer_auth(token)
        .json(&json!({"name": name}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

async fn name_of(http: &reqwest::Client, base: &str, token: &str, id: &str) -> String {
    let f: Value = http
        .get(format!("{base}/drive/v3/files/{id}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    f["name"].as_str().unwrap_or("").to_owned()
}

#[tokio::test]
async fn changes_are_appended_and_content_is_written_once() {
    let data = DataDir::new();
    let config = data.config();
    let emu = start_with(config.clone()).await;
    let http = http();
    let base = emu.base_url();
    let t = tokens(&emu, &http, DRIVE, &[]).await;
    let token = t["access_token"].as_str().unwrap();
    let id = upload(&http, &base, token, vec![7u8; 1024 * 1024]).await;
    let journal = data.join("journal.jsonl");
    let before = std::fs::metadata(&journal).unwrap().len();
    let state_before = std::fs::read(data.join("state.json")).unwrap();
    rename(&http, &base, token, &id, "renamed.bin").await;
    let grown = std::fs::metadata(&journal).unwrap().len() - before;
    assert!(
        grown < 4096,
        "a rename appends a small record, not the state: {grown} bytes"
    );
    assert_eq!(
        std::fs::read(data.join("state.json")).unwrap(),
        state_before,
        "the snapshot is not rewritten on each change"
    );
    let blobs = std::fs::read_dir(data.join("blobs")).unwrap().count();
    assert!(blobs >= 1, "the content went to blobs/");
    emu.shutdown().await;
    let emu = start_with(config).await;
    assert_eq!(
        name_of(&http, &emu.base_url(), token, &id).await,
        "renamed.bin"
    );
    let r = http
        .get(format!("{}/drive/v3/files/{id}?alt=media", emu.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.bytes().await.unwrap().len(), 1024 * 1024);
    emu.shutdown().await;
}

#[tokio::test]
async fn a_torn_last_record_is_ignored_and_damage_before_it_is_an_error() {
    let data = DataDir::new();
    let config = data.config();
    let emu = start_with(config.clone()).await;
    let http = http();
    let base = emu.base_url();
    let t = tokens(&emu, &http, DRIVE, &[]).await;
    let token = t["access_token"].as_str().unwrap().to_owned();
    let id = upload(&http, &base, &token, b"hello".to_vec()).await;
    rename(&http, &base, &token, &id, "first").await;
    rename(&http, &base, &token, &id, "second").await;
    emu.shutdown().await;

    // A crash in the middle of the last append: the rename to "second" is cut in half.
    let journal = data.join("journal.jsonl");
    let bytes = std::fs::read(&journal).unwrap();
    assert!(bytes.ends_with(b"\n"));
    std::fs::write(&journal, &bytes[..bytes.len() - 20]).unwrap();
    let emu = start_with(config.clone()).await;
    assert_eq!(
        name_of(&http, &emu.base_url(), &token, &id).await,
        "first",
        "the torn record is ignored, the ones before it kept"
    );
    rename(&http, &emu.base_url(), &token, &id, "third").await;
    rename(&http, &emu.base_url(), &token, &id, "fourth").await;
    emu.shutdown().await;

    // Damage before the last record is not a crash's doing: refuse to start, change nothing.
    let bytes = std::fs::read(&journal).unwrap();
    let first_newline = bytes.iter().position(|b| *b == b'\n').unwrap();
    let mut damaged = bytes.clone();
    damaged[first_newline / 2] ^= 0x20;
    std::fs::write(&journal, &damaged).unwrap();
    let err = Emulator::start(config.clone()).await.unwrap_err();
    assert!(err.to_string().contains("damaged"), "{err}");
    assert_eq!(std::fs::read(&journal).unwrap(), damaged, "left as it was");
}

/// The names of every file the token's user sees, page by page.
async fn all_names(http: &reqwest::Client, base: &str, token: &str) -> Vec<String> {
    let mut names = Vec::new();
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
        for f in v["files"].as_array().unwrap() {
            names.push(f["name"].as_str().unwrap().to_owned());
        }
        match v["nextPageToken"].as_str() {
            Some(p) => page = Some(p.to_owned()),
            None => return names,
        }
    }
}

async fn set_disk_full(base: &str, full: bool) {
    control(base, "disk", json!({ "full": full })).await;
}

/// Creates a file named `name`: `Ok(())` when acknowledged (200), `Err(())` when refused with
/// Google's 503 (anything else fails the test).
async fn create(http: &reqwest::Client, base: &str, token: &str, name: &str) -> Result<(), ()> {
    let r = http
        .post(format!("{base}/drive/v3/files"))
        .bearer_auth(token)
        .json(&json!({ "name": name }))
        .send()
        .await
        .unwrap();
    match r.status().as_u16() {
        200 => Ok(()),
        503 => {
            let v = google_error(r, 503, "backendError").await;
            assert_eq!(v["error"]["status"], "UNAVAILABLE", "{v}");
            Err(())
        }
        other => panic!("create {name}: HTTP {other}: {}", r.text().await.unwrap()),
    }
}

/// Every acknowledged name is there and no refused one is.
fn check_kept(present: &[String], acked: &[String], refused: &[String], when: &str) {
    let present: std::collections::HashSet<&String> = present.iter().collect();
    let lost: Vec<_> = acked.iter().filter(|n| !present.contains(n)).collect();
    assert!(
        lost.is_empty(),
        "{when}: {} of {} acknowledged creates lost: {lost:?}",
        lost.len(),
        acked.len()
    );
    let kept: Vec<_> = refused.iter().filter(|n| present.contains(n)).collect();
    assert!(
        kept.is_empty(),
        "{when}: refused creates were kept: {kept:?}"
    );
}

/// A full disk: every change that cannot be saved is answered 503 (Google's error body) and
/// undone in memory too, while 4 writers create files and the disk fills and empties under
/// them; every acknowledged create is there, in memory and after a restart, and no refused
/// one is. The torn half-lines a full disk leaves are cut off the journal.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_full_disk_is_answered_503_undone_and_no_acknowledged_write_is_lost() {
    let data = DataDir::new();
    let config = data.config();
    let emu = start_with(config.clone()).await;
    let http = http();
    let base = emu.base_url();
    let token = issued_token(&emu, "alice@example.com", DRIVE).await;
    let mut writers = Vec::new();
    for w in 0..4 {
        let (http, base, token) = (http.clone(), base.clone(), token.clone());
        writers.push(tokio::spawn(async move {
            let (mut acked, mut refused) = (Vec::new(), Vec::new());
            for i in 0..60 {
                if w == 0 && i % 5 == 0 {
                    set_disk_full(&base, i % 10 == 0).await;
                }
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
    // One more with nothing else going on: refused for sure, and reads still work.
    set_disk_full(&base, true).await;
    assert_eq!(create(&http, &base, &token, "alone").await, Err(()));
    refused.push("alone".into());
    let during = all_names(&http, &base, &token).await;
    set_disk_full(&base, false).await;
    assert_eq!(create(&http, &base, &token, "after").await, Ok(()));
    acked.push("after".into());
    assert!(
        !acked.is_empty() && refused.len() > 1,
        "{acked:?} {refused:?}"
    );
    check_kept(&during, &acked[..acked.len() - 1], &refused, "in memory");
    emu.shutdown().await;

    let journal = std::fs::read(data.join("journal.jsonl")).unwrap();
    assert!(
        journal.is_empty() || journal.ends_with(b"\n"),
        "no torn line left behind"
    );
    let emu = start_with(config).await;
    let after = all_names(&http, &emu.base_url(), &token).await;
    check_kept(&after, &acked, &refused, "after a restart");
    eprintln!(
        "{} acknowledged creates, 0 lost; {} refused with 503, none kept",
        acked.len(),
        refused.len()
    );
    emu.shutdown().await;
}

/// The journal's lines, each with its newline.
fn journal_lines(data: &std::path::Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(data.join("journal.jsonl")).unwrap();
    bytes
        .split_inclusive(|b| *b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

/// A record missing or out of order mid-journal is found at start (the emulator refuses to
/// start, naming the repair command and leaving the files as they are); the repair keeps
/// every record before the first bad one, sets the old journal aside, and the emulator then
/// starts with the state those records make.
#[tokio::test]
async fn a_missing_or_reordered_record_is_found_and_repair_keeps_the_good_ones() {
    for case in ["missing", "reordered"] {
        let data = DataDir::new();
        let config = data.config();
        let emu = start_with(config.clone()).await;
        let http = http();
        let base = emu.base_url();
        let token = issued_token(&emu, "alice@example.com", DRIVE).await;
        let id = upload(&http, &base, &token, b"hello".to_vec()).await;
        for name in ["one", "two", "three", "four"] {
            rename(&http, &base, &token, &id, name).await;
        }
        emu.shutdown().await;

        // The records of the renames to "three" and "four" are the last two lines.
        let lines = journal_lines(&data);
        let n = lines.len();
        assert!(n >= 5, "{n} records");
        let mut edited = lines.clone();
        match case {
            "missing" => {
                edited.remove(n - 2);
            }
            _ => edited.swap(n - 2, n - 1),
        }
        let damaged = edited.concat();
        std::fs::write(data.join("journal.jsonl"), &damaged).unwrap();
        let err = Emulator::start(config.clone()).await.unwrap_err();
        let message = err.to_string();
        assert!(
            matches!(err, EmulatorError::DamagedJournal { .. }),
            "{case}: {message}"
        );
        assert!(message.contains("--repair-journal"), "{case}: {message}");
        assert!(
            message.contains(&format!("line {}", n - 1)),
            "{case}: {message}"
        );
        assert_eq!(
            std::fs::read(data.join("journal.jsonl")).unwrap(),
            damaged,
            "{case}: left as it was"
        );

        let repair = gapi_emulator::repair_journal(&data).unwrap();
        assert_eq!(repair.kept, n - 2, "{case}: every record before it");
        assert_eq!(repair.dropped, edited.len() - (n - 2), "{case}");
        let original = repair.original.expect("the old journal is kept");
        assert_eq!(std::fs::read(&original).unwrap(), damaged, "{case}");
        assert_eq!(
            std::fs::read(data.join("journal.jsonl")).unwrap(),
            lines[..n - 2].concat(),
            "{case}"
        );
        let emu = start_with(config).await;
        assert_eq!(
            name_of(&http, &emu.base_url(), &token, &id).await,
            "two",
            "{case}: the state of the records kept"
        );
        emu.shutdown().await;
    }
}
