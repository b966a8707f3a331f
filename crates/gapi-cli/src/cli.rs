//! The argument grammar of `gapi`.
//!
//! Fixed subcommands (`auth`, `emulator`, `demo`, `apis`, `describe`) are clap-derived. Anything
//! else is an API call, `gapi <api>[:<version>] <resource>... <method> [flags]`, whose words are
//! only known once the API's Discovery document is loaded, so its flags are parsed by
//! [`CallArgs`] and its words resolved against the document in `commands::api`.
//!
//! The global options ([`GlobalArgs`]) are defined once and read once: [`parse`] moves those
//! given before the command or API name behind its words, so the same clap parse reads every
//! one of them wherever it stood.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

mod fast;
pub mod helpers;
pub mod values;

/// Options that apply to every command: the one definition of the global options.
///
/// They may stand before the command or API name (`gapi --profile work drive files list`) or
/// after it (`gapi drive files list --profile work`): [`parse`] moves every one given before
/// the name behind the command's own words, so a single clap parse at the command's level
/// reads them all, whatever flag is added here later. Giving one in both places is an error
/// (two different accounts, one of them silently dropped, is the failure this prevents),
/// except for a repeatable one (`--allow`), whose values add up.
#[derive(Debug, Clone, Args, Default, PartialEq)]
pub struct GlobalArgs {
    /// Credentials profile to use (stored as credentials/<PROFILE>.json).
    #[arg(long, global = true, env = "GAPI_PROFILE", default_value = "default")]
    pub profile: String,
    /// Replace the API's rootUrl (plain, upload and batch URLs), e.g. an emulator's address.
    #[arg(long, global = true, env = gapi_client::ENDPOINT_VAR, value_name = "URL", value_parser = non_empty)]
    pub endpoint: Option<String>,
    /// Send requests without credentials (public data, or an emulator that needs none).
    #[arg(long, global = true)]
    pub anonymous: bool,
    /// Bill requests to this Google Cloud project (x-goog-user-project).
    #[arg(long, global = true, value_name = "ID", value_parser = non_empty)]
    pub quota_project: Option<String>,
    /// Act as this service account through the IAM Credentials API (a chain SA1,SA2,TARGET:
    /// each member holds the Token Creator role on the next; the last is the target).
    #[arg(
        long,
        global = true,
        env = "GAPI_IMPERSONATE_SERVICE_ACCOUNT",
        value_name = "SA[,SA...]",
        value_parser = non_empty
    )]
    pub impersonate_service_account: Option<String>,
    /// Domain-wide delegation: the Workspace user a service account (key or impersonated) acts for.
    #[arg(long, global = true, value_name = "EMAIL", value_parser = non_empty)]
    pub subject: Option<String>,
    /// Call with this API key (sent as x-goog-api-key) instead of OAuth credentials.
    #[arg(
        long,
        global = true,
        env = "GAPI_API_KEY",
        value_name = "KEY",
        hide_env_values = true,
        value_parser = api_key
    )]
    pub api_key: Option<gapi_client::SecretString>,
    /// Refuse every method that is not a GET, judged on the request each call would send,
    /// before any request (API calls, --batch lines, gapi mcp); `gapi auth login` asks only
    /// for read-only scopes. It means "changes nothing", not "sends nothing": a GET may make
    /// Google fetch a URL you give. In GAPI_READ_ONLY any value but 0, false, no or off turns it on.
    #[arg(
        long,
        global = true,
        env = "GAPI_READ_ONLY",
        value_parser = clap::builder::FalseyValueParser::new()
    )]
    pub read_only: bool,
    /// Allow only methods whose id matches PATTERN (`drive.files.*`), judged on the request
    /// each call would send; repeatable.
    #[arg(long = "allow", global = true, value_name = "PATTERN")]
    pub allow: Vec<String>,
    /// More logging on stderr (-v steps, -vv debug, -vvv trace); secrets are always redacted.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Where each global option that was given came from (its flag or its environment
    /// variable), by argument id: a named profile is told from the assumed default, and
    /// errors about conflicting options say what to drop or unset.
    #[arg(skip)]
    pub origins: std::collections::BTreeMap<String, Origin>,
}

/// Where a global option's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The command line (`--profile`).
    Flag(String),
    /// An environment variable (`GAPI_PROFILE`).
    Env(String),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Flag(flag) => f.write_str(flag),
            Origin::Env(var) => write!(f, "the {var} environment variable"),
        }
    }
}

