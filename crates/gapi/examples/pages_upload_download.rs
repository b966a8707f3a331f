//! Pages, an upload and a download: list every file page by page, upload `report.csv`, then
//! download it again as `copy.csv`.
//!
//!     cargo run -p gapi --example pages_upload_download

use gapi::auth::{ClientSecrets, InstalledFlow, LocalServer};

#[tokio::main]
async fn main() -> gapi::Result<()> {
    let secrets = ClientSecrets::from_file("client_secret.json")?;
    let flow = InstalledFlow::new(secrets, ["drive.file", "drive.readonly"]);
    let credentials = flow.run_local_server(LocalServer::default()).await?;
    let drive = gapi::build("drive", "v3", credentials)?;

    // Every file, 10 per request; the stream follows nextPageToken.
    let list = drive.method("files.list")?.param("pageSize", 10);
    let mut files = list
        .param("fields", "nextPageToken, files(name)")
        .items("files");
    while let Some(file) = files.next().await {
        println!("{}", file?["name"]);
    }

    // Typed text/csv from its extension and named after the file, as MediaFileUpload does.
    let created = drive
        .method("files.create")?
        .upload_file("report.csv")
        .send()
        .await?;
    let id = created["id"].as_str().unwrap_or_default();
    println!("uploaded report.csv as {id}");

    let get = drive.method("files.get")?.param("fileId", id);
    get.download().to_file("copy.csv").await?;
    println!("downloaded it again as copy.csv");
    Ok(())
}
