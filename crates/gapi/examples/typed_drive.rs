//! The seed's example with a typed module: authorize read-only Drive access and print the five
//! files the user modified most recently, through `typed/drive.rs` (made by
//! `gapi codegen drive:v3 files.list files.get files.create -o typed/drive.rs` and checked in).
//!
//!     cargo run -p gapi --example typed_drive -- client_secret.json
//!
//! Set GAPI_ENDPOINT to an emulator's URL (`gapi emulator --write-client-secrets FILE`) to
//! run it offline.

#[allow(dead_code)] // a module made for three methods; this program calls one
#[path = "typed/drive.rs"]
mod drive;

use gapi::auth::{ClientSecrets, InstalledFlow, LocalServer};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secrets_file = std::env::args()
        .nth(1)
        .unwrap_or("client_secret.json".into());
    let flow = InstalledFlow::new(
        ClientSecrets::from_file(&secrets_file)?,
        [drive::scopes::DRIVE_METADATA_READONLY],
    );
    let credentials = flow.run_local_server(LocalServer::default()).await?;

    let mut hub = drive::Drive::new(credentials);
    if let Ok(endpoint) = std::env::var("GAPI_ENDPOINT") {
        hub = hub.endpoint(endpoint);
    }
    let list: drive::FileList = hub
        .files()
        .list()
        .page_size(5)
        .order_by("modifiedByMeTime desc")
        .execute()
        .await?;
    for file in list.files.unwrap_or_default() {
        println!(
            "{}  {}",
            file.id.unwrap_or_default(),
            file.name.unwrap_or_default()
        );
    }
    Ok(())
}
