//! The argument grammar of `gapi`.
//!
//! Fixed subcommands (`auth`, `emulator`, `demo`, `apis`, `describe`) are clap-derived. Anything
//! else is an API call, `gapi <api>[:<version>] <resource>... <method> [flags]`, whose words are
//! only known once the API's Discovery document is loaded, so its flags are parsed by
//! [`CallArgs`] and its words resolved against the document in `commands::api`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

/// Options that apply to every command.
#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// Credentials profile to use (stored as credentials/<PROFILE>.json).
    #[arg(long, global = true, env = "GAPI_PROFILE", default_value = "default")]
    pub profile: String,
    /// Replace the API's rootUrl (plain, upload and batch URLs), e.g. an emulator's address.
    #[arg(long, global = true, env = "GAPI_ENDPOINT", value_name = "URL")]
    pub endpoint: Option<String>,
    /// Send requests without credentials (public data, or an emulator that needs none).
    #[arg(long, global = true)]
    pub anonymous: bool,
    /// Bill requests to this Google Cloud project (x-goog-user-project).
    #[arg(long, global = true, value_name = "ID")]
    pub quota_project: Option<String>,
    /// Act as this service account through the IAM Credentials API (a chain SA1,SA2,TARGET:
    /// each member holds the Token Creator role on the next; the last is the target).
    #[arg(
        long,
        global = true,
        env = "GAPI_IMPERSONATE_SERVICE_ACCOUNT",
        value_name = "SA[,SA...]"
    )]
    pub impersonate_service_account: Option<String>,
    /// Domain-wide delegation: the Workspace user a service account (key or impersonated) acts for.
    #[arg(long, global = true, value_name = "EMAIL")]
    pub subject: Option<String>,
    /// Call with this API key (sent as x-goog-api-key) instead of OAuth credentials.
    #[arg(
        long,
        global = true,
        env = "GAPI_API_KEY",
        value_name = "KEY",
        hide_env_values = true
    )]
    pub api_key: Option<String>,
    /// More logging on stderr (-v steps, -vv debug, -vvv trace); secrets are always redacted.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Whether `--profile` or `GAPI_PROFILE` named the profile (false: the default was
    /// assumed, so Application Default Credentials may stand in when it does not exist).
    #[arg(skip)]
    pub profile_explicit: bool,
}

impl GlobalArgs {
    /// The profile that was asked for, or None when none was named.
    pub fn profile_request(&self) -> Option<&str> {
        self.profile_explicit.then_some(self.profile.as_str())
    }
}

/// Whether `id` was given on the command line or through its environment variable, in
/// `matches` or the subcommand matches under it.
fn given(matches: &clap::ArgMatches, id: &str) -> bool {
    use clap::parser::ValueSource;
    let here = matches!(
        matches
            .try_get_raw(id)
            .ok()
            .flatten()
            .and(matches.value_source(id)),
        Some(ValueSource::CommandLine | ValueSource::EnvVariable)
    );
    here || matches.subcommand().is_some_and(|(_, sub)| given(sub, id))
}

/// `gapi`: OAuth 2.0 for installed applications, and any Google API from its Discovery document.
#[derive(Debug, Parser)]
#[command(
    name = "gapi",
    version,
    about = "Log a user in with OAuth 2.0 and call any Google API from its Discovery document",
    allow_external_subcommands = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in, inspect, print and revoke stored credentials.
    #[command(subcommand)]
    Auth(AuthCommand),
    /// Run a local stand-in for Google's OAuth, Discovery and Drive endpoints.
    Emulator(EmulatorArgs),
    /// The seed's complete example: log in and list the five most recently modified Drive files.
    Demo(DemoArgs),
    /// List the APIs gapi knows (bundled Discovery documents).
    Apis(ApisArgs),
    /// Describe an API, a resource or a method: parameters, request and response schema.
    Describe(DescribeArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell).
    Completions(CompletionsArgs),
    /// Serve the Model Context Protocol over stdio: search_methods, describe_method, call_method.
    Mcp(McpArgs),
    /// `<api>[:<version>] <resource>... <method>`: call an API method.
    #[command(external_subcommand)]
    Call(Vec<OsString>),
}

