//! `--follow [--state FILE] [--follow-interval D]` on a list method with a sync mechanism
//! (issue 18): every new or changed item once, as NDJSON (or through `--jq`), until Ctrl-C
//! or SIGTERM, which stop cleanly with exit 0. The position is kept by
//! [`gapi_client::follow::Follower`]: the state file is written after each printed batch.

use std::io::Write;
use std::process::ExitCode;

use gapi_client::MethodCall;
use gapi_client::follow::Follower;

use crate::cli::{CallArgs, Format};
use crate::exit;
use crate::jq::Jq;

/// Refuses what cannot be followed before anything is sent (exit 2): a method without a
/// sync mechanism, parameters the API refuses beside a token, output other than NDJSON,
/// `--page-all`, a state file of another call.
pub fn check(call: &MethodCall, args: &CallArgs) -> anyhow::Result<()> {
    if args.page_all || args.batch.is_some() || args.upload.is_some() {
        return Err(exit::usage(
            "--follow reads every page itself: drop --page-all, --batch and --upload",
        ));
    }
    if matches!(args.format, Format::Table | Format::Csv) {
        return Err(exit::usage(
            "--follow prints one JSON item per line (NDJSON); use --jq to shape the items",
        ));
    }
    let follower = Follower::new(call.clone()).map_err(|e| exit::usage(e.to_string()))?;
    if let Some(path) = &args.state {
        // Only the check that the state file belongs to this call: the follower is dropped.
        let _checked = follower
            .state_file(path)
            .map_err(|e| exit::usage(e.to_string()))?;
    }
    Ok(())
}

/// Follows `call` until Ctrl-C or SIGTERM.
pub async fn run(call: MethodCall, args: &CallArgs, jq: Option<&Jq>) -> anyhow::Result<ExitCode> {
    let mut follower = Follower::new(call)?;
    if let Some(path) = &args.state {
        follower = follower.state_file(path)?;
    }
    if let Some(d) = args.follow_interval {
        follower = follower.interval(d);
    }
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(super::write::create_output(path, args.force)?),
        None => Box::new(std::io::stdout()),
    };
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        let batch = tokio::select! {
            b = follower.next_batch() => b?,
            _ = &mut stop => break,
        };
        if batch.resynced {
            tracing::warn!(
                "the sync token was refused: started again with a full sync (items may repeat)"
            );
            eprintln!("gapi: the sync token was refused; started again (items may repeat)");
        }
        for item in &batch.items {
            match jq {
                Some(jq) => jq.write(&mut out, item)?,
                None => crate::output::write_line(&mut out, item)?,
            }
        }
        out.flush()?;
        // Printed: a restart goes on after this batch.
        follower.commit()?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on Ctrl-C or (on Unix) SIGTERM.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
