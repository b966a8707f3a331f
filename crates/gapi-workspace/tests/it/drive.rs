//! Drive: a folder tree uploaded under a path made on the way, found again by path, and
//! downloaded back byte for byte (a converted Doc exported); the export-link fallback for
//! exports over the `files.export` limit against a small mock of Drive.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use gapi_client::{Service, StaticToken};
use gapi_workspace::drive::{self, DownloadKind, ExportFormats, TreeUploadOptions};
use serde_json::json;

use crate::common::{service, start};

fn write(path: &Path, data: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, data).unwrap();
}

#[tokio::test]
async fn tree_upload_to_a_path_and_download_back() {
    let emu = start().await;
    let svc = service(&emu, "drive", "v3", "alice@example.com").await;
    let local = tempfile::tempdir().unwrap();
    let proj = local.path().join("Projekt Ü");
    let big: Vec<u8> = (0..700_000u32).map(|i| (i * 7 % 251) as u8).collect();
    write(&proj.join("readme.txt"), b"hello\n");
    write(&proj.join("data/raw/big.bin"), &big);
    write(&proj.join("data/it's.csv"), "a,b\n1,Zoë\n".as_bytes());
    write(&proj.join("notes.md"), b"# Notes\n\nplain text\n");
    std::fs::create_dir_all(proj.join("empty")).unwrap();

    let parent = drive::ensure_folder_path(&svc, "root", "Backups/2026")
        .await
        .unwrap();
    // Asking again finds the same folders instead of making new ones.
    assert_eq!(
        drive::ensure_folder_path(&svc, "root", "/Backups/2026/")
            .await
            .unwrap(),
        parent
    );
    let plan = drive::plan_upload(&[&proj], &parent).unwrap();
    assert_eq!(plan.folders.len(), 4);
    assert_eq!(plan.files.len(), 4);
    let events = Arc::new(AtomicUsize::new(0));
    let seen = events.clone();
    let opts = TreeUploadOptions {
        convert: false,
        on_event: Some(Arc::new(move |_| {
            seen.fetch_add(1, Ordering::Relaxed);
        })),
    };
    let report = drive::upload_plan(&svc, &plan, &opts).await.unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.bytes, plan.total_bytes());
    assert!(events.load(Ordering::Relaxed) >= 8);
    let uploaded = drive::resolve_path(&svc, "root", "Backups/2026/Projekt Ü/data/raw/big.bin")
        .await
        .unwrap();
    assert_eq!(uploaded["size"], big.len().to_string());
    let err = drive::resolve_path(&svc, "root", "Backups/2026/Projekt Ü/nope/x")
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("no folder named \"nope\" in Backups/2026/Projekt Ü"),
        "{err}"
    );

    let proj_id = drive::resolve_path(&svc, "root", "Backups/2026/Projekt Ü")
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // With --convert notes.md would become a Doc; the emulator refuses conversions, so this
    // shows a failed file reported while the others go on.
    let mut again = drive::plan_upload(
        &[proj.join("data/raw/big.bin"), proj.join("notes.md")],
        &proj_id,
    )
    .unwrap();
    again.files[0].name = "copy.bin".into();
    let conv = drive::upload_plan(
        &svc,
        &again,
        &TreeUploadOptions {
            convert: true,
            on_event: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(conv.files.len(), 1, "{conv:?}");
    assert_eq!(conv.files[0].1["name"], "copy.bin");
    assert_eq!(conv.failed.len(), 1);
    assert!(
        conv.failed[0].1.contains("Google Docs types"),
        "{:?}",
        conv.failed
    );
    // A seeded Google Doc moved into the tree, to be exported.
    let doc = gapi_emulator::seeded_files("alice@example.com")
        .into_iter()
        .find(|f| f.mime_type == "application/vnd.google-apps.document" && !f.trashed)
        .unwrap();
    let mut mv = svc
        .method("files.update")
        .unwrap()
        .param("fileId", doc.id.as_str())
        .param("addParents", proj_id.as_str())
        .body(json!({"name": "notes"}));
    if let Some(p) = &doc.parent_id {
        mv = mv.param("removeParents", p.as_str());
    }
    mv.execute().await.unwrap();

    // Download the folder (by path) with Docs as Markdown.
    let top = drive::resolve(&svc, "Backups/2026/Projekt Ü")
        .await
        .unwrap();
    let dplan = drive::plan_download(&svc, &top, &ExportFormats::all("md").unwrap())
        .await
        .unwrap();
    let export = dplan
        .iter()
        .find(|p| matches!(p.kind, DownloadKind::Export { .. }))
        .unwrap();
    assert_eq!(export.path, Path::new("Projekt Ü/notes.md"));
    // The uploaded notes.md and the exported notes (also notes.md) do not collide.
    assert!(
        dplan
            .iter()
            .any(|p| p.path == Path::new("Projekt Ü/notes (2).md")),
        "{dplan:?}"
    );
    let out = tempfile::tempdir().unwrap();
    let got = drive::download_plan(&svc, &dplan, out.path(), false)
        .await
        .unwrap();
    assert!(got.failed.is_empty(), "{:?}", got.failed);
    let back = out.path().join("Projekt Ü");
    assert_eq!(std::fs::read(back.join("data/raw/big.bin")).unwrap(), big);
    assert_eq!(
        std::fs::read(back.join("data/it's.csv")).unwrap(),
        "a,b\n1,Zoë\n".as_bytes()
    );
    assert_eq!(std::fs::read(back.join("readme.txt")).unwrap(), b"hello\n");
    assert!(back.join("empty").is_dir());
    let exported = std::fs::read_to_string(back.join("notes.md")).unwrap();
    // The emulator's export of a Doc without a body is its name.
    assert_eq!(exported.trim(), "notes", "{exported}");
    // A second download refuses to replace the files (nothing lost), and reports each.
    let again = drive::download_plan(&svc, &dplan, out.path(), false)
        .await
        .unwrap();
    assert_eq!(again.failed.len(), 6, "{:?}", again.failed);
    assert_eq!(std::fs::read(back.join("data/raw/big.bin")).unwrap(), big);
}

#[tokio::test]
async fn large_exports_go_through_export_links() {
    use axum::extract::Path as P;
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::get;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let link = format!("{base}/feeds/download/export?id=big&exportFormat=pdf");
    let link_for_meta = link.clone();
    let app = axum::Router::new()
        .route(
            "/drive/v3/files/{id}/export",
            get(|| async {
                (
                    StatusCode::FORBIDDEN,
                    axum::Json(json!({"error": {"code": 403, "message": "This file is too large to be exported.", "errors": [{"domain": "global", "reason": "exportSizeLimitExceeded", "message": "This file is too large to be exported."}]}})),
                )
            }),
        )
        .route(
            "/drive/v3/files/{id}",
            get(move |P(id): P<String>| {
                let link = link_for_meta.clone();
                async move { axum::Json(json!({"id": id, "exportLinks": {"application/pdf": link}})) }
            }),
        )
        .route(
            "/feeds/download/export",
            get(|headers: HeaderMap| async move {
                if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer tok") {
                    return (StatusCode::UNAUTHORIZED, Vec::new());
                }
                (StatusCode::OK, b"%PDF-1.7 big export".to_vec())
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let svc = Service::builder()
        .bundled("drive", "v3")
        .endpoint(base.as_str())
        .auth(StaticToken("tok".into()))
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("big.pdf");
    let n = drive::export_file(&svc, "big", "application/pdf", None, &target, false)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), b"%PDF-1.7 big export");
    assert_eq!(n, 19);
    // With the link known from the listing, no metadata call is needed.
    let target2 = dir.path().join("big2.pdf");
    drive::export_file(&svc, "big", "application/pdf", Some(&link), &target2, false)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&target2).unwrap(), b"%PDF-1.7 big export");
}
