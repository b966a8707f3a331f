//! The library side of "logging in again never throws the refresh token away", against the
//! emulator (which, like Google, issues a refresh token only on a grant's first consent or with
//! `prompt=consent`): `InstalledFlow` with a token store keeps the stored refresh token for the
//! same account and client, and otherwise asks once more with `prompt=consent` by itself
//! (never saving another grant's refresh token).

mod support;

use std::time::Duration;

use gapi_auth::{ClientSecrets, Credentials, FileStore, InstalledFlow, LocalServer};
use gapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use serde_json::Value;

async fn emulator() -> RunningEmulator {
    Emulator::start(EmulatorConfig {
        auto_approve: true,
        ..Default::default()
    })
    .await
    .unwrap()
}

async fn login(
    emu: &RunningEmulator,
    store: &FileStore,
    profile: &str,
    user: &str,
    scopes: &[&str],
    prompt: Option<&str>,
) -> Result<Credentials, gapi_auth::Error> {
    let secrets = ClientSecrets::from_json(&emu.client_secrets_json().to_string()).unwrap();
    let mut flow = InstalledFlow::new(secrets, scopes.iter().copied())
        .retry_policy(support::fast_retry())
        .login_hint(user)
        .token_store(store.clone(), profile);
    if let Some(p) = prompt {
        flow = flow.prompt(p);
    }
    let (cb, mut pages) = support::browser();
    let result = flow
        .run_local_server(
            LocalServer::new()
                .open_browser(false)
                .timeout(Duration::from_secs(30))
                .on_url(cb),
        )
        .await;
    let page = pages.recv().await.unwrap().unwrap();
    assert_eq!(page.status, 200, "{page:?}");
    result
}

fn stored(store: &FileStore, profile: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(store.path_for(profile)).unwrap()).unwrap()
}

#[tokio::test]
async fn a_repeat_login_keeps_or_asks_never_drops() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path());
    let ro = ["drive.readonly"];

    let first = login(&emu, &store, "default", "bob@example.com", &ro, None)
        .await
        .unwrap();
    let rt = first.refresh_token().unwrap();

    // Same account, same client, no new scope: no refresh token issued, the stored one kept.
    let again = login(&emu, &store, "default", "bob@example.com", &ro, None)
        .await
        .unwrap();
    assert_eq!(
        again.refresh_token().map(|t| t.secret().to_string()),
        Some(rt.secret().to_string())
    );
    assert_eq!(stored(&store, "default")["refresh_token"], rt.secret());
    assert_eq!(again.account().as_deref(), Some("bob@example.com"));
    again.force_refresh().await.expect("the kept token works");

    // A scope the stored grant lacks: the old refresh token cannot give it, so the flow asks
    // once more with prompt=consent by itself and saves the merged grant's own refresh token.
    let wider = login(&emu, &store, "default", "bob@example.com", &["drive"], None)
        .await
        .unwrap();
    let wider_rt = wider.refresh_token().unwrap();
    assert_ne!(wider_rt.secret(), rt.secret());
    assert_eq!(
        stored(&store, "default")["refresh_token"],
        wider_rt.secret()
    );
    assert!(
        wider.granted_scopes().iter().any(|s| s.ends_with("/drive")),
        "{:?}",
        wider.granted_scopes()
    );

    // Another account into this profile, its grant already known (no refresh token issued
    // at first): never bob's refresh token for carol, but her own, asked for again.
    login(&emu, &store, "carol", "carol@example.com", &ro, None)
        .await
        .unwrap();
    let carol = login(&emu, &store, "default", "carol@example.com", &ro, None)
        .await
        .unwrap();
    let carol_rt = carol.refresh_token().unwrap();
    assert_ne!(carol_rt.secret(), rt.secret());
    assert_ne!(carol_rt.secret(), wider_rt.secret());
    assert_eq!(
        stored(&store, "default")["refresh_token"],
        carol_rt.secret()
    );

    // prompt=consent gives carol her own refresh token.
    let carol = login(
        &emu,
        &store,
        "default",
        "carol@example.com",
        &ro,
        Some("consent"),
    )
    .await
    .unwrap();
    let again_rt = carol.refresh_token().unwrap();
    assert_ne!(again_rt.secret(), rt.secret());
    assert_eq!(
        stored(&store, "default")["refresh_token"],
        again_rt.secret()
    );

    // A new profile of a known grant has nothing to keep: the flow asks again by itself.
    let fresh = login(&emu, &store, "fresh", "carol@example.com", &ro, None)
        .await
        .unwrap();
    assert!(fresh.refresh_token().is_some());
    assert_eq!(
        stored(&store, "fresh")["refresh_token"],
        fresh.refresh_token().unwrap().secret()
    );
}
