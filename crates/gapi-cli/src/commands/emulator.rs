//! `gapi emulator`: serve the local Google stand-in until interrupted.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use gapi_emulator::{Emulator, EmulatorConfig};

use crate::cli::EmulatorArgs;

/// Starts the emulator, prints its address (and writes client secrets or the service account key if asked), then serves.
pub async fn run(args: EmulatorArgs) -> anyhow::Result<ExitCode> {
    if let (true, Some(dir)) = (args.repair_journal, &args.data) {
        return repair(dir);
    }
    let config = EmulatorConfig {
        addr: args.addr,
        auto_approve: args.auto_approve,
        data_dir: args.data,
        token_lifetime: Duration::from_secs(args.token_lifetime),
        refresh_token_lifetime: args.refresh_token_lifetime.map(Duration::from_secs),
        allow_remote: args.allow_remote,
        id_token_issuer: args.id_token_issuer,
        ..Default::default()
    };
    let running = Emulator::start(config)
        .await
        .with_context(|| format!("could not start the emulator on {}", args.addr))?;
    let base = running.base_url();
    if let Some(path) = &args.write_client_secrets {
        running
            .write_client_secrets(path)
            .with_context(|| format!("could not write client secrets to {}", path.display()))?;
        eprintln!(
            "wrote client secrets for this emulator to {}",
            path.display()
        );
    }
    if let Some(path) = &args.write_service_account_key {
        running.write_service_account_key(path).with_context(|| {
            format!(
                "could not write the service account key to {}",
                path.display()
            )
        })?;
        eprintln!(
            "wrote the emulator's service account key (a public test key) to {}",
            path.display()
        );
    }
    println!("{base}");
    eprintln!(
        "gapi emulator listening on {base}{}\n  discovery: {base}/discovery/v1/apis (each API's rootUrl is {base}/_/<api>/)\n  try: {login}, then gapi drive files list --endpoint {base}/\n  any bundled API's standard methods work too: gapi tasks tasklists list --endpoint {base}/\n  stop with Ctrl-C",
        if args.auto_approve {
            " (auto-approve)"
        } else {
            ""
        },
        login = crate::auth_hints::Login::new(None)
            .client(crate::auth_hints::Client::File("FILE".into()))
            .command(),
    );
    running.wait().await;
    Ok(ExitCode::SUCCESS)
}

/// `--repair-journal`: keeps the good records of a damaged journal and says what it dropped.
fn repair(dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    let done = gapi_emulator::repair_journal(dir)
        .with_context(|| format!("could not repair the journal in {}", dir.display()))?;
    match &done.original {
        None => eprintln!(
            "the journal in {} is not damaged; nothing to repair",
            dir.display()
        ),
        Some(original) => eprintln!(
            "repaired the journal in {}: kept {} record(s), dropped {} line(s) from the first damaged one on; the journal as it was is in {}",
            dir.display(),
            done.kept,
            done.dropped,
            original.display()
        ),
    }
    Ok(ExitCode::SUCCESS)
}
