//! `gapi mcp`: a Model Context Protocol server over stdio (rmcp) with three tools instead of
//! one per method: `search_methods`, `describe_method` and `call_method`.
//!
//! Calls go through the same service, transport, retries, schema check and policy
//! (`--read-only`, `--allow`) as `gapi <api> ...`; `page_all` follows at most `--page-limit`
//! pages. Failures are tool results with `isError` and Google's code, status and reason, so
//! the agent can read them; only an unknown tool is a protocol error.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use gapi_client::{Authenticator, NoAuth, Service};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    JsonObject, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
    ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Value, json};

use crate::cli::{CallArgs, GlobalArgs, McpArgs};

/// Runs the server until the client closes stdin.
pub async fn run(global: &GlobalArgs, args: McpArgs) -> anyhow::Result<ExitCode> {
    let server = GapiMcp {
        global: global.clone(),
        call_args: CallArgs {
            read_only: args.read_only,
            allow: args.allow.clone(),
            ..Default::default()
        },
        page_limit: args.page_limit.max(1),
        services: Default::default(),
    };
    let running = server
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| anyhow::anyhow!("MCP initialization failed: {e}"))?;
    running
        .waiting()
        .await
        .map_err(|e| anyhow::anyhow!("the MCP server stopped: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// The server state: flags fixed at start, services built on first use per API.
#[derive(Clone)]
struct GapiMcp {
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
        "Find Google API methods by words (e.g. \"drive files list\", \"calendar events insert\"). \
         Returns api, method and a one-line description for each match.",
        schema(json!({"type": "object", "properties": {
            "query": {"type": "string", "description": "Words to look for in method ids and descriptions"},
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
         (up to the server's page limit) and returns the list items.",
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

impl GapiMcp {
    async fn dispatch(&self, name: &str, args: &JsonObject) -> anyhow::Result<Value> {
        match name {
            "search_methods" => {
                let query = str_arg(args, "query")?;
                let api = args.get("api").and_then(Value::as_str);
                let limit = args.get("limit").and_then(Value::as_u64).unwrap_or(20) as usize;
                let hits = gapi_client::method_search::search(query, api, limit.clamp(1, 200));
                let methods: Vec<Value> = hits
                    .into_iter()
                    .map(|h| json!({"api": h.api, "method": h.method, "httpMethod": h.http_method, "description": h.summary}))
                    .collect();
                Ok(json!({"methods": methods}))
            }
            "describe_method" => {
                let doc = self.document(str_arg(args, "api")?)?;
                Ok(gapi_client::method_search::describe(
                    &doc,
                    str_arg(args, "method")?,
                )?)
            }
            "call_method" => self.call(args).await,
            other => anyhow::bail!("unknown tool {other:?}"),
        }
    }

    fn document(&self, api: &str) -> anyhow::Result<Arc<gapi_discovery::RestDescription>> {
        let (name, version) = super::describe::api_and_version(api)?;
        Ok(gapi_client::service::cached_bundled_document(
            &name, &version,
        )?)
    }

    /// The service of an API (built once, shared by every call of it).
    async fn service(&self, api: &str, scopes: &[String]) -> anyhow::Result<Service> {
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
        let auth: Arc<dyn Authenticator> = if self.global.anonymous {
            Arc::new(NoAuth)
        } else {
            super::api::credentials_for(&self.global, scopes).await?
        };
        let service = super::api::service_for(&self.global, &self.call_args, doc, auth)?;
        self.services
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, service.clone());
        Ok(service)
    }

    async fn call(&self, args: &JsonObject) -> anyhow::Result<Value> {
        let api = str_arg(args, "api")?;
        let dotted = str_arg(args, "method")?;
        // Policy and lookup first, on the document alone: a refused method never gets to
        // loading credentials, let alone to the network.
        let doc = self.document(api)?;
        let offline =
            super::api::service_for(&self.global, &self.call_args, doc.clone(), Arc::new(NoAuth))?;
        super::api::check_policy(&offline, dotted, &self.call_args)?;
        // The request as it would be sent, judged by the policy before credentials are loaded.
        method_call(&offline, dotted, args)?.prepare()?;
        let scopes = offline.find_method(dotted)?.scopes.clone();
        let service = self.service(api, &scopes).await?;
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
        Some(body) => {
            super::api::check_body(service, dotted, body)?;
            call = call.body(body.clone());
        }
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
        Ok(ListToolsResult::with_all_items(tools(
            self.call_args.read_only,
        )))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
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
