//! `gapi mcp`: a Model Context Protocol server over stdio (rmcp) with three tools instead of
//! one per method: `search_methods`, `describe_method` and `call_method`.
//!
//! Calls go through the same service, transport, retries, schema check and policy
//! (`--read-only`, `--allow`) as `gapi <api> ...`; `page_all` follows at most `--page-limit`
//! pages. Failures are tool results with `isError` and Google's code, status and reason, so
//! the agent can read them: an API error, a refused method, and arguments that do not fit the
//! tool's schema (MCP 2025-11-25: input validation errors are tool execution errors, so the
//! model can correct them). Protocol errors are JSON-RPC errors ([`stdio`]): a line that is
//! not JSON (-32700), a `tools/call` whose params are not `{name, arguments}` or that names
//! an unknown tool (-32602).
//!
//! Media never goes through a tool result: `call_method` refuses a download (`alt=media`, or
//! a method that only returns media) and an upload before sending anything, and says to use
//! the CLI (`-o FILE`, `--upload FILE`) instead.

mod egress;
mod small;
mod stdio;
mod upstream;

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use gapi_client::{NoAuth, Service};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    JsonObject, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Value, json};

use crate::call::prepare;
use crate::cli::{CallArgs, GlobalArgs, McpArgs};

/// Runs the server until the client closes stdin.
pub async fn run(global: &GlobalArgs, args: McpArgs) -> anyhow::Result<ExitCode> {
    // Flags asking for two identities are refused at start, not at the first call.
    crate::call::identity::mode(global)?;
    let policy = crate::call::stored_policy::effective(global)?;
    let relay = if args.upstream.is_empty() {
        None
    } else {
        let scopes: Vec<String> = args
            .upstream_scope
            .iter()
            .map(|s| match s.contains("://") {
                true => s.clone(),
                false => format!("https://www.googleapis.com/auth/{s}"),
            })
            .collect();
        let auth =
            prepare::credentials_for(global, &scopes, gapi_client::scopes::Access::Write).await?;
        let own = ["search_methods", "describe_method", "call_method"];
        Some(Arc::new(
            upstream::Relay::connect(&args.upstream, auth, &global.profile, &own).await?,
        ))
    };
    let server = GapiMcp {
        allow_egress: args.allow_egress,
        relay,
        policy,
        global: global.clone(),
        call_args: CallArgs {
            global: global.clone(),
            ..Default::default()
        },
        page_limit: args.page_limit.max(1),
        services: Default::default(),
    };
    let front = stdio::Front::start();
    let running = server
        .serve((front.reader, front.writer))
        .await
        .map_err(|e| anyhow::anyhow!("MCP initialization failed: {e}"))?;
    running
        .waiting()
        .await
        .map_err(|e| anyhow::anyhow!("the MCP server stopped: {e}"))?;
    // Everything rmcp and the front answered is on stdout (a client gone first is no error).
    match front.output.await? {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(anyhow::Error::new(e).context("writing to the MCP client"));
        }
        _ => {}
    }
    Ok(ExitCode::SUCCESS)
}

/// The server state: flags fixed at start, services built on first use per API.
#[derive(Clone)]
struct GapiMcp {
    /// `--allow-egress`: URLs in call_method arguments are sent even under a policy.
    allow_egress: bool,
    /// Upstream MCP servers whose tools are relayed (`--upstream`).
    relay: Option<Arc<upstream::Relay>>,
    /// The profile's stored policy narrowed by the server's flags (for relayed tools).
    policy: gapi_client::Policy,
    global: GlobalArgs,
    /// The policy and validation flags, as a CLI call would carry them.
    call_args: CallArgs,
    page_limit: usize,
    services: Arc<Mutex<HashMap<String, Service>>>,
}

fn schema(v: Value) -> Arc<JsonObject> {
    match v {
        Value::Object(m) => Arc::new(m),
        _ => Arc::new(JsonObject::new()),
    }
}