impl GlobalArgs {
    /// The profile that was asked for, or None when none was named.
    pub fn profile_request(&self) -> Option<&str> {
        self.origins
            .contains_key("profile")
            .then_some(self.profile.as_str())
    }

    /// Where the option with clap id `id` came from, when it was given at all.
    pub fn origin(&self, id: &str) -> Option<&Origin> {
        self.origins.get(id)
    }
}

/// An option value that must say something: `--subject ""` would otherwise mean "no subject"
/// and run the call as the service account itself.
fn non_empty(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        return Err("the value is empty".into());
    }
    Ok(value.to_string())
}

/// `--api-key`: kept in a type whose Debug never shows it.
fn api_key(value: &str) -> Result<gapi_client::SecretString, String> {
    non_empty(value).map(gapi_client::SecretString::new)
}

/// The clap command holding only the global options (their one definition).
fn global_command() -> clap::Command {
    GlobalArgs::augment_args(clap::Command::new("gapi"))
}

/// `cmd` with every global option whose environment variable is set but empty reading it as
/// unset (`GAPI_API_KEY= gapi ...` is how a variable is switched off); an empty value on the
/// command line stays an error.
fn empty_env_is_unset(mut cmd: clap::Command) -> clap::Command {
    for arg in global_command().get_arguments() {
        let empty = arg
            .get_env()
            .and_then(std::env::var_os)
            .is_some_and(|v| v.to_string_lossy().trim().is_empty());
        if empty {
            cmd = cmd.mut_arg(arg.get_id().clone(), |a| a.env(None::<&str>));
        }
    }
    cmd
}

/// Records in `global.origins` where each global option of `matches` (the parse of the
/// command's own level, which reads every global) came from.
fn record_origins(global: &mut GlobalArgs, matches: &clap::ArgMatches) {
    use clap::parser::ValueSource;
    for arg in global_command().get_arguments() {
        let id = arg.get_id().as_str();
        let source = matches
            .try_get_raw(id)
            .ok()
            .flatten()
            .and_then(|_| matches.value_source(id));
        let origin = match source {
            Some(ValueSource::CommandLine) => Origin::Flag(match arg.get_long() {
                Some(long) => format!("--{long}"),
                None => format!("-{}", arg.get_short().unwrap_or('?')),
            }),
            Some(ValueSource::EnvVariable) => Origin::Env(
                arg.get_env()
                    .map(|e| e.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            ),
            _ => continue,
        };
        global.origins.insert(id.to_string(), origin);
    }
}

/// The matches of the innermost subcommand (where a fixed command's globals are read).
fn innermost(matches: &clap::ArgMatches) -> &clap::ArgMatches {
    match matches.subcommand() {
        Some((_, sub)) => innermost(sub),
        None => matches,
    }
}

/// Splits `args` (without the program name) into the global options that stand before the
/// command or API name, and the rest (from that name on). Which tokens are global options
/// comes from [`GlobalArgs`]'s own definition: a long name (`--profile`, `--profile=x`, with
/// its value when it takes one), or a cluster of global short flags (`-vv`).
fn split_leading_globals(args: &[OsString]) -> (Vec<OsString>, Vec<OsString>) {
    let command = global_command();
    let globals: Vec<&clap::Arg> = command.get_arguments().collect();
    let takes_value = |a: &clap::Arg| a.get_action().takes_values();
    let mut i = 0;
    while let Some(token) = args.get(i).and_then(|t| t.to_str()) {
        let consumed = if let Some(long) = token.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, _)) => (n, true),
                None => (long, false),
            };
            match globals
                .iter()
                .find(|a| !name.is_empty() && a.get_long() == Some(name))
            {
                Some(a) if takes_value(a) && !inline => 2,
                Some(_) => 1,
                None => 0,
            }
        } else if let Some(shorts) = token.strip_prefix('-').filter(|s| !s.is_empty()) {
            // Every character must be a global short flag; one taking a value takes the rest
            // of the cluster, or the next token.
            let mut n = 0;
            for (at, c) in shorts.char_indices() {
                match globals.iter().find(|a| a.get_short() == Some(c)) {
                    Some(a) if takes_value(a) => {
                        n = if at + c.len_utf8() == shorts.len() {
                            2
                        } else {
                            1
                        };
                        break;
                    }
                    Some(_) => n = 1,
                    None => {
                        n = 0;
                        break;
                    }
                }
            }
            n
        } else {
            0
        };
        if consumed == 0 {
            break;
        }
        i += consumed;
    }
    let i = i.min(args.len());
    (args[..i].to_vec(), args[i..].to_vec())
}

