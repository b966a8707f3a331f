//! `gapi drive +upload | +download`.

use std::process::ExitCode;
use std::sync::Arc;

use gapi_workspace::drive::{self, ExportFormats, Parent, TreeEvent, TreeUploadOptions};
use serde_json::{Value, json};

use super::ctx::{Ctx, ws};
use crate::cli::GlobalArgs;
use crate::cli::helpers::drive::{DownloadArgs, DriveHelper, UploadArgs};
use crate::output::visible;

const GET: &str = "files.get";
const LIST: &str = "files.list";
const CREATE: &str = "files.create";
const EXPORT: &str = "files.export";

pub async fn run(global: &GlobalArgs, helper: DriveHelper) -> anyhow::Result<ExitCode> {
    match helper {
        DriveHelper::Upload(a) => upload(global, a).await,
        DriveHelper::Download(a) => download(global, a).await,
    }
}

fn show(p: &std::path::Path) -> String {
    visible(&p.display().to_string()).into_owned()
}

async fn upload(global: &GlobalArgs, a: UploadArgs) -> anyhow::Result<ExitCode> {
    let ctx = Ctx::new(global, "drive", &a.common, None, None)?;
    ctx.check_policy(&[LIST, CREATE])?;
    let parent_given = a.parent.clone().unwrap_or_else(|| "root".into());
    // The plan first: a missing local path is refused before anything is sent.
    let plan = drive::plan_upload(&a.paths, &parent_given).map_err(ws)?;
    if ctx.dry_run() {
        let parent = |p: &Parent| match p {
            Parent::Id(id) => match &a.to {
                Some(to) => json!({"path": to}),
                None => json!({"id": id}),
            },
            Parent::Planned(i) => json!({"folder": show(&plan.folders[*i].local)}),
        };
        return ctx.print_plan(
            json!({
                "folders": plan.folders.iter().map(|f| json!({"local": show(&f.local), "name": f.name, "parent": parent(&f.parent)})).collect::<Vec<_>>(),
                "files": plan.files.iter().map(|f| json!({"local": show(&f.local), "name": f.name, "parent": parent(&f.parent), "size": f.size, "mimeType": f.mime})).collect::<Vec<_>>(),
                "skipped": plan.skipped.iter().map(|(p, why)| json!({"local": show(p), "why": why})).collect::<Vec<_>>(),
                "bytes": plan.total_bytes(),
            }),
            Some(format!(
                "{CREATE} for each folder, then a resumable upload for each file"
            )),
        );
    }
    let svc = ctx.service(&[LIST, CREATE]).await?;
    let plan = match &a.to {
        Some(path) => {
            let id = drive::ensure_folder_path(&svc, "root", path)
                .await
                .map_err(ws)?;
            drive::plan_upload(&a.paths, &id).map_err(ws)?
        }
        None => plan,
    };
    let total = plan.files.len();
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let sink_done = done.clone();
    let opts = TreeUploadOptions {
        convert: a.convert,
        on_event: Some(Arc::new(move |e: &TreeEvent| match e {
            TreeEvent::FolderCreated { local, .. } => eprintln!("folder   {}", show(local)),
            TreeEvent::FileDone { local, .. } => {
                let n = sink_done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                eprintln!("[{n}/{total}] {}", show(local));
            }
            TreeEvent::Failed { local, error } => {
                eprintln!("failed   {}: {}", show(local), visible(error))
            }
            TreeEvent::FileProgress { .. } => {}
        })),
    };
    let report = drive::upload_plan(&svc, &plan, &opts).await.map_err(ws)?;
    let summary = json!({
        "folders": report.folders.iter().map(|(p, id)| json!({"local": show(p), "id": id})).collect::<Vec<_>>(),
        "files": report.files.iter().map(|(p, f)| json!({"local": show(p), "id": f["id"], "name": f["name"], "mimeType": f["mimeType"], "size": f["size"]})).collect::<Vec<_>>(),
        "failed": report.failed.iter().map(|(p, why)| json!({"local": show(p), "error": why})).collect::<Vec<_>>(),
        "skipped": plan.skipped.iter().map(|(p, why)| json!({"local": show(p), "why": why})).collect::<Vec<_>>(),
        "bytes": report.bytes,
    });
    ctx.output(&summary, None, false)?;
    eprintln!(
        "uploaded {} files ({} bytes) and {} folders; {} failed",
        report.files.len(),
        report.bytes,
        report.folders.len(),
        report.failed.len()
    );
    failed_exit(report.failed.len())
}

fn failed_exit(failed: usize) -> anyhow::Result<ExitCode> {
    if failed > 0 {
        anyhow::bail!("{failed} items failed (listed above)");
    }
    Ok(ExitCode::SUCCESS)
}

async fn download(global: &GlobalArgs, a: DownloadArgs) -> anyhow::Result<ExitCode> {
    let ctx = Ctx::new(global, "drive", &a.common, None, None)?;
    ctx.check_policy(&[GET, LIST, EXPORT])?;
    let formats = match &a.export_format {
        Some(f) => ExportFormats::all(f).map_err(ws)?,
        None => ExportFormats::default(),
    };
    if a.output.exists() && !a.output.is_dir() {
        return Err(crate::exit::usage(format!(
            "-o {} is a file; name a folder to download into",
            show(&a.output)
        )));
    }
    if ctx.dry_run() {
        let call = ctx
            .offline()
            .method(GET)?
            .param("fileId", a.item.as_str())
            .fields(drive::plan_fields());
        return ctx.print_dry_run(
            &[call],
            Some(format!(
                "{LIST} of each folder, then files.get?alt=media or {EXPORT} for each file, into {}",
                show(&a.output)
            )),
        );
    }
    let svc = ctx.service(&[GET, LIST]).await?;
    let item = drive::resolve(&svc, &a.item).await.map_err(ws)?;
    let plan = drive::plan_download(&svc, &item, &formats)
        .await
        .map_err(ws)?;
    let report = drive::download_plan(&svc, &plan, &a.output, a.force)
        .await
        .map_err(ws)?;
    for (p, bytes) in &report.files {
        eprintln!("{} ({bytes} bytes)", show(&a.output.join(p)));
    }
    let summary: Value = json!({
        "files": report.files.iter().map(|(p, n)| json!({"path": show(&a.output.join(p)), "size": n})).collect::<Vec<_>>(),
        "folders": report.folders.iter().map(|p| show(&a.output.join(p))).collect::<Vec<_>>(),
        "skipped": report.skipped.iter().map(|(p, why)| json!({"path": show(p), "why": why})).collect::<Vec<_>>(),
        "failed": report.failed.iter().map(|(p, why)| json!({"path": show(p), "error": why})).collect::<Vec<_>>(),
    });
    ctx.output(&summary, None, false)?;
    failed_exit(report.failed.len())
}
