//! Keep the login between runs: the first run signs in and saves the grant in `token.json`
//! (mode 0600); later runs load it (refreshing it when needed) and open no browser.
//!
//!     cargo run -p gapi --example persist_login
//!
//! An app's own place for the file: `gapi::auth::app_token_file("my-app")?`.

use gapi::auth::{ClientSecrets, InstalledFlow, LocalServer};

#[tokio::main]
async fn main() -> gapi::Result<()> {
    let secrets = ClientSecrets::from_file("client_secret.json")?;
    let credentials = InstalledFlow::new(secrets, ["drive.metadata.readonly"])
        .persist_to("token.json")
        .run_local_server(LocalServer::default())
        .await?;
    let drive = gapi::build("drive", "v3", credentials)?;
    let list = drive.method("files.list")?.param("pageSize", 5);
    let files = list.execute().await?;
    println!("{files:#}");
    Ok(())
}