/// `gapi auth ...`
#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Authorize gapi for a user and store the credentials.
    Login(LoginArgs),
    /// Show the stored credentials: account, scopes, expiry, file.
    Status(StatusArgs),
    /// Print a valid access token (refreshing it when needed), for scripts.
    PrintAccessToken,
    /// Print an OpenID Connect ID token for an audience (service accounts, impersonation, the
    /// metadata server).
    PrintIdentityToken(crate::commands::credentials::IdentityTokenArgs),
    /// Store a service-account JSON key as a profile (`--profile`, default `default`).
    ActivateServiceAccount(crate::commands::credentials::ActivateArgs),
    /// Revoke the grant at the server, then delete the stored credentials.
    Revoke,
    /// List the stored profiles.
    List,
    /// Application Default Credentials for other tools (like gcloud's).
    #[command(subcommand, name = "application-default")]
    ApplicationDefault(AdcCommand),
}

/// `gapi auth application-default ...`
#[derive(Debug, Subcommand)]
pub enum AdcCommand {
    /// Log in and write the ADC file where gcloud writes it (`--quota-project` is stored as
    /// quota_project_id), so google.auth.default() and other Google libraries pick it up.
    Login(LoginArgs),
}

/// `gapi auth login`
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The OAuth client (client_secret.json of a Desktop app); defaults to $GAPI_CLIENT_SECRETS.
    #[arg(long, env = "GAPI_CLIENT_SECRETS", value_name = "FILE")]
    pub client_secrets: Option<PathBuf>,
    /// A scope to request (full URL, or a short name like drive.readonly); repeatable.
    #[arg(long = "scope", value_name = "SCOPE")]
    pub scopes: Vec<String>,
    /// Out-of-band flow: print the URL, paste back the code (or the full redirect URL).
    #[arg(long, conflicts_with_all = ["device", "title"])]
    pub console: bool,
    /// Device flow (RFC 8628): enter a short code on another device.
    #[arg(long, conflicts_with = "title")]
    pub device: bool,
    /// `oob:auto`: read the code from the browser window's title (X11), else ask to paste it.
    #[arg(long)]
    pub title: bool,
    /// Do not open a browser (headless machines): print the URL, then finish when the redirect
    /// reaches the port or when the address the browser ended on (or the code) is pasted here;
    /// also prints a --remote-bootstrap command for a machine with a browser.
    #[arg(long)]
    pub no_browser: bool,
    /// Loopback port to listen on (0 = any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Redirect URI to advertise, e.g. http://127.0.0.1/callback (host and path are honoured).
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,
    /// Pre-select this account on the consent page.
    #[arg(long, value_name = "EMAIL")]
    pub login_hint: Option<String>,
    /// Ask only for read-only scopes (refuses any other --scope).
    #[arg(long)]
    pub read_only: bool,
    /// Give up waiting for the user after this many seconds.
    #[arg(long, default_value_t = 300, value_name = "SECS")]
    pub timeout: u64,
    /// Where the login is kept: `file` (a 0600 authorized_user file, the default) or
    /// `keyring` (tokens and client secret in the OS keyring); remembered per profile.
    #[arg(long, env = "GAPI_CREDENTIAL_STORE", value_name = "STORE", value_parser = ["file", "keyring"])]
    pub store: Option<String>,
    /// The consent page's `prompt`: `consent` always issues a new refresh token. Without it,
    /// a repeat login that gets none keeps the stored one (same account and client) or asks
    /// once more with `consent`.
    #[arg(long, value_enum, value_name = "PROMPT")]
    pub prompt: Option<Prompt>,

    // Issue 11 (login where users are): two-machine login.
    /// The browser side of a two-machine login: open URL (printed by `gapi auth login` on a
    /// headless machine) here, and print the line to paste back there. Stores nothing.
    #[arg(long, value_name = "URL", conflicts_with_all = ["console", "device", "title", "scopes"])]
    pub remote_bootstrap: Option<String>,
    /// Incremental consent: ask only for SCOPE (repeatable) with include_granted_scopes=true
    /// and the stored account as login_hint; the profile keeps one merged grant. Uses the
    /// stored login's client secrets unless --client-secrets is given.
    #[arg(long = "add-scope", value_name = "SCOPE", conflicts_with = "scopes")]
    pub add_scopes: Vec<String>,
}