fn tools(read_only: bool) -> Vec<Tool> {
    let mut search = Tool::new(
        "search_methods",
        "Find Google API methods for a task in plain words (e.g. \"send an email\", \
         \"list files in my drive\", \"drive files list\"), best first. Returns api, method, id, \
         httpMethod and a one-line description for each.",
        schema(json!({"type": "object", "properties": {
            "query": {"type": "string", "description": "What to do, in plain words"},
            "api": {"type": "string", "description": "Only this API (\"drive\" or \"drive:v3\")"},
            "limit": {"type": "integer", "description": "At most this many results (default 20)"}},
            "required": ["query"]})),
    );
    search.annotations = Some(ToolAnnotations::new().read_only(true));
    let mut describe = Tool::new(
        "describe_method",
        "Describe one method: HTTP verb, path, parameters (type, required, location, enum), \
         scopes, and the request and response schemas as property trees.",
        schema(json!({"type": "object", "properties": {
            "api": {"type": "string", "description": "API name, optionally with version: \"drive\", \"drive:v3\""},
            "method": {"type": "string", "description": "Dotted method path inside the API: \"files.list\""}},
            "required": ["api", "method"]})),
    );
    describe.annotations = Some(ToolAnnotations::new().read_only(true));
    let mut call = Tool::new(
        "call_method",
        "Call a Google API method and return its JSON response. params are the method's \
         parameters (path and query), body the request body. page_all follows nextPageToken \
         (up to the server's page limit) and returns the list items. Media is not returned: \
         to download a file's content (alt=media) or upload one, run the gapi command line \
         (`gapi drive files get -p fileId=ID -o FILE`, `--upload FILE`).",
        schema(json!({"type": "object", "properties": {
            "api": {"type": "string"},
            "method": {"type": "string"},
            "params": {"type": "object", "description": "Parameter name -> value"},
            "body": {"type": "object", "description": "The request body (see describe_method)"},
            "page_all": {"type": "boolean", "description": "Follow every page (bounded)"}},
            "required": ["api", "method"]})),
    );
    call.annotations = Some(ToolAnnotations::new().read_only(read_only));
    vec![search, describe, call]
}

/// A tool failure the agent reads: a text line and the details as structured content.
fn tool_error(message: String, details: Value) -> CallToolResult {
    let mut r = CallToolResult::error(vec![ContentBlock::text(message)]);
    r.structured_content = Some(details);
    r
}

/// A tool failure from an error chain, with Google's code, status and reason when it has them.
fn error_result(err: &anyhow::Error) -> CallToolResult {
    let text = crate::exit::render(err);
    let api = err
        .chain()
        .find_map(|c| c.downcast_ref::<gapi_client::Error>())
        .and_then(|e| e.api().cloned());
    let details = match api {
        Some(a) => json!({"error": {"code": a.code, "status": a.status, "reason": a.reason,
            "message": a.message, "details": a.details}}),
        None => json!({"error": {"message": text}}),
    };
    tool_error(text, details)
}

fn ok_json(v: Value) -> CallToolResult {
    let text = serde_json::to_string(&v).unwrap_or_default();
    let mut r = CallToolResult::success(vec![ContentBlock::text(text)]);
    r.structured_content = Some(if v.is_object() {
        v
    } else {
        json!({"result": v})
    });
    r
}

fn str_arg<'a>(args: &'a JsonObject, name: &str) -> anyhow::Result<&'a str> {
    args.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow::anyhow!("the argument {name:?} (a string) is required"))
}

