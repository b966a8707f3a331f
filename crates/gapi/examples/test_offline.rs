//! Test your app offline: the app's logic takes a [`gapi::Service`], and its tests give it one
//! built against `gapi-emulator` (a dev-dependency) started inside the test: real HTTP, real
//! OAuth, no network, no Google account.
//!
//!     cargo test -p gapi --example test_offline
//!
//! In your own crate:
//!
//! ```toml
//! [dev-dependencies]
//! gapi-emulator = "0.1"
//! ```

use gapi::Service;

/// The app's logic: the names of the user's files, in name order.
async fn file_names(drive: &Service) -> gapi::Result<Vec<String>> {
    let list = drive.method("files.list")?.param("orderBy", "name");
    let files = list.items("files").collect_all().await?;
    Ok(files
        .iter()
        .filter_map(|f| f["name"].as_str().map(String::from))
        .collect())
}

#[tokio::main]
async fn main() -> gapi::Result<()> {
    let credentials = gapi::auth::Credentials::application_default(["drive.readonly"]).await?;
    for name in file_names(&gapi::build("drive", "v3", credentials)?).await? {
        println!("{name}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use gapi::Service;
    use gapi::auth::{Credentials, LoadOptions};
    use gapi_emulator::{Emulator, EmulatorConfig};

    #[tokio::test]
    async fn file_names_come_back_in_name_order() -> gapi::Result<()> {
        let emulator = Emulator::start(EmulatorConfig::default())
            .await
            .expect("emulator");
        // The emulator's service account: its key file sends token requests to the emulator.
        let key = emulator.service_account_key_json().to_string();
        let scopes = LoadOptions {
            scopes: vec!["drive".into()],
            ..Default::default()
        };
        let drive = Service::builder()
            .bundled("drive", "v3")
            .auth(Credentials::from_json(&key, &scopes)?)
            .endpoint(emulator.base_url())
            .build()?;
        for name in ["cherry", "apple", "banana"] {
            let file = gapi::json!({ "name": name });
            drive.method("files.create")?.body(file).execute().await?;
        }

        assert_eq!(
            super::file_names(&drive).await?,
            ["apple", "banana", "cherry"]
        );
        Ok(())
    }
}
