//! Fetching a Discovery document from the emulator's discovery service, caching it, and
//! revalidating it with ETag.

use gapi_client::{DiscoveryFetcher, FetchOrigin, NoAuth, Service};
use gapi_emulator::{Emulator, EmulatorConfig};

#[tokio::test]
async fn fetches_caches_and_revalidates() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let cache = tempfile::tempdir().unwrap();
    let fetcher = DiscoveryFetcher::new()
        .base_url(emu.base_url())
        .cache_dir(Some(cache.path().to_path_buf()));

    let (text, origin) = fetcher
        .fetch_json("drive", "v3")
        .await
        .expect("first fetch");
    assert_eq!(origin, FetchOrigin::Network);
    let (again, origin) = fetcher
        .fetch_json("drive", "v3")
        .await
        .expect("second fetch");
    assert_eq!(origin, FetchOrigin::Revalidated, "304 with If-None-Match");
    assert_eq!(text, again);

    // A fetched document builds a working service.
    let doc = fetcher.fetch("drive", "v3").await.unwrap();
    let svc = Service::builder()
        .document(doc)
        .auth(NoAuth)
        .build()
        .unwrap();
    assert!(
        svc.method("files.list")
            .unwrap()
            .prepare()
            .unwrap()
            .url
            .as_str()
            .starts_with(&emu.base_url())
    );

    // Unknown documents fail clearly; bad names never reach the network.
    let err = fetcher
        .fetch_json("nosuchapi", "v1")
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("nosuchapi"), "{err}");
    assert!(fetcher.fetch_json("../etc", "v1").await.is_err());

    // With the server gone, the cached copy is used.
    emu.shutdown().await;
    let (stale, origin) = fetcher
        .fetch_json("drive", "v3")
        .await
        .expect("stale cache");
    assert_eq!(origin, FetchOrigin::StaleCache);
    assert_eq!(stale, text);
}
