//! Preparing a call, shared by API calls, `--batch` and `gapi mcp`: the policy of `--read-only`
//! and `--allow`, the service (document, credentials, retries, endpoint), the body check, the
//! `-o FILE` check, and the credentials with the scope pre-check.

use std::sync::Arc;

use gapi_client::scopes::Access;
use gapi_client::{Authenticator, MethodCall, RetryPolicy, Service};
use serde_json::Value;

use crate::cli::{CallArgs, GlobalArgs};
use crate::exit;

/// The policy on the method asked for alone, before anything else is looked at (exit 2);
/// the request itself is judged again when it is prepared.
pub fn check_policy(service: &Service, dotted: &str) -> anyhow::Result<()> {
    // The service's policy: the profile's stored one narrowed by the call's flags.
    let policy = service.policy();
    if policy.is_open() {
        return Ok(());
    }
    policy
        .check(service.find_method(dotted)?)
        .map_err(|e| exit::usage(e.to_string()))
}

/// The body against the method's request schema (exit 2 naming each bad JSON path).
pub fn check_body(service: &Service, dotted: &str, body: &Value) -> anyhow::Result<()> {
    let method = service.find_method(dotted)?;
    gapi_client::schema_check::check_request(service.document(), method, body).map_err(|e| {
        exit::usage_hint(
            e.to_string(),
            "fix the body, or add --no-validate if the API accepts more than its Discovery document says",
        )
    })
}

/// `body` on `call`, checked first against the method's schema with the CLI's hint (exit 2)
/// when `validate`; the library's own check is then off, as it would only repeat this one.
pub fn with_body(
    call: MethodCall,
    service: &Service,
    dotted: &str,
    body: &Value,
    validate: bool,
) -> anyhow::Result<MethodCall> {
    if validate {
        check_body(service, dotted, body)?;
    }
    Ok(call.body(body.clone()).validate(false))
}

/// The service for this call: the document, credentials, retry policy, endpoint, quota project.
pub fn service_for(
    global: &GlobalArgs,
    args: &CallArgs,
    doc: Arc<gapi_discovery::RestDescription>,
    auth: Arc<dyn Authenticator>,
) -> anyhow::Result<Service> {
    let mut builder = Service::builder()
        .document(doc)
        .auth_arc(auth)
        .retry_policy(RetryPolicy::default().with_retry_non_idempotent(args.retry_all))
        .policy(super::stored_policy::effective(global)?);
    if let Some(endpoint) = &global.endpoint {
        builder = builder.endpoint(endpoint.clone());
    }
    if let Some(project) = &global.quota_project {
        builder = builder.quota_project(project.clone());
    }
    Ok(builder.build()?)
}

/// `-o FILE` must be writable before the call is made: its folder exists and takes files, it
/// is not a folder itself, and an existing FILE needs `--force` (one rule for JSON output and
/// downloads alike).
pub fn check_output_path(path: &std::path::Path, force: bool) -> anyhow::Result<()> {
    let shown = path.display();
    // What is at the name itself, a link included (a dangling one is "nothing" to `exists`).
    let here = std::fs::symlink_metadata(path).ok();
    if here.as_ref().is_some_and(|m| m.file_type().is_symlink()) && !path.exists() {
        if !force {
            return Err(exit::usage(format!(
                "{shown} already exists (a link to a missing file); pass --force to overwrite it"
            )));
        }
        let to = std::fs::read_link(path).unwrap_or_default();
        return Err(exit::usage(format!(
            "-o {shown} is a link to {}, which does not exist; remove the link or name another file",
            to.display()
        )));
    }
    if path.is_dir() {
        return Err(exit::usage(format!("-o {shown} is a folder; name a file")));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    if !folder.is_dir() {
        return Err(exit::usage(format!(
            "-o {shown}: the folder {} does not exist",
            folder.display()
        )));
    }
    if here.is_some() {
        if !force {
            return Err(exit::usage(format!(
                "{shown} already exists; pass --force to overwrite it"
            )));
        }
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| exit::usage(format!("-o {shown} cannot be written: {e}")))?;
    } else {
        tempfile::Builder::new()
            .prefix(".gapi-write-check-")
            .tempfile_in(folder)
            .map_err(|e| {
                exit::usage(format!(
                    "-o {shown}: cannot create files in {}: {e}",
                    folder.display()
                ))
            })?;
    }
    Ok(())
}

