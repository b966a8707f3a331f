//! A service account: no browser, no user. The key file is the JSON the Cloud console
//! downloads (Python: `service_account.Credentials.from_service_account_file`).
//!
//!     cargo run -p gapi --example service_account -- [service_account.json]
//!
//! Against the emulator: `gapi emulator --write-service-account-key FILE` and
//! `GAPI_ENDPOINT=<its URL>`.

use gapi::auth::Credentials;

#[tokio::main(flavor = "current_thread")]
async fn main() -> gapi::Result<()> {
    let key = std::env::args()
        .nth(1)
        .unwrap_or("service_account.json".into());
    let credentials = Credentials::from_file(key, ["drive.readonly"])?;
    let drive = gapi::build("drive", "v3", credentials)?;
    let files = drive
        .method("files.list")?
        .param("pageSize", 10)
        .execute()
        .await?;
    println!("{files:#}");
    Ok(())
}
