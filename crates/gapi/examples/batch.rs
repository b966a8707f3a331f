//! A batch: three folders created in one HTTP request, each answered on its own
//! (Python: `service.new_batch_http_request()`).
//!
//!     cargo run -p gapi --example batch

use gapi::auth::Credentials;

#[tokio::main]
async fn main() -> gapi::Result<()> {
    let credentials = Credentials::from_file("service_account.json", ["drive.file"])?;
    let drive = gapi::build("drive", "v3", credentials)?;

    let mut calls = Vec::new();
    for name in ["2024", "2025", "2026"] {
        let folder =
            gapi::json!({ "name": name, "mimeType": "application/vnd.google-apps.folder" });
        calls.push(drive.method("files.create")?.body(folder));
    }
    for result in drive.batch()?.execute_calls(calls).await? {
        match result {
            Ok(reply) => println!("created {} ({})", reply.body["name"], reply.body["id"]),
            Err(e) => eprintln!("failed: {e}"),
        }
    }
    Ok(())
}