/// The command line with every global option given before the command or API name moved
/// behind the command's own words (before a `--`, if there is one), so that clap reads all
/// globals once, at the command's level: one parse, one rule, for every global option.
fn move_leading_globals(args: &[OsString]) -> Vec<OsString> {
    let Some((program, rest)) = args.split_first() else {
        return args.to_vec();
    };
    let (leading, rest) = split_leading_globals(rest);
    // Nothing to move, or nothing to move it behind (clap says what is missing), or clap's
    // own `help` subcommand (which takes no options).
    if leading.is_empty() || rest.is_empty() || rest[0] == "help" {
        return args.to_vec();
    }
    let mut out = Vec::with_capacity(args.len());
    out.push(program.clone());
    out.extend(globals_behind_words(leading, rest));
    out
}

/// `rest` (from the command or API name on) with the `leading` global options put behind its
/// words, before a `--` if there is one.
fn globals_behind_words(leading: Vec<OsString>, rest: Vec<OsString>) -> Vec<OsString> {
    let at = rest
        .iter()
        .skip(1)
        .position(|t| t == "--")
        .map(|p| p + 1)
        .unwrap_or(rest.len());
    let mut out = Vec::with_capacity(leading.len() + rest.len());
    out.extend_from_slice(&rest[..at]);
    out.extend(leading);
    out.extend_from_slice(&rest[at..]);
    out
}

/// A global option given both before and after the command name, for a clear error (clap's
/// own says only that it was given twice).
fn given_twice(args: &[OsString]) -> Option<String> {
    let (leading, rest) = split_leading_globals(args.get(1..).unwrap_or_default());
    let before = global_command()
        .no_binary_name(true)
        .ignore_errors(true)
        .try_get_matches_from(&leading)
        .ok()?;
    let rest: Vec<&str> = rest
        .iter()
        .take_while(|t| *t != "--")
        .filter_map(|t| t.to_str())
        .collect();
    for arg in global_command().get_arguments() {
        let id = arg.get_id().as_str();
        if matches!(arg.get_action(), clap::ArgAction::Count)
            || before.value_source(id) != Some(clap::parser::ValueSource::CommandLine)
        {
            continue;
        }
        let Some(long) = arg.get_long() else { continue };
        let flag = format!("--{long}");
        if rest
            .iter()
            .any(|t| *t == flag || t.starts_with(&format!("{flag}=")))
        {
            return Some(format!(
                "{flag} is given both before and after the command name: give it once \
                 (a second value would silently replace the first, e.g. run the call as \
                 another account)"
            ));
        }
    }
    None
}

/// `gapi`: OAuth 2.0 for installed applications, and any Google API from its Discovery document.
#[derive(Debug, Clone, Parser)]
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
#[derive(Debug, Clone, Subcommand)]
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
    /// Find the method for a task in plain words (`gapi search send an email`), best first.
    Search(SearchArgs),
    /// Write a typed Rust module for chosen methods (`gapi codegen drive:v3 files.list -o drive.rs`).
    Codegen(CodegenArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell).
    Completions(CompletionsArgs),
    /// Serve the Model Context Protocol over stdio: search_methods, describe_method, call_method.
    Mcp(McpArgs),
    /// Write Agent Skills (SKILL.md) for APIs: methods as gapi command lines, scopes, limits.
    #[command(subcommand)]
    Skills(SkillsCommand),
    /// `<api>[:<version>] <resource>... <method>`: call an API method.
    #[command(external_subcommand)]
    Call(Vec<OsString>),
}

/// `gapi auth ...`
#[derive(Debug, Clone, Subcommand)]
pub enum AuthCommand {
    /// Authorize gapi for a user and store the credentials.
    Login(LoginArgs),
    /// Show the stored credentials: account, scopes, expiry, file.
    Status(StatusArgs),
    /// Print a valid access token (refreshing it when needed), for scripts.
    PrintAccessToken,
    /// Print an OpenID Connect ID token for an audience (service accounts, impersonation, the
    /// metadata server).
    PrintIdentityToken(IdentityTokenArgs),
    /// Store a service-account JSON key as a profile (`--profile`, default `default`).
    ActivateServiceAccount(ActivateArgs),
    /// Revoke the grant at the server, then delete the stored credentials.
    Revoke,
    /// List the stored profiles.
    List,
    /// A policy pinned to the profile (allow, deny, read-only) that every call obeys.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Application Default Credentials for other tools (like gcloud's).
    #[command(subcommand, name = "application-default")]
    ApplicationDefault(AdcCommand),
}

