//! Application Default Credentials, found as every Google library finds them
//! (`GOOGLE_APPLICATION_CREDENTIALS`, then gcloud's `application_default_credentials.json`,
//! then the metadata server): Python's `google.auth.default(scopes=...)`.
//!
//!     GOOGLE_APPLICATION_CREDENTIALS=key.json cargo run -p gapi --example application_default

use gapi::auth::Credentials;

#[tokio::main]
async fn main() -> gapi::Result<()> {
    let credentials = Credentials::application_default(["drive.readonly"]).await?;
    let drive = gapi::build("drive", "v3", credentials)?;
    let call = drive.method("about.get")?.param("fields", "user");
    let about = call.execute().await?;
    println!("{about:#}");
    Ok(())
}