/// What a `--batch` run sends: one authenticator for every line, decided by the same rule as
/// a single call. Its lines' methods are not known up front, so a service account asks for
/// the scope the most methods of the API accept (Drive's `drive`), and a user login is not
/// checked here (each line's answer says if a scope is missing).
pub async fn batch_credentials(
    global: &GlobalArgs,
    doc: &gapi_discovery::RestDescription,
) -> anyhow::Result<Arc<dyn Authenticator>> {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for (_, method) in doc.all_methods() {
        for scope in &method.scopes {
            *counts.entry(scope.as_str()).or_default() += 1;
        }
    }
    // Most methods first; among equals, the broadest (narrowest_first's last).
    let ranked = gapi_client::scopes::narrowest_first(
        &counts.keys().map(|s| s.to_string()).collect::<Vec<_>>(),
    );
    let best = ranked
        .iter()
        .max_by_key(|s| counts.get(s.as_str()).copied().unwrap_or(0))
        .cloned();
    Ok(
        match crate::call::identity::authenticator(global, &Vec::from_iter(best)).await? {
            crate::call::identity::AuthChoice::Account(selected) => Arc::new(selected.credentials),
            crate::call::identity::AuthChoice::Other(auth) => auth,
        },
    )
}

/// The authenticator for a call ([`crate::call::identity::authenticator`]: nothing, an API key,
/// or an account); an account's credentials must cover one of the method's scopes
/// ([`gapi_client::scopes::check_granted`]; the one suggested is the most useful for `access`).
pub async fn credentials_for(
    global: &GlobalArgs,
    method_scopes: &[String],
    access: Access,
) -> anyhow::Result<Arc<dyn Authenticator>> {
    let scopes = &gapi_client::scopes::by_usefulness(method_scopes, access);
    // The named profile, else the default one, else ADC (only if no profile was named).
    let creds = match crate::call::identity::authenticator(global, scopes).await? {
        crate::call::identity::AuthChoice::Account(selected) => selected.credentials,
        crate::call::identity::AuthChoice::Other(auth) => return Ok(auth),
    };
    // The library's pre-check: the scopes to grant come most useful first.
    let granted = creds.granted_scopes();
    if let Err(e) = gapi_client::scopes::check_granted("", method_scopes, &granted, access) {
        let scopes = e.scopes_to_grant().unwrap_or_default();
        let pick = scopes.first().cloned().unwrap_or_default();
        let short = pick
            .strip_prefix("https://www.googleapis.com/auth/")
            .unwrap_or(&pick);
        return Err(exit::login_needed_hint(
            format!(
                "the stored credentials (profile `{}`) were granted none of the scopes this method accepts:\n  {}",
                global.profile,
                scopes.join("\n  "),
            ),
            crate::auth_hints::login_hint(format!(
                "run `{}` (adds it to this login)",
                crate::auth_hints::Login::new(Some(&global.profile))
                    .add_scopes(&[short.to_string()])
                    .command()
            )),
        ));
    }
    Ok(Arc::new(creds))
}

/// A refused call made with `--anonymous`: no credentials were sent, so none were refused and
/// nothing needs refreshing; the way out is to send some.
pub fn with_anonymous_hint<T>(global: &GlobalArgs, result: anyhow::Result<T>) -> anyhow::Result<T> {
    match result {
        Err(e) if global.anonymous && exit::code_for(&e) == exit::AUTH => Err(exit::with_hint(
            e,
            crate::auth_hints::login_hint(format!(
                "this method needs credentials: drop --anonymous to use the stored ones (`{}` stores them)",
                crate::auth_hints::Login::new(None).command()
            )),
        )),
        other => other,
    }
}
