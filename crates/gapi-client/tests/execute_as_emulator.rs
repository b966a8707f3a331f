//! `MethodCall::execute_as` against the emulator's Drive: a caller's own types, and the
//! int64-as-string trap now named by its field path with the helper that fixes it.

use gapi_client::{Service, StaticToken};
use gapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde::Deserialize;
use serde_json::{Value, json};

async fn drive() -> (RunningEmulator, Service) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emu = Emulator::start(EmulatorConfig {
        auto_approve: true,
        ..Default::default()
    })
    .await
    .expect("emulator starts");
    let t: Value = reqwest::Client::new()
        .post(format!("{}/__emulator/tokens/issue", emu.base_url()))
        .json(&json!({"scopes": ["https://www.googleapis.com/auth/drive"]}))
        .send()
        .await
        .expect("control API reachable")
        .json()
        .await
        .expect("JSON");
    let token = t["access_token"].as_str().expect("token").to_string();
    let svc = Service::builder()
        .bundled("drive", "v3")
        .endpoint(emu.base_url())
        .auth(StaticToken(token))
        .build()
        .expect("drive builds");
    (emu, svc)
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)] // only ever deserialized, to see the error
struct NaivePage {
    files: Vec<NaiveFile>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct NaiveFile {
    id: String,
    size: Option<u64>,
}

#[derive(Debug, Deserialize)]
struct Page {
    files: Vec<File>,
}

#[derive(Debug, Deserialize)]
struct File {
    id: String,
    #[serde(default, with = "gapi_client::typed::int64")]
    size: Option<u64>,
}

#[tokio::test]
async fn an_int64_string_names_the_field_path_and_the_helper() {
    let (_emu, drive) = drive().await;
    let call = drive
        .method("files.list")
        .unwrap()
        .param("pageSize", 20)
        .fields("files(id,size)");
    let err = call.execute_as::<NaivePage>().await.unwrap_err();
    let text = err.to_string();
    let path = err
        .json_path()
        .expect("a decoding error has a path")
        .to_string();
    assert!(
        path.starts_with("files[") && path.ends_with("].size"),
        "{path}: {text}"
    );
    assert!(
        text.contains(&format!("{path}: expected u64, got string \"")),
        "{text}"
    );
    assert!(text.contains("gapi::typed::int64"), "{text}");
    assert!(text.contains("drive.files.list"), "{text}");
    assert!(!text.contains("line 0"), "{text}");

    let page: Page = call.execute_as().await.expect("the helper reads strings");
    assert!(!page.files.is_empty());
    assert!(page.files.iter().all(|f| !f.id.is_empty()));
    assert!(page.files.iter().any(|f| f.size.is_some()), "{page:?}");
}

#[tokio::test]
async fn json_bodies_from_own_types_are_sent_and_checked() {
    #[derive(serde::Serialize)]
    struct NewFile {
        name: String,
        #[serde(rename = "mimeType")]
        mime_type: String,
    }
    #[derive(Deserialize)]
    struct Created {
        id: String,
        name: String,
    }
    let (_emu, drive) = drive().await;
    let created: Created = drive
        .method("files.create")
        .unwrap()
        .json(&NewFile {
            name: "own type".into(),
            mime_type: "application/vnd.google-apps.folder".into(),
        })
        .execute_as()
        .await
        .expect("files.create works");
    assert_eq!(created.name, "own type");
    assert!(!created.id.is_empty());

    // A misspelt field is caught before anything is sent, unless checks are off.
    #[derive(serde::Serialize)]
    struct Typo {
        nmae: String,
    }
    let err = drive
        .method("files.create")
        .unwrap()
        .json(&Typo { nmae: "x".into() })
        .execute()
        .await
        .unwrap_err();
    assert!(err.is_invalid_argument(), "{err}");
    assert!(err.to_string().contains("body.nmae"), "{err}");
}
