//! `gapi apis`: the APIs gapi can call without fetching anything.

use std::process::ExitCode;

use gapi_discovery::Directory;

use crate::cli::ApisArgs;

/// Prints one line per API (preferred version only, unless `--all`).
pub fn run(args: ApisArgs) -> anyhow::Result<ExitCode> {
    let dir = Directory::bundled();
    let filter = args.filter.as_deref().map(str::to_lowercase);
    for item in &dir.items {
        if !args.all && !item.preferred {
            continue;
        }
        if let Some(f) = &filter
            && !item.name.to_lowercase().contains(f)
            && !item.title.to_lowercase().contains(f)
        {
            continue;
        }
        println!(
            "{:<40} {}",
            crate::output::visible(&format!("{}:{}", item.name, item.version)),
            crate::output::visible(&item.title)
        );
    }
    Ok(ExitCode::SUCCESS)
}
