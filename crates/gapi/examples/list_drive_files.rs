//! The seed's complete example: authorize read-only Drive access, build Drive v3 and print the
//! five files the user modified most recently.
//!
//!     cargo run -p gapi --example list_drive_files -- [client_secret.json] [--console]
//!
//! Works unchanged against real Google (a Desktop-app client_secret.json) and against the
//! emulator: `gapi emulator --write-client-secrets FILE` writes a file that points sign-in at
//! it, and `GAPI_ENDPOINT=<its URL>` sends the Drive calls there too.

use gapi::auth::{ClientSecrets, ConsoleOptions, InstalledFlow, LocalServer};

#[tokio::main]
async fn main() -> gapi::Result<()> {
    let mut args = std::env::args().skip(1);
    let secrets = ClientSecrets::from_file(args.next().unwrap_or("client_secret.json".into()))?;
    let flow = InstalledFlow::new(secrets, ["drive.metadata.readonly"]);
    let credentials = match args.next().as_deref() {
        Some("--console") => flow.run_console(ConsoleOptions::default()).await?,
        _ => flow.run_local_server(LocalServer::default()).await?,
    };

    let drive = gapi::build("drive", "v3", credentials)?;
    let list = drive.method("files.list")?.param("pageSize", 5);
    let files = list
        .param("orderBy", "modifiedByMeTime desc")
        .execute()
        .await?;
    println!("{files:#}");
    Ok(())
}
