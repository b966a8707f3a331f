//! What every helper runs on: the API's service built exactly as for a method call
//! (credentials of the profile, retry policy, endpoint, quota project, `--read-only` /
//! `--allow`), the up-front policy check, `--dry-run` printing, and the output path
//! (`--format`, `--jq`, `-o FILE`).

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use gapi_client::{MethodCall, NoAuth, Service};
use serde_json::{Value, json};

use super::{CommonFlags, OutputFlags};
use crate::call::document;
use crate::call::prepare;
use crate::call::write;
use crate::cli::{CallArgs, Format, GlobalArgs};
use crate::exit;
use crate::jq::Jq;

/// One helper run: the options it was given and the API it works on.
pub struct Ctx<'a> {
    global: &'a GlobalArgs,
    /// The options as a method call would carry them (the one definition of their meaning).
    args: CallArgs,
    jq: Option<Jq>,
    doc: Arc<gapi_discovery::RestDescription>,
    offline: Service,
}

impl<'a> Ctx<'a> {
    /// A helper on `api` (its preferred version) with these flags. Checks the `--jq` program
    /// and `-o FILE` before anything is sent.
    pub fn new(
        global: &'a GlobalArgs,
        api_name: &str,
        common: &CommonFlags,
        output: Option<&OutputFlags>,
        format: Option<Format>,
    ) -> anyhow::Result<Ctx<'a>> {
        let jq = common.jq.as_deref().map(Jq::compile).transpose()?;
        let (name, version) = document::api_and_version(api_name)?;
        let doc = Arc::new(document::load_method_index(&name, &version)?);
        let args = CallArgs {
            global: global.clone(),
            format: format.unwrap_or_default(),
            output: output.and_then(|o| o.output.clone()),
            force: output.is_some_and(|o| o.force),
            jq: common.jq.clone(),
            dry_run: common.dry_run,
            retry_all: common.retry_all,
            ..CallArgs::default()
        };
        let offline = prepare::service_for(global, &args, doc.clone(), Arc::new(NoAuth))?;
        if let (Some(path), false) = (&args.output, args.dry_run) {
            prepare::check_output_path(path, args.force)?;
        }
        Ok(Ctx {
            global,
            args,
            jq,
            doc,
            offline,
        })
    }

    /// Whether this is a dry run.
    pub fn dry_run(&self) -> bool {
        self.args.dry_run
    }

    /// A service without credentials, for building requests to show.
    pub fn offline(&self) -> &Service {
        &self.offline
    }

    /// The policy on every method (`users.messages.send`...) the helper may call, before
    /// anything is sent (exit 2), as for a method call.
    pub fn check_policy(&self, methods: &[&str]) -> anyhow::Result<()> {
        for m in methods {
            prepare::check_policy(&self.offline, m)?;
        }
        Ok(())
    }

    /// The service with the profile's credentials, which must cover the scopes every one of
    /// `methods` accepts (the first one suggested when they do not).
    pub async fn service(&self, methods: &[&str]) -> anyhow::Result<Service> {
        self.check_policy(methods)?;
        let mut scopes: Option<Vec<String>> = None;
        let mut write = false;
        for m in methods {
            let method = self.offline.find_method(m)?;
            write |= method.http_method_or_get() != "GET";
            scopes = Some(match scopes {
                None => method.scopes.clone(),
                Some(s) => s
                    .into_iter()
                    .filter(|x| method.scopes.contains(x))
                    .collect(),
            });
        }
        let scopes = scopes.unwrap_or_default();
        let access = gapi_client::scopes::Access::of(if write { "POST" } else { "GET" }, false);
        let auth = prepare::credentials_for(self.global, &scopes, access).await?;
        prepare::service_for(self.global, &self.args, self.doc.clone(), auth)
    }

    /// `--dry-run`: prints the requests (as a method call's dry run shows one) and what
    /// would follow from their answers; sends nothing.
    pub fn print_dry_run(
        &self,
        calls: &[MethodCall],
        then: Option<String>,
    ) -> anyhow::Result<ExitCode> {
        let mut requests = Vec::new();
        for c in calls {
            requests.push(c.prepare()?.to_dry_run_json(&self.offline));
        }
        self.print_plan(json!({"requests": requests}), then)
    }

    /// `--dry-run` with a request list already shaped (uploads, plans).
    pub fn print_plan(&self, mut plan: Value, then: Option<String>) -> anyhow::Result<ExitCode> {
        if let Some(t) = then {
            plan["then"] = Value::String(t);
        }
        println!("{}", serde_json::to_string_pretty(&plan)?);
        Ok(ExitCode::SUCCESS)
    }

    /// Prints a result: `--jq` or an explicit `--format` apply to `value`; otherwise `text`
    /// (for people) when there is one, else `value` as JSON. To `-o FILE` when given.
    pub fn output(
        &self,
        value: &Value,
        text: Option<String>,
        format_given: bool,
    ) -> anyhow::Result<ExitCode> {
        match text {
            Some(text) if self.jq.is_none() && !format_given => {
                self.write_text(text.as_bytes())?;
            }
            _ => write::write_output(value, &self.args, Vec::new(), self.jq.as_ref())?,
        }
        Ok(ExitCode::SUCCESS)
    }

    /// Writes text as it is (CSV, Markdown) to `-o FILE` or stdout.
    pub fn write_text(&self, bytes: &[u8]) -> anyhow::Result<()> {
        match &self.args.output {
            Some(path) => write::create_output(path, self.args.force)?.write_all(bytes)?,
            None => std::io::stdout().lock().write_all(bytes)?,
        }
        Ok(())
    }
}

/// A helper library error in the CLI's terms: an API failure keeps its exit code (4, 5, 6,
/// 3), bad input is a usage error (exit 2).
pub fn ws(e: gapi_workspace::Error) -> anyhow::Error {
    match e {
        gapi_workspace::Error::Api(c) => anyhow::Error::new(c),
        e @ (gapi_workspace::Error::Invalid(_)
        | gapi_workspace::Error::TooLarge { .. }
        | gapi_workspace::Error::Csv(_)) => exit::usage(e.to_string()),
        e => anyhow::Error::new(e),
    }
}
