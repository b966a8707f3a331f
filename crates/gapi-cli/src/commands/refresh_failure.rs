//! A refresh that failed for a reason the library could diagnose (`gapi_auth::error::Diagnosis`):
//! print what happened and how to fix it, then, in an interactive terminal, offer to log in
//! again right away with the same client, scopes and profile (and re-run the command); in a
//! script, exit 3 naming the exact command.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use gapi_auth::FileStore;
use gapi_auth::error::Diagnosis;

use crate::auth_hints::{Client, Login};
use crate::cli::GlobalArgs;
use crate::exit;

/// The diagnosed credential error in `err`'s chain, if any.
pub fn diagnosed(err: &anyhow::Error) -> Option<(&gapi_auth::Error, &Diagnosis)> {
    err.chain()
        .filter_map(|c| c.downcast_ref::<gapi_auth::Error>())
        .find_map(|e| e.diagnosis().map(|d| (e, d)))
}

/// Explains the failure; logs in again and re-runs the command when the user agrees at a
/// terminal; otherwise an exit-3 error naming the exact command.
pub async fn handle(err: anyhow::Error, global: &GlobalArgs) -> anyhow::Result<ExitCode> {
    let Some((auth_err, diagnosis)) = diagnosed(&err) else {
        return Err(err);
    };
    let store = FileStore::default_location()?;
    let stored = store.load(&global.profile).await.ok().flatten();
    let secrets_file = stored.as_ref().and_then(|c| c.client_secrets_file());
    let scopes = stored
        .as_ref()
        .map(|c| c.granted_scopes())
        .unwrap_or_default();
    let new_client = !diagnosis.login_again_helps();
    let client = match (secrets_file.as_deref(), new_client) {
        (Some(path), false) => Client::File(path.to_string()),
        _ => Client::New,
    };
    let login = Login::new(Some(&global.profile))
        .client(client)
        .scopes(&scopes);
    let hint = crate::auth_hints::login_hint(format!(
        "run `{}`{}",
        login.command(),
        if new_client {
            " with the client secrets of a working client"
        } else {
            ""
        }
    ));
    let failure = exit::login_needed_hint(
        format!("{}\n{}", auth_err.message(), diagnosis.explanation()),
        hint,
    );
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !interactive || new_client || secrets_file.is_none() {
        return Err(failure);
    }
    // exit::render escapes every line (the text quotes the server's answer).
    eprintln!("{}\n", exit::render(&failure));
    eprint!("Log in again now with the same client, scopes and profile? [Y/n] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if !matches!(answer.trim(), "" | "y" | "Y" | "yes" | "Yes" | "YES") {
        return Ok(ExitCode::from(exit::AUTH));
    }
    let login = crate::cli::parse(login.words().iter().map(Into::into).collect())
        .map_err(|e| anyhow::anyhow!("internal error: the re-login command does not parse: {e}"))?;
    Box::pin(super::dispatch(login)).await?;
    eprintln!("Running the command again.");
    let again = crate::cli::parse(std::env::args_os().collect())
        .map_err(|e| anyhow::anyhow!("the command line no longer parses: {e}"))?;
    Box::pin(super::dispatch(again)).await
}
