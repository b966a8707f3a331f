//! Keep the login between runs: the first run signs in and saves the grant in `token.json`
//! (mode 0600); later runs load it (refreshing it when needed) and open no browser.
//!
//!     cargo run -p gapi --example persist_login -- [client_secret.json]
//!
//! An app's own place for the file: `gapi::auth::app_token_file("my-app")?`.

use gapi::auth::{ClientSecrets, InstalledFlow, LocalServer};

#[tokio::main(flavor = "current_thread")]
async fn main() -> gapi::Result<()> {
    let secrets_file = std::env::args()
        .nth(1)
        .unwrap_or("client_secret.json".into());
    let credentials = InstalledFlow::new(
        ClientSecrets::from_file(secrets_file)?,
        ["drive.metadata.readonly"],
    )
    .persist_to("token.json")
    .run_local_server(LocalServer::default())
    .await?;
    let drive = gapi::build("drive", "v3", credentials)?;
    let files = drive
        .method("files.list")?
        .param("pageSize", 5)
        .execute()
        .await?;
    println!("{files:#}");
    Ok(())
}
