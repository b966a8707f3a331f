//! One module per subcommand; [`run`] dispatches.

mod api;
mod apis;
mod auth;
mod batch_cli;
pub(crate) mod codegen;
mod completions;
mod demo;
mod describe;
mod emulator;
mod mcp;
pub(crate) mod search;

use std::process::ExitCode;

use crate::cli::{Action, AuthCommand, Command, Parsed};
use crate::relogin::{self, Relogin};

/// Runs the parsed command line.
pub async fn run(parsed: Parsed) -> anyhow::Result<ExitCode> {
    let profile = parsed.global.profile.clone();
    // A failed login is not fixed by "log in again": its own error says what went wrong.
    let logging_in = matches!(
        parsed.action,
        Action::Fixed(Command::Auth(AuthCommand::Login(_)))
    );
    let global = parsed.global.clone();
    match dispatch(parsed.clone()).await {
        Ok(code) => Ok(code),
        Err(e) if logging_in => Err(e),
        // A refresh failure the library explained: say why, offer to log in again, and then
        // run the same command once more.
        Err(e) if relogin::diagnosed(&e).is_some() => match relogin::handle(e, &global).await? {
            Relogin::Again => dispatch(parsed)
                .await
                .map_err(|e| with_login_hint(e, &global, &profile)),
            Relogin::Declined => Ok(ExitCode::from(crate::exit::AUTH)),
        },
        Err(e) => Err(with_login_hint(e, &global, &profile)),
    }
}

/// Authorization errors end with the command that logs this profile in again, unless one of
/// their hints already says how to log in (decided by the hints' types, not their words), and
/// only when the call ran as an account: an API key or no credentials are not fixed by a login.
fn with_login_hint(
    err: anyhow::Error,
    global: &crate::cli::GlobalArgs,
    profile: &str,
) -> anyhow::Error {
    use crate::exit::{AUTH, About, code_for, hints_for_error, with_hint};
    if code_for(&err) != AUTH {
        return err;
    }
    use crate::call::identity::{Mode, mode};
    match mode(global) {
        Ok(Mode::Account) => {}
        Ok(Mode::ApiKey) => {
            return with_hint(
                err,
                crate::hint::Hint::new(
                    "the API refused the API key, or this method needs OAuth credentials: \
                     drop --api-key (and unset GAPI_API_KEY) to use the stored login",
                ),
            );
        }
        _ => return err,
    }
    if hints_for_error(&err)
        .iter()
        .any(|h| h.about() == About::Login)
    {
        return err;
    }
    with_hint(err, crate::auth_hints::log_in_again(profile))
}

async fn dispatch(parsed: Parsed) -> anyhow::Result<ExitCode> {
    let global = parsed.global;
    match parsed.action {
        Action::Call(call) if call.batch.is_some() => batch_cli::start(&global, *call).await,
        Action::Call(call) => api::run(&global, *call).await,
        Action::Complete(words) => Ok(completions::complete_command(&words)),
        Action::Fixed(command) => match command {
            Command::Auth(cmd) => auth::run(&global, cmd).await,
            Command::Emulator(args) => emulator::run(args).await,
            Command::Demo(args) => demo::run(args).await,
            Command::Apis(args) => apis::run(args),
            Command::Describe(args) => describe::run(&global, args),
            Command::Search(args) => search::run(args),
            Command::Codegen(args) => codegen::run(args),
            Command::Completions(args) => completions::run(args),
            Command::Mcp(args) => mcp::run(&global, args).await,
            Command::Call(_) => {
                anyhow::bail!("internal error: an API call reached the fixed-command dispatcher")
            }
        },
    }
}