/// Checks tool arguments against the tool's input schema: required members present, each
/// of the declared type, no undeclared ones. Every problem is named.
fn check_arguments(tool: &Tool, args: &JsonObject) -> anyhow::Result<()> {
    let schema = &tool.input_schema;
    let props = schema.get("properties").and_then(Value::as_object);
    let mut problems = Vec::new();
    for name in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !args.contains_key(name) {
            problems.push(format!("\"{name}\" is required"));
        }
    }
    for (name, value) in args {
        let Some(want) = props
            .and_then(|p| p.get(name))
            .map(|p| p.get("type").and_then(Value::as_str).unwrap_or("any"))
        else {
            let known: Vec<&str> = props
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            problems.push(format!(
                "\"{name}\" is not an argument of {} (it takes {})",
                tool.name,
                known.join(", ")
            ));
            continue;
        };
        let fits = match want {
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "boolean" => value.is_boolean(),
            "object" => value.is_object(),
            _ => true,
        };
        if !fits {
            problems.push(format!(
                "\"{name}\" must be {} {want}, not {value}",
                article(want)
            ));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    anyhow::bail!(
        "invalid arguments for {}: {}",
        tool.name,
        problems.join("; ")
    )
}

/// `s` as one shell word: as it is when it is plain, else in single quotes.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.,:/=@+%".contains(c))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn article(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// `call_method` returns JSON: a media download (`alt=media`, another `alt`, or a method
/// that only returns media) or an upload (`uploadType`) is refused before anything is sent,
/// with the command that does it.
fn refuse_media(
    api: &str,
    dotted: &str,
    method: &gapi_discovery::RestMethod,
    params: Option<&Value>,
) -> anyhow::Result<()> {
    let param = |name: &str| params.and_then(|p| p.get(name));
    // The command line that does it, with the parameters the agent gave.
    let mut cli = format!("gapi {api} {}", dotted.replace('.', " "));
    for (name, value) in params.and_then(Value::as_object).into_iter().flatten() {
        if ["alt", "uploadType", "upload_protocol"].contains(&name.as_str()) {
            continue;
        }
        let value = value.as_str().map_or(value.to_string(), str::to_string);
        cli.push_str(&format!(" -p {}", shell_word(&format!("{name}={value}"))));
    }
    let alt = param("alt").map(|v| v.as_str().map_or(v.to_string(), str::to_string));
    let download = match alt.as_deref() {
        Some("json") => false,
        Some(_) => true,
        None => method.supports_media_download && method.response.is_none(),
    };
    if download {
        anyhow::bail!(
            "call_method cannot download media{}: it returns JSON, and a file's bytes do not \
             belong in a tool result. Nothing was sent. To save the content to a file, run \
             the gapi command line in a shell: `{cli} -o FILE` (ask the user if you cannot \
             run commands).{}",
            alt.as_ref()
                .map(|a| format!(" (alt={a})"))
                .unwrap_or_default(),
            if alt.is_some() {
                " For the metadata, call without alt."
            } else {
                ""
            }
        );
    }
    if param("uploadType").is_some() || param("upload_protocol").is_some() {
        anyhow::bail!(
            "call_method cannot upload media: it sends a JSON body only. Nothing was sent. To \
             upload a file, run the gapi command line in a shell: `{cli} --upload FILE` (with \
             --json for the metadata); to create or change metadata only, call without \
             uploadType."
        );
    }
    Ok(())
}

impl GapiMcp {
    async fn dispatch(&self, name: &str, args: &JsonObject) -> anyhow::Result<Value> {
        if let Some(tool) = tools(false).iter().find(|t| t.name == name) {
            check_arguments(tool, args)?;
        }
        match name {
            "search_methods" => {
                let query = str_arg(args, "query")?;
                let api = args.get("api").and_then(Value::as_str);
                let limit = args.get("limit").and_then(Value::as_u64).unwrap_or(20) as usize;
                let hits = gapi_client::method_search::search(query, api, limit.clamp(1, 200));
                let methods: Vec<Value> = hits
                    .into_iter()
                    .map(|h| json!({"api": h.api, "method": h.method, "id": h.id, "httpMethod": h.http_method, "description": h.summary}))
                    .collect();
                Ok(json!({"methods": methods}))
            }
            "describe_method" => {
                let doc = self.document(str_arg(args, "api")?)?;
                let v = gapi_client::method_search::describe(&doc, str_arg(args, "method")?)?;
                Ok(small::cap(
                    v,
                    "A schema in full: `gapi describe API SCHEMA` on the command line.",
                ))
            }
            "call_method" => self.call(args).await,
            other => anyhow::bail!("unknown tool {other:?}"),
        }
    }

    fn document(&self, api: &str) -> anyhow::Result<Arc<gapi_discovery::RestDescription>> {
        let (name, version) = crate::call::document::api_and_version(api)?;
        Ok(gapi_client::service::cached_bundled_document(
            &name, &version,
        )?)
    }

    /// The service of an API (built once, shared by every call of it).
    async fn service(
        &self,
        api: &str,
        scopes: &[String],
        access: gapi_client::scopes::Access,
    ) -> anyhow::Result<Service> {
        let doc = self.document(api)?;
        let key = format!("{}:{}", doc.name, doc.version);
        if let Some(s) = self
            .services
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(s.clone());
        }
        let auth = prepare::credentials_for(&self.global, scopes, access).await?;
        let service = prepare::service_for(&self.global, &self.call_args, doc, auth)?;
        self.services
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, service.clone());
        Ok(service)
    }

    /// `call_method`, its answer kept small ([`small`]).
    async fn call(&self, args: &JsonObject) -> anyhow::Result<Value> {
        if !self.allow_egress && !self.policy.is_open() {
            egress::check(args)?;
        }
        let (args, note) = self.with_default_fields(args)?;
        let v = self.call_as_asked(&args).await?;
        let v = match note {
            Some(note) => small::with_note(v, note),
            None => v,
        };
        Ok(small::cap(
            v,
            "Ask for fewer fields (params.fields), fewer items (pageSize), or the next page \
             (params.pageToken = nextPageToken).",
        ))
    }

    /// A list method called without `fields` asks only for a default mask (and says so).
    fn with_default_fields(
        &self,
        args: &JsonObject,
    ) -> anyhow::Result<(JsonObject, Option<String>)> {
        let mut args = args.clone();
        let given = args
            .get("params")
            .and_then(Value::as_object)
            .is_some_and(|p| p.contains_key("fields"));
        if given {
            return Ok((args, None));
        }
        let doc = self.document(str_arg(&args, "api")?)?;
        let Some(method) = doc.method(str_arg(&args, "method")?) else {
            return Ok((args, None));
        };
        let Some(mask) = small::default_fields(&doc, method) else {
            return Ok((args, None));
        };
        let params = args.entry("params").or_insert_with(|| json!({}));
        let Some(params) = params.as_object_mut() else {
            return Ok((args, None));
        };
        params.insert("fields".into(), json!(mask));
        let note = format!(
            "Only these fields were asked for (the default for a list method called without \
             params.fields): {mask}. Pass params.fields (\"*\" for everything) for others."
        );
        Ok((args, Some(note)))
    }

    async fn call_as_asked(&self, args: &JsonObject) -> anyhow::Result<Value> {
        let api = str_arg(args, "api")?;
        let dotted = str_arg(args, "method")?;
        // Policy and lookup first, on the document alone: a refused method never gets to
        // loading credentials, let alone to the network.
        let doc = self.document(api)?;
        let offline =
            prepare::service_for(&self.global, &self.call_args, doc.clone(), Arc::new(NoAuth))?;
        prepare::check_policy(&offline, dotted)?;
        refuse_media(
            api,
            dotted,
            offline.find_method(dotted)?,
            args.get("params"),
        )?;
        // The request as it would be sent, judged by the policy before credentials are loaded.
        method_call(&offline, dotted, args)?.prepare()?;
        let method = offline.find_method(dotted)?;
        let access = gapi_client::scopes::Access::of(method.http_method_or_get(), false);
        let scopes = method.scopes.clone();
        let service = self.service(api, &scopes, access).await?;
        let call = method_call(&service, dotted, args)?;
        if !args
            .get("page_all")
            .and_then(Value::as_bool)
            .unwrap_or(false)
        {
            return Ok(call.execute().await?);
        }
        let mut pages = Box::pin(call.pages());
        let mut items = Vec::new();
        let mut count = 0;
        let mut truncated = false;
        while let Some(page) = pages.next().await {
            let page = page?;
            count += 1;
            match crate::output::list_items(&page) {
                Some((_, list)) => items.extend(list.iter().cloned()),
                None => items.push(page),
            }
            if count >= self.page_limit {
                truncated = pages.next().await.is_some();
                break;
            }
        }
        Ok(json!({"items": items, "pages": count, "truncated": truncated}))
    }
}

