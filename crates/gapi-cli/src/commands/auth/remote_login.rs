//! `gapi auth login --remote-bootstrap 'URL'`: the browser side of a two-machine login. Warns
//! (louder when the consent page is not Google's) that it is only for a login the user
//! started, asks at a terminal (elsewhere refuses unless `--yes` is given), opens the browser
//! with this machine's loopback redirect, and prints the redirect URL to paste back on the
//! headless machine. Stores nothing and needs no client secrets.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::process::ExitCode;
use std::time::Duration;

use gapi_auth::LocalServer;
use gapi_auth::flow::remote::BootstrapRequest;

use crate::cli::LoginArgs;
use crate::exit;
use crate::output::visible;

/// Runs the browser side of a two-machine login for `url`.
///
/// Everything shown from the URL (client id, server, scopes) goes through the one escaping
/// function, so the URL cannot erase or rewrite the warning. A full round trip hands a login
/// to whoever sent the URL, so a person must confirm: at a terminal by answering `y`,
/// elsewhere with `--yes` (without it: exit 2, nothing opened).
pub async fn run(url: &str, args: &LoginArgs) -> anyhow::Result<ExitCode> {
    let request = BootstrapRequest::parse(url).map_err(|e| exit::usage_of(None, &e))?;
    let scopes = request.scopes();
    let server = visible(request.server()).into_owned();
    eprintln!(
        "WARNING: only continue if you yourself just ran `{login}` on another machine and it \
         printed this command.\nWhoever gave you a bootstrap URL receives access to your account \
         through the line printed at the end.\n\n\
         Login for OAuth client {client} at {server}\n\
         Scopes asked for: {scopes}\n",
        login = crate::auth_hints::Login::new(None).command(),
        client = visible(request.client_id()),
        scopes = if scopes.is_empty() {
            "-".to_string()
        } else {
            scopes
                .iter()
                .map(|s| visible(s).into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        },
    );
    if !request.is_google() {
        eprintln!(
            "WARNING: the consent page is at {server}, which is NOT Google's ({google}).\n\
             Unless this is your own test server or emulator, stop here: a look-alike page can \
             ask for your password.\n",
            google = gapi_auth::flow::remote::GOOGLE_ACCOUNTS_HOST,
        );
    }
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !args.yes {
        if !terminal {
            return Err(exit::usage_hint(
                "not continuing without a confirmation: no terminal to ask on, and the line \
                 printed at the end grants access to your account",
                "if you yourself started this login on the other machine, run the same command \
                 again with --yes",
            ));
        }
        eprint!("Continue? [y/N] ");
        let _ = std::io::stderr().flush();
        let mut answer = Vec::new();
        std::io::stdin()
            .lock()
            .take(1024)
            .read_until(b'\n', &mut answer)?;
        let answer = String::from_utf8_lossy(&answer);
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
