//! The seed's example with a typed module: authorize read-only Drive access and print the five
//! files the user modified most recently, through `typed/drive.rs` (made by
//! `gapi codegen drive:v3 files.list files.get files.create -o typed/drive.rs` and checked in).
//!
//!     cargo run -p gapi --example typed_drive -- [client_secret.json]
//!
//! Set GAPI_ENDPOINT to an emulator's URL (`gapi emulator --write-client-secrets FILE`) to
//! run it offline.

#[allow(dead_code)] // a module made for three methods; this program calls one
#[path = "typed/drive.rs"]
mod drive;

use gapi::auth::{ClientSecrets, InstalledFlow, LocalServer};

#[tokio::main]
async fn main() -> gapi::Result<()> {
    let mut args = std::env::args().skip(1);
    let secrets = ClientSecrets::from_file(args.next().unwrap_or("client_secret.json".into()))?;
    let flow = InstalledFlow::new(secrets, [drive::scopes::DRIVE_METADATA_READONLY]);
    let credentials = flow.run_local_server(LocalServer::default()).await?;

    let mut hub = drive::Drive::new(credentials);
    if let Ok(endpoint) = std::env::var(gapi::ENDPOINT_VAR) {
        hub = hub.endpoint(endpoint);
    }
    let list = hub.files().list().page_size(5);
    let list: drive::FileList = list.order_by("modifiedByMeTime desc").execute().await?;
    for drive::File { id, name, .. } in list.files.unwrap_or_default() {
        println!("{}  {}", id.unwrap_or_default(), name.unwrap_or_default());
    }
    Ok(())
}
