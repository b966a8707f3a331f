//! `gapi auth login --remote-bootstrap 'URL'`: the browser side of a two-machine login. Warns
//! (and, in a terminal, asks) that it is only for a login the user started, opens the browser
//! with this machine's loopback redirect, and prints the redirect URL to paste back on the
//! headless machine. Stores nothing and needs no client secrets.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use gapi_auth::LocalServer;
use gapi_auth::flow::remote::BootstrapRequest;

use crate::cli::LoginArgs;
use crate::exit;

/// Runs the browser side of a two-machine login for `url`.
pub async fn run(url: &str, args: &LoginArgs) -> anyhow::Result<ExitCode> {
    let request = BootstrapRequest::parse(url).map_err(|e| exit::usage_of(None, &e))?;
    let scopes = request.scopes();
    eprintln!(
        "WARNING: only continue if you yourself just ran `{login}` on another machine and it \
         printed this command.\nWhoever gave you a bootstrap URL receives access to your account \
         through the line printed at the end.\n\n\
         Login for OAuth client {client} at {server}\n\
         Scopes asked for: {scopes}\n",
        login = crate::auth_hints::Login::new(None).command(),
        client = request.client_id(),
        server = request.server(),
        scopes = if scopes.is_empty() {
            "-".to_string()
        } else {
            scopes.join(" ")
        },
    );
    if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        eprint!("Continue? [y/N] ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
            eprintln!("Cancelled; nothing was opened.");
            return Ok(ExitCode::from(exit::AUTH));
        }
    }
    let server = LocalServer::new()
        .port(args.port)
        .timeout(Duration::from_secs(args.timeout))
        .open_browser(!args.no_browser);
    let back = request.run(server).await?;
    eprintln!(
        "\nApproved. Paste this line into the login waiting on the other machine (it grants \
         access to your account: paste it nowhere else):\n"
    );
    println!("{back}");
    eprintln!();
    Ok(ExitCode::SUCCESS)
}
