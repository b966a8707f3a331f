//! `gapi`: log a user in with OAuth 2.0 and call any Google API from its Discovery document.
//!
//! This binary holds no protocol logic: it parses arguments, calls the gapi libraries and prints.
//! Start reading at [`cli`] (the argument grammar) and [`commands`] (one module per subcommand).

mod auth_hints;
mod cli;
mod commands;
mod exit;
mod hint;
mod jq;
mod output;
mod progress;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let parsed = match cli::parse(args) {
        Ok(parsed) => parsed,
        Err(e) => return exit::report_clap(e),
    };
    init_tracing(parsed.global.verbose);
    // TLS uses rustls with ring; plain-http endpoints (the emulator) never touch it.
    let _ = rustls::crypto::ring::default_provider().install_default();
    // One thread is enough for a CLI call; the emulator asks for more.
    let mut rt = if parsed.needs_multi_thread() {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    let rt = match rt.enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return exit::report(&anyhow::anyhow!("could not start the async runtime: {e}")),
    };
    match rt.block_on(commands::run(parsed)) {
        Ok(code) => code,
        Err(e) => exit::report(&e),
    }
}

/// Logs go to stderr; `-v` shows gapi's own steps, `-vv` everything. `RUST_LOG` overrides.
fn init_tracing(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let default = match verbose {
        0 => "warn",
        1 => "warn,gapi=info,gapi_auth=info,gapi_client=info",
        2 => "info,gapi=debug,gapi_auth=debug,gapi_client=debug",
        _ => "debug,gapi=trace,gapi_auth=trace,gapi_client=trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .try_init();
}
