//! A refresh that failed for a reason the library could diagnose (`gapi_auth::error::Diagnosis`):
//! print what happened and how to fix it, then, in an interactive terminal, offer to log in
//! again right away with the same client, scopes and profile (the login runs here, through
//! the library; the caller then runs its command again); in a script, exit 3 naming the
//! exact command.

use std::io::{BufRead, IsTerminal, Write};

use gapi_auth::error::Diagnosis;
use gapi_auth::{ClientSecrets, FileStore, InstalledFlow, LocalServer};

use crate::auth_hints::{Client, Login};
use crate::cli::GlobalArgs;
use crate::exit;

/// The diagnosed credential error in `err`'s chain, if any.
pub fn diagnosed(err: &anyhow::Error) -> Option<(&gapi_auth::Error, &Diagnosis)> {
    err.chain()
        .filter_map(|c| c.downcast_ref::<gapi_auth::Error>())
        .find_map(|e| e.diagnosis().map(|d| (e, d)))
}

/// What [`handle`] did at a terminal.
pub enum Relogin {
    /// Logged in again: the command is to run again.
    Again,
    /// The user declined: exit 3.
    Declined,
}

/// Explains the failure; logs in again when the user agrees at a terminal (the caller then
/// runs the command again); otherwise an exit-3 error naming the exact command.
pub async fn handle(err: anyhow::Error, global: &GlobalArgs) -> anyhow::Result<Relogin> {
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
        return Ok(Relogin::Declined);
    }
    let (Some(path), Some(stored)) = (secrets_file, stored) else {
        return Err(failure);
    };
    // The login `gapi auth login --client-secrets FILE --scope ...` would run, where the
    // profile is stored (file or keyring).
    let store = match store.stored_in(&global.profile).ok().flatten() {
        Some(kind) => store.storing_in(kind),
        None => store,
    };
    let secrets = ClientSecrets::from_file(&path)?;
    let mut flow = InstalledFlow::new(secrets, stored.granted_scopes())
        .token_store(store, &global.profile)
        .client_secrets_file(path);
    if let Some(account) = stored.account() {
        flow = flow.login_hint(account);
    }
    let server = LocalServer::new()
        .accept_paste(true)
        .remote_bootstrap_command(crate::auth_hints::BOOTSTRAP_COMMAND);
    flow.run_local_server(server).await?;
    eprintln!("Logged in again. Running the command again.");
    Ok(Relogin::Again)
}
