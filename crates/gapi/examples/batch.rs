//! A batch: three folders created in one HTTP request, each answered on its own
//! (Python: `service.new_batch_http_request()`).
//!
//!     cargo run -p gapi --example batch -- [service_account.json]

use gapi::auth::Credentials;

#[tokio::main(flavor = "current_thread")]
async fn main() -> gapi::Result<()> {
    let key = std::env::args()
        .nth(1)
        .unwrap_or("service_account.json".into());
    let drive = gapi::build("drive", "v3", Credentials::from_file(key, ["drive.file"])?)?;

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