/// Values of `gapi auth login --prompt`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Prompt {
    /// Ask for consent again (and issue a new refresh token).
    Consent,
    /// Let the user choose the account.
    #[value(name = "select_account", alias = "select-account")]
    SelectAccount,
    /// Show no page at all (fails if the user must act).
    None,
}

impl Prompt {
    /// The OAuth `prompt` parameter value.
    pub fn as_param(self) -> &'static str {
        match self {
            Prompt::Consent => "consent",
            Prompt::SelectAccount => "select_account",
            Prompt::None => "none",
        }
    }
}

/// `gapi auth status`
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatusFormat::Text)]
    pub format: StatusFormat,
    /// Do not ask the server's tokeninfo endpoint.
    #[arg(long)]
    pub offline: bool,
}

/// Output of `gapi auth status`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatusFormat {
    /// Lines for people.
    Text,
    /// One JSON object.
    Json,
}

/// `gapi emulator`
#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8642")]
    pub addr: std::net::SocketAddr,
    /// Approve every consent request as `login_hint` or the first test user, without a page.
    #[arg(long)]
    pub auto_approve: bool,
    /// Write a ready client_secret.json ("installed" type) pointing at this emulator.
    #[arg(long, value_name = "FILE")]
    pub write_client_secrets: Option<PathBuf>,
    /// Write the seeded service account's JSON key (robot@gapi-emulator.iam.gserviceaccount.com,
    /// a fixed public test key) with `token_uri` pointing at this emulator.
    #[arg(long, value_name = "FILE")]
    pub write_service_account_key: Option<PathBuf>,
    /// Keep state in this folder across restarts (in memory otherwise).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Lifetime of issued access tokens.
    #[arg(long, default_value_t = 3599, value_name = "SECS")]
    pub token_lifetime: u64,
    /// Refresh tokens die this many seconds after they were issued, as Google's do after 7 days
    /// (604800) under a consent screen in "Testing" mode; grants of only name, email and
    /// profile scopes are exempt. Default: they live until revoked.
    #[arg(long, value_name = "SECS")]
    pub refresh_token_lifetime: Option<u64>,
    /// The `iss` of the ID tokens it signs (default: its own URL); `https://accounts.google.com`
    /// for clients that accept only Google's issuers.
    #[arg(long, value_name = "URL")]
    pub id_token_issuer: Option<String>,
    /// Allow listening on a non-loopback address (the emulator has no real security).
    #[arg(long)]
    pub allow_remote: bool,
}

/// `gapi demo`
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Never open a browser: approve as the test user automatically.
    #[arg(long)]
    pub headless: bool,
}

/// `gapi apis`
#[derive(Debug, Args)]
pub struct ApisArgs {
    /// List every version, not only the preferred one.
    #[arg(long)]
    pub all: bool,
    /// Only APIs whose name or title contains this text.
    pub filter: Option<String>,
}

/// `gapi describe`
#[derive(Debug, Args)]
pub struct DescribeArgs {
    /// `<api>[:<version>] [<resource>... [<method>]]`
    #[arg(required = true, num_args = 1..)]
    pub path: Vec<String>,
}

/// `gapi completions`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Shells with a completion script.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    /// GNU bash.
    Bash,
    /// Z shell.
    Zsh,
    /// fish.
    Fish,
    /// PowerShell.
    Powershell,
}