/// `gapi auth application-default ...`
#[derive(Debug, Clone, Subcommand)]
pub enum AdcCommand {
    /// Log in and write the ADC file where gcloud writes it (`--quota-project` is stored as
    /// quota_project_id), so google.auth.default() and other Google libraries pick it up.
    Login(LoginArgs),
}

/// `gapi auth login`
#[derive(Debug, Clone, Args)]
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
    /// With --remote-bootstrap: you confirm that you yourself started this login on the other
    /// machine (needed where no terminal can ask; a terminal asks otherwise).
    #[arg(long, requires = "remote_bootstrap")]
    pub yes: bool,
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
#[derive(Debug, Clone, Args)]
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
#[derive(Debug, Clone, Args)]
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
    /// Repair the --data folder's damaged journal instead of serving: keep every record before
    /// the first damaged one, drop the rest (the old journal is kept beside it).
    #[arg(long, requires = "data")]
    pub repair_journal: bool,
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
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Never open a browser: approve as the test user automatically.
    #[arg(long)]
    pub headless: bool,
}

/// `gapi apis`
#[derive(Debug, Clone, Args)]
pub struct ApisArgs {
    /// List every version, not only the preferred one.
    #[arg(long)]
    pub all: bool,
    /// Only APIs whose name or title contains this text.
    pub filter: Option<String>,
}

/// `gapi describe`
#[derive(Debug, Clone, Args)]
pub struct DescribeArgs {
    /// `<api>[:<version>] [<resource>... [<method>]]`
    #[arg(required = true, num_args = 1..)]
    pub path: Vec<String>,
}

/// `gapi completions`
#[derive(Debug, Clone, Args)]
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
#[derive(Debug, Clone, Args)]
pub struct McpArgs {
    /// call_method with page_all follows at most this many pages.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub page_limit: usize,
    /// Also serve the tools of this MCP server (streamable HTTP, e.g. one Google hosts),
    /// called with the profile's credentials as a bearer token; repeatable.
    #[arg(long = "upstream", value_name = "URL")]
    pub upstream: Vec<String>,
    /// The scope the upstream servers need (`drive.readonly` or a full URL); repeatable. A
    /// login without it is refused at start with the command that adds it; service accounts
    /// ask for it. Default: the login's own scopes (cloud-platform for a service account).
    #[arg(long = "upstream-scope", value_name = "SCOPE", requires = "upstream")]
    pub upstream_scope: Vec<String>,
    /// Under a policy, also send call_method arguments that hold a URL (which a method may
    /// make Google fetch: a way out for data); refused by default.
    #[arg(long)]
    pub allow_egress: bool,
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
    pub upload: Option<PathBuf>,
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
    /// With the API alone: send NDJSON calls ({"method","params","body"} per line) as batches;
    /// one result line each, as NDJSON (--format table|csv: rows), through --jq, or to -o FILE
    /// (written whole); -p, --params, --json, --upload and --page-all are refused.
    #[arg(long, value_name = "FILE|-")]
    pub batch: Option<String>,
    /// Send the --json body without checking it against the method's schema first.
    #[arg(long)]
    pub no_validate: bool,
    /// Filter the response (each item with --page-all, each result line with --batch) with a
    /// jq program; strings print raw; nothing prints unless it succeeds; halt_error exits 1.
    #[arg(long, value_name = "EXPR")]
    pub jq: Option<String>,
    /// Print the request as JSON instead of sending it (needs no credentials).
    #[arg(long)]
    pub dry_run: bool,
    /// Retry POST/PATCH too on 5xx/429 (they may not be idempotent).
    #[arg(long)]
    pub retry_all: bool,
    /// Follow a list method's sync token (Drive changes.list, Calendar events.list, Gmail
    /// users.history.list, People connections.list): print every new or changed item once,
    /// as NDJSON, until Ctrl-C or SIGTERM (exit 0).
    #[arg(long)]
    pub follow: bool,
    /// With --follow: keep the position in FILE (written atomically after each printed
    /// batch), so a restart resumes without repeats or gaps.
    #[arg(long, value_name = "FILE", requires = "follow")]
    pub state: Option<PathBuf>,
    /// With --follow: wait this long between polls (`30`, `30s`, `500ms`, `5m`; default 30s).
    #[arg(long, value_name = "D", requires = "follow", value_parser = values::parse_interval)]
    pub follow_interval: Option<std::time::Duration>,
    /// With --batch: at most N batch requests in flight at once.
    #[arg(long, value_name = "N", requires = "batch", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_concurrency: Option<u32>,
    /// With --batch: send at most R calls (batch parts) per second (`50`, `50/s`, `0.5`).
    #[arg(long, value_name = "R", requires = "batch", value_parser = values::parse_rate)]
    pub rate: Option<f64>,
    /// Show help for the API, resource or method named so far.
    #[arg(short = 'h', long)]
    pub help: bool,
}

