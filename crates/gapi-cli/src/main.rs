//! `gapi`: log a user in with OAuth 2.0 and call any Google API from its Discovery document.
//!
//! This binary holds no protocol logic: it parses arguments, calls the gapi libraries and prints.
//! Start reading at [`cli`] (the argument grammar) and [`commands`] (one module per subcommand).

mod auth_hints;
mod call;
mod cli;
mod commands;
mod exit;
mod hint;
mod jq;
mod log_fields;
mod login;
mod output;
mod progress;
mod relogin;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // `--jq` programs run in a child process of gapi itself (see `jq`).
    if args.get(1).is_some_and(|a| a == jq::WORKER_ARG) {
        return jq::worker::main();
    }
    let parsed = match cli::parse(args) {
        Ok(parsed) => parsed,
        Err(e) => return exit::report_clap(e),
    };
    init_tracing(parsed.global.verbose);
    if !parsed.handles_closed_stdout() {
        end_quietly_on_closed_stdout();
    }
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

/// A reader that closes stdout early (`gapi ... | head -c1`) ends gapi as it ends any Unix
/// filter: by SIGPIPE, quietly. Rust ignores SIGPIPE, so the next write would fail and
/// `println!` panic ("failed printing to stdout"); gapi restores the default instead. Not
/// for the commands that handle it themselves ([`cli::Parsed::handles_closed_stdout`]).
fn end_quietly_on_closed_stdout() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to the default, before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Colour codes on stderr only for a terminal, and never when `NO_COLOR` is set to anything
/// but the empty string (<https://no-color.org>): a log file or a pipe gets plain text.
fn colour(stderr_is_terminal: bool, no_color: Option<std::ffi::OsString>) -> bool {
    stderr_is_terminal && no_color.is_none_or(|v| v.is_empty())
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
    use std::io::IsTerminal;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour(
            std::io::stderr().is_terminal(),
            std::env::var_os("NO_COLOR"),
        ))
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .fmt_fields(log_fields::escaped())
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::colour;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(colour(true, None));
        assert!(colour(true, Some("".into())));
        assert!(!colour(true, Some("1".into())));
        assert!(!colour(false, None));
        assert!(!colour(false, Some("1".into())));
    }
}
