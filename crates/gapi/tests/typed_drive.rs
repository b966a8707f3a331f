//! The typed Drive module (`examples/typed/drive.rs`, made by `gapi codegen`) against the
//! emulator: list with setters, pages and items without pinning, get, create with an upload,
//! download to bytes and to a file, enum parameters, unknown fields kept, 64-bit integers read
//! from strings, and errors.

#[allow(dead_code)]
#[path = "../examples/typed/drive.rs"]
mod drive;

use gapi::client::StaticToken;
use gapi::typed::MediaSource;
use gapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde_json::{Value, json};

async fn start() -> RunningEmulator {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Emulator::start(EmulatorConfig {
        auto_approve: true,
        ..Default::default()
    })
    .await
    .expect("emulator starts")
}

async fn hub(emu: &RunningEmulator) -> drive::Drive {
    let t: Value = reqwest::Client::new()
        .post(format!("{}/__emulator/tokens/issue", emu.base_url()))
        .json(&json!({"scopes": [drive::scopes::DRIVE]}))
        .send()
        .await
        .expect("control API reachable")
        .json()
        .await
        .expect("control API answers JSON");
    let token = t["access_token"].as_str().expect("a token").to_string();
    drive::Drive::new(StaticToken(token)).endpoint(emu.base_url())
}

#[tokio::test]
async fn list_with_setters_answers_a_typed_file_list() {
    let emu = start().await;
    let hub = hub(&emu).await;
    let list: drive::FileList = hub
        .files()
        .list()
        .page_size(5)
        .order_by("modifiedByMeTime desc")
        .fields("nextPageToken,files(id,name,size,mimeType)")
        .execute()
        .await
        .expect("files.list works");
    let files = list.files.expect("files");
    assert_eq!(files.len(), 5);
    assert!(list.next_page_token.is_some());
    assert!(files.iter().all(|f| f.id.is_some() && f.name.is_some()));
    // Drive sends sizes as strings ("16"); the module reads them as integers.
    assert!(
        files.iter().any(|f| f.size.is_some_and(|s| s >= 0)),
        "{files:?}"
    );
}

#[tokio::test]
async fn pages_and_items_stream_without_pinning() {
    let emu = start().await;
    let hub = hub(&emu).await;
    let mut pages = hub.files().list().page_size(3).pages();
    let (mut page_count, mut from_pages) = (0, Vec::new());
    while let Some(page) = pages.next().await {
        let page = page.expect("a page");
        page_count += 1;
        from_pages.extend(page.files.unwrap_or_default().into_iter().map(|f| f.id));
    }
    assert!(page_count > 1, "the seeded files take several pages of 3");
    let mut items = hub.files().list().page_size(4).items();
    let mut from_items = Vec::new();
    while let Some(file) = items.next().await {
        from_items.push(file.expect("a file").id);
    }
    assert_eq!(from_pages.len(), from_items.len());
    assert_eq!(from_pages, from_items);
}

#[tokio::test]
async fn create_upload_get_and_download() {
    let emu = start().await;
    let hub = hub(&emu).await;
    let new_file = drive::File {
        name: Some("typed.txt".into()),
        description: Some("made by the typed module".into()),
        ..Default::default()
    };
    let created = hub
        .files()
        .create(new_file)
        .upload(MediaSource::bytes(&b"hello, typed world"[..]))
        .content_type("text/plain")
        .execute()
        .await
        .expect("files.create with media works");
    let id = created.id.clone().expect("an id");
    assert_eq!(created.name.as_deref(), Some("typed.txt"));

    let got = hub
        .files()
        .get(&id)
        .fields("id,name,size,description")
        .execute()
        .await
        .expect("files.get works");
    assert_eq!(got.id.as_deref(), Some(id.as_str()));
    assert_eq!(got.size, Some(18));
    assert_eq!(got.description.as_deref(), Some("made by the typed module"));

    let bytes = hub
        .files()
        .get(&id)
        .download()
        .to_bytes()
        .await
        .expect("download");
    assert_eq!(bytes, b"hello, typed world");
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("copy.txt");
    let report = hub
        .files()
        .get(&id)
        .download()
        .to_file(&target)
        .await
        .expect("download to a file");
    assert_eq!(report.bytes, 18);
    assert_eq!(std::fs::read(&target).unwrap(), b"hello, typed world");

    // Metadata only: a folder, its MIME type through the typed body.
    let folder = hub
        .files()
        .create(drive::File {
            name: Some("typed folder".into()),
            mime_type: Some("application/vnd.google-apps.folder".into()),
            ..Default::default()
        })
        .execute()
        .await
        .expect("files.create works");
    assert_eq!(
        folder.mime_type.as_deref(),
        Some("application/vnd.google-apps.folder")
    );
}