impl GapiMcp {
    /// A relayed tool's call: the policy by tool name (read-only lets only tools the
    /// upstream annotates read-only through), then the upstream's answer as it is.
    async fn relay_call(
        &self,
        relay: &upstream::Relay,
        name: &str,
        args: Value,
    ) -> anyhow::Result<CallToolResult> {
        let tool = relay
            .tool(name)
            .ok_or_else(|| anyhow::anyhow!("unknown tool {name:?}"))?;
        let as_method = gapi_discovery::RestMethod {
            id: tool.name.clone(),
            http_method: if tool.read_only { "GET" } else { "POST" }.into(),
            ..Default::default()
        };
        self.policy.check(&as_method).map_err(|e| {
            anyhow::anyhow!(
                "{e} (relayed tools are judged by name; read-only allows only tools the upstream \
                 marks readOnlyHint). Nothing was sent"
            )
        })?;
        let answer = relay.call(tool, args, &self.global.profile).await?;
        serde_json::from_value::<CallToolResult>(answer.clone()).or_else(|_| {
            Ok(CallToolResult::success(vec![ContentBlock::text(
                answer.to_string(),
            )]))
        })
    }
}

/// A `call_method` call's method with its `params` and (schema-checked) `body`.
fn method_call(
    service: &Service,
    dotted: &str,
    args: &JsonObject,
) -> anyhow::Result<gapi_client::MethodCall> {
    let mut call = service.method(dotted)?;
    match args.get("params") {
        None | Some(Value::Null) => {}
        Some(p @ Value::Object(_)) => call = call.params_json(p)?,
        Some(_) => anyhow::bail!("\"params\" must be an object"),
    }
    match args.get("body") {
        None | Some(Value::Null) => {}
        Some(body) => call = prepare::with_body(call, service, dotted, body, true)?,
    }
    Ok(call)
}