/// `gapi mcp`
#[derive(Debug, Args)]
pub struct McpArgs {
    /// Refuse every method that is not a GET, judged on the request each call would send.
    /// Read-only means "changes nothing", not "sends nothing": some GET methods make Google
    /// fetch a URL the caller chooses. In GAPI_READ_ONLY any value but 0, false, no or off turns it on.
    #[arg(long, env = "GAPI_READ_ONLY", value_parser = clap::builder::FalseyValueParser::new())]
    pub read_only: bool,
    /// Allow only methods whose id matches PATTERN (`drive.files.*`), judged on the URL sent; repeatable.
    #[arg(long = "allow", value_name = "PATTERN")]
    pub allow: Vec<String>,
    /// call_method with page_all follows at most this many pages.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub page_limit: usize,
}

/// How a response is printed.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum Format {
    /// Pretty JSON (one document, also for --page-all).
    #[default]
    Json,
    /// One compact JSON item per line (list items with --page-all).
    Ndjson,
    /// Aligned columns for lists.
    Table,
    /// Comma-separated values for lists.
    Csv,
}

/// The flags of an API call, `gapi <api> <resource>... <method> [flags]`.
#[derive(Debug, Clone, Parser, Default)]
#[command(name = "gapi", disable_help_flag = true, disable_version_flag = true)]
pub struct CallArgs {
    /// `<api>[:<version>] <resource>... <method>`
    pub words: Vec<String>,
    #[command(flatten)]
    pub global: GlobalArgs,
    /// A parameter, `name=value`; repeat a name for a repeated parameter.
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Parameters as one JSON object.
    #[arg(long = "params", value_name = "JSON")]
    pub params_json: Option<String>,
    /// The request body: JSON text, @FILE, or @- for stdin.
    #[arg(long, value_name = "BODY|@FILE")]
    pub json: Option<String>,
    /// Upload this file as the method's media (`-` reads stdin).
    #[arg(long, value_name = "FILE")]
    pub upload: Option<String>,
    /// Content type of the uploaded media (guessed from the file name otherwise).
    #[arg(long, value_name = "TYPE")]
    pub upload_content_type: Option<String>,
    /// Write the response (or downloaded media) to this file instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With -o: replace FILE if it exists (without it, an existing FILE is refused).
    #[arg(long)]
    pub force: bool,
    /// Follow nextPageToken and print every page.
    #[arg(long)]
    pub page_all: bool,
    /// With --page-all: stop after this many pages.
    #[arg(long, value_name = "N")]
    pub page_limit: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Partial response field mask (the `fields` parameter).
    #[arg(long, value_name = "MASK")]
    pub fields: Option<String>,
    /// With the API alone: send NDJSON calls ({"method","params","body"} per line) as batches.
    #[arg(long, value_name = "FILE|-")]
    pub batch: Option<String>,
    /// Refuse every method that is not a GET, judged on the URL sent, before any request;
    /// "changes nothing", not "sends nothing" (a GET may make Google fetch a URL you give).
    #[arg(long, env = "GAPI_READ_ONLY", value_parser = clap::builder::FalseyValueParser::new())]
    pub read_only: bool,
    /// Allow only methods whose id matches PATTERN (`drive.files.*`), judged on the URL sent; repeatable.
    #[arg(long = "allow", value_name = "PATTERN")]
    pub allow: Vec<String>,
    /// Send the --json body without checking it against the method's schema first.
    #[arg(long)]
    pub no_validate: bool,
    /// Filter the response (each item with --page-all) with a jq program; strings print raw.
    #[arg(long, value_name = "EXPR")]
    pub jq: Option<String>,
    /// Print the request as JSON instead of sending it (needs no credentials).
    #[arg(long)]
    pub dry_run: bool,
    /// Retry POST/PATCH too on 5xx/429 (they may not be idempotent).
    #[arg(long)]
    pub retry_all: bool,
    /// Show help for the API, resource or method named so far.
    #[arg(short = 'h', long)]
    pub help: bool,
}

