//! A refresh that failed for a reason the library could diagnose (`gapi_auth::error::Diagnosis`):
//! print what happened and how to fix it, then, in an interactive terminal, offer to log in
//! again right away with the same client, scopes and profile (and re-run the command); in a
//! script, exit 3 naming the exact command.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use gapi_auth::FileStore;
use gapi_auth::error::Diagnosis;

use crate::cli::GlobalArgs;
use crate::exit;

/// The diagnosed credential error in `err`'s chain, if any.
pub fn diagnosed(err: &anyhow::Error) -> Option<(&gapi_auth::Error, &Diagnosis)> {
    err.chain()
        .filter_map(|c| c.downcast_ref::<gapi_auth::Error>())
        .find_map(|e| e.diagnosis().map(|d| (e, d)))
}

/// Quotes a word for a POSIX shell when it needs it.
fn sh(word: &str) -> String {
    if word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./:=@+,".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The words of the login that renews this profile: its client secrets file (when recorded),
/// its scopes, its profile.
fn login_words(
    client_secrets: Option<&str>,
    scopes: &[String],
    profile: &str,
    new_client: bool,
) -> Vec<String> {
    let mut words: Vec<String> = ["gapi", "auth", "login", "--client-secrets"]
        .map(String::from)
        .to_vec();
    words.push(match (client_secrets, new_client) {
        (Some(path), false) => path.to_string(),
        _ => "NEW_CLIENT_SECRET.json".to_string(),
    });
    for scope in scopes {
        words.push("--scope".into());
        words.push(scope.clone());
    }
    if profile != gapi_auth::DEFAULT_PROFILE {
        words.push("--profile".into());
        words.push(profile.to_string());
    }
    words
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
    let words = login_words(
        secrets_file.as_deref(),
        &scopes,
        &global.profile,
        new_client,
    );
    let command = words.iter().map(|w| sh(w)).collect::<Vec<_>>().join(" ");
    let text = format!(
        "{}\n{}\nhint: run `{command}`{}",
        auth_err.message(),
        diagnosis.explanation(),
        if new_client {
            " with the client secrets of a working client"
        } else {
            ""
        }
    );
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !interactive || new_client || secrets_file.is_none() {
        return Err(exit::login_needed(text));
    }
    eprintln!("error: {text}\n");
    eprint!("Log in again now with the same client, scopes and profile? [Y/n] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if !matches!(answer.trim(), "" | "y" | "Y" | "yes" | "Yes" | "YES") {
        return Ok(ExitCode::from(exit::AUTH));
    }
    let login = crate::cli::parse(words.iter().map(Into::into).collect())
        .map_err(|e| anyhow::anyhow!("internal error: the re-login command does not parse: {e}"))?;
    Box::pin(super::dispatch(login)).await?;
    eprintln!("Running the command again.");
    let again = crate::cli::parse(std::env::args_os().collect())
        .map_err(|e| anyhow::anyhow!("the command line no longer parses: {e}"))?;
    Box::pin(super::dispatch(again)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exact_command() {
        let scopes = vec!["https://www.googleapis.com/auth/drive.readonly".to_string()];
        let w = login_words(Some("/home/me/my client.json"), &scopes, "work", false);
        let cmd = w.iter().map(|w| sh(w)).collect::<Vec<_>>().join(" ");
        assert_eq!(
            cmd,
            "gapi auth login --client-secrets '/home/me/my client.json' --scope \
             https://www.googleapis.com/auth/drive.readonly --profile work"
        );
        let w = login_words(Some("/x.json"), &scopes, "default", true);
        assert!(w.contains(&"NEW_CLIENT_SECRET.json".to_string()));
        assert!(!w.contains(&"--profile".to_string()));
    }
}