impl ServerHandler for GapiMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("gapi", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "Google APIs from their Discovery documents. Find a method with search_methods, \
                 read its parameters with describe_method, then call_method. When the server \
                 runs with --read-only or --allow, every call is judged on the request it would \
                 send (its URL resolved back to a method): refused calls send nothing. \
                 Read-only means \"changes nothing\", not \"sends nothing\": a GET still sends \
                 its parameters, and some GET methods make Google fetch a URL the caller chooses.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        let mut all = tools(self.policy.is_read_only());
        for t in self.relay.iter().flat_map(|r| &r.tools) {
            if let Ok(tool) = serde_json::from_value::<Tool>(t.definition.clone()) {
                all.push(tool);
            }
        }
        Ok(ListToolsResult::with_all_items(all))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        if let Some(relay) = self
            .relay
            .as_ref()
            .filter(|r| r.tool(&request.name).is_some())
        {
            let args = Value::Object(request.arguments.unwrap_or_default());
            let result = match self.relay_call(relay, &request.name, args).await {
                Ok(r) => r,
                Err(e) => error_result(&e),
            };
            return Ok(result.into());
        }
        if !["search_methods", "describe_method", "call_method"].contains(&request.name.as_ref()) {
            return Err(McpError::invalid_params(
                format!("unknown tool {:?}", request.name),
                None,
            ));
        }
        let args = request.arguments.unwrap_or_default();
        let result = match self.dispatch(&request.name, &args).await {
            Ok(v) => ok_json(v),
            Err(e) => error_result(&e),
        };
        Ok(result.into())
    }
}
