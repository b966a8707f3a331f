//! `build_async` with the emulator as the Discovery service: `static_discovery(false)` fetches
//! the document even though this build embeds it (the tests of the workspace embed every
//! document), caches it on disk and revalidates it; the fetched document names the emulator as
//! its root, so the call goes there with no `.endpoint()`. (The lean build, where nothing is
//! embedded and `discover` fetches on first use, is tested in tests/lean.)

use gapi::client::{DiscoveryFetcher, FetchOrigin, Service, StaticToken};
use gapi_emulator::{Emulator, EmulatorConfig};

#[tokio::test]
async fn build_async_fetches_from_the_emulator_and_calls_it() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let token: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/__emulator/tokens/issue", emu.base_url()))
        .json(&serde_json::json!({"scopes": ["https://www.googleapis.com/auth/drive"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_string();
    let cache = tempfile::tempdir().unwrap();
    let fetcher = DiscoveryFetcher::new()
        .base_url(emu.base_url())
        .cache_dir(Some(cache.path().to_path_buf()));

    assert!(
        gapi::discovery::bundle::entry("drive", "v3")
            .unwrap()
            .embedded()
    );
    let drive = Service::builder()
        .bundled("drive", "")
        .auth(StaticToken(token))
        .discovery(fetcher.clone())
        .static_discovery(false)
        .build_async()
        .await
        .unwrap();
    // Fetched, not the embedded copy: the emulator rewrote the root to itself, and a document
    // fetched whole is not a method index.
    assert!(
        drive.root_url().starts_with(&emu.base_url()),
        "{}",
        drive.root_url()
    );
    assert!(!drive.document().is_method_index());
    let files = drive
        .method("files.list")
        .unwrap()
        .param("pageSize", 2)
        .execute()
        .await
        .unwrap();
    assert_eq!(files["kind"], "drive#fileList", "{files}");

    // The copy on disk is revalidated by its ETag.
    let (_, origin) = fetcher.fetch_json("drive", "v3").await.unwrap();
    assert_eq!(origin, FetchOrigin::Revalidated);

    // With static discovery (the default) the embedded copy is used: no fetch, Google's root.
    let embedded = Service::builder()
        .bundled("drive", "v3")
        .discovery(DiscoveryFetcher::new().base_url("http://127.0.0.1:9/"))
        .build_async()
        .await
        .unwrap();
    assert!(embedded.document().is_method_index());
    assert_eq!(embedded.root_url(), "https://www.googleapis.com/");
}