/// A parsed command line.
#[derive(Debug)]
pub struct Parsed {
    /// Global options (merged from before and after the API words).
    pub global: GlobalArgs,
    /// What to do.
    pub action: Action,
}

/// The command to run.
#[derive(Debug)]
pub enum Action {
    /// A fixed subcommand.
    Fixed(Command),
    /// An API call.
    Call(Box<CallArgs>),
    /// `gapi __complete WORDS...`: completion candidates for the shell scripts.
    Complete(Vec<String>),
}

impl Parsed {
    /// The emulator serves many connections; everything else is one request at a time.
    pub fn needs_multi_thread(&self) -> bool {
        matches!(
            self.action,
            Action::Fixed(Command::Emulator(_)) | Action::Fixed(Command::Demo(_))
        )
    }
}

/// The end of `gapi --help`: how API calls look, their flags (from [`CallArgs`]) and the
/// exit codes.
pub fn after_help() -> String {
    let mut out = String::from(
        "API calls:\n  gapi <api>[:<version>] <resource>... <method> [flags]\n  \
         e.g. gapi drive files list -p pageSize=5 -p orderBy=\"modifiedByMeTime desc\"\n  \
         gapi drive --help (or gapi help drive) lists an API's resources and methods;\n  \
         add a method for its parameters; gapi describe drive File shows a schema.\n\nCall flags:\n",
    );
    let global: Vec<String> = GlobalArgs::augment_args(clap::Command::new("g"))
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    let rows: Vec<(String, String)> = CallArgs::command()
        .get_arguments()
        .filter(|a| !a.is_positional() && !global.contains(&a.get_id().to_string()))
        .filter(|a| a.get_id() != "help")
        .map(|a| {
            let mut left = match (a.get_short(), a.get_long()) {
                (Some(s), Some(l)) => format!("-{s}, --{l}"),
                (None, Some(l)) => format!("    --{l}"),
                (Some(s), None) => format!("-{s}"),
                (None, None) => String::new(),
            };
            let values = a.get_possible_values();
            if a.get_action().takes_values() && !values.is_empty() {
                let names: Vec<&str> = values.iter().map(|p| p.get_name()).collect();
                left.push_str(&format!(" <{}>", names.join("|")));
            } else if a.get_action().takes_values()
                && let Some(v) = a.get_value_names().and_then(|v| v.first())
            {
                left.push_str(&format!(" <{v}>"));
            }
            let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            (left, help)
        })
        .collect();
    let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    for (left, help) in rows {
        out.push_str(&format!("  {left:<width$}  {help}\n"));
    }
    out.push_str(
        "\nExit codes: 0 ok, 1 other error, 2 bad arguments, 3 authorization needed or refused,\n  \
         4 API answered 4xx (or a --batch call did), 5 API answered 5xx, 6 network error.",
    );
    out
}