/// `gapi auth print-identity-token`
#[derive(Debug, Clone, Args)]
pub struct IdentityTokenArgs {
    /// The token's audience (`aud`): the URL of the service that will check it.
    #[arg(long, value_name = "AUD")]
    pub audience: String,
}

/// `gapi auth activate-service-account`
#[derive(Debug, Clone, Args)]
pub struct ActivateArgs {
    /// The service account's JSON key (as the Cloud Console downloads it).
    #[arg(long, value_name = "FILE")]
    pub key_file: std::path::PathBuf,
}

/// `gapi search`
#[derive(Debug, Clone, Args)]
pub struct SearchArgs {
    /// What you want to do, in plain words: `send an email`, `list files in my drive`.
    #[arg(required = true, num_args = 1.., value_name = "WORDS")]
    pub words: Vec<String>,
    /// Only this API (`drive`) or API version (`drive:v2`).
    #[arg(long, value_name = "API[:VERSION]")]
    pub api: Option<String>,
    /// At most this many methods.
    #[arg(short = 'n', long, default_value_t = 10, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub limit: u16,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: SearchFormat,
}

/// `gapi auth policy ...`
#[derive(Debug, Clone, Subcommand)]
pub enum PolicyCommand {
    /// Store a policy with the profile (replacing its policy), or with `--all-profiles` one
    /// for every identity; every call under it obeys it and per-call flags can only narrow it.
    /// Lifting a limit asks a person.
    Set(SetArgs),
    /// Print the profile's stored policy (`--all-profiles`: the one for every identity).
    Show(ShowArgs),
    /// Remove the profile's policy, or with `--all-profiles` the one for every identity (asks
    /// a person at a terminal; refused without one).
    Clear(ClearArgs),
}

/// `gapi auth policy clear`
#[derive(Debug, Clone, Args)]
pub struct ClearArgs {
    /// The policy for every identity, not the profile's.
    #[arg(long)]
    pub all_profiles: bool,
}

/// `gapi auth policy set`
#[derive(Debug, Clone, Args)]
pub struct SetArgs {
    /// Allow only methods whose id matches PATTERN (`drive.files.*`, `*` any run); repeatable.
    #[arg(long = "allow", value_name = "PATTERN")]
    pub allow: Vec<String>,
    /// Refuse methods whose id matches PATTERN, even when allowed (deny wins); repeatable.
    #[arg(long = "deny", value_name = "PATTERN")]
    pub deny: Vec<String>,
    /// Refuse every method that is not a GET.
    #[arg(long)]
    pub read_only: bool,
    /// A policy for every identity, whatever a call runs as (every profile, environment
    /// credentials, ADC, an API key, none), on top of each profile's own.
    #[arg(long)]
    pub all_profiles: bool,
}

/// `gapi auth policy show`
#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    /// Print JSON instead of lines.
    #[arg(long)]
    pub json: bool,
    /// The policy for every identity, not the profile's.
    #[arg(long)]
    pub all_profiles: bool,
}

/// `gapi skills ...`
#[derive(Debug, Clone, Subcommand)]
pub enum SkillsCommand {
    /// Write `DIR/<api>/SKILL.md` for each API (default: the well-known ones) and
    /// `DIR/gapi/SKILL.md` for gapi itself.
    Generate(GenerateArgs),
}

/// `gapi skills generate`
#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// APIs (`drive`, `gmail:v1`); default: Drive, Gmail, Calendar, Sheets, Docs, Tasks,
    /// People, YouTube, Storage, BigQuery, Pub/Sub, Compute.
    pub apis: Vec<String>,
    /// The folder to write into (created if missing).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
    /// At most this many methods per API.
    #[arg(long, default_value_t = 15, value_name = "N")]
    pub methods: usize,
}

/// `gapi codegen`
#[derive(Debug, Clone, Args)]
pub struct CodegenArgs {
    /// The API: `drive:v3` (bundled; `drive` for the preferred version), or a Discovery
    /// document file (`FILE.json`).
    #[arg(value_name = "API[:VERSION]|FILE.json")]
    pub api: String,
    /// Methods by dotted path (`files.list`); `files.*` for a resource's methods, `*` for all.
    #[arg(value_name = "METHOD", num_args = 1.., required = true)]
    pub methods: Vec<String>,
    /// Where to write the module (`-` for stdout).
    #[arg(short = 'o', long, value_name = "FILE.rs")]
    pub output: PathBuf,
}

