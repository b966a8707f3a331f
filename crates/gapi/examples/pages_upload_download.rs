//! Pages, an upload and a download: list every file page by page, upload `report.csv`, then
//! download it again as `copy.csv`.
//!
//!     cargo run -p gapi --example pages_upload_download -- [client_secret.json]

use gapi::MediaSource;
use gapi::auth::{ClientSecrets, InstalledFlow, LocalServer};

#[tokio::main(flavor = "current_thread")]
async fn main() -> gapi::Result<()> {
    let secrets_file = std::env::args()
        .nth(1)
        .unwrap_or("client_secret.json".into());
    let flow = InstalledFlow::new(
        ClientSecrets::from_file(secrets_file)?,
        ["drive.file", "drive.readonly"],
    );
    let credentials = flow.run_local_server(LocalServer::default()).await?;
    let drive = gapi::build("drive", "v3", credentials)?;

    // Every file, 10 per request; the stream follows nextPageToken.
    let list = drive
        .method("files.list")?
        .param("pageSize", 10)
        .param("fields", "nextPageToken, files(id, name)");
    let mut files = list.items("files");
    while let Some(file) = files.next().await {
        println!("{}", file?["name"]);
    }

    let created = drive
        .method("files.create")?
        .body(gapi::json!({ "name": "report.csv" }))
        .upload(MediaSource::path("report.csv"))
        .content_type("text/csv")
        .send()
        .await?;
    let id = created["id"].as_str().unwrap_or_default();
    println!("uploaded report.csv as {id}");

    drive
        .method("files.get")?
        .param("fileId", id)
        .download()
        .to_file("copy.csv")
        .await?;
    println!("downloaded it again as copy.csv");
    Ok(())
}