/// Parses the process arguments.
pub fn parse(mut args: Vec<OsString>) -> Result<Parsed, clap::Error> {
    if args.get(1).is_some_and(|a| a == "__complete") {
        let words = args[2..]
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        return Ok(Parsed {
            global: GlobalArgs::default(),
            action: Action::Complete(words),
        });
    }
    // `gapi help drive files` is `gapi drive files --help` (clap's own help covers the rest).
    if args.get(1).is_some_and(|a| a == "help")
        && let Some(word) = args.get(2).and_then(|a| a.to_str())
        && !Cli::command()
            .get_subcommands()
            .any(|s| s.get_name() == word)
    {
        args.remove(1);
        args.push("--help".into());
    }
    use clap::FromArgMatches;
    let matches = Cli::command()
        .after_help(after_help())
        .try_get_matches_from(&args)?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    cli.global.profile_explicit = given(&matches, "profile");
    match cli.command {
        Command::Call(rest) => {
            let mut argv: Vec<OsString> = vec!["gapi".into()];
            argv.extend(rest);
            let call_matches = CallArgs::command().try_get_matches_from(argv)?;
            let mut call = CallArgs::from_arg_matches(&call_matches)?;
            call.global.profile_explicit = given(&call_matches, "profile");
            // Globals may stand before the API name or after it: after wins.
            let before = cli.global;
            let g = &mut call.global;
            if !g.profile_explicit {
                g.profile = before.profile;
                g.profile_explicit = before.profile_explicit;
            }
            g.endpoint = g.endpoint.take().or(before.endpoint);
            g.anonymous |= before.anonymous;
            g.quota_project = g.quota_project.take().or(before.quota_project);
            g.verbose = g.verbose.max(before.verbose);
            Ok(Parsed {
                global: call.global.clone(),
                action: Action::Call(Box::new(call)),
            })
        }
        command => Ok(Parsed {
            global: cli.global,
            action: Action::Fixed(command),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Parsed {
        parse(args.iter().map(OsString::from).collect()).unwrap()
    }

    #[test]
    fn api_call_words_and_flags_interleave() {
        let parsed = p(&[
            "gapi",
            "--profile",
            "work",
            "drive",
            "files",
            "list",
            "-p",
            "pageSize=5",
            "--dry-run",
        ]);
        let Action::Call(call) = parsed.action else {
            panic!("expected a call")
        };
        assert_eq!(call.words, ["drive", "files", "list"]);
        assert_eq!(call.params, ["pageSize=5"]);
        assert!(call.dry_run);
        assert_eq!(parsed.global.profile, "work");
        assert_eq!(parsed.global.profile_request(), Some("work"));
    }

    #[test]
    fn a_named_profile_is_told_from_the_default() {
        let parsed = p(&["gapi", "drive", "about", "get"]);
        assert_eq!(parsed.global.profile, "default");
        assert_eq!(parsed.global.profile_request(), None);
        let parsed = p(&["gapi", "drive", "about", "get", "--profile", "default"]);
        assert_eq!(parsed.global.profile_request(), Some("default"));
        let parsed = p(&["gapi", "auth", "status", "--profile", "default"]);
        assert_eq!(parsed.global.profile_request(), Some("default"));
        let parsed = p(&["gapi", "--profile", "w", "auth", "status"]);
        assert_eq!(parsed.global.profile_request(), Some("w"));
        let parsed = p(&["gapi", "auth", "status"]);
        assert_eq!(parsed.global.profile_request(), None);
        let parsed = p(&["gapi", "auth", "login", "--prompt", "select_account"]);
        assert!(matches!(
            parsed.action,
            Action::Fixed(Command::Auth(AuthCommand::Login(LoginArgs {
                prompt: Some(Prompt::SelectAccount),
                ..
            })))
        ));
    }

    #[test]
    fn globals_after_the_api_name_are_honoured() {
        let parsed = p(&[
            "gapi",
            "drive",
            "about",
            "get",
            "--endpoint",
            "http://127.0.0.1:1/",
        ]);
        assert_eq!(
            parsed.global.endpoint.as_deref(),
            Some("http://127.0.0.1:1/")
        );
    }

    #[test]
    fn fixed_subcommands_parse() {
        let parsed = p(&[
            "gapi",
            "auth",
            "login",
            "--console",
            "--scope",
            "drive.readonly",
        ]);
        assert!(matches!(
            parsed.action,
            Action::Fixed(Command::Auth(AuthCommand::Login(LoginArgs {
                console: true,
                ..
            })))
        ));
    }

    #[test]
    fn unknown_call_flag_is_an_error() {
        let r = parse(
            ["gapi", "drive", "files", "list", "--bogus"]
                .iter()
                .map(OsString::from)
                .collect(),
        );
        assert!(r.is_err());
    }
}