/// How `gapi search` prints its results.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum SearchFormat {
    /// Aligned columns: rank, method id, HTTP verb, API, summary.
    #[default]
    Table,
    /// One JSON document: `{"query", "methods": [{rank, api, method, id, httpMethod, ...}]}`.
    Json,
}

/// A parsed command line.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// Global options (merged from before and after the API words).
    pub global: GlobalArgs,
    /// What to do.
    pub action: Action,
}

/// The command to run.
#[derive(Debug, Clone)]
pub enum Action {
    /// A fixed subcommand.
    Fixed(Command),
    /// An API call.
    Call(Box<CallArgs>),
    /// A `+helper` command (`gapi gmail +send ...`).
    Helper(Box<helpers::Helper>),
    /// `gapi __complete WORDS...`: completion candidates for the shell scripts.
    Complete(Vec<String>),
}

impl Parsed {
    /// Whether the command handles a closed stdout itself (exit 0): the servers (`gapi mcp`,
    /// the emulator, the demo), which treat a client gone as no error, and `gapi search`.
    pub fn handles_closed_stdout(&self) -> bool {
        matches!(
            self.action,
            Action::Fixed(
                Command::Mcp(_) | Command::Emulator(_) | Command::Demo(_) | Command::Search(_)
            )
        )
    }

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
         add a method for its parameters; gapi describe drive File shows a schema.\n\n\
         Everyday helpers (each with --help and an example):\n  \
         gapi gmail +send|+draft|+reply|+forward|+read, gapi calendar +agenda|+insert,\n  \
         gapi sheets +read|+append, gapi docs +write|+create|+read, gapi drive +upload|+download\n\nCall flags:\n",
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

/// Parses the process arguments. Global options may stand before the command or API name,
/// between a command's words or after them, with the same meaning; one given twice is an error.
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
    let at = 1 + split_leading_globals(args.get(1..).unwrap_or_default())
        .0
        .len();
    if helpers::is_helper(&args[at..]) {
        return parse_helper(&args, at);
    }
    let parsed = match fast::api_call(&args) {
        // An API call: the same parse as below without building the fixed commands' tree.
        Some(call) => parse_call(call),
        None => {
            // `gapi help drive files` is `gapi drive files --help` (clap's own help covers
            // the rest), also after global options (`gapi -v help drive`).
            if args.get(at).is_some_and(|a| a == "help")
                && let Some(word) = args.get(at + 1).and_then(|a| a.to_str())
                && !Cli::command()
                    .get_subcommands()
                    .any(|s| s.get_name() == word)
            {
                args.remove(at);
                args.push("--help".into());
            }
            if helpers::is_helper(&args[at..]) {
                return parse_helper(&args, at);
            }
            parse_moved(&move_leading_globals(&args))
        }
    };
    parsed.map_err(|e| {
        match given_twice(&args).filter(|_| e.kind() == ErrorKind::ArgumentConflict) {
            Some(message) => clap::Error::raw(ErrorKind::ArgumentConflict, format!("{message}\n")),
            None => e,
        }
    })
}

/// `gapi [GLOBALS] <api> +<helper> ...` (issue 18), `at` the index of the API name. The
/// global options are read before the API name and after the helper's words alike, except
/// `--subject`: after a mail helper's words it is the mail's subject, so domain-wide
/// delegation's `--subject` goes before the API name.
fn parse_helper(args: &[OsString], at: usize) -> Result<Parsed, clap::Error> {
    if let Some(message) = given_twice(args).filter(|m| !m.starts_with("--subject ")) {
        return Err(clap::Error::raw(
            ErrorKind::ArgumentConflict,
            format!("{message}\n"),
        ));
    }
    let mut argv = vec![args[0].clone()];
    argv.extend_from_slice(&args[1..at]);
    argv.extend_from_slice(&args[at..]);
    let matches = empty_env_is_unset(helpers::command()).try_get_matches_from(argv)?;
    let mut helper = helpers::Helper::from_matches(&matches)?;
    record_origins(&mut helper.global, innermost(&matches));
    let mut top = GlobalArgs::default();
    record_origins(&mut top, &matches);
    match top.origins.remove("subject") {
        Some(origin) => helper.global.origins.insert("subject".into(), origin),
        None => helper.global.origins.remove("subject"),
    };
    Ok(Parsed {
        global: helper.global.clone(),
        action: Action::Helper(Box::new(helper)),
    })
}

