//! The seed's complete example: authorize read-only Drive access, build Drive v3 and print the
//! five files the user modified most recently.
//!
//!     cargo run -p gapi --example list_drive_files -- client_secret.json [--console]
//!
//! Works unchanged against real Google (a Desktop-app client_secret.json) and against
//! `gapi emulator --write-client-secrets FILE` (its file points at the emulator; set
//! GAPI_ENDPOINT to the emulator's URL so Drive calls go there too).

use gapi::auth::{ClientSecrets, ConsoleOptions, InstalledFlow, LocalServer};

const SCOPES: [&str; 1] = ["https://www.googleapis.com/auth/drive.metadata.readonly"];

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let secrets_file = args.next().unwrap_or_else(|| "client_secret.json".into());
    let console = args.any(|a| a == "--console");

    let flow = InstalledFlow::new(ClientSecrets::from_file(&secrets_file)?, SCOPES);
    let credentials = if console {
        flow.run_console(ConsoleOptions::default()).await?
    } else {
        flow.run_local_server(LocalServer::default()).await?
    };

    let mut drive = gapi::Service::builder()
        .bundled("drive", "v3")
        .auth(credentials);
    if let Ok(endpoint) = std::env::var("GAPI_ENDPOINT") {
        drive = drive.endpoint(&endpoint);
    }
    let files = drive
        .build()?
        .method("files.list")?
        .param("pageSize", 5)
        .param("orderBy", "modifiedByMeTime desc")
        .execute()
        .await?;
    println!("{}", serde_json::to_string_pretty(&files)?);
    Ok(())
}
