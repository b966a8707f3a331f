//! A service account: no browser, no user. The key file is the JSON the Cloud console
//! downloads (Python: `service_account.Credentials.from_service_account_file`).
//!
//!     cargo run -p gapi --example service_account
//!
//! Against the emulator: `gapi emulator --write-service-account-key service_account.json`
//! and `GAPI_ENDPOINT=<its URL>`.

use gapi::auth::Credentials;

#[tokio::main]
async fn main() -> gapi::Result<()> {
    let credentials = Credentials::from_file("service_account.json", ["drive.readonly"])?;
    let drive = gapi::build("drive", "v3", credentials)?;
    let list = drive.method("files.list")?.param("pageSize", 10);
    let files = list.execute().await?;
    println!("{files:#}");
    Ok(())
}