/// Parses a command line whose global options all stand at the command's own level.
fn parse_moved(args: &[OsString]) -> Result<Parsed, clap::Error> {
    use clap::FromArgMatches;
    let matches = empty_env_is_unset(Cli::command())
        .after_help(after_help())
        .try_get_matches_from(args)?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    match cli.command {
        Command::Call(rest) => parse_call(rest),
        command => {
            record_origins(&mut cli.global, innermost(&matches));
            Ok(Parsed {
                global: cli.global,
                action: Action::Fixed(command),
            })
        }
    }
}

/// Parses an API call's words and flags (`drive files list -p pageSize=5 ...`, global options
/// already moved behind the words) with [`CallArgs`].
fn parse_call(rest: Vec<OsString>) -> Result<Parsed, clap::Error> {
    use clap::FromArgMatches;
    let mut argv: Vec<OsString> = Vec::with_capacity(rest.len() + 1);
    argv.push("gapi".into());
    argv.extend(rest);
    let call_matches = empty_env_is_unset(CallArgs::command()).try_get_matches_from(argv)?;
    let mut call = CallArgs::from_arg_matches(&call_matches)?;
    record_origins(&mut call.global, &call_matches);
    Ok(Parsed {
        global: call.global.clone(),
        action: Action::Call(Box::new(call)),
    })
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

    /// Command-line tokens giving `arg` (a global option) a value clap accepts.
    fn tokens_for(arg: &clap::Arg) -> Vec<String> {
        let flag = match arg.get_long() {
            Some(long) => format!("--{long}"),
            None => format!("-{}", arg.get_short().expect("a global option has a name")),
        };
        if !arg.get_action().takes_values() {
            return vec![flag];
        }
        let mut candidates: Vec<String> = arg
            .get_possible_values()
            .iter()
            .map(|v| v.get_name().to_string())
            .collect();
        candidates.extend(["sample-value-1", "7", "http://127.0.0.1:9/"].map(String::from));
        for value in candidates {
            let argv = ["gapi", "apis", &flag, &value];
            if parse(argv.iter().map(OsString::from).collect()).is_ok() {
                return vec![flag, value];
            }
        }
        panic!("no sample value parses for {flag}; add one to tokens_for");
    }

    /// Every leaf command of the tree (`auth status`, `mcp`, ...) with sample values for its
    /// required arguments, plus an API call.
    fn leaf_commands() -> Vec<Vec<String>> {
        fn walk(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<Vec<String>>) {
            let subs: Vec<&clap::Command> = cmd.get_subcommands().collect();
            if subs.is_empty() {
                let mut argv = path;
                for arg in cmd.get_arguments().filter(|a| a.is_required_set()) {
                    let value = arg
                        .get_possible_values()
                        .first()
                        .map(|v| v.get_name().to_string())
                        .unwrap_or_else(|| "drive".to_string());
                    if let Some(long) = arg.get_long() {
                        argv.push(format!("--{long}"));
                    }
                    argv.push(value);
                }
                out.push(argv);
                return;
            }
            for sub in subs {
                let mut path = path.clone();
                path.push(sub.get_name().to_string());
                walk(sub, path, out);
            }
        }
        let mut out = Vec::new();
        walk(&Cli::command(), Vec::new(), &mut out);
        out.push(vec!["drive".into(), "about".into(), "get".into()]);
        out
    }

    fn parse_words(words: &[String]) -> Result<Parsed, clap::Error> {
        let mut argv = vec![OsString::from("gapi")];
        argv.extend(words.iter().map(OsString::from));
        parse(argv)
    }

    /// Generated from the command tree: every global option of [`GlobalArgs`], on every leaf
    /// command and on an API call, gives the same effective settings before the command name
    /// and after it, and changes them (it is not dropped in both places).
    #[test]
    fn every_global_option_means_the_same_in_every_position() {
        let globals: Vec<clap::Arg> = global_command().get_arguments().cloned().collect();
        let commands = leaf_commands();
        assert!(globals.len() >= 8, "{globals:?}");
        assert!(commands.len() >= 15, "{commands:?}");
        let without_origins = |g: &GlobalArgs| GlobalArgs {
            origins: Default::default(),
            ..g.clone()
        };
        let mut checked = 0;
        for command in &commands {
            let (name, rest) = command.split_first().expect("a command has a name");
            let plain =
                parse_words(command).unwrap_or_else(|e| panic!("gapi {}: {e}", command.join(" ")));
            for arg in &globals {
                let tokens = tokens_for(arg);
                let mut before = tokens.clone();
                before.extend(command.iter().cloned());
                let mut after = command.clone();
                after.extend(tokens.iter().cloned());
                // Between a nested command's words too (`gapi auth --profile x status`).
                let mut between = vec![name.clone()];
                between.extend(tokens.iter().cloned());
                between.extend(rest.iter().cloned());
                let parsed: Vec<Parsed> = [&before, &after, &between]
                    .iter()
                    .map(|w| parse_words(w).unwrap_or_else(|e| panic!("gapi {}: {e}", w.join(" "))))
                    .collect();
                for p in &parsed[1..] {
                    assert_eq!(
                        parsed[0].global,
                        p.global,
                        "gapi {} vs gapi {}",
                        before.join(" "),
                        after.join(" ")
                    );
                    assert_eq!(
                        format!("{:?}", parsed[0].action),
                        format!("{:?}", p.action),
                        "gapi {}",
                        before.join(" ")
                    );
                }
                assert_ne!(
                    without_origins(&parsed[0].global),
                    without_origins(&plain.global),
                    "gapi {}: {} had no effect",
                    before.join(" "),
                    tokens[0]
                );
                assert!(
                    parsed[0].global.origin(arg.get_id().as_str()).is_some(),
                    "gapi {}: where {} came from is not recorded",
                    before.join(" "),
                    tokens[0]
                );
                checked += 1;
            }
        }
        assert_eq!(checked, globals.len() * commands.len());
        eprintln!(
            "{} global options x {} commands = {checked} pairs, each before, between and after \
             the command words",
            globals.len(),
            commands.len()
        );
    }

    /// A value-taking or on/off global option given before and after the command name is an
    /// error that says so (never one value silently replacing the other); `-v` adds up.
    #[test]
    fn a_global_option_given_twice_is_refused() {
        for command in [
            vec!["drive", "about", "get"],
            vec!["auth", "status"],
            vec!["mcp"],
        ] {
            let command: Vec<String> = command.into_iter().map(String::from).collect();
            for arg in global_command().get_arguments() {
                let tokens = tokens_for(arg);
                let mut words = tokens.clone();
                words.extend(command.iter().cloned());
                if arg.get_action().takes_values() {
                    words.extend([tokens[0].clone(), format!("{}-other", tokens[1])]);
                } else {
                    words.extend(tokens.iter().cloned());
                }
                let result = parse_words(&words);
                if matches!(arg.get_action(), clap::ArgAction::Count) {
                    assert_eq!(result.unwrap().global.verbose, 2, "{words:?}");
                    continue;
                }
                // A repeatable option (`--allow`) adds up: both values are kept.
                if matches!(arg.get_action(), clap::ArgAction::Append) {
                    assert_eq!(result.unwrap().global.allow.len(), 2, "{words:?}");
                    continue;
                }
                let err = result
                    .err()
                    .unwrap_or_else(|| panic!("accepted: {words:?}"));
                assert_eq!(err.kind(), ErrorKind::ArgumentConflict, "{words:?}");
                assert!(
                    err.to_string()
                        .contains("given both before and after the command name"),
                    "{words:?}: {err}"
                );
            }
        }
    }

    #[test]
    fn help_for_an_api_after_global_options() {
        let parsed = p(&["gapi", "--profile", "w", "help", "drive", "files"]);
        let Action::Call(call) = parsed.action else {
            panic!("expected a call")
        };
        assert!(call.help);
        assert_eq!(call.words, ["drive", "files"]);
        assert_eq!(parsed.global.profile_request(), Some("w"));
    }

    #[test]
    fn empty_values_on_the_command_line_are_refused() {
        for flag in [
            "--subject",
            "--impersonate-service-account",
            "--api-key",
            "--endpoint",
            "--quota-project",
        ] {
            let words: Vec<String> = [flag, "", "drive", "about", "get"]
                .into_iter()
                .map(String::from)
                .collect();
            let err = parse_words(&words).expect_err(flag);
            assert!(err.to_string().contains("empty"), "{flag}: {err}");
        }
    }

    #[test]
    fn the_api_key_never_shows_in_debug_output() {
        let parsed = p(&[
            "gapi",
            "--api-key",
            "AIzaSECRETKEY",
            "drive",
            "about",
            "get",
        ]);
        assert_eq!(
            parsed.global.api_key.as_ref().map(|k| k.secret()),
            Some("AIzaSECRETKEY")
        );
        assert!(!format!("{parsed:?}").contains("AIzaSECRETKEY"));
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