#[tokio::test]
async fn errors_keep_their_predicates() {
    let emu = start().await;
    let hub = hub(&emu).await;
    let err = hub.files().get("no-such-file").execute().await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    let err = drive::Drive::new(StaticToken("wrong".into()))
        .endpoint(emu.base_url())
        .files()
        .list()
        .execute()
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(401), "{err}");
}

#[test]
fn enum_parameters_take_typed_and_text_values() {
    let hub = drive::Drive::new(gapi::client::NoAuth);
    let typed = hub
        .files()
        .list()
        .corpus(drive::calls::FilesListCorpus::Domain)
        .prepare()
        .unwrap();
    assert!(
        typed.url.query().unwrap().contains("corpus=domain"),
        "{}",
        typed.url
    );
    let text = hub.files().list().corpus("user").prepare().unwrap();
    assert!(text.url.query().unwrap().contains("corpus=user"));
    // A value the document does not list is still refused before sending (the excerpt keeps
    // the allowed values), with the library's message.
    let err = hub
        .files()
        .list()
        .corpus("everything")
        .prepare()
        .unwrap_err();
    assert!(err.is_invalid_argument(), "{err}");
    assert_eq!(
        drive::calls::FilesListCorpus::from("galaxy"),
        drive::calls::FilesListCorpus::Other("galaxy".into())
    );
    // The default endpoint is Google's; `.endpoint` moves every URL.
    let req = hub.files().get("abc").prepare().unwrap();
    assert_eq!(req.url.host_str(), Some("www.googleapis.com"));
    assert_eq!(req.url.path(), "/drive/v3/files/abc");
    let moved = hub
        .endpoint("http://127.0.0.1:9/")
        .files()
        .get("abc")
        .prepare()
        .unwrap();
    assert_eq!(moved.url.host_str(), Some("127.0.0.1"));
}

#[test]
fn types_keep_unknown_fields_and_carry_int64_as_strings() {
    let file: drive::File = serde_json::from_value(json!({
        "name": "a.txt",
        "size": "16",
        "quotaBytesUsed": "1099511627776",
        "capabilities": {"canEdit": true, "canFlyToTheMoon": true},
        "brandNewField": {"x": 1}
    }))
    .expect("a File decodes");
    assert_eq!(file.size, Some(16));
    assert_eq!(file.quota_bytes_used, Some(1 << 40));
    assert_eq!(file.extra["brandNewField"], json!({"x": 1}));
    let caps = file.capabilities.as_ref().unwrap();
    assert_eq!(caps.can_edit, Some(true));
    assert_eq!(caps.extra["canFlyToTheMoon"], json!(true));
    let back = serde_json::to_value(&file).unwrap();
    assert_eq!(back["size"], json!("16"));
    assert_eq!(back["brandNewField"], json!({"x": 1}));
    assert!(
        back.get("description").is_none(),
        "None fields are left out: {back}"
    );
    // `type` and other keywords become `type_` and friends, renamed on the wire.
    let p: drive::Permission = serde_json::from_value(json!({"type": "user"})).unwrap();
    assert_eq!(p.type_.as_deref(), Some("user"));
    assert_eq!(serde_json::to_value(&p).unwrap(), json!({"type": "user"}));
    // A field of the wrong type names its path.
    let err = serde_json::from_value::<drive::FileList>(json!({"files": [{}, {"size": "x"}]}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("an int64"), "{err}");
}
