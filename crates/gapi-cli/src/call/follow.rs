//! `--follow [--state FILE] [--follow-interval D]` on a list method with a sync mechanism
//! (issue 18): every new or changed item once, as NDJSON (or through `--jq`), until Ctrl-C
//! or SIGTERM, which stop cleanly with exit 0. The position is kept by
//! [`gapi_client::follow::Follower`]: the state file is written after each printed batch.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use gapi_client::MethodCall;
use gapi_client::follow::Follower;

use crate::cli::{CallArgs, Format};
use crate::exit;
use crate::jq::Jq;

/// `--follow-interval`: `30` (seconds), `30s`, `500ms`, `5m`, `1h`.
pub fn parse_interval(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (number, unit) = match t.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => (&t[..i], t[i..].trim()),
        None => (t, "s"),
    };
    let n: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration; give e.g. 30, 30s, 500ms or 5m"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(format!("{text:?}: the unit must be ms, s, m or h")),
    };
    if !(secs.is_finite() && secs > 0.0 && secs <= 86_400.0) {
        return Err(format!(
            "{text:?}: give a duration above 0 and at most a day"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// `--rate`: calls per second, `50`, `50/s`, `0.5`.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let n: f64 = t
        .strip_suffix("/s")
        .unwrap_or(t)
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a rate; give calls per second, e.g. 50 or 50/s"))?;
    if !(n.is_finite() && n > 0.0) {
        return Err(format!("{text:?}: the rate must be above 0"));
    }
    Ok(n)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_and_rates_parse() {
        assert_eq!(parse_interval("30").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_interval("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_interval("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_interval("0.2").unwrap(), Duration::from_millis(200));
        assert!(parse_interval("0").is_err());
        assert!(parse_interval("5 parsecs").is_err());
        assert!(parse_interval("-1").is_err());
        assert_eq!(parse_rate("50/s").unwrap(), 50.0);
        assert_eq!(parse_rate("0.5").unwrap(), 0.5);
        assert!(parse_rate("0").is_err());
        assert!(parse_rate("fast").is_err());
    }
}
