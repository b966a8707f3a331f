//! Running a consent flow as `gapi auth login`'s flags choose (loopback, console, device,
//! window title), shared by the logins of `gapi auth login`, `gapi auth application-default
//! login` and the re-login offered after a failed refresh.

use std::time::Duration;

use gapi_auth::{
    ConsoleOptions, Credentials, DeviceOptions, InstalledFlow, LocalServer, OOB_REDIRECT_URI,
};

use crate::cli::LoginArgs;
use crate::exit;

/// Runs the consent flow the flags choose (a repeat consent that issued no refresh token is
/// asked once more with `prompt=consent` by the library itself).
pub async fn run_flow(flow: InstalledFlow, args: &LoginArgs) -> Result<Credentials, LoginError> {
    let timeout = Duration::from_secs(args.timeout);
    let oob = args
        .redirect_uri
        .as_deref()
        .is_some_and(gapi_auth::flow::is_oob);
    let creds = if args.title {
        let opts = gapi_auth::flow::title::TitleOptions::new()
            .timeout(timeout)
            .open_browser(!args.no_browser);
        flow.run_title(opts).await?
    } else if args.device {
        flow.run_device(DeviceOptions::new().timeout(timeout))
            .await?
    } else if args.console || oob {
        let mut opts = ConsoleOptions::new();
        opts = opts.redirect_uri(
            args.redirect_uri
                .clone()
                .unwrap_or_else(|| OOB_REDIRECT_URI.into()),
        );
        flow.run_console(opts).await?
    } else {
        // The library's checked parser: http, a loopback host, no query (its error says so).
        let mut server = match &args.redirect_uri {
            Some(uri) => LocalServer::from_redirect_uri(uri)?,
            None => LocalServer::new(),
        };
        if args.port != 0 {
            let named = server.listen_port();
            if named != 0 && named != args.port {
                return Err(LoginError::Other(exit::usage(format!(
                    "--port {} and the port of --redirect-uri ({named}) differ; give one",
                    args.port
                ))));
            }
            server = server.port(args.port);
        }
        server = server
            .timeout(timeout)
            .open_browser(!args.no_browser)
            .accept_paste(true)
            .remote_bootstrap_command(crate::auth_hints::BOOTSTRAP_COMMAND);
        flow.run_local_server(server).await?
    };
    Ok(creds)
}

/// A failed login: the library's error (which may ask for `prompt=consent`) or another one.
pub enum LoginError {
    /// The library's error.
    Auth(gapi_auth::Error),
    /// Any other (a usage error in the flags).
    Other(anyhow::Error),
}

impl From<gapi_auth::Error> for LoginError {
    fn from(e: gapi_auth::Error) -> Self {
        LoginError::Auth(e)
    }
}

impl From<LoginError> for anyhow::Error {
    fn from(e: LoginError) -> Self {
        match e {
            LoginError::Auth(e) => anyhow::Error::new(e),
            LoginError::Other(e) => e,
        }
    }
}
