//! One module per subcommand; [`run`] dispatches.

mod api;
mod apis;
mod auth;
mod demo;
mod describe;
mod emulator;

use std::process::ExitCode;

use crate::cli::{Action, Command, Parsed};

/// Runs the parsed command line.
pub async fn run(parsed: Parsed) -> anyhow::Result<ExitCode> {
    let global = parsed.global;
    match parsed.action {
        Action::Call(call) => api::run(&global, *call).await,
        Action::Fixed(command) => match command {
            Command::Auth(cmd) => auth::run(&global, cmd).await,
            Command::Emulator(args) => emulator::run(args).await,
            Command::Demo(args) => demo::run(args).await,
            Command::Apis(args) => apis::run(args),
            Command::Describe(args) => describe::run(&global, args),
            Command::Call(_) => {
                anyhow::bail!("internal error: an API call reached the fixed-command dispatcher")
            }
        },
    }
}
